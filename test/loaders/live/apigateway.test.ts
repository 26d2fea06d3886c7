import { APIGatewayClient, GetAuthorizersCommand, GetMethodCommand, GetResourcesCommand, GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  GetApisCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetRoutesCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterEach, describe, expect, it } from 'vitest';
import { readHttpApis, readRestApis } from '../../../src/loaders/live/apigateway.js';
import type { Resource } from '../../../src/model/resource.js';
import { loadFixture, mockFromFixture, outcomes, restoreMocks, schemaErrors, templateResources, testContext, withExchange, type LiveFixture } from './helpers.js';

const REST_COMMANDS = { GetRestApis: GetRestApisCommand, GetResources: GetResourcesCommand, GetMethod: GetMethodCommand, GetAuthorizers: GetAuthorizersCommand, GetStages: GetStagesCommand };
const HTTP_COMMANDS = { GetApis: GetApisCommand, GetRoutes: GetRoutesCommand, GetAuthorizers: GetV2AuthorizersCommand, GetStages: GetV2StagesCommand };
const REST = loadFixture('apigateway');
const HTTP = loadFixture('apigatewayv2');
const PETS = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';
const ORDERS = 'arn:aws:apigateway:us-east-1::/apis/ord1234567';

afterEach(restoreMocks);

async function rest(fixture: LiveFixture = REST) {
  const ctx = testContext(fixture);
  return { resources: await readRestApis(mockFromFixture(APIGatewayClient, REST_COMMANDS, fixture), ctx), ctx };
}
async function http(fixture: LiveFixture = HTTP) {
  const ctx = testContext(fixture);
  return { resources: await readHttpApis(mockFromFixture(ApiGatewayV2Client, HTTP_COMMANDS, fixture), ctx), ctx };
}
const byId = (resources: Resource[], id: string): Resource => resources.find((r) => r.id === id)!;
const ofRule = async (resources: Resource[], rule: string) => (await outcomes(resources)).filter((l) => l.startsWith(`${rule} `));

describe('readRestApis', () => {
  it('reads the APIs of a GetRestApis listing over two pages (position) and the methods of GetResources over two pages', async () => {
    const { resources, ctx } = await rest();
    expect(resources.filter((r) => r.kind === 'apigateway.restApi').map((r) => r.name)).toEqual(['pets', 'internal']);
    expect(resources.filter((r) => r.kind === 'apigateway.method').map((r) => r.name)).toEqual([
      'pets GET /',
      'pets OPTIONS /',
      'pets GET /pets',
      'pets POST /pets',
      'internal GET /',
    ]);
    expect(ctx.calls.filter((c) => c === 'GetRestApis')).toHaveLength(2);
    expect(ctx.calls.filter((c) => c === 'GetResources')).toHaveLength(3);
  });

  it('parses the escaped resource policy string of a REST API', async () => {
    const { resources } = await rest();
    expect(byId(resources, PETS).properties).toEqual({
      restApiId: 'a1b2c3d4e5',
      name: 'pets',
      endpointConfiguration: { types: ['REGIONAL'] },
      disableExecuteApiEndpoint: false,
      apiKeySource: 'HEADER',
      policy: { version: '2012-10-17', statements: [{ effect: 'Allow', principal: { aws: ['*'] }, action: ['execute-api:Invoke'], resource: ['execute-api:/*'] }] },
    });
  });

  it('reads a method the embedded listing did not detail with GetMethod, and relates a method to its authorizer by ARN', async () => {
    const { resources, ctx } = await rest();
    expect(ctx.calls.filter((c) => c === 'GetMethod')).toHaveLength(1);
    expect(byId(resources, `${PETS}/resources/pets11/methods/POST`).properties).toMatchObject({ httpMethod: 'POST', authorizationType: 'NONE', apiKeyRequired: true });
    const get = byId(resources, `${PETS}/resources/pets11/methods/GET`);
    expect(get.relations).toEqual({ restApi: [PETS], authorizer: [`${PETS}/authorizers/auth11`] });
    expect(byId(resources, `${PETS}/authorizers/auth11`).relations.userPools).toEqual(['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123DEF']);
    expect(byId(resources, `${PETS}/resources/root111111/methods/OPTIONS`).properties.corsPreflight).toBe(true);
  });

  it('gives resources valid against the apigateway.* schemas', async () => {
    const { resources } = await rest();
    expect(schemaErrors(resources)).toEqual({});
  });

  it('leaves stage variables out of the REST stage (they may hold backend credentials), keeping only the names of secret ones', async () => {
    const { resources } = await rest();
    const stage = byId(resources, 'arn:aws:apigateway:us-east-1::/restapis/f6g7h8i9j0/stages/prod');
    expect(stage.properties).toEqual({ restApiId: 'f6g7h8i9j0', stageName: 'prod', tracingEnabled: false, cacheClusterEnabled: false, secretVariables: [] });
    expect(JSON.stringify(resources)).not.toContain('internal.example');
  });

  it('reads a stage\'s method settings by method path, its client certificate and its cache cluster', async () => {
    const { resources } = await rest();
    const stage = byId(resources, `${PETS}/stages/prod`);
    expect(stage.properties).toMatchObject({ clientCertificateId: 'cert11', cacheClusterEnabled: true, tracingEnabled: true });
    expect(stage.properties.methodSettings).toEqual({
      '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: false, metricsEnabled: false, cachingEnabled: false, cacheDataEncrypted: false, throttlingBurstLimit: 200, throttlingRateLimit: 100 },
      '~1pets/GET': { loggingLevel: 'INFO', dataTraceEnabled: true, metricsEnabled: false, cachingEnabled: true, cacheDataEncrypted: false, throttlingBurstLimit: 200, throttlingRateLimit: 100 },
    });
    expect(await ofRule(resources, 'apigateway-stage-cache-encrypted')).toEqual(['apigateway-stage-cache-encrypted apigateway.stage fail', 'apigateway-stage-cache-encrypted apigateway.stage notApplicable']);
  });

  it('AccessDenied on GetResources: one method with unresolved authorization stands for the API, and the method rule reports unknown', async () => {
    const { resources, ctx } = await rest(withExchange(REST, 'GetResources', 1, { error: 'AccessDeniedException' }));
    // The first page was read; the second (/pets) was denied, so the listing is incomplete.
    expect(resources.filter((r) => r.kind === 'apigateway.method').map((r) => r.name)).toEqual(['pets methods', 'pets GET /', 'pets OPTIONS /', 'internal GET /']);
    const placeholder = byId(resources, `${PETS}/methods`);
    expect(placeholder.unresolved.authorizationType).toBe('resources and methods of REST API pets could not be read');
    expect(ctx.diagnostics).toHaveLength(1);
    expect(await ofRule(resources, 'apigateway-method-authorization')).toContain('apigateway-method-authorization apigateway.method unknown');
  });

  it('a method naming a request validator (GetRequestValidators is not read) is unknown to apigateway-request-validation; one without is a fail', async () => {
    const fixture = structuredClone(REST);
    const listing = fixture.calls.GetResources![0]!.output as { items: Array<{ resourceMethods?: Record<string, Record<string, unknown>> }> };
    listing.items[0]!.resourceMethods!.GET!.requestValidatorId = 'val123';
    const { resources } = await rest(fixture);
    const get = byId(resources, `${PETS}/resources/root111111/methods/GET`);
    expect(get.properties.requestValidatorId).toBe('val123');
    expect(get.unresolved.validateRequestBody).toBe('request validator val123 of method GET / of REST API pets: the live reader does not read request validators (GetRequestValidators)');
    expect(byId(resources, `${PETS}/resources/pets11/methods/GET`).properties).toMatchObject({ validateRequestBody: false, validateRequestParameters: false });
    const lines = await ofRule(resources, 'apigateway-request-validation');
    expect(lines).toContain('apigateway-request-validation apigateway.method unknown');
    expect(lines).toContain('apigateway-request-validation apigateway.method fail');
  });

  it('an unreadable resource policy of a private API makes its open method unknown, not pass', async () => {
    const broken = structuredClone(REST);
    (broken.calls.GetRestApis![1]!.output as { items: Array<{ policy: string }> }).items[0]!.policy = '{\\"Version\\":';
    const { resources } = await rest(broken);
    expect(byId(resources, 'arn:aws:apigateway:us-east-1::/restapis/f6g7h8i9j0').unresolved.policy).toMatch(/^resource policy of REST API internal: /);
    const internalGet = resources.filter((r) => r.id.endsWith('/restapis/f6g7h8i9j0/resources/root222222/methods/GET'));
    expect(await ofRule(internalGet.concat(resources.filter((r) => r.kind === 'apigateway.restApi')), 'apigateway-method-authorization')).toEqual([
      'apigateway-method-authorization apigateway.method unknown',
    ]);
  });
});

describe('readHttpApis', () => {
  it('reads the APIs of a GetApis listing over two pages and the routes of GetRoutes over two pages (NextToken)', async () => {
    const { resources, ctx } = await http();
    expect(resources.filter((r) => r.kind === 'apigatewayv2.route').map((r) => r.name)).toEqual([
      'orders GET /orders',
      'orders POST /orders',
      'orders $default',
      'chat $connect',
      'chat sendmessage',
    ]);
    expect(ctx.calls.filter((c) => c === 'GetApis')).toHaveLength(2);
    expect(ctx.calls.filter((c) => c === 'GetRoutes')).toHaveLength(3);
  });

  it('normalizes routes, JWT authorizers and APIs like the CloudFormation loader', async () => {
    const { resources } = await http();
    expect(byId(resources, ORDERS).properties).toEqual({
      apiId: 'ord1234567',
      name: 'orders',
      protocolType: 'HTTP',
      corsConfiguration: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: 300 },
    });
    const route = byId(resources, `${ORDERS}/routes/r1`);
    expect(route.properties).toEqual({ apiId: 'ord1234567', routeKey: 'GET /orders', protocolType: 'HTTP', authorizationType: 'JWT', authorizerId: 'jwt111', authorizationScopes: ['orders/read'] });
    expect(route.relations).toEqual({ api: [ORDERS], authorizer: [`${ORDERS}/authorizers/jwt111`] });
    expect(byId(resources, `${ORDERS}/authorizers/jwt111`).relations.userPools).toEqual(['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123DEF']);
  });

  it('gives resources valid against the apigatewayv2.* schemas', async () => {
    const { resources } = await http();
    expect(schemaErrors(resources)).toEqual({});
  });

  it('AccessDenied on GetRoutes: one route with unresolved authorization stands for the API, and the route rule reports unknown', async () => {
    const { resources } = await http(withExchange(HTTP, 'GetRoutes', 2, { error: 'AccessDeniedException' }));
    expect(byId(resources, 'arn:aws:apigateway:us-east-1::/apis/cht1234567/routes').unresolved).toEqual({
      routeKey: 'routes of API chat could not be read',
      authorizationType: 'routes of API chat could not be read',
    });
    expect(await ofRule(resources, 'apigatewayv2-route-authorization')).toContain('apigatewayv2-route-authorization apigatewayv2.route unknown');
  });

  it('a GetRoutes page throttled once succeeds on retry', async () => {
    const { resources, ctx } = await http(withExchange(HTTP, 'GetRoutes', 1, { throttleOnce: true }));
    expect(ctx.throttles).toBe(1);
    expect(ctx.diagnostics).toEqual([]);
    expect(byId(resources, `${ORDERS}/routes/r2`).properties.routeKey).toBe('POST /orders');
  });
});

it('apigateway.json + apigatewayv2.json give the same findings as apigateway.template.yaml', async () => {
  const live = await outcomes([...(await rest()).resources, ...(await http()).resources]);
  expect(live).toContain('apigateway-method-authorization apigateway.method fail');
  // The live reader does not read custom domain mappings: the default-endpoint rules are unknown there.
  const unread = (l: string) => /default-endpoint-disabled/.test(l);
  expect(live.filter((l) => unread(l) && !l.startsWith('finding')).every((l) => l.endsWith(' unknown'))).toBe(true);
  expect(live.filter((l) => !unread(l))).toEqual((await outcomes(templateResources('apigateway.template.yaml'))).filter((l) => !unread(l)));
});
