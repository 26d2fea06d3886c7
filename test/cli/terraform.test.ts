/**
 * The built binary on Terraform configurations: exit 2 with one `FILE:LINE:COL: message` line
 * for a `.tf` that does not parse, for Terraform 0.11 syntax, for a malformed suppression
 * comment and for bad `--var` / `--var-file`; findings at the line of the attribute; inline
 * `# cognito-guard:ignore` comments applied, and no longer once expired.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { workspace } from '../helpers/workspace.js';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');

function run(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const tree = (files: Record<string, string>): string => workspace(files, 'cg-terraform-');

const POOL = 'resource "aws_cognito_user_pool" "pool" {\n  name              = "pool"\n  mfa_configuration = "OFF"\n}\n';
const GUEST = (comment: string) =>
  `${comment}\nresource "aws_cognito_identity_pool" "ids" {\n  identity_pool_name               = "ids"\n  allow_unauthenticated_identities = true\n}\n`;

type Report = { findings: Array<{ ruleId: string; location?: { file?: string; line?: number }; suppression?: { justification: string; expires?: string } }> };

function findings(stdout: string, rule?: string) {
  return (JSON.parse(stdout) as Report).findings
    .filter((f) => rule === undefined || f.ruleId === rule)
    .map((f) => ({ rule: f.ruleId, line: f.location?.line, suppressed: f.suppression?.justification }));
}

/** The rule the suppression tests are about (the guest-role rule also reports, as unknown: no roles are attached). */
const GUEST_RULE = 'cognito-identity-pool-guest-access-disabled';

describe('scan on Terraform', () => {
  it('a .tf with an invalid expression: exit 2, one line with file:line:col and the parser reason', () => {
    const cwd = tree({ 'infra/main.tf': 'resource "aws_cognito_user_pool" "pool" {\n  name = \n}\n' });
    const { code, stdout, stderr } = run(['scan', 'infra'], cwd);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('cognito-guard: infra/main.tf:2:10: not valid HCL: Invalid expression; Expected the start of an expression, but found an invalid expression token\n');
  });

  it('a .tf with a Terraform 0.11 quoted type constraint: exit 2 naming the syntax', () => {
    const cwd = tree({ 'main.tf': 'variable "callbacks" {\n  type    = "list"\n  default = []\n}\n' });
    const { code, stderr } = run(['scan', 'main.tf'], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cognito-guard: main.tf:2:3: Terraform 0.11 syntax is not supported: quoted type constraint type = "list"; write type = list (upgrade with terraform 0.12upgrade)\n',
    );
  });

  it('a .tf with Terraform 0.11 quoted argument names in a tags block: exit 2 naming the syntax', () => {
    const cwd = tree({ 'main.tf': 'resource "aws_cognito_user_pool" "pool" {\n  tags {\n    "Team" = "auth"\n  }\n}\n' });
    const { code, stderr } = run(['scan', '.'], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cognito-guard: main.tf:3:5: Terraform 0.11 syntax is not supported: quoted argument names ("Name" = ...); write Name = ... or use an object: tags = { Name = ... } (upgrade with terraform 0.12upgrade)\n',
    );
  });

  it('a finding on a Terraform attribute points at its line and column', () => {
    const cwd = tree({ 'main.tf': POOL });
    const { code, stdout } = run(['scan', '.', '--format', 'json'], cwd);
    expect(code).toBe(1);
    expect(findings(stdout)).toContainEqual({ rule: 'cognito-user-pool-mfa-enabled', line: 3, suppressed: undefined });
  });

  it('a # cognito-guard:ignore comment above the block suppresses the finding with its reason', () => {
    const cwd = tree({ 'main.tf': GUEST('# cognito-guard:ignore cognito-identity-pool-guest-access-disabled public gallery (SEC-142)') });
    const { stdout } = run(['scan', '.', '--format', 'json'], cwd);
    expect(findings(stdout, GUEST_RULE)).toEqual([{ rule: 'cognito-identity-pool-guest-access-disabled', line: 4, suppressed: 'public gallery (SEC-142)' }]);
  });

  it('a // cognito-guard:ignore comment at the end of the attribute line suppresses the finding', () => {
    const text = GUEST('').replace('= true', '= true // cognito-guard:ignore cognito-identity-pool-guest-access-disabled public gallery (SEC-142)');
    const { stdout } = run(['scan', '.', '--format', 'json'], tree({ 'main.tf': text }));
    expect(findings(stdout, GUEST_RULE)).toEqual([{ rule: 'cognito-identity-pool-guest-access-disabled', line: 4, suppressed: 'public gallery (SEC-142)' }]);
  });

  it('an expired # cognito-guard:ignore comment no longer suppresses, and says so', () => {
    const cwd = tree({ 'main.tf': GUEST('# cognito-guard:ignore cognito-identity-pool-guest-access-disabled expires=2020-01-31 public gallery (SEC-142)') });
    const { code, stdout } = run(['scan', '.', '--format', 'json'], cwd);
    expect(code).toBe(1);
    expect(findings(stdout, GUEST_RULE)).toEqual([{ rule: 'cognito-identity-pool-guest-access-disabled', line: 4, suppressed: undefined }]);
    const diagnostics = (JSON.parse(stdout) as { diagnostics: Array<{ code: string; message: string }> }).diagnostics;
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'suppression-expired' }));
  });

  it('a # cognito-guard:ignore comment without a reason: exit 2 at the comment', () => {
    const cwd = tree({ 'main.tf': GUEST('# cognito-guard:ignore cognito-identity-pool-guest-access-disabled') });
    const { code, stderr } = run(['scan', '.'], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: main.tf:1:1: cognito-guard:ignore comment: a reason is required and must say why (at least 10 characters)\n');
  });

  it('a # cognito-guard:ignore comment with a malformed expiry: exit 2 at the comment', () => {
    const cwd = tree({ 'main.tf': GUEST('  # cognito-guard:ignore cognito-identity-pool-guest-access-disabled expires=31/01/2027 public gallery (SEC-142)') });
    const { code, stderr } = run(['scan', '.'], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: main.tf:1:3: cognito-guard:ignore comment: expires must be a date (expires=YYYY-MM-DD)\n');
  });

  it('--var without =: exit 2 naming the flag', () => {
    const { code, stderr } = run(['scan', '.', '--var', 'stage'], tree({ 'main.tf': POOL }));
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: --var must be KEY=VALUE (got "stage")\n');
  });

  it('--var-file that is not valid HCL: exit 2 at its line', () => {
    const cwd = tree({ 'main.tf': POOL, 'prod.tfvars': 'stage = "prod"\nregion = \n' });
    const { code, stderr } = run(['scan', '.', '--var-file', 'prod.tfvars'], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: prod.tfvars:2:10: not valid HCL: Invalid expression; Expected the start of an expression, but found an invalid expression token\n');
  });

  it('--var-file that does not exist: exit 2 naming it', () => {
    const { code, stderr } = run(['scan', '.', '--var-file', 'missing.tfvars'], tree({ 'main.tf': POOL }));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cognito-guard: missing\.tfvars: .+\n$/);
  });
});

describe('modules the scanner cannot read', () => {
  const POOL_OK = 'resource "aws_cognito_user_pool" "pool" {\n  name              = "p"\n  mfa_configuration = "ON"\n  software_token_mfa_configuration {\n    enabled = true\n  }\n}\n';

  it('a registry module that manages Cognito: every rule of its kinds reports unknown at the module call, exit 1', () => {
    const cwd = tree({ 'main.tf': `${POOL_OK}\nmodule "auth" {\n  source  = "lgallard/cognito-user-pool/aws"\n  version = "0.24.0"\n}\n` });
    const { code, stdout } = run(['scan', '.', '--format', 'json'], cwd);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; status: string; resource: { name: string }; location: { line?: number } }>; rules: Array<{ id: string }>; diagnostics: Array<{ severity: string; code: string; line?: number }> };
    const fromModule = report.findings.filter((f) => f.resource.name.startsWith('module.auth.'));
    expect(new Set(fromModule.map((f) => f.status))).toEqual(new Set(['unknown']));
    expect(new Set(fromModule.map((f) => f.ruleId))).toEqual(new Set(report.rules.map((r) => r.id)));
    expect(new Set(fromModule.map((f) => f.location.line))).toEqual(new Set([9]));
    // The module may also hold the web ACL association of the pool beside it: not "no WAF".
    const waf = report.findings.filter((f) => f.ruleId === 'cognito-user-pool-waf-associated' && f.resource.name === 'aws_cognito_user_pool.pool');
    expect(waf.map((f) => f.status)).toEqual(['unknown']);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'terraform-module-not-read', line: 9 }));
  });

  it('a registry module that is not about sign-in (a VPC): a warning, no stand-ins', () => {
    const cwd = tree({ 'main.tf': `${POOL_OK}\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n` });
    const { code, stdout } = run(['scan', '.', '--format', 'json'], cwd);
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; resource: { name: string } }>; diagnostics: Array<{ severity: string; code: string }> };
    expect(report.findings.filter((f) => f.resource.name.startsWith('module.vpc'))).toEqual([]);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'terraform-module-not-read' }));
    // The pool beside it has findings of its own (self sign-up, password policy, no WAF); the module adds none.
    expect(report.findings.some((f) => f.resource.name === 'aws_cognito_user_pool.pool' && f.ruleId === 'cognito-user-pool-waf-associated')).toBe(true);
    expect(code).toBe(1);
  });
});

describe('Terraform JSON syntax', () => {
  it('a main.tf.json in a scanned directory: exit 2 naming it, never skipped as "not an input"', () => {
    const cwd = tree({ 'infra/main.tf.json': JSON.stringify({ resource: { aws_cognito_identity_pool: { ids: { identity_pool_name: 'ids', allow_unauthenticated_identities: true } } } }) });
    const { code, stderr } = run(['scan', 'infra'], cwd);
    expect(stderr).toBe('cognito-guard: infra/main.tf.json:1:1: Terraform JSON syntax (.tf.json) is not read yet: write the module in HCL, or scan a plan (terraform show -json)\n');
    expect(code).toBe(2);
  });
});
