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
      'cognito-guard: rules explain: no rule "cognito-user-pool-mfa" (did you mean cognito-user-pool-mfa-enabled, cognito-user-pool-mfa-not-sms-only, cognito-user-pool-mfa-required?)\n',
    );
    expect(r.out()).toBe('');
  });
});
