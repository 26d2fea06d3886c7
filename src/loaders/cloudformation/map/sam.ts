import { Reader, Target, asString, type Built, type Scope, type TemplateContext } from '../builder.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from '../intrinsics.js';
import { mapRequestValidation } from '../../request-validator.js';
import { unknownOpenApiSecurity } from './openapi-security.js';
import { apiChild, operation, openApiResources, unreadableOperations, type ApiFlavor } from './openapi.js';
import { pushAll } from '../../../util/arrays.js';
import { API_GATEWAY_DEFAULTS } from '../../aws-defaults.js';

type Rec = Record<string, Evaluated>;

/** A SAM API: its restApi (AWS::Serverless::Api) or api (AWS::Serverless::HttpApi) resource and its `Auth` (Globals merged in). */
export interface SamApi {
  built: Built;
  auth: Evaluated | undefined;
  flavor: ApiFlavor;
}

/** SAM's name for the API it creates for function `Api` events that name no RestApiId. */
export const IMPLICIT_API = 'ServerlessRestApi';

/** SAM's name for the HTTP API it creates for function `HttpApi` events that name no ApiId. */
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

/** `Globals.Api.Auth` (or `Globals.HttpApi.Auth`) merged under an API's own `Auth`, as the SAM transform does. */
export function mergedAuth(own: Evaluated | undefined, globals: Evaluated | undefined): Evaluated | undefined {
  if (own instanceof Unknown || globals instanceof Unknown) return own instanceof Unknown ? own : globals;
  if (!isRecord(globals)) return own;
  if (!isRecord(own)) return globals;
  const g = globals as Rec;
  const o = own as Rec;
  const authorizers = isRecord(g.Authorizers) && isRecord(o.Authorizers) ? { ...(g.Authorizers as Rec), ...(o.Authorizers as Rec) } : (o.Authorizers ?? g.Authorizers);
  return { ...g, ...o, ...(authorizers !== undefined && { Authorizers: authorizers }) };
}

/**
 * Who can reach a SAM REST API: its EndpointConfiguration (`{ Type: PRIVATE }` or the type as a
 * string; EDGE when absent, as in AWS::ApiGateway::RestApi) and its resource policy, which SAM
 * builds from `Auth.ResourcePolicy` (not read here: unknown, never "no policy").
 */
function mapSamRestExposure(api: SamApi, s: Scope, ctx: TemplateContext): void {
  const endpoint = s.get('EndpointConfiguration');
  const globals = (ctx.doc.value as { Globals?: { Api?: Record<string, unknown> } } | null)?.Globals?.Api;
  if (typeof endpoint === 'string') s.set('endpointConfiguration.types', [endpoint.toUpperCase()], 'EndpointConfiguration');
  else if (endpoint !== undefined) s.scalarList('EndpointConfiguration.Type', 'endpointConfiguration.types');
  else if (isRecord(globals) && globals.EndpointConfiguration !== undefined) s.unknown('endpointConfiguration.types', 'Globals.Api.EndpointConfiguration is not read');
  else s.default('endpointConfiguration.types', [...API_GATEWAY_DEFAULTS.restApiEndpointTypes]);
  if (isRecord(api.auth) && (api.auth as Rec).ResourcePolicy !== undefined) {
    s.unknown('policy', 'SAM builds the resource policy from Auth.ResourcePolicy, which is not read', ['Auth', 'ResourcePolicy']);
  }
}

/**
 * AWS::Serverless::Api -> apigateway.restApi and AWS::Serverless::HttpApi -> apigatewayv2.api,
 * with their `Auth.Authorizers` as authorizer resources and the operations of their
 * `DefinitionBody`; operations with no `security` get the DefaultAuthorizer, as the SAM
 * transform applies it to every path (for HTTP APIs, every path but OPTIONS: SAM leaves CORS
 * pre-flights open there). A `DefinitionUri` (S3 or a local file) is not read: its operations
 * are unknown.
 */
export function mapSamApi(api: SamApi, s: Scope, ctx: TemplateContext): Built[] {
  s.string('Name', 'name');
  if (api.flavor === 'http') s.set('protocolType', 'HTTP', []);
  s.bool('DisableExecuteApiEndpoint', 'disableExecuteApiEndpoint', API_GATEWAY_DEFAULTS.disableExecuteApiEndpoint);
  if (api.flavor === 'rest') mapSamRestExposure(api, s, ctx);
  const out: Built[] = [];
  const own = s.get('Auth');
  if (isRecord(own) && isRecord((own as Rec).Authorizers)) {
    for (const [name, def] of Object.entries((own as Rec).Authorizers as Rec)) {
      if (!isRecord(def)) continue;
      const a = apiChild(api.built, ctx, api.built.reader, api.flavor, 'authorizer', ['Auth', 'Authorizers', name], `authorizer/${name}`, `authorizer ${name}`, out);
      a.set('name', name, []);
      const d = def as Rec;
      if (api.flavor === 'http') {
        mapHttpAuthorizer(a, d);
      } else if (d.UserPoolArn !== undefined) {
        a.set('type', 'COGNITO_USER_POOLS', []);
        if (Array.isArray(d.UserPoolArn)) a.list('UserPoolArn', 'providerARNs');
        else a.scalarList('UserPoolArn', 'providerARNs');
        a.target.link('userPools', d.UserPoolArn, ['cognito.userPool']);
      } else {
        a.enum('FunctionPayloadType', 'type', ['TOKEN', 'REQUEST'], { fallback: 'TOKEN' });
        // Identity.ReauthorizeEvery is the result cache TTL; SAM's default is API Gateway's 300.
        a.int('Identity.ReauthorizeEvery', 'authorizerResultTtlInSeconds', API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
      }
    }
  }
  const uri = s.get('DefinitionUri');
  if (uri !== undefined) {
    const where = typeof uri === 'string' && !uri.startsWith('s3://') ? `a file (${uri}) the template is packaged with` : 'S3';
    const reason = `the OpenAPI definition is in ${where}, not in the inputs`;
    unknownOpenApiSecurity(s, reason, 'DefinitionUri');
    pushAll(out, unreadableOperations(api.built, ctx, api.flavor, 'DefinitionUri', reason));
  }
  const defaultAuthorization = (method: Scope, verb: string): boolean => {
    if (api.flavor === 'http' && verb === 'OPTIONS') return false;
    samAuthorization(method, api, undefined, undefined, []);
    return true;
  };
  pushAll(out, openApiResources(api.built, ctx, { bodyProperty: 'DefinitionBody', flavor: api.flavor, defaultAuthorization }));
  return out;
}

/** A SAM HttpApi authorizer: `JwtConfiguration` (OAuth 2.0/JWT) or `FunctionArn` (Lambda, a REQUEST authorizer). */
function mapHttpAuthorizer(a: Scope, d: Rec): void {
  if (d.JwtConfiguration !== undefined) {
    a.set('authorizerType', 'JWT', []);
    // SAM passes JwtConfiguration through to the OpenAPI extension, where the keys are lower-case.
    const jwt = d.JwtConfiguration;
    const key = (name: string): string => (isRecord(jwt) && (jwt as Rec)[name] === undefined ? name.charAt(0).toUpperCase() + name.slice(1) : name);
    a.list(`JwtConfiguration.${key('audience')}`, 'jwtConfiguration.audience');
    a.string(`JwtConfiguration.${key('issuer')}`, 'jwtConfiguration.issuer');
    a.target.link('userPools', a.get(`JwtConfiguration.${key('issuer')}`), ['cognito.userPool']);
    a.scalarList('IdentitySource', 'identitySource');
  } else {
    a.set('authorizerType', 'REQUEST', []);
    a.int('Identity.ReauthorizeEvery', 'authorizerResultTtlInSeconds', API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
    lambdaIdentitySource(a);
    a.bool('EnableSimpleResponses', 'enableSimpleResponses');
  }
}

/** Where SAM's `Identity` of an HTTP API Lambda authorizer puts each kind of source in the identity source expression. */
const IDENTITY_SOURCES: Array<[key: string, prefix: string]> = [
  ['Headers', '$request.header.'],
  ['QueryStrings', '$request.querystring.'],
  ['StageVariables', '$stageVariables.'],
  ['Context', '$context.'],
];

/** `Identity: { Headers: [Authorization] }` -> identitySource `[$request.header.Authorization]`, as SAM writes it. */
function lambdaIdentitySource(a: Scope): void {
  const sources: string[] = [];
  for (const [key, prefix] of IDENTITY_SOURCES) {
    const list = a.get(`Identity.${key}`);
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      a.unknown('identitySource', `Identity.${key} is not a list`, `Identity.${key}`);
      return;
    }
    for (const item of list) {
      const name = asString(item);
      if ('reason' in name) {
        a.unknown('identitySource', name.reason, `Identity.${key}`);
        return;
      }
      sources.push(prefix + name.value);
    }
  }
  if (sources.length > 0) a.set('identitySource', sources, 'Identity');
}

/**
 * The operations SAM creates for the `Api` events (REST) and `HttpApi` events (HTTP API) of an
 * AWS::Serverless::Function, each on the API its RestApiId / ApiId names (or the implicit
 * ServerlessRestApi / ServerlessHttpApi). An HttpApi event with neither Path nor Method is the
 * `$default` route.
 */
export function samEventMethods(fn: { logicalId: string; reader: Reader }, apiFor: (logicalId: string, flavor: ApiFlavor) => SamApi | undefined, ctx: TemplateContext): Built[] {
  const events = fn.reader.get(['Events']);
  if (!isRecord(events)) return [];
  const out: Built[] = [];
  for (const [name, event] of Object.entries(events as Rec)) {
    if (!isRecord(event)) continue;
    const e = event as Rec;
    const type = typeof e.Type === 'string' ? e.Type.toLowerCase() : '';
    // An HttpApi event needs no Properties at all: it is then the $default route of the implicit API.
    const props = e.Properties === undefined && type === 'httpapi' ? {} : e.Properties;
    if ((type !== 'api' && type !== 'httpapi') || !isRecord(props)) continue;
    const flavor: ApiFlavor = type === 'api' ? 'rest' : 'http';
    const p = props as Rec;
    const apiKey = flavor === 'rest' ? 'RestApiId' : 'ApiId';
    const ref = p[apiKey];
    const apiId = ref === undefined ? (flavor === 'rest' ? IMPLICIT_API : IMPLICIT_HTTP_API) : ref instanceof Symbolic ? ref.refs[0] : undefined;
    const api = apiId ? apiFor(apiId, flavor) : undefined;
    const quick = flavor === 'http' && p.Path === undefined && p.Method === undefined;
    const path = quick ? { value: '$default' } : asString(p.Path ?? null);
    const verbValue = quick ? { value: 'ANY' } : asString(p.Method ?? null);
    if (!api || 'reason' in path || 'reason' in verbValue) {
      const pos = fn.reader.locate(['Events', name]);
      ctx.diagnostics.push({
        severity: 'warning',
        code: 'sam-event-unreadable',
        message: `${fn.logicalId}: ${e.Type as string} event ${name} names an API or path that cannot be read statically; its ${flavor === 'rest' ? 'method' : 'route'} is not checked`,
        file: ctx.file,
        ...(pos && { line: pos.line, column: pos.column }),
      });
      continue;
    }
    const verb = verbValue.value.toLowerCase() === 'any' ? 'ANY' : verbValue.value.toUpperCase();
    const s = operation(api.built, ctx, fn.reader, flavor, ['Events', name, 'Properties'], verb, path.value, out, { api: apiKey, path: 'Path', verb: 'Method' });
    const auth = s.get('Auth');
    const own = isRecord(auth) ? (auth as Rec) : {};
    samAuthorization(s, api, own.Authorizer, own.ApiKeyRequired, ['Auth'], own.AuthorizationScopes);
    if (flavor === 'rest') {
      s.set('corsPreflight', false, 'Method');
      // RequestModel and RequestParameters make SAM add a request validator whose flags it chooses.
      const validated = ['RequestModel', 'RequestParameters'].find((k) => p[k] !== undefined);
      mapRequestValidation(s, validated === undefined ? undefined : new Unknown(`the request validator SAM makes for ${validated} is not modelled`, '${?}'), validated ?? 'Method');
    }
  }
  return out;
}

/** The authorization SAM gives an operation: its own Authorizer, else the API's DefaultAuthorizer, else none. */
function samAuthorization(s: Scope, api: SamApi, authorizer: Evaluated | undefined, apiKey: Evaluated | undefined, where: string[], scopes?: Evaluated): void {
  const auth = api.auth;
  if (auth instanceof Unknown) {
    s.unknown('authorizationType', `Auth of ${api.built.logicalId}: ${auth.reason}`, where);
    return;
  }
  const a: Rec = isRecord(auth) ? (auth as Rec) : {};
  if (api.flavor === 'rest') {
    const key = apiKey ?? a.ApiKeyRequired;
    if (key === undefined) s.default('apiKeyRequired', false);
    else if (key === true || (typeof key === 'string' && key.toLowerCase() === 'true')) s.set('apiKeyRequired', true, where);
    else if (key === false || (typeof key === 'string' && key.toLowerCase() === 'false')) s.set('apiKeyRequired', false, where);
    else s.unknown('apiKeyRequired', 'ApiKeyRequired is only known at deploy time', where);
  }
  const chosen = authorizer ?? a.DefaultAuthorizer;
  if (chosen === undefined) {
    s.default('authorizationType', 'NONE');
    return;
  }
  const name = asString(chosen);
  if ('reason' in name) {
    s.unknown('authorizationType', name.reason, where);
    return;
  }
  const defined = isRecord(a.Authorizers) && Object.hasOwn(a.Authorizers, name.value);
  if (name.value === 'AWS_IAM' && api.flavor === 'http' && a.EnableIamAuthorizer !== true && !defined) {
    // The IAM authorizer of an HTTP API is built in only with EnableIamAuthorizer; otherwise SAM
    // looks for an authorizer of that name and rejects the template when there is none.
    s.unknown('authorizationType', `AWS_IAM needs Auth.EnableIamAuthorizer: true on ${api.built.logicalId} (SAM rejects the template without it)`, where);
    return;
  }
  if (name.value === 'NONE' || (name.value === 'AWS_IAM' && !defined)) {
    s.set('authorizationType', name.value, where);
    return;
  }
  const def = defined ? (a.Authorizers as Rec)[name.value] : undefined;
  if (!isRecord(def)) {
    s.unknown('authorizationType', `authorizer ${name.value} is not defined in Auth.Authorizers of ${api.built.logicalId}`, where);
    return;
  }
  const d = def as Rec;
  const type = api.flavor === 'http' ? (d.JwtConfiguration !== undefined ? 'JWT' : 'CUSTOM') : d.UserPoolArn !== undefined ? 'COGNITO_USER_POOLS' : 'CUSTOM';
  s.set('authorizationType', type, where);
  s.set('authorizerId', name.value, where);
  // Scopes apply to JWT and Cognito authorizers: the event's AuthorizationScopes, else the authorizer's.
  if (type === 'JWT' || type === 'COGNITO_USER_POOLS') {
    if (scopes !== undefined) s.list([...where, 'AuthorizationScopes'].join('.'), 'authorizationScopes');
    else if (d.AuthorizationScopes !== undefined) scopeList(s, d.AuthorizationScopes, where);
  }
  const kind = api.flavor === 'http' ? 'apigatewayv2.authorizer' : 'apigateway.authorizer';
  s.target.links.push({ relation: 'authorizer', refs: [`${api.built.logicalId}/authorizer/${name.value}`], kinds: [kind] });
}

/**
 * The implicit API SAM creates for function events without a RestApiId (or, for HttpApi events, an
 * ApiId); the Serverless Framework creates the same for its `http` / `httpApi` events, named
 * `logicalId` (ApiGatewayRestApi, HttpApi).
 */
export function implicitApi(
  ctx: TemplateContext,
  pointer: string,
  globalsAuth: Evaluated | undefined,
  flavor: ApiFlavor = 'rest',
  logicalId: string = flavor === 'rest' ? IMPLICIT_API : IMPLICIT_HTTP_API,
): SamApi {
  const reader = new Reader(ctx, {}, pointer, pointer);
  const target = new Target();
  if (flavor === 'http') target.properties.protocolType = 'HTTP';
  const built: Built = {
    logicalId,
    type: flavor === 'rest' ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi',
    kind: flavor === 'rest' ? 'apigateway.restApi' : 'apigatewayv2.api',
    id: `${ctx.idBase ?? ctx.file}#${logicalId}`,
    name: logicalId,
    pointer,
    reader,
    target,
  };
  return { built, auth: globalsAuth, flavor };
}

/** A scope list read from the API's Auth (not below the operation's own definition). */
function scopeList(s: Scope, value: Evaluated, where: string[]): void {
  const items = Array.isArray(value) ? value.map(asString) : [];
  const unknown = Array.isArray(value) ? items.find((c) => 'reason' in c) : { reason: 'AuthorizationScopes is not a list' };
  if (unknown && 'reason' in unknown) s.unknown('authorizationScopes', unknown.reason, where);
  else s.set('authorizationScopes', items.map((c) => ('value' in c ? c.value : '')), where);
}
