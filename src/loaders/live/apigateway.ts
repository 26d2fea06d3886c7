import {
  GetAuthorizersCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  type APIGatewayClient,
  type Method,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import {
  GetApisCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetRoutesCommand,
  GetStagesCommand as GetV2StagesCommand,
  type Api,
  type ApiGatewayV2Client,
  type Authorizer as V2Authorizer,
  type Route,
  type Stage as V2Stage,
} from '@aws-sdk/client-apigatewayv2';
import { API_GATEWAY_DEFAULTS } from '../aws-defaults.js';
import { secretStageVariables } from '../stage-variables.js';
import { parsePolicyDocument } from '../../iam/policy-document.js';
import type { Resource } from '../../model/resource.js';
import type { LiveContext, LiveReader } from './context.js';
import { camelKeys, listAll, liveResource, put, putOrDefault, relate, unresolve, userPoolArn } from './live-resource.js';

const PAGE = 500;

// API Gateway (v1) pages with `position`, API Gateway v2 with `NextToken`.
const byPosition = <T>(o: { items?: T[]; position?: string }) => ({ items: o.items, next: o.position });
const byNextToken = <T>(o: { Items?: T[]; NextToken?: string }) => ({ items: o.Items, next: o.NextToken });

/** ARN of an API Gateway resource: `arn:aws:apigateway:<region>::/restapis/<id>/...` (no account). */
function gatewayArn(ctx: LiveContext, path: string): string {
  return `arn:${ctx.partition}:apigateway:${ctx.region}::${path}`;
}

/**
 * Reads every REST API of the region: the API with its resource policy, its resources and
 * methods (GetResources with embedded methods, GetMethod for a method the listing did not
 * detail), its authorizers and its stages. When the methods of an API cannot be listed, one
 * method with unresolved authorization stands for them, so the authorization rules report
 * unknown rather than nothing.
 */
export const readRestApis: LiveReader<APIGatewayClient> = async (client, ctx) => {
  const apis = await listAll(
    ctx,
    'apigateway',
    'GetRestApis',
    `REST APIs in ${ctx.region}`,
    (token) => client.send(new GetRestApisCommand({ limit: PAGE, ...(token && { position: token }) })),
    byPosition,
  );
  // The APIs are read side by side; the context bounds how many calls are in flight.
  return (await Promise.all(apis.items.map((item) => (item.id ? readRestApi(client, ctx, item, item.id) : [])))).flat();
};

async function readRestApi(client: APIGatewayClient, ctx: LiveContext, item: RestApi, id: string): Promise<Resource[]> {
  const arn = gatewayArn(ctx, `/restapis/${id}`);
  const name = item.name ?? id;
  const api = liveResource('apigateway.restApi', arn, name, ctx);
  put(api, 'restApiId', id);
  put(api, 'name', item.name);
  if (item.endpointConfiguration?.types) put(api, 'endpointConfiguration.types', [...item.endpointConfiguration.types]);
  put(api, 'disableExecuteApiEndpoint', item.disableExecuteApiEndpoint);
  api.unresolved.customDomains = NO_DOMAIN_MAPPINGS;
  put(api, 'apiKeySource', item.apiKeySource);
  if (item.policy) {
    const policy = resourcePolicy(item.policy);
    if ('document' in policy) put(api, 'policy', policy.document);
    else api.unresolved.policy = `resource policy of REST API ${name}: ${policy.reason}`;
  }
  const out: Resource[] = [api];
  const child = (kind: Resource['kind'], path: string, childName: string): Resource => {
    const r = liveResource(kind, `${arn}${path}`, childName, ctx);
    put(r, 'restApiId', id);
    relate(r, 'restApi', arn);
    out.push(r);
    return r;
  };

  const authWhat = `authorizers of REST API ${name}`;
  const authorizers = await listAll(
    ctx,
    'apigateway',
    'GetAuthorizers',
    authWhat,
    (token) => client.send(new GetAuthorizersCommand({ restApiId: id, limit: PAGE, ...(token && { position: token }) })),
    byPosition,
  );
  for (const a of authorizers.items) {
    if (!a.id) continue;
    const r = child('apigateway.authorizer', `/authorizers/${a.id}`, a.name ?? a.id);
    put(r, 'name', a.name);
    put(r, 'type', a.type);
    if (a.providerARNs) {
      put(r, 'providerARNs', [...a.providerARNs]);
      relate(r, 'userPools', ...a.providerARNs);
    }
    // Lambda authorizer results are cached for 300 seconds unless told otherwise.
    if (a.type === 'TOKEN' || a.type === 'REQUEST') putOrDefault(r, 'authorizerResultTtlInSeconds', a.authorizerResultTtlInSeconds, API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
    else put(r, 'authorizerResultTtlInSeconds', a.authorizerResultTtlInSeconds);
    put(r, 'identitySource', a.identitySource);
    put(r, 'authorizerUri', a.authorizerUri);
  }

  const resourcesWhat = `resources and methods of REST API ${name}`;
  const resources = await listAll(
    ctx,
    'apigateway',
    'GetResources',
    resourcesWhat,
    (token) => client.send(new GetResourcesCommand({ restApiId: id, embed: ['methods'], limit: PAGE, ...(token && { position: token }) })),
    byPosition,
  );
  if (!resources.complete) {
    const r = child('apigateway.method', '/methods', `${name} methods`);
    unresolve(r, ['resourcePath', 'httpMethod', 'authorizationType', 'validateRequestBody', 'validateRequestParameters'], ctx.reason(resourcesWhat));
  }
  for (const resource of resources.items) {
    for (const [verb, listed] of Object.entries(resource.resourceMethods ?? {})) {
      const path = resource.path ?? '/';
      const methodWhat = `method ${verb} ${path} of REST API ${name}`;
      // The embedded listing normally carries the whole method; an entry without its
      // authorization type is read on its own.
      const method: Method | undefined =
        listed.authorizationType !== undefined
          ? listed
          : await ctx.call('apigateway', 'GetMethod', methodWhat, () => client.send(new GetMethodCommand({ restApiId: id, resourceId: resource.id, httpMethod: verb })));
      const r = child('apigateway.method', `/resources/${resource.id ?? ''}/methods/${verb}`, `${name} ${verb} ${path}`);
      put(r, 'resourcePath', path);
      put(r, 'httpMethod', verb.toUpperCase());
      if (!method) {
        unresolve(r, ['authorizationType', 'authorizerId', 'authorizationScopes', 'apiKeyRequired', 'integrationType', 'corsPreflight', 'validateRequestBody', 'validateRequestParameters'], ctx.reason(methodWhat));
        continue;
      }
      putOrDefault(r, 'authorizationType', method.authorizationType?.toUpperCase(), 'NONE');
      put(r, 'authorizerId', method.authorizerId);
      if (method.authorizerId) relate(r, 'authorizer', `${arn}/authorizers/${method.authorizerId}`);
      if (method.authorizationScopes?.length) put(r, 'authorizationScopes', [...method.authorizationScopes]);
      putOrDefault(r, 'apiKeyRequired', method.apiKeyRequired, false);
      put(r, 'requestValidatorId', method.requestValidatorId);
      if (method.requestValidatorId) {
        // What a validator checks is in GetRequestValidators, which this reader does not call.
        unresolve(r, ['validateRequestBody', 'validateRequestParameters'], `request validator ${method.requestValidatorId} of ${methodWhat}: the live reader does not read request validators (GetRequestValidators)`);
      } else {
        putOrDefault(r, 'validateRequestBody', undefined, API_GATEWAY_DEFAULTS.validateRequestBody);
        putOrDefault(r, 'validateRequestParameters', undefined, API_GATEWAY_DEFAULTS.validateRequestParameters);
      }
      const integration = method.methodIntegration?.type?.toUpperCase();
      put(r, 'integrationType', integration);
      // A CORS pre-flight is an OPTIONS method answered by a MOCK integration: it is meant to be open.
      if (integration !== undefined) put(r, 'corsPreflight', verb.toUpperCase() === 'OPTIONS' && integration === 'MOCK');
    }
  }

  const stages = await ctx.call('apigateway', 'GetStages', `stages of REST API ${name}`, () => client.send(new GetStagesCommand({ restApiId: id })));
  for (const s of stages?.item ?? []) {
    if (!s.stageName) continue;
    const r = child('apigateway.stage', `/stages/${s.stageName}`, `${name} ${s.stageName}`);
    put(r, 'stageName', s.stageName);
    put(r, 'webAclArn', s.webAclArn);
    putOrDefault(r, 'tracingEnabled', s.tracingEnabled, API_GATEWAY_DEFAULTS.tracingEnabled);
    put(r, 'accessLogSettings.destinationArn', s.accessLogSettings?.destinationArn);
    put(r, 'accessLogSettings.format', s.accessLogSettings?.format);
    put(r, 'clientCertificateId', s.clientCertificateId);
    putOrDefault(r, 'cacheClusterEnabled', s.cacheClusterEnabled, API_GATEWAY_DEFAULTS.cacheClusterEnabled);
    if (s.methodSettings) {
      // Keyed by method path already (`~1pets/GET`); only the settings the model knows are kept.
      const settings: Record<string, Record<string, unknown>> = {};
      for (const [path, m] of Object.entries(s.methodSettings)) {
        settings[path] = Object.fromEntries(
          Object.entries({
            loggingLevel: m.loggingLevel,
            dataTraceEnabled: m.dataTraceEnabled,
            metricsEnabled: m.metricsEnabled,
            cachingEnabled: m.cachingEnabled,
            cacheDataEncrypted: m.cacheDataEncrypted,
            throttlingBurstLimit: m.throttlingBurstLimit,
            throttlingRateLimit: m.throttlingRateLimit,
          }).filter(([, v]) => v !== undefined),
        );
      }
      r.properties.methodSettings = settings;
    }
    // Stage variables are left out (teams keep backend credentials in them, and the snapshot of
    // a live scan must not carry what the account keeps out of templates): only the names of
    // those that hold secrets are kept.
    const secrets = secretStageVariables(s.variables ?? {});
    if ('names' in secrets) put(r, 'secretVariables', secrets.names);
  }
  return out;
}

/**
 * A REST API's `policy` is the policy JSON with its quotes backslash-escaped
 * (`{\"Version\":...}`), so it is unescaped as a JSON string body before it is parsed.
 */
function resourcePolicy(text: string): { document: ReturnType<typeof parsePolicyDocument> } | { reason: string } {
  let source = text;
  if (/^\s*\{\\"/.test(text)) {
    try {
      source = JSON.parse(`"${text}"`) as string;
    } catch {
      return { reason: 'the escaped policy text is not a valid JSON string' };
    }
  }
  try {
    return { document: parsePolicyDocument(source) };
  } catch (err) {
    return { reason: (err as Error).message };
  }
}

/**
 * Reads every HTTP and WebSocket API of the region with its routes, authorizers and stages.
 * When the routes of an API cannot be listed, one route with unresolved authorization stands
 * for them, so the route rule reports unknown rather than nothing.
 */
export const readHttpApis: LiveReader<ApiGatewayV2Client> = async (client, ctx) => {
  const apis = await listAll(
    ctx,
    'apigatewayv2',
    'GetApis',
    `HTTP and WebSocket APIs in ${ctx.region}`,
    (token) => client.send(new GetApisCommand({ MaxResults: String(PAGE), ...(token && { NextToken: token }) })),
    byNextToken,
  );
  return (await Promise.all(apis.items.map((item) => (item.ApiId ? readHttpApi(client, ctx, item, item.ApiId) : [])))).flat();
};

// Custom domains map APIs through GetDomainNames + GetBasePathMappings/GetApiMappings, which this
// reader does not call: whether an API sits behind a custom domain is not known.
const NO_DOMAIN_MAPPINGS = 'the live reader does not read custom domain names and their API mappings';

async function readHttpApi(client: ApiGatewayV2Client, ctx: LiveContext, item: Api, id: string): Promise<Resource[]> {
  const arn = gatewayArn(ctx, `/apis/${id}`);
  const name = item.Name ?? id;
  const api = liveResource('apigatewayv2.api', arn, name, ctx);
  put(api, 'apiId', id);
  put(api, 'name', item.Name);
  put(api, 'protocolType', item.ProtocolType);
  put(api, 'disableExecuteApiEndpoint', item.DisableExecuteApiEndpoint);
  api.unresolved.customDomains = NO_DOMAIN_MAPPINGS;
  if (item.CorsConfiguration) put(api, 'corsConfiguration', camelKeys({ ...item.CorsConfiguration }));
  const out: Resource[] = [api];
  const child = (kind: Resource['kind'], path: string, childName: string): Resource => {
    const r = liveResource(kind, `${arn}${path}`, childName, ctx);
    put(r, 'apiId', id);
    relate(r, 'api', arn);
    out.push(r);
    return r;
  };
  const list = <T>(api: string, what: string, send: (token: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>) =>
    listAll(ctx, 'apigatewayv2', api, what, send, byNextToken<T>);
  const page = (token: string | undefined) => ({ ApiId: id, MaxResults: String(PAGE), ...(token && { NextToken: token }) });

  const authorizers = await list<V2Authorizer>('GetAuthorizers', `authorizers of API ${name}`, (t) => client.send(new GetV2AuthorizersCommand(page(t))));
  for (const a of authorizers.items) {
    if (!a.AuthorizerId) continue;
    const r = child('apigatewayv2.authorizer', `/authorizers/${a.AuthorizerId}`, a.Name ?? a.AuthorizerId);
    put(r, 'name', a.Name);
    put(r, 'authorizerType', a.AuthorizerType);
    if (a.JwtConfiguration?.Audience) put(r, 'jwtConfiguration.audience', [...a.JwtConfiguration.Audience]);
    const issuer = a.JwtConfiguration?.Issuer;
    put(r, 'jwtConfiguration.issuer', issuer);
    // A Cognito issuer is https://cognito-idp.<region>.amazonaws.com/<poolId>.
    const poolId = issuer && /^https:\/\/cognito-idp\.[^/]+\.amazonaws\.com(?:\.cn)?\/([^/]+)$/.exec(issuer)?.[1];
    if (poolId) relate(r, 'userPools', userPoolArn(ctx, poolId));
    if (a.IdentitySource) put(r, 'identitySource', [...a.IdentitySource]);
    put(r, 'authorizerResultTtlInSeconds', a.AuthorizerResultTtlInSeconds);
    put(r, 'enableSimpleResponses', a.EnableSimpleResponses);
  }

  const routesWhat = `routes of API ${name}`;
  const routes = await list<Route>('GetRoutes', routesWhat, (t) => client.send(new GetRoutesCommand(page(t))));
  if (!routes.complete) {
    const r = child('apigatewayv2.route', '/routes', `${name} routes`);
    put(r, 'protocolType', item.ProtocolType);
    unresolve(r, ['routeKey', 'authorizationType'], ctx.reason(routesWhat));
  }
  for (const route of routes.items) {
    if (!route.RouteId) continue;
    const r = child('apigatewayv2.route', `/routes/${route.RouteId}`, `${name} ${route.RouteKey ?? route.RouteId}`);
    put(r, 'routeKey', route.RouteKey);
    put(r, 'protocolType', item.ProtocolType);
    putOrDefault(r, 'authorizationType', route.AuthorizationType, 'NONE');
    put(r, 'authorizerId', route.AuthorizerId);
    if (route.AuthorizerId) relate(r, 'authorizer', `${arn}/authorizers/${route.AuthorizerId}`);
    if (route.AuthorizationScopes?.length) put(r, 'authorizationScopes', [...route.AuthorizationScopes]);
    put(r, 'apiKeyRequired', route.ApiKeyRequired);
  }

  const stages = await list<V2Stage>('GetStages', `stages of API ${name}`, (t) => client.send(new GetV2StagesCommand(page(t))));
  for (const s of stages.items) {
    if (!s.StageName) continue;
    const r = child('apigatewayv2.stage', `/stages/${s.StageName}`, `${name} ${s.StageName}`);
    put(r, 'stageName', s.StageName);
    put(r, 'accessLogSettings.destinationArn', s.AccessLogSettings?.DestinationArn);
    put(r, 'accessLogSettings.format', s.AccessLogSettings?.Format);
    put(r, 'defaultRouteSettings.throttlingBurstLimit', s.DefaultRouteSettings?.ThrottlingBurstLimit);
    put(r, 'defaultRouteSettings.throttlingRateLimit', s.DefaultRouteSettings?.ThrottlingRateLimit);
  }
  return out;
}
