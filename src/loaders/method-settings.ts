import { asNumber, type Scope } from './scope.js';

/**
 * REST API stage method settings, mapped the same way from CloudFormation (`MethodSettings[]`
 * items, PascalCase) and Terraform (`aws_api_gateway_method_settings.settings`, snake_case) into
 * `methodSettings.<method path>`, keyed as GetStages keys them.
 */
const FIELDS = [
  { out: 'loggingLevel', cfn: 'LoggingLevel', tf: 'logging_level', type: 'level' },
  { out: 'dataTraceEnabled', cfn: 'DataTraceEnabled', tf: 'data_trace_enabled', type: 'bool' },
  { out: 'metricsEnabled', cfn: 'MetricsEnabled', tf: 'metrics_enabled', type: 'bool' },
  { out: 'cachingEnabled', cfn: 'CachingEnabled', tf: 'caching_enabled', type: 'bool' },
  { out: 'cacheDataEncrypted', cfn: 'CacheDataEncrypted', tf: 'cache_data_encrypted', type: 'bool' },
  { out: 'throttlingBurstLimit', cfn: 'ThrottlingBurstLimit', tf: 'throttling_burst_limit', type: 'int' },
  { out: 'throttlingRateLimit', cfn: 'ThrottlingRateLimit', tf: 'throttling_rate_limit', type: 'number' },
] as const;

/**
 * The key GetStages gives a method's settings: `*` and `*` joined by `/` for every method of
 * the stage, otherwise the resource path without its leading slash, slashes escaped as `~1`,
 * then the verb (`/pets/{id}` GET -> `~1pets~1{id}/GET`).
 */
export function methodSettingsKey(resourcePath: string, httpMethod: string): string {
  const resource = resourcePath === '/*' || resourcePath === '*' ? '*' : resourcePath.replace(/^(~1|\/)?/, '~1').replace(/\//g, '~1');
  return `${resource}/${httpMethod.toUpperCase()}`;
}

/**
 * Maps one method settings entry. Settings left out are not defaulted: API Gateway then keeps
 * the stage's (OFF logging, no data trace, no caching, unencrypted cache, account throttling).
 * The AWS provider writes -1 for a throttling limit that is not set: left out too.
 */
export function mapMethodSetting(s: Scope, names: 'cfn' | 'tf'): void {
  for (const f of FIELDS) {
    const from = f[names];
    if (f.type === 'level') s.enum(from, f.out, ['OFF', 'ERROR', 'INFO']);
    else if (f.type === 'bool') s.bool(from, f.out);
    else {
      const v = s.get(from);
      if (names === 'tf' && (v === -1 || v === '-1')) continue;
      if (f.type === 'int') s.int(from, f.out);
      else s.scalar(from, f.out, asNumber);
    }
  }
}
