/**
 * The built binary on inputs users get wrong: config mistakes found after parsing, enumerated
 * options, URL credentials in every format, snapshot defaults. Exit code and the exact line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const INSECURE = 'examples/insecure-app/template.yaml';

function run(args: string[], cwd = root) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Writes files (path -> text) into a fresh directory and returns it. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bad-input-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs a scan of the insecure example with `config` as `.cognito-guard.yml` in a fresh cwd. */
function scanWithConfig(config: string) {
  const dir = tree({ '.cognito-guard.yml': config });
  return run(['scan', join(root, INSECURE)], dir);
}

describe('config errors found after parsing name the config file, line and column', () => {
  it('an unknown rule id under rules:', () => {
    const { code, stdout, stderr } = scanWithConfig('failOn: high\nrules:\n  no-such-rule: off\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('cognito-guard: .cognito-guard.yml:3:3: invalid config: /rules/no-such-rule: unknown rule "no-such-rule"\n');
  });

  it('a per-rule param of the wrong type', () => {
    const { code, stderr } = scanWithConfig('rules:\n  cognito-client-access-token-lifetime:\n    params:\n      maxAccessTokenMinutes: sixty\n');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cognito-guard: .cognito-guard.yml:4:7: invalid config: /rules/cognito-client-access-token-lifetime/params/maxAccessTokenMinutes: ' +
        'rule cognito-client-access-token-lifetime: param "maxAccessTokenMinutes" must be an integer, got "sixty"\n',
    );
  });

  it('a global param of the wrong type', () => {
    const { code, stderr } = scanWithConfig('profile: recommended\nparams:\n  maxAccessTokenMinutes: "60"\n');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cognito-guard: .cognito-guard.yml:3:3: invalid config: /params/maxAccessTokenMinutes: ' +
        'rule cognito-client-access-token-lifetime: param "maxAccessTokenMinutes" must be an integer, got "60"\n',
    );
  });

  it('a param the rule does not have', () => {
    const { code, stderr } = scanWithConfig('rules:\n  cognito-client-access-token-lifetime:\n    params: { maxMinutes: 3 }\n');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cognito-guard: .cognito-guard.yml:3:15: invalid config: /rules/cognito-client-access-token-lifetime/params/maxMinutes: ' +
        'rule cognito-client-access-token-lifetime has no param "maxMinutes" (it has: maxAccessTokenMinutes)\n',
    );
  });

  it('an unknown profile', () => {
    const { code, stderr } = scanWithConfig('failOn: high\nprofile: paranoid\n');
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: .cognito-guard.yml:2:1: invalid config: /profile: unknown profile "paranoid" (expected one of: aws-security-hub, recommended, strict)\n');
  });

  it('a ruleDirs entry that does not exist', () => {
    const { code, stderr } = scanWithConfig('ruleDirs:\n  - my-rules\n');
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: .cognito-guard.yml:2:5: invalid config: /ruleDirs/0: rule directory my-rules does not exist or is not a directory\n');
  });
});

describe('failOn: none in the config', () => {
  it('is accepted like --fail-on none and never fails on findings', () => {
    const { code, stdout, stderr } = scanWithConfig('failOn: none\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('cognito-user-pool-mfa-enabled');
  });
});

describe('ruleDirs in a config file', () => {
  const rule = `id: custom-client-name-is-magic
title: App client is named magic
severity: high
resource: cognito.userPoolClient
description: Test rule.
assert:
  path: clientName
  op: eq
  value: magic
message: "App client {{resource.name}} is not named magic"
`;
  it('resolves against the config file directory, not the working directory', () => {
    const dir = tree({
      'conf/.cognito-guard.yml': 'ruleDirs: [my-rules]\n',
      'conf/my-rules/custom/custom-client-name-is-magic.yaml': rule,
      'elsewhere/.keep': '',
    });
    const { code, stdout, stderr } = run(['scan', join(root, INSECURE), '--config', '../conf/.cognito-guard.yml', '--format', 'json'], join(dir, 'elsewhere'));
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; message: string }> };
    expect(report.findings.filter((f) => f.ruleId === 'custom-client-name-is-magic').map((f) => f.message)).toContain(
      'App client WebClient is not named magic',
    );
  });
});

describe('enumerated options: exit 2 with one line', () => {
  for (const [args, line] of [
    [['rules', 'list', '--format', 'bogus'], 'cognito-guard: --format must be one of: text, json (got "bogus")'],
    [['rules', 'list', '--format', 'sarif'], 'cognito-guard: --format must be one of: text, json (got "sarif")'],
    [['scan', INSECURE, '--format', 'xml'], 'cognito-guard: --format must be one of: text, json, sarif, markdown (got "xml")'],
    [['scan', INSECURE, '--fail-on', 'severe'], 'cognito-guard: --fail-on must be one of: critical, high, medium, low, info, none (got "severe")'],
    // The parser takes the value after an option whatever it starts with; the choice check names it.
    [['scan', INSECURE, '--fail-on', '-1'], 'cognito-guard: --fail-on must be one of: critical, high, medium, low, info, none (got "-1")'],
  ] as [string[], string][]) {
    it(args.join(' '), () => {
      const { code, stdout, stderr } = run(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`${line}\n`);
    });
  }

  it('rules list --format json still lists the rules', () => {
    const { code, stdout } = run(['rules', 'list', '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Array<{ id: string }>).map((r) => r.id)).toContain('cognito-user-pool-mfa-enabled');
  });
});

describe('credentials inside URLs are redacted in every format', () => {
  const PASSWORD = 'hunter2-Sekr1t';
  const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      MfaConfiguration: "ON"
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      CallbackURLs:
        - http://admin:${PASSWORD}@app.example.com/cb
      LogoutURLs:
        - http://ops:${PASSWORD}@app.example.com/out
`;
  const snapshot = JSON.stringify({
    version: 1,
    resources: [{ kind: 'cognito.userPoolClient', id: 'snap-client', properties: { defaultRedirectURI: `http://svc:${PASSWORD}@legacy.example.com/cb` } }],
  });
  const dir = tree({ 'template.yaml': template, 'snapshot.json': snapshot });

  for (const format of ['text', 'json', 'sarif', 'markdown']) {
    it(`a callback, logout and default redirect URL with user:password, --format ${format}`, () => {
      const { code, stdout, stderr } = run(['scan', '.', '--format', format], dir);
      expect(code).toBe(1);
      expect(stdout + stderr).not.toContain(PASSWORD);
      expect(stdout + stderr).not.toMatch(/admin:|ops:|svc:/);
      // JSON output is parsed (so escapes do not hide a URL); Markdown escapes `*`.
      const shown = format === 'json' || format === 'sarif' ? JSON.stringify(JSON.parse(stdout)) : stdout.replace(/\\([*[\]])/g, '$1');
      for (const url of ['http://***@app.example.com/cb', 'http://***@app.example.com/out', 'http://***@legacy.example.com/cb']) expect(shown).toContain(url);
    });
  }

  it('a --param value with credentials in an error line', () => {
    const { code, stderr } = run(['scan', 'nope.yaml', '--param', `Url=https://u:${PASSWORD}@x.example.com/`, '--format', 'nope://a:b@c/'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe('cognito-guard: --format must be one of: text, json, sarif, markdown (got "nope://***@c/")\n');
  });
});

describe('a snapshot client with no token validity fields', () => {
  const config = 'rules:\n  cognito-client-access-token-lifetime:\n    params: { maxAccessTokenMinutes: 30 }\n';
  const snapshot = 'version: 1\nresources:\n  - kind: cognito.userPoolClient\n    id: web\n    properties: { clientName: web }\n';
  const template =
    'Resources:\n  web:\n    Type: AWS::Cognito::UserPoolClient\n    Properties:\n      UserPoolId: us-east-1_abc\n      ClientName: web\n';

  it('reads the AWS default, as the same client in a template does', () => {
    const messages = (input: string) => {
      const dir = tree({ '.cognito-guard.yml': config, [input.startsWith('version') ? 'snapshot.yaml' : 'template.yaml']: input });
      const { code, stdout } = run(['scan', '.', '--format', 'json'], dir);
      expect(code).toBe(1);
      return (JSON.parse(stdout) as { findings: Array<{ ruleId: string; message: string }> }).findings
        .filter((f) => f.ruleId === 'cognito-client-access-token-lifetime')
        .map((f) => f.message);
    };
    expect(messages(snapshot)).toEqual(['App client web issues access tokens valid for 1 hour (limit: 30 minutes)']);
    expect(messages(template)).toEqual(messages(snapshot));
  });
});

describe('loadtest through the binary', () => {
  it('loadtest report --html DIR: exit 2, one prefixed line naming the path', () => {
    const dir = tree({ 'out/.keep': '' });
    const { code, stdout, stderr } = run(['loadtest', 'report', join(root, 'test/loadtest/fixtures/summary-initiate-auth-load.json'), '--html', 'out'], dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`cognito-guard: ${join(dir, 'out')}: cannot write the HTML report: it is a directory\n`);
  });
});
