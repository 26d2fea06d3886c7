/**
 * The built binary, run as users run it: exit codes, where messages go, and that user
 * mistakes give one line with file and line and no stack trace. `npm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSarif } from '../helpers/sarif.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');

function run(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env };
  // The test runner may set these for its own output; each test decides for itself.
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  const res = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...base, NO_COLOR: '1', ...env },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const INSECURE = 'examples/insecure-app/template.yaml';

describe('cognito-guard scan', () => {
  it('reports findings from every rule family on the insecure example, with file:line, and exits 1', () => {
    const { code, stdout } = run(['scan', INSECURE]);
    expect(code).toBe(1);
    for (const rule of [
      'cognito-client-access-token-lifetime',
      'cognito-client-id-token-lifetime',
      'cognito-client-refresh-token-lifetime',
      'cognito-client-auth-session-lifetime',
      'cognito-public-client-no-secret',
      'cognito-idp-client-secret-not-plaintext',
      'cognito-identity-pool-guest-access-disabled',
      'cognito-guest-role-least-privilege',
      'cognito-client-https-callbacks',
      'cognito-user-pool-mfa-enabled',
      'apigateway-method-authorization',
      'apigateway-api-key-not-authentication',
      'apigatewayv2-route-authorization',
    ]) {
      expect(stdout, rule).toContain(rule);
    }
    expect(stdout).toMatch(/examples\/insecure-app\/template\.yaml:\d+:\d+/);
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('scans the fixed app clean and exits 0', () => {
    const { code, stdout, stderr } = run(['scan', 'examples/fixed-app']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/no findings|0 findings/i);
  });

  it('exits 1 on the examples directory (insecure template and snapshot both found)', () => {
    const { code, stdout } = run(['scan', 'examples', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ location: { file?: string } }> };
    const files = new Set(report.findings.map((f) => f.location.file));
    expect(files).toContain('examples/insecure-app/template.yaml');
    expect(files).toContain('examples/insecure-app/snapshot.json');
  });

  it('reports the unresolved partner callback as unknown in every format', () => {
    const text = run(['scan', INSECURE]).stdout;
    expect(text).toMatch(/unknown/i);
    expect(text).toContain('PartnerCallbackUrl');
    const json = JSON.parse(run(['scan', INSECURE, '--format', 'json']).stdout) as { findings: Array<{ status: string; ruleId: string; resource: { name: string } }> };
    expect(json.findings.filter((f) => f.status === 'unknown').map((f) => `${f.ruleId} ${f.resource.name}`)).toContain(
      'cognito-client-https-callbacks PartnerClient',
    );
    const sarif = JSON.parse(run(['scan', INSECURE, '--format', 'sarif']).stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; properties?: { status?: string } }> }>;
    };
    expect(sarif.runs[0]!.results.some((r) => r.properties?.status === 'unknown' && r.ruleId === 'cognito-client-https-callbacks')).toBe(true);
    const md = run(['scan', INSECURE, '--format', 'markdown']).stdout;
    expect(md).toMatch(/unknown/i);
    expect(md).toContain('PartnerCallbackUrl');
  });

  it('--fail-on raises the bar and none never fails on findings', () => {
    // The app's only critical finding is the classic-flow guest path (cognito-path-guest-to-aws).
    expect(run(['scan', INSECURE, '--fail-on', 'critical', '--config', 'test/fixtures/cli/no-guest-path.yml']).code).toBe(0);
    expect(run(['scan', INSECURE, '--fail-on', 'critical']).code).toBe(1);
    expect(run(['scan', INSECURE, '--fail-on', 'high']).code).toBe(1);
    expect(run(['scan', INSECURE, '--fail-on', 'none']).code).toBe(0);
  });

  it('--param resolves a parameter without a default', () => {
    const { stdout } = run(['scan', INSECURE, '--format', 'json', '--param', 'PartnerCallbackUrl=https://partners.example.com/cb']);
    const json = JSON.parse(stdout) as { findings: Array<{ status: string }> };
    expect(json.findings.filter((f) => f.status === 'unknown')).toEqual([]);
  });

  it('writes SARIF to --output that validates and prints a summary on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-cli-'));
    const out = join(dir, 'out.sarif');
    const { code, stdout, stderr } = run(['scan', INSECURE, '--format', 'sarif', '--output', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/findings.*sarif report written to/);
    expect(validateSarif(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
  });

  it('does not color output that is not a terminal, even with NO_COLOR unset', () => {
    expect(run(['scan', INSECURE], { NO_COLOR: '' }).stdout).not.toMatch(/\u001b\[/);
    expect(run(['scan', INSECURE, '--no-color'], { NO_COLOR: '' }).stdout).not.toMatch(/\u001b\[/);
  });

  it('colors text with FORCE_COLOR, unless NO_COLOR or --no-color says otherwise', () => {
    expect(run(['scan', INSECURE], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toMatch(/\u001b\[/);
    expect(run(['scan', INSECURE], { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
    expect(run(['scan', INSECURE, '--no-color'], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
  });
});

describe('config file', () => {
  type Report = { findings: Array<{ ruleId: string; severity: string; suppression?: { justification: string } }> };
  const scanWith = (...extra: string[]) => {
    const res = run(['scan', INSECURE, '--config', 'test/fixtures/cli/config.yml', ...extra]);
    return { ...res, report: extra.includes('json') ? (JSON.parse(res.stdout) as Report) : undefined };
  };

  it('turns rules off, overrides severity and params, and marks suppressed findings without dropping them', () => {
    const { code, report } = scanWith('--format', 'json');
    expect(code).toBe(1);
    const ids = report!.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('cognito-client-auth-session-lifetime');
    const access = report!.findings.filter((f) => f.ruleId === 'cognito-client-access-token-lifetime');
    // 30 minutes: the 24-hour web client and the two clients on the 60-minute default.
    expect(access).toHaveLength(3);
    expect(access.every((f) => f.severity === 'high')).toBe(true);
    const guest = report!.findings.find((f) => f.ruleId === 'cognito-identity-pool-guest-access-disabled');
    expect(guest?.suppression?.justification).toMatch(/SEC-142/);
  });

  it('takes failOn from the config, and --fail-on wins over it', () => {
    expect(scanWith('--fail-on', 'none').code).toBe(0);
    const text = scanWith().stdout;
    expect(text).toMatch(/suppressed/i);
    expect(text).toContain('SEC-142');
  });

  it('rejects an invalid config with its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-config-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'failOn: high\nsuppressions:\n  - rule: cognito-user-pool-mfa-enabled\n    resource: x\n    reason: short\n');
    const { code, stderr } = run(['scan', INSECURE, '--config', file]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/bad\.yml:5:\d+: /);
  });
});

describe('baseline', () => {
  it('accepts the findings a repository already has and fails only on new ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-baseline-'));
    const baseline = join(dir, 'baseline.json');
    const written = run(['scan', INSECURE, '--write-baseline', baseline, '--format', 'json']);
    expect(written.code).toBe(1);
    expect(written.stderr).toMatch(/baseline of \d+ findings written/);
    const recorded = JSON.parse(readFileSync(baseline, 'utf8')) as { version: number; findings: Array<{ fingerprint: string }> };
    expect(recorded.version).toBe(1);
    expect(recorded.findings.length).toBe((JSON.parse(written.stdout) as { findings: unknown[] }).findings.length);

    const again = run(['scan', INSECURE, '--baseline', baseline, '--format', 'json']);
    expect(again.code).toBe(0);
    const all = (JSON.parse(again.stdout) as { findings: Array<{ suppression?: { kind: string } }> }).findings;
    expect(all.length).toBe(recorded.findings.length);
    expect(all.every((f) => f.suppression?.kind === 'baseline')).toBe(true);

    // A new problem: the partner callback turns out to be plain http.
    const changed = run(['scan', INSECURE, '--baseline', baseline, '--format', 'json', '--param', 'PartnerCallbackUrl=http://partners.example.com/cb']);
    expect(changed.code).toBe(1);
    const open = (JSON.parse(changed.stdout) as { findings: Array<{ ruleId: string; resource: { name: string }; suppression?: unknown }> }).findings.filter(
      (f) => !f.suppression,
    );
    expect(open.map((f) => `${f.ruleId} ${f.resource.name}`)).toEqual(['cognito-client-https-callbacks PartnerClient']);
  });

  it('rejects a file that is not a baseline', () => {
    const { code, stderr } = run(['scan', INSECURE, '--baseline', 'examples/insecure-app/snapshot.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/snapshot\.json:\d+:\d+: invalid baseline/);
  });
});

describe('user mistakes: exit 2, one line with file and line, no stack trace', () => {
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    return lines[0]!;
  };

  it('a template with a syntax error', () => {
    const { code, stderr } = run(['scan', 'test/fixtures/cli/broken-template.yaml']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^cognito-guard: test\/fixtures\/cli\/broken-template\.yaml:\d+:\d+: /);
  });

  it('a snapshot that breaks the schema', () => {
    const { code, stderr } = run(['scan', 'test/fixtures/cli/bad-snapshot.json']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(
      /^cognito-guard: test\/fixtures\/cli\/bad-snapshot\.json:8:\d+: invalid snapshot at \/resources\/0\/properties\/allowUnauthenticatedIdentities: must be boolean$/,
    );
  });

  it('a rule file with an unknown operator, in scan and in rules validate', () => {
    const validate = run(['rules', 'validate', 'test/fixtures/cli/bad-rules']);
    expect(validate.code).toBe(2);
    expect(oneLine(validate.stderr)).toMatch(/bad-rules\/cognito\/cognito-user-pool-mfa-sometimes\.yaml:8:\d+: .*equals/);
    const scanned = run(['scan', INSECURE, '--rules', 'test/fixtures/cli/bad-rules']);
    expect(scanned.code).toBe(2);
    expect(oneLine(scanned.stderr)).toMatch(/cognito-user-pool-mfa-sometimes\.yaml:8:\d+: /);
  });

  it('a missing file, an unknown flag, a bad --format', () => {
    expect(run(['scan', 'nope.yaml']).code).toBe(2);
    expect(oneLine(run(['scan', 'nope.yaml']).stderr)).toContain('nope.yaml');
    expect(run(['scan', INSECURE, '--frobnicate']).code).toBe(2);
    const bad = run(['scan', INSECURE, '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toContain('--format');
  });

  it('a directory with nothing to scan is an error, not a clean result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-empty-'));
    const { code, stderr } = run(['scan', dir]);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/nothing to scan in .*: no (.*, )?CloudFormation template.* or cognito-guard snapshot found/);
  });
});

describe('cognito-guard rules', () => {
  it('lists the bundled rules', () => {
    const { code, stdout } = run(['rules', 'list']);
    expect(code).toBe(0);
    expect(stdout).toContain('cognito-user-pool-mfa-enabled');
  });

  it('validates the bundled rules directory', () => {
    const { code, stdout } = run(['rules', 'validate', 'rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ rule files valid\n$/);
  });
});

describe('Cognito semantics: token validity and identity provider secrets', () => {
  type Json = { findings: Array<{ ruleId: string; status: string; message: string; resource: { name: string }; location: { line?: number } }> };
  const findings = (args: string[]) => {
    const { code, stdout } = run(['scan', ...args, '--format', 'json']);
    return { code, json: JSON.parse(stdout) as Json };
  };
  const of = (json: Json, rule: string) => json.findings.filter((f) => f.ruleId === rule).map((f) => `${f.resource.name}:${f.location.line}: ${f.message}`);

  it('token-validity.yaml: AccessTokenValidity 60 in hours fails as out of range with the minutes fix, not as a 60-hour lifetime', () => {
    const { code, json } = findings(['test/fixtures/cloudformation/token-validity.yaml']);
    expect(code).toBe(1);
    expect(of(json, 'cognito-client-token-validity-in-range')).toContain(
      'AccessSixtyHours:23: App client AccessSixtyHours: AccessTokenValidity 60 (hours, the default unit) is 60 hours, outside the allowed 5 minutes to 1 day, ' +
        'so the deployment would fail; if 60 minutes was meant, set TokenValidityUnits: { AccessToken: minutes }',
    );
    // Out-of-range values are no lifetime: the lifetime rules do not report them.
    for (const rule of ['cognito-client-access-token-lifetime', 'cognito-client-refresh-token-lifetime', 'cognito-client-auth-session-lifetime']) {
      expect(json.findings.filter((f) => f.ruleId === rule && /AccessSixtyHours|TooShort|TooLong/.test(f.resource.name)), rule).toEqual([]);
    }
  });

  it('token-validity.yaml: RefreshTokenValidity 0 is the 30-day default and passes the refresh-token rule', () => {
    const { json } = findings(['test/fixtures/cloudformation/token-validity.yaml']);
    // Only the lifetime rules judge RefreshTokenValidity; other client rules may report other settings.
    const lifetime = ['cognito-client-refresh-token-lifetime', 'cognito-client-token-validity-in-range'];
    expect(json.findings.filter((f) => /RefreshZero/.test(f.resource.name) && lifetime.includes(f.ruleId))).toEqual([]);
  });

  it('idp-secret-sources.yaml: plain text in Mappings, Fn::If branches, NoEcho Defaults and Apple keys fails, with --param given', () => {
    const { code, json } = findings(['test/fixtures/cloudformation/idp-secret-sources.yaml', '--param', 'Stage=prod', '--param', 'SecretWithDefault=fixture-passed-value']);
    expect(code).toBe(1);
    expect(of(json, 'cognito-idp-client-secret-not-plaintext')).toEqual([
      'FindInMapKnownKeys:44: Identity provider FindInMapKnownKeys has its secret in plain text in the template (mapping)',
      'FindInMapUnknownKey:53: Identity provider FindInMapUnknownKey has its secret in plain text in the template (mapping)',
      'IfAroundDetailsUnknownCondition:75: Identity provider IfAroundDetailsUnknownCondition has its secret in plain text in the template (literal)',
      'IfAroundDetailsKnownCondition:90: Identity provider IfAroundDetailsKnownCondition has its secret in plain text in the template (literal)',
      'IfAroundSecret:100: Identity provider IfAroundSecret has its secret in plain text in the template (literal)',
      'NoEchoWithDefault:109: Identity provider NoEchoWithDefault has its secret in plain text in the template (parameterDefault)',
      'AppleLiteralKey:167: Identity provider AppleLiteralKey has its secret in plain text in the template (literal)',
    ]);
  });

  it('idp-secret-sources.yaml: no secret value, nor a --param value, appears in any output format', () => {
    const args = ['scan', 'test/fixtures/cloudformation/idp-secret-sources.yaml', '--param', 'SecretWithDefault=fixture-passed-value', '--param', 'SecretSupplied=fixture-supplied-value'];
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const { code, stdout, stderr } = run([...args, '--format', format]);
      expect(code, format).toBe(1);
      expect(stdout, format).toContain('IfAroundSecret');
      for (const secret of ['fixture-', 'BEGIN PRIVATE KEY', 'idp/okta', 'idp/apple', '/idp/google/client-secret']) {
        expect(stdout + stderr, `${format} shows ${secret}`).not.toContain(secret);
      }
    }
  });
});
