import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';

// The bundled attack-path rules on their fixtures: each finding names every hop, in order.
const FIXTURES = join(import.meta.dirname, '..', 'rules');

async function pathFindings(ruleId: string, file: string): Promise<Array<[string, string, string, string[]]>> {
  const out = await scan({
    inputs: [file],
    cwd: join(FIXTURES, ruleId),
    now: new Date('2026-06-15T00:00:00Z'),
    // Opt-in rules are off until the config turns them on.
    config: { profile: 'strict', rules: { [ruleId]: 'on' } },
  });
  return out.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => [f.resource.name, f.status, f.message, (f.related ?? []).map((h) => h.resource.name)]);
}

describe('cognito-path-any-pool-assumes-role', () => {
  it('roles.template.yaml: a role without an aud pin reaches the classic-flow pool it is not attached to', async () => {
    const fails = (await pathFindings('cognito-path-any-pool-assumes-role', 'roles.template.yaml')).filter((f) => f[1] === 'fail');
    expect(fails).toEqual([
      [
        'FailNoAud',
        'fail',
        'Attack path: the role trusts identity pool tokens without pinning the pool (aud) (FailNoAud: assumeRolePolicy.statements[0]) → an identity pool of the account has the classic flow on (ClassicPool: allowClassicFlow = true)',
        ['FailNoAud', 'ClassicPool'],
      ],
      [
        'FailAudWildcard',
        'fail',
        'Attack path: the role trusts identity pool tokens without pinning the pool (aud) (FailAudWildcard: assumeRolePolicy.statements[0]) → an identity pool of the account has the classic flow on (ClassicPool: allowClassicFlow = true)',
        ['FailAudWildcard', 'ClassicPool'],
      ],
    ]);
  });

  it('classic-unknown.template.yaml: a classic flow only known at deploy time is unknown, never a pass', async () => {
    const [finding] = await pathFindings('cognito-path-any-pool-assumes-role', 'classic-unknown.template.yaml');
    expect(finding!.slice(0, 2)).toEqual(['UnknownClassicFlowParameter', 'unknown']);
    expect(finding![2]).toContain('allowClassicFlow is not known: parameter ClassicFlow has no Default');
  });
});

describe('cognito-path-writable-attribute-privesc', () => {
  it('pools.template.yaml: names the writable claim and the role that rule (or the tagged session) reaches', async () => {
    const fails = (await pathFindings('cognito-path-writable-attribute-privesc', 'pools.template.yaml')).filter((f) => f[1] === 'fail');
    expect(fails).toEqual([
      [
        'FailWritableRuleClaim',
        'fail',
        'Attack path: a role-mapping rule of the pool tests a claim users can write (FailWritableRuleClaim: roleMappings.userpool.rulesConfiguration.rules[0].claim = "custom:department") → the role that rule hands out grants permissions (AdminRole, policies)',
        ['FailWritableRuleClaim', 'AdminRole'],
      ],
      [
        'FailWritablePrincipalTag',
        'fail',
        'Attack path: the pool tags sessions from a claim users can write (FailWritablePrincipalTag: principalTags[0].principalTags.department = "custom:department") → its authenticated role takes those session tags (TaggedRole: assumeRolePolicy.statements[0])',
        ['FailWritablePrincipalTag', 'TaggedRole'],
      ],
    ]);
  });

  it('is off unless the config turns it on (category opt-in)', async () => {
    const out = await scan({ inputs: ['pools.template.yaml'], cwd: join(FIXTURES, 'cognito-path-writable-attribute-privesc'), config: { profile: 'strict' } });
    expect(out.findings.filter((f) => f.ruleId === 'cognito-path-writable-attribute-privesc')).toEqual([]);
  });
});
