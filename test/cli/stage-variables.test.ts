/**
 * The built binary on stage variables that hold secrets: the finding names the variable, and no
 * output format carries its value.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const FIXTURE = 'test/rules/apigateway-stage-variables-no-secrets/stages.template.yaml';
const RULE = 'apigateway-stage-variables-no-secrets';

function run(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const res = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('apigateway-stage-variables-no-secrets', () => {
  it('stages.template.yaml: the findings name upstream, backendUrl and upstreamAuth, never their values, in every format', () => {
    const { code, stdout } = run(['scan', FIXTURE, '--format', 'json']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { findings: Array<{ ruleId: string; status: string; resource: { name: string }; message: string }> };
    expect(json.findings.filter((f) => f.ruleId === RULE && f.status === 'fail').map((f) => `${f.resource.name}: ${f.message}`)).toEqual([
      'FailPasswordByName: Stage FailPasswordByName keeps secrets in stage variables ["dbPassword"]',
      'FailAccessKeyValue: Stage FailAccessKeyValue keeps secrets in stage variables ["upstream"]',
      'FailCredentialsInUrl: Stage FailCredentialsInUrl keeps secrets in stage variables ["backendUrl"]',
      'FailResolvedSecret: Stage FailResolvedSecret keeps secrets in stage variables ["upstreamAuth"]',
    ]);
    for (const format of ['json', 'sarif', 'text', 'markdown']) {
      const out = run(['scan', FIXTURE, '--format', format]).stdout;
      expect(out, format).toContain('upstreamAuth');
      for (const value of ['AKIAIOSFODNN7EXAMPLE', 'hunter2hunter2', 'prod/orders:SecretString:key']) expect(out, format).not.toContain(value);
    }
  });
});
