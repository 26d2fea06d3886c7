/**
 * The Terraform plan source (`terraform show -json plan.out`, format 1.2) on a realistic plan of
 * an insecure app: what it reports and where, what only apply knows, modules, deletions, and
 * secrets that are in the plan in plain text but must reach no output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { scan, type ScanOutput } from '../../src/scan.js';

const root = resolve(import.meta.dirname, '../..');
const PLAN = 'test/fixtures/terraform-plan/app.plan.json';
const text = readFileSync(join(root, PLAN), 'utf8');

/** 1-based line of the first occurrence of `needle` in the plan (planned_values comes first). */
const lineOf = (needle: string): number => {
  const at = text.indexOf(needle);
  expect(at, needle).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
};

function run(args: string[], cwd = root) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const res = spawnSync(process.execPath, [join(root, 'dist/cli/bin.js'), ...args], { cwd, encoding: 'utf8', env });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('Terraform plan source', () => {
  let result: ScanOutput;
  beforeAll(async () => {
    result = await scan({ inputs: [PLAN], cwd: root });
  });
  const findings = () => result.findings.map((f) => [f.ruleId, f.resource.name, f.status]).sort();
  const resource = (name: string) => {
    const r = result.resources.find((x) => x.name === name);
    expect(r, name).toBeDefined();
    return r!;
  };

  it('app.plan.json: reports the insecure settings of every type, by address', () => {
    expect(result.inputs).toEqual([{ file: PLAN, format: 'terraform-plan' }]);
    expect(findings()).toEqual(
      [
        ['apigateway-cognito-authorizer-scopes', 'aws_api_gateway_method.post_pets', 'fail'],
        ...['allowAdminCreateUserOnly', 'mfaConfiguration', 'advancedSecurityMode'].map(() => ['apigateway-cognito-authorizer-pool-hardened', 'aws_api_gateway_authorizer.cognito', 'fail']),
        ['apigateway-method-authorization', 'aws_api_gateway_method.get_pets', 'fail'],
        // Neither method names a request validator.
        ['apigateway-request-validation', 'aws_api_gateway_method.get_pets', 'fail'],
        ['apigateway-request-validation', 'aws_api_gateway_method.post_pets', 'fail'],
        ['apigatewayv2-jwt-audience-pinned', 'aws_apigatewayv2_authorizer.jwt', 'fail'],
        ['apigatewayv2-jwt-route-scopes', 'aws_apigatewayv2_route.post_items', 'fail'],
        ['apigatewayv2-route-authorization', 'aws_apigatewayv2_route.get_items', 'fail'],
        // The $default stage throttles its routes but writes no access logs.
        ['apigatewayv2-stage-access-logging', 'aws_apigatewayv2_stage.default', 'fail'],
        ['cognito-authenticated-role-least-privilege', 'aws_cognito_identity_pool.main', 'fail'],
        ['cognito-identity-pool-server-side-token-check', 'aws_cognito_identity_pool.main', 'fail'],
        ['cognito-role-trust-amr-condition', 'aws_iam_role.auth', 'fail'],
        ['cognito-role-trust-amr-condition', 'aws_iam_role.unauth', 'fail'],
        ['cognito-role-trust-aud-condition', 'aws_iam_role.auth', 'fail'],
        ['cognito-role-trust-aud-condition', 'aws_iam_role.unauth', 'fail'],
        ['cognito-client-access-token-lifetime', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-client-https-callbacks', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-client-no-implicit-grant', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-client-no-user-password-auth', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-client-prevent-user-existence-errors', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-client-refresh-token-rotation', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-client-write-attributes-least-privilege', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-guest-role-least-privilege', 'aws_cognito_identity_pool.main', 'fail'],
        ['cognito-identity-pool-guest-access-disabled', 'aws_cognito_identity_pool.main', 'fail'],
        ['cognito-idp-client-secret-not-plaintext', 'aws_cognito_identity_provider.oidc', 'fail'],
        ['cognito-public-client-no-secret', 'aws_cognito_user_pool_client.web', 'fail'],
        ['cognito-user-pool-mfa-enabled', 'aws_cognito_user_pool.pool', 'fail'],
        ['cognito-user-pool-mfa-not-sms-only', 'module.legacy.aws_cognito_user_pool.legacy', 'fail'],
        // Settings both pools leave to AWS's defaults, and the pool's weak password policy.
        // Neither pool sets a feature plan (Essentials) nor a password history.
        ...[
          'self-signup-disabled',
          'threat-protection-enforced',
          'deletion-protection',
          'case-insensitive-usernames',
          'account-recovery',
          'feature-plan-plus',
          'password-history',
          'waf-associated',
        ].flatMap((rule) =>
          ['aws_cognito_user_pool.pool', 'module.legacy.aws_cognito_user_pool.legacy'].map((pool) => [`cognito-user-pool-${rule}`, pool, 'fail']),
        ),
        ...['min-length', 'require-lowercase', 'require-numbers', 'require-symbols', 'require-uppercase'].map((rule) => [
          `cognito-user-pool-password-${rule}`,
          'aws_cognito_user_pool.pool',
          'fail',
        ]),
        ['cognito-user-pool-auto-verify-contact', 'module.legacy.aws_cognito_user_pool.legacy', 'fail'],
        ['cognito-user-pool-attribute-change-verified', 'aws_cognito_user_pool.pool', 'fail'],
        // Attack paths: the broad authenticated role goes to anyone who signs up; long access tokens
        // and an identity pool without the server-side token check.
        ['cognito-path-signup-to-aws', 'aws_cognito_identity_pool.main', 'fail'],
        ['cognito-path-revoked-session-survives', 'aws_cognito_user_pool_client.web', 'fail'],
        // Open sign-up through the Cognito authorizer to a method and through the JWT authorizer to a
        // route, neither requiring a scope; a client that reveals users in front of a pool without WAF.
        ['cognito-path-signup-to-api', 'aws_cognito_user_pool.pool', 'fail'],
        ['cognito-path-signup-to-api', 'aws_cognito_user_pool.pool', 'fail'],
        ['cognito-path-enumeration-and-spraying', 'aws_cognito_user_pool.pool', 'fail'],
        ['cognito-path-unverified-signup', 'module.legacy.aws_cognito_user_pool.legacy', 'fail'],
        // SMS MFA through an SNS role the plan names by an ARN outside its resources.
        ['cognito-user-pool-sms-role-confused-deputy', 'module.legacy.aws_cognito_user_pool.legacy', 'unknown'],
      ].sort(),
    );
  });

  it('app.plan.json: each finding points at the plan line of the offending value', () => {
    const at = (rule: string, name: string) => result.findings.find((f) => f.ruleId === rule && f.resource.name === name)!.location;
    expect(at('cognito-user-pool-mfa-enabled', 'aws_cognito_user_pool.pool')).toMatchObject({ file: PLAN, line: lineOf('"mfa_configuration": "OFF"') });
    expect(at('cognito-client-access-token-lifetime', 'aws_cognito_user_pool_client.web').line).toBe(lineOf('"access_token_validity": 24'));
    expect(at('cognito-identity-pool-guest-access-disabled', 'aws_cognito_identity_pool.main').line).toBe(lineOf('"allow_unauthenticated_identities": true'));
    expect(at('apigateway-method-authorization', 'aws_api_gateway_method.get_pets').line).toBe(lineOf('"authorization": "NONE"'));
  });

  it('app.plan.json: a resource being deleted is not scanned', () => {
    expect(text).toContain('"address": "aws_cognito_user_pool.old"');
    expect(result.resources.map((r) => r.name)).not.toContain('aws_cognito_user_pool.old');
  });

  it('app.plan.json: references in configuration become relations, values known after apply that the configuration leaves out get AWS defaults', () => {
    const client = resource('aws_cognito_user_pool_client.web');
    expect(client.relations.userPool).toEqual([`${PLAN}#aws_cognito_user_pool.pool`]);
    expect(client.properties.preventUserExistenceErrors).toBe('LEGACY');
    expect(client.defaults).toContain('preventUserExistenceErrors');
    expect(client.unresolved).toEqual({});
    const pool = resource('aws_cognito_identity_pool.main');
    expect(pool.properties.roles).toEqual({ authenticated: `${PLAN}#aws_iam_role.auth`, unauthenticated: `${PLAN}#aws_iam_role.unauth` });
    expect(pool.relations.userPoolClients).toEqual([`${PLAN}#aws_cognito_user_pool_client.web`]);
    // The method's path comes from the aws_api_gateway_resource its configuration names.
    expect(resource('aws_api_gateway_method.get_pets').properties.resourcePath).toBe('/pets');
    expect(resource('aws_api_gateway_method.options_pets').properties.corsPreflight).toBe(true);
    const role = resource('aws_iam_role.auth');
    expect((role.properties.policies as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(['app-extra', 'read']);
  });

  it('app.plan.json: a value the configuration sets but only apply knows is unresolved, not guessed', async () => {
    const plan = JSON.parse(text) as { resource_changes: Array<{ address: string; change: { after_unknown: Record<string, unknown> } }>; planned_values: { root_module: { resources: Array<{ address: string; values: Record<string, unknown> }> } } };
    const pv = plan.planned_values.root_module.resources.find((r) => r.address === 'aws_cognito_user_pool.pool')!;
    delete pv.values.mfa_configuration;
    plan.resource_changes.find((r) => r.address === 'aws_cognito_user_pool.pool')!.change.after_unknown.mfa_configuration = true;
    const dir = mkdtempSync(join(tmpdir(), 'cg-plan-'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
    const r = await scan({ inputs: ['plan.json'], cwd: dir });
    const pool = r.resources.find((x) => x.name === 'aws_cognito_user_pool.pool')!;
    expect(pool.unresolved.mfaConfiguration).toBe('mfa_configuration is known after apply');
    expect(r.findings.find((f) => f.ruleId === 'cognito-user-pool-mfa-enabled' && f.resource.name === 'aws_cognito_user_pool.pool')?.status).toBe('unknown');
  });

  it('app.plan.json: IdP secrets and sensitive values reach no output format', () => {
    expect(text).toContain('plan-time-google-secret-value');
    expect(text).toContain('literal-oidc-secret-text');
    const outputs = [JSON.stringify(result.resources), ...Object.values(reporters).map((report) => report(result, { cwd: root, color: false }))];
    for (const out of outputs) {
      expect(out).not.toContain('plan-time-google-secret-value');
      expect(out).not.toContain('literal-oidc-secret-text');
    }
    // A variable without a default is supplied when the plan is made; a constant is plain text.
    expect(resource('aws_cognito_identity_provider.google').properties.clientSecret).toEqual({ present: true, source: 'parameter' });
    expect(resource('aws_cognito_identity_provider.oidc').properties.clientSecret).toEqual({ present: true, source: 'literal' });
  });

  it('cognito-guard scan app.plan.json --format json exits 1 and names the format', () => {
    const { code, stdout } = run(['scan', PLAN, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { inputs: unknown; findings: Array<{ resource: { name: string } }> };
    expect(report.inputs).toEqual([{ file: PLAN, format: 'terraform-plan' }]);
    expect(report.findings.map((f) => f.resource.name)).toContain('module.legacy.aws_cognito_user_pool.legacy');
    expect(stdout).not.toContain('literal-oidc-secret-text');
  });

  it('cognito-guard scan of a plan with format_version 2.0 exits 2 with one line naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-plan-'));
    writeFileSync(join(dir, 'plan.json'), '{\n  "format_version": "2.0",\n  "planned_values": {}\n}\n');
    const { code, stdout, stderr } = run(['scan', 'plan.json'], dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('cognito-guard: plan.json:2:3: unsupported Terraform plan format_version "2.0": expected 1.x (terraform show -json)\n');
  });

  it('cognito-guard scan of a plan that is not valid JSON exits 2 with file:line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-plan-'));
    writeFileSync(join(dir, 'plan.json'), '{\n  "format_version": "1.2",\n  "planned_values": {,\n}\n');
    const { code, stderr } = run(['scan', 'plan.json'], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cognito-guard: plan\.json:3:\d+: .+\n$/);
  });
});
