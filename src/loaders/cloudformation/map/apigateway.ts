import type { Built, Target, TemplateContext } from '../builder.js';
import { Scope, asEnum, asNumber, asString, camelCasedPlain } from '../builder.js';
import { NO_VALUE, Symbolic, Unknown, evaluate, isRecord, type Evaluated } from '../intrinsics.js';
import { API_GATEWAY_DEFAULTS } from '../../aws-defaults.js';
import { methodSettingsKey, mapMethodSetting } from '../../method-settings.js';
import { mapSecretVariables } from '../../stage-variables.js';
import { mapRequestValidation, type RequestValidatorFlags } from '../../request-validator.js';
import { httpRoute, openApiResources, unreadableOperations } from './openapi.js';
import { unknownOpenApiSecurity } from './openapi-security.js';

const METHOD_AUTH = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];

/** AWS::ApiGateway::RestApi -> apigateway.restApi (OpenAPI methods come from ./openapi.js). */
export function mapRestApi(s: Scope): void {
  s.string('Name', 'name');
  s.list('EndpointConfiguration.Types', 'endpointConfiguration.types', { fallback: [...API_GATEWAY_DEFAULTS.restApiEndpointTypes] });
  s.bool('DisableExecuteApiEndpoint', 'disableExecuteApiEndpoint', API_GATEWAY_DEFAULTS.disableExecuteApiEndpoint);
  s.string('ApiKeySourceType', 'apiKeySource');
  s.policy('Policy', 'policy');
}

/** AWS::ApiGateway::Method -> apigateway.method */
export function mapMethod(s: Scope, t: Target, ctx: TemplateContext): void {
  s.string('RestApiId', 'restApiId');
  t.link('restApi', s.get('RestApiId'), ['apigateway.restApi']);
  const resourceId = s.get('ResourceId');
  if (resourceId !== undefined) {
    const path = resourcePath(resourceId, ctx);
    if (typeof path === 'string') s.set('resourcePath', path, 'ResourceId');
    else s.unknown('resourcePath', path.reason, 'ResourceId');
  }
  const verb = s.scalar('HttpMethod', 'httpMethod', (v) => {
    const c = asString(v);
    return 'value' in c ? { value: c.value.toUpperCase() } : c;
  });
  s.enum('AuthorizationType', 'authorizationType', METHOD_AUTH, { fallback: API_GATEWAY_DEFAULTS.authorizationType });
  s.string('AuthorizerId', 'authorizerId');
  t.link('authorizer', s.get('AuthorizerId'), ['apigateway.authorizer']);
  s.list('AuthorizationScopes', 'authorizationScopes');
  s.bool('ApiKeyRequired', 'apiKeyRequired', API_GATEWAY_DEFAULTS.apiKeyRequired);
  const validatorId = s.get('RequestValidatorId');
  s.string('RequestValidatorId', 'requestValidatorId');
  mapRequestValidation(s, validatorId === undefined ? undefined : requestValidator(validatorId, ctx), 'RequestValidatorId');
  const integration = s.scalar('Integration.Type', 'integrationType', (v) => {
    const c = asString(v);
    return 'value' in c ? { value: c.value.toUpperCase() } : c;
  });
  // A CORS pre-flight is an OPTIONS method answered by a MOCK integration: it is meant to be open.
  if (verb !== undefined) {
    s.set('corsPreflight', verb === 'OPTIONS' && integration === 'MOCK', 'HttpMethod');
  }
}

/** The flags of the AWS::ApiGateway::RequestValidator a method's RequestValidatorId names. */
function requestValidator(value: Evaluated, ctx: TemplateContext): RequestValidatorFlags | Unknown {
  if (value instanceof Unknown) return value;
  const id = value instanceof Symbolic ? /^\$\{([^.}]+)\}$/.exec(value.text)?.[1] : undefined;
  const raw = id !== undefined && Object.hasOwn(ctx.resources, id) ? ctx.resources[id] : undefined;
  if (!isRecord(raw) || raw.Type !== 'AWS::ApiGateway::RequestValidator') {
    return new Unknown('RequestValidatorId does not name an AWS::ApiGateway::RequestValidator of this template', '${?}');
  }
  const props = isRecord(raw.Properties) ? raw.Properties : {};
  const flag = (v: unknown) => {
    const e = v === undefined ? NO_VALUE : evaluate(v, ctx.eval);
    return e === NO_VALUE ? undefined : e;
  };
  return { body: flag(props.ValidateRequestBody), parameters: flag(props.ValidateRequestParameters) };
}

/** AWS::ApiGateway::Authorizer -> apigateway.authorizer */
export function mapAuthorizer(s: Scope, t: Target): void {
  s.string('RestApiId', 'restApiId');
  t.link('restApi', s.get('RestApiId'), ['apigateway.restApi']);
  s.string('Name', 'name');
  const type = s.enum('Type', 'type', ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']);
  s.list('ProviderARNs', 'providerARNs');
  t.link('userPools', s.get('ProviderARNs'), ['cognito.userPool']);
  // Lambda authorizer results are cached for 300 seconds unless told otherwise.
  s.int('AuthorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds', type === 'TOKEN' || type === 'REQUEST' ? API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds : undefined);
  s.string('IdentitySource', 'identitySource');
  s.string('AuthorizerUri', 'authorizerUri');
}

/** AWS::ApiGateway::Stage -> apigateway.stage */
export function mapStage(s: Scope, t: Target): void {
  s.string('RestApiId', 'restApiId');
  t.link('restApi', s.get('RestApiId'), ['apigateway.restApi']);
  s.string('StageName', 'stageName');
  mapStageSettings(s);
}

/**
 * AWS::ApiGateway::Deployment with a StageName -> the apigateway.stage it creates, configured by
 * its StageDescription, whose top-level method settings (LoggingLevel, DataTraceEnabled, ...)
 * apply to every method of the stage.
 */
export function mapDeploymentStage(s: Scope, t: Target): void {
  s.string('RestApiId', 'restApiId');
  t.link('restApi', s.get('RestApiId'), ['apigateway.restApi']);
  s.string('StageName', 'stageName');
  const d = s.at('StageDescription', '');
  mapStageSettings(d);
  if (s.target.properties.methodSettings === undefined || !Object.hasOwn(s.target.properties.methodSettings as object, '*/*')) {
    const all = new Scope(s.reader, s.target, [...s.inPrefix, 'StageDescription'], 'methodSettings.*/*');
    mapMethodSetting(all, 'cfn');
  }
}

/**
 * What configures a REST API stage, the same in AWS::ApiGateway::Stage, a Deployment's
 * StageDescription and an AWS::Serverless::Api (SAM copies these properties to the stage it makes).
 */
export function mapStageSettings(s: Scope): void {
  s.bool('TracingEnabled', 'tracingEnabled', API_GATEWAY_DEFAULTS.tracingEnabled);
  s.string('AccessLogSetting.DestinationArn', 'accessLogSettings.destinationArn');
  s.string('AccessLogSetting.Format', 'accessLogSettings.format');
  s.stringMap('Variables', 'variables');
  mapSecretVariables(s, 'Variables');
  s.string('ClientCertificateId', 'clientCertificateId');
  s.bool('CacheClusterEnabled', 'cacheClusterEnabled', API_GATEWAY_DEFAULTS.cacheClusterEnabled);
  stageMethodSettings(s, 'MethodSettings');
}

/** `MethodSettings` items of a stage, keyed by method path as GetStages keys them. */
function stageMethodSettings(s: Scope, from: string): void {
  const list = s.get(from);
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    s.unknown('methodSettings', list instanceof Unknown ? list.reason : `${from} is not a list`, from);
    return;
  }
  s.set('methodSettings', {}, from);
  list.forEach((_, i) => {
    const path = asString(s.get([from, i, 'ResourcePath']) ?? null);
    const verb = asString(s.get([from, i, 'HttpMethod']) ?? null);
    if ('reason' in path || 'reason' in verb) {
      s.unknown('methodSettings', `${from}[${i}]: the method it applies to is not known`, [from, i]);
      return;
    }
    const out = `methodSettings.${methodSettingsKey(path.value, verb.value)}`;
    s.set(out, {}, [from, i]);
    mapMethodSetting(s.at([from, i], out), 'cfn');
  });
}

/** AWS::ApiGateway::DomainName -> apigateway.domainName */
export function mapDomainName(s: Scope): void {
  s.string('DomainName', 'domainName');
  s.string('SecurityPolicy', 'securityPolicy', API_GATEWAY_DEFAULTS.domainSecurityPolicy);
  s.list('EndpointConfiguration.Types', 'endpointConfiguration.types', { fallback: [...API_GATEWAY_DEFAULTS.restApiEndpointTypes] });
}

/**
 * AWS::ApiGatewayV2::DomainName -> apigateway.domainName. A domain has one configuration per
 * endpoint type and API Gateway supports only REGIONAL ones here, so the first is the domain's.
 */
export function mapV2DomainName(s: Scope): void {
  s.string('DomainName', 'domainName');
  const config = new Scope(s.reader, s.target, [...s.inPrefix, 'DomainNameConfigurations', 0], s.outPrefix);
  if (config.get('SecurityPolicy') === undefined) {
    // CloudFormation leaves the policy to API Gateway, whose V2 API documents no default.
    s.unknown('securityPolicy', 'DomainNameConfigurations[0].SecurityPolicy is not set and API Gateway documents no default for it', 'DomainNameConfigurations');
  } else config.string('SecurityPolicy', 'securityPolicy');
  config.scalarList('EndpointType', 'endpointConfiguration.types');
}

/** AWS::ApiGatewayV2::Api -> apigatewayv2.api */
export function mapV2Api(s: Scope): void {
  s.string('Name', 'name');
  // An API imported from OpenAPI (Body, BodyS3Location) is an HTTP API; ProtocolType is then optional.
  const imported = s.get('Body') !== undefined || s.get('BodyS3Location') !== undefined;
  s.enum('ProtocolType', 'protocolType', ['HTTP', 'WEBSOCKET'], imported ? { fallback: 'HTTP' } : {});
  s.bool('DisableExecuteApiEndpoint', 'disableExecuteApiEndpoint', API_GATEWAY_DEFAULTS.disableExecuteApiEndpoint);
  const cors = s.get('CorsConfiguration');
  if (cors instanceof Unknown) s.unknown('corsConfiguration', cors.reason, 'CorsConfiguration');
  else if (isRecord(cors)) {
    s.set('corsConfiguration', camelCasedPlain(cors), 'CorsConfiguration');
    // Typed again so that a value known only at deploy time is recorded as unknown, not left null.
    s.list('CorsConfiguration.AllowOrigins', 'corsConfiguration.allowOrigins');
    s.bool('CorsConfiguration.AllowCredentials', 'corsConfiguration.allowCredentials');
  }
}

/** AWS::ApiGatewayV2::Route -> apigatewayv2.route */
export function mapV2Route(s: Scope, t: Target, ctx: TemplateContext): void {
  s.string('ApiId', 'apiId');
  t.link('api', s.get('ApiId'), ['apigatewayv2.api']);
  const protocol = apiProtocol(s.get('ApiId'), ctx);
  if (typeof protocol === 'string') s.set('protocolType', protocol, 'ApiId');
  else s.unknown('protocolType', protocol.reason, 'ApiId');
  s.string('RouteKey', 'routeKey');
  s.enum('AuthorizationType', 'authorizationType', ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'], { fallback: API_GATEWAY_DEFAULTS.authorizationType });
  s.string('AuthorizerId', 'authorizerId');
  t.link('authorizer', s.get('AuthorizerId'), ['apigatewayv2.authorizer']);
  s.list('AuthorizationScopes', 'authorizationScopes');
  s.bool('ApiKeyRequired', 'apiKeyRequired');
}

/**
 * The protocol of the API a route's ApiId names, which decides which routes can carry an
 * authorizer (a WebSocket API authorizes `$connect` only).
 */
function apiProtocol(apiId: Evaluated | undefined, ctx: TemplateContext): string | Unknown {
  if (apiId instanceof Unknown) return apiId;
  const ref = apiId instanceof Symbolic && /^\$\{[^.}]+\}$/.test(apiId.text) ? apiId.refs[0] : undefined;
  const raw = ref === undefined ? undefined : ctx.resources[ref];
  if (!isRecord(raw) || ref === undefined) return new Unknown('the API the route belongs to is not in this template', '${?}');
  if (raw.Type === 'AWS::Serverless::HttpApi') return 'HTTP';
  if (raw.Type !== 'AWS::ApiGatewayV2::Api') return new Unknown(`ApiId ${ref} is not an AWS::ApiGatewayV2::Api`, '${?}');
  const props = isRecord(raw.Properties) ? raw.Properties : {};
  if (props.ProtocolType === undefined) {
    if (props.Body !== undefined || props.BodyS3Location !== undefined) return 'HTTP';
    return new Unknown(`ProtocolType of ${ref} is not set`, '${?}');
  }
  const value = evaluate(props.ProtocolType, ctx.eval);
  const c = value === NO_VALUE ? { reason: `ProtocolType of ${ref} is not set` } : asEnum(value, ['HTTP', 'WEBSOCKET']);
  return 'value' in c ? c.value : new Unknown(`ProtocolType of ${ref}: ${c.reason}`, '${?}');
}

/**
 * The operations an API resource defines itself rather than through Method/Route resources:
 * its OpenAPI `Body`, a `BodyS3Location` (not in the inputs: unknown), and for an HTTP API the
 * route quick create makes from `Target`.
 */
export function apiOperations(api: Built, ctx: TemplateContext): Built[] {
  const flavor = api.kind === 'apigateway.restApi' ? 'rest' : 'http';
  const out = openApiResources(api, ctx, { flavor });
  if (api.reader.get(['BodyS3Location']) !== undefined) {
    const reason = 'the OpenAPI definition is in S3 (BodyS3Location), not in the inputs';
    unknownOpenApiSecurity(new Scope(api.reader, api.target), reason, 'BodyS3Location');
    out.push(...unreadableOperations(api, ctx, flavor, 'BodyS3Location', reason));
  }
  if (flavor === 'http' && api.reader.get(['Target']) !== undefined) {
    // Quick create makes one route (RouteKey, default `$default`) with an integration to Target
    // and no authorization: there is no property to attach an authorizer to it.
    const key = api.reader.get(['RouteKey']);
    const routeKey = key === undefined ? { value: '$default' } : asString(key);
    const s = httpRoute(api, ctx, api.reader, ['Target'], 'value' in routeKey ? routeKey.value : '${?}', out);
    if ('reason' in routeKey) s.unknown('routeKey', routeKey.reason, []);
    s.set('authorizationType', 'NONE', []);
  }
  return out;
}

/** AWS::ApiGatewayV2::Authorizer -> apigatewayv2.authorizer */
export function mapV2Authorizer(s: Scope, t: Target, ctx: TemplateContext): void {
  s.string('ApiId', 'apiId');
  t.link('api', s.get('ApiId'), ['apigatewayv2.api']);
  s.string('Name', 'name');
  const type = s.enum('AuthorizerType', 'authorizerType', ['JWT', 'REQUEST']);
  s.list('JwtConfiguration.Audience', 'jwtConfiguration.audience');
  s.string('JwtConfiguration.Issuer', 'jwtConfiguration.issuer');
  t.link('userPools', s.get('JwtConfiguration.Issuer'), ['cognito.userPool']);
  s.list('IdentitySource', 'identitySource');
  if (type === 'REQUEST' && s.get('AuthorizerResultTtlInSeconds') === undefined) lambdaResultTtl(s, apiProtocol(s.get('ApiId'), ctx), 'ApiId');
  else s.int('AuthorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds');
  s.bool('EnableSimpleResponses', 'enableSimpleResponses');
}

/**
 * The result cache TTL of an HTTP API Lambda (REQUEST) authorizer that does not set one: 300
 * seconds, as on REST APIs. WebSocket APIs do not cache authorizer results (no TTL); when the
 * API's protocol is not known, neither is the TTL.
 */
export function lambdaResultTtl(s: Scope, protocol: string | Unknown, at: string): void {
  if (protocol === 'HTTP') s.default('authorizerResultTtlInSeconds', API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
  else if (protocol instanceof Unknown) s.unknown('authorizerResultTtlInSeconds', protocol.reason, at);
}

/** AWS::ApiGatewayV2::Stage -> apigatewayv2.stage */
export function mapV2Stage(s: Scope, t: Target): void {
  s.string('ApiId', 'apiId');
  t.link('api', s.get('ApiId'), ['apigatewayv2.api']);
  s.string('StageName', 'stageName');
  mapV2StageSettings(s);
}

/** What configures an HTTP API stage, the same in AWS::ApiGatewayV2::Stage and AWS::Serverless::HttpApi. */
export function mapV2StageSettings(s: Scope): void {
  s.string('AccessLogSettings.DestinationArn', 'accessLogSettings.destinationArn');
  s.string('AccessLogSettings.Format', 'accessLogSettings.format');
  s.int('DefaultRouteSettings.ThrottlingBurstLimit', 'defaultRouteSettings.throttlingBurstLimit');
  s.scalar('DefaultRouteSettings.ThrottlingRateLimit', 'defaultRouteSettings.throttlingRateLimit', asNumber);
}


/**
 * The path of the API Gateway resource a method's ResourceId names: `GetAtt Api.RootResourceId`
 * is "/", `Ref SomeResource` follows AWS::ApiGateway::Resource ParentId/PathPart up to the root.
 */
export function resourcePath(value: Evaluated, ctx: TemplateContext): string | Unknown {
  if (value instanceof Unknown) return value;
  if (!(value instanceof Symbolic)) return new Unknown('ResourceId is a literal id; its path is not in the template', '${?}');
  if (/^\$\{[^.}]+\.RootResourceId\}$/.test(value.text)) return '/';
  const id = /^\$\{([^.}]+)\}$/.exec(value.text)?.[1];
  if (!id) return new Unknown(`ResourceId ${value.text} is not an AWS::ApiGateway::Resource`, '${?}');
  const memo = ctx.memo;
  const cached = memo.get(`path:${id}`);
  if (cached !== undefined) return cached as string | Unknown;
  memo.set(`path:${id}`, new Unknown(`API resource ${id} is its own ancestor`, '${?}'));
  const raw = Object.hasOwn(ctx.resources, id) ? ctx.resources[id] : undefined;
  let result: string | Unknown;
  if (!isRecord(raw) || raw.Type !== 'AWS::ApiGateway::Resource' || !isRecord(raw.Properties)) {
    result = new Unknown(`ResourceId ${id} is not an AWS::ApiGateway::Resource`, '${?}');
  } else {
    const part = evaluate(raw.Properties.PathPart, ctx.eval);
    const parent = evaluate(raw.Properties.ParentId, ctx.eval);
    const parentPath = parent === NO_VALUE ? new Unknown(`API resource ${id} has no ParentId`, '${?}') : resourcePath(parent, ctx);
    if (parentPath instanceof Unknown) result = parentPath;
    else if (typeof part !== 'string') result = new Unknown(`PathPart of ${id} is not known`, '${?}');
    else result = `${parentPath === '/' ? '' : parentPath}/${part}`;
  }
  memo.set(`path:${id}`, result);
  return result;
}
