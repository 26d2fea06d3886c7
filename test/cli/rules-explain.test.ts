import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { loadRules } from '../../src/rules/load.js';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, cwd: process.cwd(), isTTY: false });
  return { code, out: () => out.join(''), err: () => err.join('') };
}

describe('rules explain', () => {
  it('prints the section docs/rules.md has for the rule', async () => {
    const r = run(['rules', 'explain', 'cognito-identity-pool-guest-access-disabled']);
    expect(await r.code).toBe(0);
    const section = r.out();
    expect(section.startsWith('## cognito-identity-pool-guest-access-disabled\n')).toBe(true);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync('docs/rules.md', 'utf8')).toContain(section.trimEnd());
  });

  it('a rule with params: title, what, why, each param with its default, the fix per format and references', async () => {
    const r = run(['rules', 'explain', 'cognito-client-access-token-lifetime']);
    expect(await r.code).toBe(0);
    const text = r.out();
    for (const part of [
      '**App client access tokens expire within an hour**',
      '### Why',
      '| `maxAccessTokenMinutes` | integer | `60` |',
      'CloudFormation:\n\n```yaml',
      'Terraform:\n\n```hcl',
      'AWS CLI:\n\n```sh\n# update-user-pool-client resets every setting it is not given to its default',
      'aws cognito-idp update-user-pool-client',
      '### References',
      '- Catalogue: `upc-access-token-lifetime`',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('a rule the peers have too: the catalogue rows and each peer’s own ids', async () => {
    const r = run(['rules', 'explain', 'apigatewayv2-route-authorization']);
    expect(await r.code).toBe(0);
    const text = r.out();
    expect(text).toContain('- Catalogue: `apigwv2-route-authorization`, `apigwv2-ws-connect-authorization`');
    expect(text).toContain('### Same check elsewhere');
    expect(text).toContain('- Security Hub CSPM: `APIGateway.8`');
    expect(text).toContain('- Checkov: `CKV_AWS_309`');
    expect(text).toContain('- cdk-nag: `AwsSolutions-APIG4`');
  });

  it('every bundled rule can be explained', async () => {
    for (const rule of await loadRules()) {
      const r = run(['rules', 'explain', rule.id]);
      expect(await r.code, rule.id).toBe(0);
      expect(r.out()).toContain(`**${rule.title}**`);
    }
  });

  it('a mistyped id: one line, exit 2, the closest ids suggested', async () => {
    const r = run(['rules', 'explain', 'cognito-user-pool-mfa']);
    expect(await r.code).toBe(2);
    expect(r.err()).toBe(
      'cognito-guard: rules explain: no rule "cognito-user-pool-mfa" (did you mean cognito-user-pool-mfa-enabled, cognito-user-pool-mfa-factor-configured, cognito-user-pool-mfa-not-sms-only?)\n',
    );
    expect(r.out()).toBe('');
  });
});
