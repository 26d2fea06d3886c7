/**
 * The Serverless Framework source: variables, `resources` (inline and `${file()}` fragments at
 * their own lines), `http` / `httpApi` events and their authorizers as the methods and routes
 * the rules judge, suppressions, broken input.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerlessVariables } from '../../src/loaders/serverless/variables.js';
import { Symbolic, Unknown } from '../../src/loaders/values.js';
import { reporters } from '../../src/reporters/index.js';
import { scan, type ScanOutput } from '../../src/scan.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const NOW = new Date('2026-11-29T00:00:00Z');
const METHOD = 'apigateway-method-authorization';
const ROUTE = 'apigatewayv2-route-authorization';
const MFA = 'cognito-user-pool-mfa-enabled';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-serverless-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function scanService(files: Record<string, string>, parameters: Record<string, string> = {}, inputs = ['serverless.yml']): Promise<ScanOutput> {
  return scan({ inputs, cwd: workspace(files), parameters, now: NOW });
}

/** Status of `rule` on the resource named `name`: fail/unknown, `pass` when it was judged and not flagged. */
function outcome(result: ScanOutput, rule: string, name: string): string {
  expect(result.resources.map((r) => r.name), `${name} was loaded`).toContain(name);
  const found = result.findings.filter((f) => f.ruleId === rule && f.resource.name === name);
  return found.length === 0 ? 'pass' : found.map((f) => f.status).join(',');
}

const SERVICE = (body: string): string => `service: demo\nprovider:\n  name: aws\n  stage: dev\n${body}`;
const POOL = (mfa: string): string => `resources:\n  Resources:\n    Pool:\n      Type: AWS::Cognito::UserPool\n      Properties:\n        MfaConfiguration: ${mfa}\n        EnabledMfas: [SOFTWARE_TOKEN_MFA]\n`;

describe('Serverless variables', () => {
  const vars = (self: unknown, options: Record<string, string> = {}, files: Record<string, unknown> = {}) =>
    new ServerlessVariables({ self, options, file: (p) => files[p] ?? new Unknown(`no ${p}`, `\${file(${p})}`) });

  it('${opt:stage, self:provider.stage} falls back to provider.stage, and --param stage wins', () => {
    const self = { provider: { stage: 'dev' }, custom: { stage: '${opt:stage, self:provider.stage}', table: '${self:custom.stage}-notes' } };
    expect(vars(self).resolve('${self:custom.table}')).toBe('dev-notes');
    expect(vars(self, { stage: 'prod' }).resolve('${self:custom.table}')).toBe('prod-notes');
  });

  it("${opt:stage, 'dev'} and ${env:PORT, 3000} take their defaults; sls:stage is the stage", () => {
    const v = vars({ provider: {} });
    expect(v.resolve("${opt:stage, 'dev'}")).toBe('dev');
    expect(v.resolve('${env:PORT, 3000}')).toBe(3000);
    expect(v.resolve('${sls:stage}')).toBe('dev');
    expect(v.resolve('${param:region, "eu-west-1"}')).toBe('eu-west-1');
  });

  it('nested addresses resolve inside out: ${self:custom.mfa.${opt:stage}}', () => {
    expect(vars({ custom: { mfa: { prod: 'ON', dev: 'OFF' } } }, { stage: 'prod' }).resolve('${self:custom.mfa.${opt:stage}}')).toBe('ON');
  });

  it('${file(config.yml):key} reads a key of a file beside the service', () => {
    expect(vars({}, {}, { 'config.yml': { mfa: 'ON' } }).resolve('${file(config.yml):mfa}')).toBe('ON');
  });

  it('an env variable without a default is unknown, never read from the environment', () => {
    process.env.CG_TEST_SECRET = 'from-the-environment';
    const v = vars({}).resolve('${env:CG_TEST_SECRET}');
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toMatch(/does not read it/);
  });

  it('inside a longer string an unknown variable leaves a Symbolic string judged by its known start', () => {
    const v = vars({}).resolve('http://localhost:${env:PORT}/callback');
    expect(v).toEqual(new Symbolic('http://localhost:${env:PORT}/callback', []));
  });

  it('a cycle of self references is unknown, not a stack overflow', () => {
    const v = vars({ custom: { a: '${self:custom.b}', b: '${self:custom.a}' } }).resolve('${self:custom.a}');
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toMatch(/refers to itself/);
  });

  it("CloudFormation's ${AWS::Region} and IAM's ${cognito-identity.amazonaws.com:sub} are left alone", () => {
    const text = 'arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/${AWS::Region}';
    expect(vars({}).resolve(text)).toBe(text);
  });

  it('sources read at deploy time (ssm:, cf:) are unknown', () => {
    expect(vars({}).resolve('${ssm:/app/mfa}')).toBeInstanceOf(Unknown);
  });
});

describe('Serverless service resources', () => {
  it('variables in resources are resolved: MfaConfiguration from ${self:custom.mfa}', async () => {
    const result = await scanService({ 'serverless.yml': SERVICE(`custom:\n  mfa: 'OFF'\n${POOL('${self:custom.mfa}')}`) });
    expect(outcome(result, MFA, 'Pool')).toBe('fail');
    expect(result.inputs).toEqual([{ file: 'serverless.yml', format: 'serverless' }]);
  });

  it('an unresolvable variable (${env:MFA}) gives unknown, not a pass', async () => {
    const result = await scanService({ 'serverless.yml': SERVICE(POOL('${env:MFA}')) });
    expect(outcome(result, MFA, 'Pool')).toBe('unknown');
    expect(result.findings.find((f) => f.ruleId === MFA)?.reason).toMatch(/env:MFA/);
  });

  it('a --param value resolves ${opt:mfa}', async () => {
    const result = await scanService({ 'serverless.yml': SERVICE(POOL('${opt:mfa}')) }, { mfa: 'ON' });
    expect(outcome(result, MFA, 'Pool')).toBe('pass');
  });

  it('an inline resource points at its line in serverless.yml', async () => {
    const result = await scanService({ 'serverless.yml': SERVICE(POOL("'OFF'")) });
    const f = result.findings.find((x) => x.ruleId === MFA)!;
    expect(f.location).toMatchObject({ file: 'serverless.yml', line: 10, pointer: '/resources/Resources/Pool/Properties/MfaConfiguration' });
  });

  it('a ${file()} fragment in a resources list is loaded at its own lines, and not loaded again by a directory scan', async () => {
    const fragment = 'Resources:\n  FragmentPool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      UserPoolName: ${self:custom.stage}-pool\n      MfaConfiguration: "OFF"\n';
    const files = { 'serverless.yml': SERVICE(`custom:\n  stage: \${opt:stage, self:provider.stage}\nresources:\n  - \${file(resources/pool.yml)}\n`), 'resources/pool.yml': fragment };
    const result = await scanService(files, {}, ['.']);
    expect(result.inputs).toEqual([
      { file: 'serverless.yml', format: 'serverless' },
      { file: 'resources/pool.yml', format: 'serverless' },
    ]);
    const f = result.findings.filter((x) => x.ruleId === MFA);
    expect(f.map((x) => [x.resource.name, x.location?.file, x.location?.line])).toEqual([['FragmentPool', 'resources/pool.yml', 6]]);
    expect(result.resources.find((r) => r.name === 'FragmentPool')?.properties.name).toBe('dev-pool');
  });

  it('a missing ${file()} fragment is a warning, and what it declares is unknown', async () => {
    const result = await scanService({ 'serverless.yml': SERVICE('resources:\n  - ${file(resources/missing.yml)}\n') });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([['warning', 'serverless-resources-unreadable', 6]]);
    expect(outcome(result, MFA, '${file(resources/missing.yml)}')).toBe('unknown');
  });

  it('a fragment that does not parse stops the scan with its file and line', async () => {
    const files = { 'serverless.yml': SERVICE('resources:\n  - ${file(pool.yml)}\n'), 'pool.yml': 'Resources:\n  Pool: [\n' };
    await expect(scanService(files)).rejects.toThrow(/^syntax error/);
    await scanService(files).catch((e: unknown) => expect(String(e)).toMatch(/^pool\.yml:3:1: syntax error/));
  });
});

const HTTP = (event: string): string => SERVICE(`functions:\n  fn:\n    handler: h.main\n    events:\n      - http:\n${event}`);

describe('Serverless http events (REST API)', () => {
  it('an http event without an authorizer is an open method, reported at the method line of the event', async () => {
    const result = await scanService({ 'serverless.yml': HTTP('          path: hello\n          method: get\n') });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi GET /hello')).toBe('fail');
    expect(result.findings.find((f) => f.ruleId === METHOD)?.location).toMatchObject({ file: 'serverless.yml', line: 11 });
  });

  it('authorizer: aws_iam passes', async () => {
    const result = await scanService({ 'serverless.yml': HTTP('          path: notes/{id}\n          method: put\n          authorizer: aws_iam\n') });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi PUT /notes/{id}')).toBe('pass');
  });

  it('a Cognito authorizer by ARN makes a COGNITO_USER_POOLS authorizer linked to the method', async () => {
    const arn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc';
    const result = await scanService({ 'serverless.yml': HTTP(`          path: x\n          method: get\n          authorizer: ${arn}\n`) });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi GET /x')).toBe('pass');
    const authorizer = result.resources.find((r) => r.kind === 'apigateway.authorizer')!;
    expect(authorizer.properties).toMatchObject({ type: 'COGNITO_USER_POOLS', providerARNs: [arn], name: 'us-east-1_abc' });
    const method = result.resources.find((r) => r.kind === 'apigateway.method')!;
    expect(method.relations.authorizer).toEqual([authorizer.id]);
  });

  it('authorizer { type: COGNITO_USER_POOLS, arn: !GetAtt Pool.Arn } links the authorizer to the pool of the service', async () => {
    const event = '          path: x\n          method: get\n          authorizer:\n            name: PoolAuth\n            type: COGNITO_USER_POOLS\n            arn: !GetAtt Pool.Arn\n            scopes: [email]\n';
    const result = await scanService({ 'serverless.yml': HTTP(event) + POOL('"ON"') });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi GET /x')).toBe('pass');
    const authorizer = result.resources.find((r) => r.name === 'ApiGatewayRestApi authorizer PoolAuth')!;
    expect(authorizer.relations.userPools).toEqual([result.resources.find((r) => r.name === 'Pool')!.id]);
    expect(result.resources.find((r) => r.kind === 'apigateway.method')!.properties.authorizationScopes).toEqual(['email']);
  });

  it('a Lambda authorizer named by function is CUSTOM', async () => {
    const result = await scanService({ 'serverless.yml': HTTP('          path: x\n          method: get\n          authorizer: auth\n') });
    expect(result.resources.find((r) => r.kind === 'apigateway.method')!.properties.authorizationType).toBe('CUSTOM');
    expect(result.resources.find((r) => r.kind === 'apigateway.authorizer')!.properties).toMatchObject({ type: 'TOKEN', authorizerResultTtlInSeconds: 300 });
  });

  it('private: true with no authorizer is an API key only: reported by the API key rule', async () => {
    const result = await scanService({ 'serverless.yml': HTTP('          path: x\n          method: get\n          private: true\n') });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi GET /x')).toBe('pass');
    expect(outcome(result, 'apigateway-api-key-not-authentication', 'ApiGatewayRestApi GET /x')).toBe('fail');
  });

  it('an authorizer given by an unresolvable variable is unknown', async () => {
    const result = await scanService({ 'serverless.yml': HTTP('          path: x\n          method: get\n          authorizer: ${env:AUTHORIZER_ARN}\n') });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi GET /x')).toBe('unknown');
  });

  it('the short form `http: GET hello` is the method GET /hello', async () => {
    const result = await scanService({ 'serverless.yml': SERVICE('functions:\n  fn:\n    handler: h.main\n    events:\n      - http: GET hello\n') });
    expect(outcome(result, METHOD, 'ApiGatewayRestApi GET /hello')).toBe('fail');
  });
});

const HTTP_API = (event: string): string =>
  SERVICE(
    '  httpApi:\n    authorizers:\n      jwtAuth:\n        identitySource: $request.header.Authorization\n        issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc\n        audience: [client1]\n' +
      '      lambdaAuth:\n        type: request\n        functionName: auth\n' +
      `functions:\n  fn:\n    handler: h.main\n    events:\n      - httpApi:${event}`,
  );

describe('Serverless httpApi events (HTTP API)', () => {
  it('authorizer { name: jwtAuth } is a JWT route; the authorizer has its issuer and audience', async () => {
    const result = await scanService({ 'serverless.yml': HTTP_API('\n          method: GET\n          path: /items\n          authorizer:\n            name: jwtAuth\n            scopes: [items/read]\n') });
    expect(outcome(result, ROUTE, 'HttpApi GET /items')).toBe('pass');
    const route = result.resources.find((r) => r.kind === 'apigatewayv2.route')!;
    expect(route.properties).toMatchObject({ authorizationType: 'JWT', authorizationScopes: ['items/read'] });
    const authorizer = result.resources.find((r) => r.name === 'HttpApi authorizer jwtAuth')!;
    expect(authorizer.properties).toMatchObject({
      authorizerType: 'JWT',
      jwtConfiguration: { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc', audience: ['client1'] },
      identitySource: ['$request.header.Authorization'],
    });
    expect(route.relations.authorizer).toEqual([authorizer.id]);
  });

  it('a request (Lambda) authorizer is CUSTOM', async () => {
    const result = await scanService({ 'serverless.yml': HTTP_API('\n          method: POST\n          path: /items\n          authorizer:\n            name: lambdaAuth\n') });
    expect(result.resources.find((r) => r.kind === 'apigatewayv2.route')!.properties.authorizationType).toBe('CUSTOM');
  });

  it('authorizer { type: aws_iam } passes', async () => {
    const result = await scanService({ 'serverless.yml': HTTP_API('\n          method: GET\n          path: /items\n          authorizer:\n            type: aws_iam\n') });
    expect(outcome(result, ROUTE, 'HttpApi GET /items')).toBe('pass');
  });

  it("httpApi: '*' without an authorizer is an open $default route", async () => {
    const result = await scanService({ 'serverless.yml': HTTP_API(" '*'\n") });
    expect(outcome(result, ROUTE, 'HttpApi $default')).toBe('fail');
  });

  it('an authorizer name not in provider.httpApi.authorizers is unknown', async () => {
    const result = await scanService({ 'serverless.yml': HTTP_API('\n          method: GET\n          path: /items\n          authorizer:\n            name: nope\n') });
    expect(outcome(result, ROUTE, 'HttpApi GET /items')).toBe('unknown');
  });
});

describe('Serverless suppressions, claims and bad input', () => {
  it('custom.cognito-guard.functions.<fn>.suppressions suppress the findings of the function events', async () => {
    const custom = 'custom:\n  cognito-guard:\n    functions:\n      fn:\n        suppressions:\n          - rule: apigateway-method-authorization\n            reason: Public health check returning a constant (SEC-12)\n';
    const result = await scanService({ 'serverless.yml': HTTP('          path: health\n          method: get\n') + custom });
    const f = result.findings.find((x) => x.ruleId === METHOD)!;
    expect(f.status).toBe('fail');
    expect(f.suppression).toMatchObject({ justification: 'Public health check returning a constant (SEC-12)' });
    expect(result.stats.suppressed).toBe(1);
  });

  it('a suppression without a reason stops the scan at its line', async () => {
    const custom = 'custom:\n  cognito-guard:\n    functions:\n      fn:\n        suppressions:\n          - rule: apigateway-method-authorization\n';
    await scanService({ 'serverless.yml': HTTP('          path: health\n          method: get\n') + custom }).then(
      () => expect.unreachable(),
      (e: unknown) => expect(String(e)).toMatch(/^serverless\.yml:15:7: custom\.cognito-guard\.functions\.fn: reason is required/),
    );
  });

  it('a file of another name with top-level service: and provider: is a Serverless service', async () => {
    const result = await scanService({ 'api.yml': SERVICE(POOL("'OFF'")) }, {}, ['.']);
    expect(result.inputs).toEqual([{ file: 'api.yml', format: 'serverless' }]);
  });

  it('a broken serverless.yml exits 2 with file:line and the reason', () => {
    const cwd = workspace({ 'serverless.yml': 'service: demo\nprovider:\n  name: aws\nfunctions:\n  fn: [\n' });
    const res = spawnSync(process.execPath, [bin, 'scan', '.'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^cognito-guard: serverless\.yml:6:1: syntax error: .+\n$/);
  });

  it('never prints a secret given through --param (an IdP client secret)', async () => {
    const idp =
      'resources:\n  Resources:\n    Pool:\n      Type: AWS::Cognito::UserPool\n    Google:\n      Type: AWS::Cognito::UserPoolIdentityProvider\n      Properties:\n' +
      '        UserPoolId: !Ref Pool\n        ProviderName: Google\n        ProviderType: Google\n        ProviderDetails:\n          client_id: abc\n          client_secret: ${opt:googleSecret}\n          authorize_scopes: openid\n';
    const cwd = workspace({ 'serverless.yml': SERVICE(idp) });
    const result = await scan({ inputs: ['serverless.yml'], cwd, parameters: { googleSecret: 'sup3r-s3cret-value' }, now: NOW });
    expect(outcome(result, 'cognito-idp-client-secret-not-plaintext', 'Google')).toBe('fail');
    for (const format of ['text', 'json', 'sarif'] as const) {
      expect(reporters[format]({ ...result }, { cwd, color: false })).not.toContain('sup3r-s3cret-value');
    }
    expect(JSON.stringify(result.resources)).not.toContain('sup3r-s3cret-value');
  });
});
