import { API_GATEWAY_DEFAULTS } from '../../aws-defaults.js';
import { methodSettingsKey, mapMethodSetting } from '../../method-settings.js';
import { mapSecretVariables } from '../../stage-variables.js';
import { mapRequestValidation, type RequestValidatorFlags } from '../../request-validator.js';
import { Scope, asNumber, asString, type Target } from '../../scope.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from '../../values.js';
import type { TerraformBlock } from '../block.js';
import { plainBlock } from './cognito.js';
import { BlockReader } from './reader.js';
import { lambdaResultTtl } from '../../cloudformation/map/apigateway.js';

const METHOD_AUTH = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];

const upper = (v: Evaluated) => {
  const c = asString(v);
  return 'value' in c ? { value: c.value.toUpperCase() } : c;
};

/** What the API Gateway mappers look up among the other blocks, by address. */
export interface ApiLookup {
  block(address: string): TerraformBlock | undefined;
  /** The aws_api_gateway_integration blocks. */
  integrations: readonly TerraformBlock[];
}

/** aws_api_gateway_rest_api -> apigateway.restApi (OpenAPI `body` methods are added by the caller). */
export function mapRestApi(s: Scope): void {
  s.string('name', 'name');
  s.list('endpoint_configuration.types', 'endpointConfiguration.types', { fallback: [...API_GATEWAY_DEFAULTS.restApiEndpointTypes] });
  s.bool('disable_execute_api_endpoint', 'disableExecuteApiEndpoint', API_GATEWAY_DEFAULTS.disableExecuteApiEndpoint);
  s.string('api_key_source', 'apiKeySource');
  s.policy('policy', 'policy');
}

/** aws_api_gateway_method -> apigateway.method */
export function mapMethod(s: Scope, t: Target, block: TerraformBlock, lookup: ApiLookup): void {
  s.string('rest_api_id', 'restApiId');
  t.link('restApi', s.get('rest_api_id'), ['apigateway.restApi']);
  const resourceId = s.get('resource_id');
  if (resourceId !== undefined) {
    const path = resourcePath(resourceId, lookup, new Set());
    if (typeof path === 'string') s.set('resourcePath', path, 'resource_id');
    else s.unknown('resourcePath', path.reason, 'resource_id');
  }
  const verb = s.scalar('http_method', 'httpMethod', upper);
  s.enum('authorization', 'authorizationType', METHOD_AUTH, { fallback: API_GATEWAY_DEFAULTS.authorizationType });
  s.string('authorizer_id', 'authorizerId');
  t.link('authorizer', s.get('authorizer_id'), ['apigateway.authorizer']);
  s.list('authorization_scopes', 'authorizationScopes');
  s.bool('api_key_required', 'apiKeyRequired', API_GATEWAY_DEFAULTS.apiKeyRequired);
  const validatorId = s.get('request_validator_id');
  s.string('request_validator_id', 'requestValidatorId');
  mapRequestValidation(s, validatorId === undefined ? undefined : requestValidator(validatorId, lookup), 'request_validator_id');
  // The integration is its own block, naming the method (or its resource and verb).
  const integration = lookup.integrations.find((i) => integrates(i, block, resourceId, verb));
  let integrationType: string | undefined;
  if (integration && !(integration.values instanceof Unknown)) {
    const c = upper(integration.get(['type']) ?? null);
    if ('value' in c) {
      integrationType = c.value;
      s.target.properties.integrationType = integrationType;
    }
  }
  // A CORS pre-flight is an OPTIONS method answered by a MOCK integration: it is meant to be open.
  if (verb !== undefined) s.set('corsPreflight', verb === 'OPTIONS' && integrationType === 'MOCK', 'http_method');
}

/** The flags of the aws_api_gateway_request_validator a method's `request_validator_id` names. */
function requestValidator(value: Evaluated, lookup: ApiLookup): RequestValidatorFlags | Unknown {
  if (value instanceof Unknown) return value;
  const address = value instanceof Symbolic && value.refs.length === 1 ? value.refs[0]! : undefined;
  const block = address === undefined ? undefined : lookup.block(address);
  if (!block || block.type !== 'aws_api_gateway_request_validator') {
    return new Unknown('request_validator_id does not name an aws_api_gateway_request_validator of this configuration', '${?}');
  }
  if (block.values instanceof Unknown) return block.values;
  return { body: block.get(['validate_request_body']), parameters: block.get(['validate_request_parameters']) };
}

function refs(v: Evaluated | undefined): readonly string[] {
  return v instanceof Symbolic ? v.refs : [];
}

function integrates(integration: TerraformBlock, method: TerraformBlock, resourceId: Evaluated | undefined, verb: string | undefined): boolean {
  if (integration.values instanceof Unknown) return false;
  const httpMethod = integration.get(['http_method']);
  if (refs(httpMethod).includes(method.address)) return true;
  const sameResource = refs(integration.get(['resource_id'])).some((r) => refs(resourceId).includes(r));
  return sameResource && typeof httpMethod === 'string' && httpMethod.toUpperCase() === verb;
}

/**
 * The path of the resource a method's `resource_id` names: a rest API's `root_resource_id` is
 * "/", an aws_api_gateway_resource follows `parent_id` and `path_part` up to the root.
 */
export function resourcePath(value: Evaluated, lookup: ApiLookup, seen: Set<string>): string | Unknown {
  if (value instanceof Unknown) return value;
  if (!(value instanceof Symbolic) || value.refs.length !== 1) return new Unknown('resource_id is a literal id; its path is not in the configuration', '${?}');
  const address = value.refs[0]!;
  if (value.text.endsWith('.root_resource_id}')) return '/';
  const block = lookup.block(address);
  if (!block || block.type !== 'aws_api_gateway_resource' || block.values instanceof Unknown) {
    return new Unknown(`resource_id ${value.text} is not an aws_api_gateway_resource`, '${?}');
  }
  if (seen.has(address)) return new Unknown(`API resource ${address} is its own ancestor`, '${?}');
  seen.add(address);
  const part = block.get(['path_part']);
  const parent = block.get(['parent_id']);
  const parentPath = parent === undefined || parent === null ? new Unknown(`API resource ${address} has no parent_id`, '${?}') : resourcePath(parent, lookup, seen);
  if (parentPath instanceof Unknown) return parentPath;
  if (typeof part !== 'string') return new Unknown(`path_part of ${address} is not known`, '${?}');
  return `${parentPath === '/' ? '' : parentPath}/${part}`;
}

/** aws_api_gateway_authorizer -> apigateway.authorizer (the provider's `type` defaults to TOKEN). */
export function mapAuthorizer(s: Scope, t: Target): void {
  s.string('rest_api_id', 'restApiId');
  t.link('restApi', s.get('rest_api_id'), ['apigateway.restApi']);
  s.string('name', 'name');
  const type = s.enum('type', 'type', ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'], { fallback: 'TOKEN' });
  s.list('provider_arns', 'providerARNs');
  t.link('userPools', s.get('provider_arns'), ['cognito.userPool']);
  const lambda = type === 'TOKEN' || type === 'REQUEST';
  s.int('authorizer_result_ttl_in_seconds', 'authorizerResultTtlInSeconds', lambda ? API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds : undefined);
  // The provider's default, not the API's: API Gateway requires an identity source for TOKEN and Cognito authorizers.
  s.string('identity_source', 'identitySource', 'method.request.header.Authorization');
  s.string('authorizer_uri', 'authorizerUri');
}

/** aws_api_gateway_stage -> apigateway.stage */
export function mapStage(s: Scope, t: Target): void {
  s.string('rest_api_id', 'restApiId');
  t.link('restApi', s.get('rest_api_id'), ['apigateway.restApi']);
  s.string('stage_name', 'stageName');
  s.bool('xray_tracing_enabled', 'tracingEnabled', API_GATEWAY_DEFAULTS.tracingEnabled);
  s.string('access_log_settings.destination_arn', 'accessLogSettings.destinationArn');
  s.string('access_log_settings.format', 'accessLogSettings.format');
  s.stringMap('variables', 'variables');
  mapSecretVariables(s, 'variables');
  s.string('client_certificate_id', 'clientCertificateId');
  s.bool('cache_cluster_enabled', 'cacheClusterEnabled', API_GATEWAY_DEFAULTS.cacheClusterEnabled);
}

/**
 * aws_api_gateway_method_settings, a block of its own naming a stage (by rest_api_id and
 * stage_name), joins that stage's `methodSettings` under its `method_path` (`*` + `/` + `*`, `pets/GET`).
 */
export function mapStageMethodSettings(stage: Target, block: TerraformBlock): void {
  const s = new Scope(new BlockReader(block), stage);
  const path = asString(block.get(['method_path']) ?? null);
  const split = 'value' in path ? /^(.*)\/([^/]+)$/.exec(path.value) : null;
  if (!split) {
    s.unknown('methodSettings', `${block.address}: the method it applies to is not known`, 'method_path');
    return;
  }
  const out = `methodSettings.${methodSettingsKey(split[1] === '*' ? '*' : `/${split[1]!}`, split[2]!)}`;
  stage.properties.methodSettings ??= {};
  s.set(out, {}, []);
  mapMethodSetting(s.at('settings', out), 'tf');
}

/** aws_api_gateway_domain_name -> apigateway.domainName */
export function mapDomainName(s: Scope): void {
  s.string('domain_name', 'domainName');
  s.string('security_policy', 'securityPolicy', API_GATEWAY_DEFAULTS.domainSecurityPolicy);
  s.list('endpoint_configuration.types', 'endpointConfiguration.types', { fallback: [...API_GATEWAY_DEFAULTS.restApiEndpointTypes] });
}

/** aws_apigatewayv2_domain_name -> apigateway.domainName (the provider requires security_policy). */
export function mapV2DomainName(s: Scope): void {
  s.string('domain_name', 'domainName');
  s.string('domain_name_configuration.security_policy', 'securityPolicy');
  s.scalarList('domain_name_configuration.endpoint_type', 'endpointConfiguration.types');
}

/** aws_apigatewayv2_api -> apigatewayv2.api */
export function mapV2Api(s: Scope): void {
  s.string('name', 'name');
  const imported = s.get('body') !== undefined;
  s.enum('protocol_type', 'protocolType', ['HTTP', 'WEBSOCKET'], imported ? { fallback: 'HTTP' } : {});
  s.bool('disable_execute_api_endpoint', 'disableExecuteApiEndpoint', API_GATEWAY_DEFAULTS.disableExecuteApiEndpoint);
  const cors = s.get('cors_configuration');
  if (cors instanceof Unknown) s.unknown('corsConfiguration', cors.reason, 'cors_configuration');
  else if (isRecord(cors) || (Array.isArray(cors) && cors.length > 0)) {
    s.set('corsConfiguration', plainBlock(cors), 'cors_configuration');
    // Typed again so that a value known only after apply is recorded as unknown, not left null.
    s.list('cors_configuration.allow_origins', 'corsConfiguration.allowOrigins');
    s.bool('cors_configuration.allow_credentials', 'corsConfiguration.allowCredentials');
  }
}

/** aws_apigatewayv2_route -> apigatewayv2.route */
export function mapV2Route(s: Scope, t: Target, lookup: ApiLookup): void {
  s.string('api_id', 'apiId');
  t.link('api', s.get('api_id'), ['apigatewayv2.api']);
  const protocol = apiProtocol(s.get('api_id'), lookup);
  if (typeof protocol === 'string') s.set('protocolType', protocol, 'api_id');
  else s.unknown('protocolType', protocol.reason, 'api_id');
  s.string('route_key', 'routeKey');
  s.enum('authorization_type', 'authorizationType', ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'], { fallback: API_GATEWAY_DEFAULTS.authorizationType });
  s.string('authorizer_id', 'authorizerId');
  t.link('authorizer', s.get('authorizer_id'), ['apigatewayv2.authorizer']);
  s.list('authorization_scopes', 'authorizationScopes');
  s.bool('api_key_required', 'apiKeyRequired');
}

/** The protocol of the API a route's api_id names (a WebSocket API authorizes `$connect` only). */
function apiProtocol(apiId: Evaluated | undefined, lookup: ApiLookup): string | Unknown {
  if (apiId instanceof Unknown) return apiId;
  const address = apiId instanceof Symbolic && apiId.refs.length === 1 ? apiId.refs[0]! : undefined;
  const api = address === undefined ? undefined : lookup.block(address);
  if (!api || api.type !== 'aws_apigatewayv2_api') return new Unknown('the API the route belongs to is not in this configuration', '${?}');
  if (api.values instanceof Unknown) return api.values;
  const protocol = api.get(['protocol_type']);
  if (protocol === undefined || protocol === null) {
    return api.get(['body']) !== undefined ? 'HTTP' : new Unknown(`protocol_type of ${address} is not set`, '${?}');
  }
  const c = upper(protocol);
  return 'value' in c && (c.value === 'HTTP' || c.value === 'WEBSOCKET') ? c.value : new Unknown(`protocol_type of ${address} is not known`, '${?}');
}

/** aws_apigatewayv2_authorizer -> apigatewayv2.authorizer */
export function mapV2Authorizer(s: Scope, t: Target, lookup: ApiLookup): void {
  s.string('api_id', 'apiId');
  t.link('api', s.get('api_id'), ['apigatewayv2.api']);
  s.string('name', 'name');
  const type = s.enum('authorizer_type', 'authorizerType', ['JWT', 'REQUEST']);
  s.list('jwt_configuration.audience', 'jwtConfiguration.audience');
  s.string('jwt_configuration.issuer', 'jwtConfiguration.issuer');
  t.link('userPools', s.get('jwt_configuration.issuer'), ['cognito.userPool']);
  s.list('identity_sources', 'identitySource');
  if (type === 'REQUEST' && s.get('authorizer_result_ttl_in_seconds') === undefined) lambdaResultTtl(s, apiProtocol(s.get('api_id'), lookup), 'api_id');
  else s.int('authorizer_result_ttl_in_seconds', 'authorizerResultTtlInSeconds');
  s.bool('enable_simple_responses', 'enableSimpleResponses');
}

/** aws_apigatewayv2_stage -> apigatewayv2.stage */
export function mapV2Stage(s: Scope, t: Target): void {
  s.string('api_id', 'apiId');
  t.link('api', s.get('api_id'), ['apigatewayv2.api']);
  s.string('name', 'stageName');
  s.string('access_log_settings.destination_arn', 'accessLogSettings.destinationArn');
  s.string('access_log_settings.format', 'accessLogSettings.format');
  s.int('default_route_settings.throttling_burst_limit', 'defaultRouteSettings.throttlingBurstLimit');
  s.scalar('default_route_settings.throttling_rate_limit', 'defaultRouteSettings.throttlingRateLimit', asNumber);
}
