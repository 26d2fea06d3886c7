import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../src/rules/load.js';
import type { RuleDefinition } from '../src/rules/types.js';

let rules: RuleDefinition[];
beforeAll(async () => {
  rules = await loadRules();
});

// These AWS CLI calls are not patches: update-user-pool and update-user-pool-client reset every
// setting they are not given to its default, update-identity-pool replaces the whole pool. A
// remediation that runs one of them as written would undo the user's other settings (MFA,
// callback URLs, providers), so it must say to describe the resource first.
const RESETTING: Array<[RegExp, string]> = [
  [/\bupdate-user-pool(?!-)/, 'describe-user-pool'],
  [/\bupdate-user-pool-client\b/, 'describe-user-pool-client'],
  [/\bupdate-identity-pool\b/, 'describe-identity-pool'],
];

describe('CLI remediations', () => {
  it('that call an update which resets unpassed settings say to describe the resource first', () => {
    const missing: string[] = [];
    for (const rule of rules) {
      const cli = rule.remediation?.cli ?? '';
      for (const [call, describe] of RESETTING) {
        if (call.test(cli) && !cli.includes(describe)) missing.push(`${rule.id}: ${describe}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the check sees a resetting call without the note', () => {
    const [call, describe] = RESETTING[0]!;
    const cli = 'aws cognito-idp update-user-pool --user-pool-id <pool> --mfa-configuration ON';
    expect(call.test(cli) && !cli.includes(describe)).toBe(true);
  });
});
