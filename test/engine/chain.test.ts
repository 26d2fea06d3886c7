import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { reporters } from '../../src/reporters/index.js';
import { scan, type ScanOutput } from '../../src/scan.js';
import { validateSarif } from '../helpers/sarif.js';
import { rejectionLine, workspace } from '../helpers/workspace.js';

// A path over three facts: the identity pool hands out guest credentials, its guest role is
// attached through an IdentityPoolRoleAttachment, and that role keeps sessions longer than an hour.
const RULE = `id: path-guest-long-session
title: No guest path to long sessions
severity: high
resource: cognito.identityPool
description: Test path.
assert:
  not:
    chain:
      - hop: guest access is on
        holds: { path: allowUnauthenticatedIdentities, op: eq, value: true }
      - hop: the guest role keeps sessions longer than an hour
        via: unauthenticatedRole
        kind: iam.role
        from: roles.unauthenticated
        holds: { path: maxSessionDuration, op: gt, value: 3600 }
message: "Attack path: {{hops}}"
`;

// The same walk backwards, from the role to the pools that attach it as their guest role.
const REVERSE = `id: path-role-to-guest-pool
title: Long-session roles are nobody's guest role
severity: medium
resource: iam.role
description: Test path.
assert:
  not:
    chain:
      - hop: sessions last longer than an hour
        holds: { path: maxSessionDuration, op: gt, value: 3600 }
      - hop: an identity pool hands it to guests
        via: ~unauthenticatedRole
        kind: cognito.identityPool
        holds: { path: allowUnauthenticatedIdentities, op: eq, value: true }
message: "{{resource.name}}: {{hops}}"
`;

const pool = (name: string, guests: boolean): string => `  ${name}:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: ${guests}
`;
const role = (name: string, seconds: number): string => `  ${name}:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: ${seconds}
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Federated: cognito-identity.amazonaws.com }
            Action: sts:AssumeRoleWithWebIdentity
`;
const attach = (name: string, poolName: string, guestRole: string): string => `  ${name}:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref ${poolName}
      Roles:
        unauthenticated: ${guestRole}
`;

const TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  GuestRoleArn:\n    Type: String\nResources:\n",
  pool('FailPool', true),
  role('LongRole', 7200),
  attach('FailAttach', 'FailPool', '!GetAtt LongRole.Arn'),
  pool('PassShortPool', true),
  role('ShortRole', 3600),
  attach('PassShortAttach', 'PassShortPool', '!GetAtt ShortRole.Arn'),
  pool('PassNoGuestsPool', false),
  attach('PassNoGuestsAttach', 'PassNoGuestsPool', '!GetAtt LongRole.Arn'),
  pool('PassNoRolePool', true),
  `  PassNoRoleAttach:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref PassNoRolePool
      Roles:
        authenticated: !GetAtt ShortRole.Arn
`,
  pool('UnknownParamPool', true),
  attach('UnknownParamAttach', 'UnknownParamPool', '!Ref GuestRoleArn'),
  pool('UnknownElsewherePool', true),
  attach('UnknownElsewhereAttach', 'UnknownElsewherePool', 'arn:aws:iam::123456789012:role/elsewhere'),
].join('');

async function run(rule = RULE, template = TEMPLATE): Promise<{ out: ScanOutput; dir: string; of: (rule: string) => Finding[] }> {
  const dir = workspace({ 'template.yaml': template });
  // A rule file is named for its id.
  const id = /^id: (.+)$/m.exec(rule)![1]!;
  const rulesDir = workspace({ [`${id}.yaml`]: rule });
  const out = await scan({ inputs: ['template.yaml'], cwd: dir, ruleDirs: [rulesDir], now: new Date('2026-06-15T00:00:00Z'), config: { profile: 'strict' } });
  return { out, dir, of: (r) => out.findings.filter((f) => f.ruleId === r) };
}

const lineOf = (text: string, needle: string, after = ''): number => {
  const lines = text.split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1;
};

describe('chain conditions (attack paths)', () => {
  it('reports a path whose every hop holds, names each hop and points at the first', async () => {
    const { of } = await run();
    const fails = of('path-guest-long-session').filter((f) => f.status === 'fail');
    expect(fails.map((f) => f.resource.name)).toEqual(['FailPool']);
    const [f] = fails;
    expect(f!.message).toBe(
      'Attack path: guest access is on (FailPool: allowUnauthenticatedIdentities = true) → the guest role keeps sessions longer than an hour (LongRole: maxSessionDuration = 7200)',
    );
    expect(f!.location.line).toBe(lineOf(TEMPLATE, 'AllowUnauthenticatedIdentities', 'FailPool:'));
    expect(f!.detail).toBe('template.yaml#LongRole');
    expect(f!.related!.map((h) => [h.resource.name, h.location.line])).toEqual([
      ['FailPool', lineOf(TEMPLATE, 'AllowUnauthenticatedIdentities', 'FailPool:')],
      ['LongRole', lineOf(TEMPLATE, 'MaxSessionDuration', 'LongRole:')],
    ]);
  });

  it('passes when one hop is broken (short sessions, no guests, no guest role)', async () => {
    const { of } = await run();
    const judged = new Set(of('path-guest-long-session').map((f) => f.resource.name));
    for (const name of ['PassShortPool', 'PassNoGuestsPool', 'PassNoRolePool']) expect(judged.has(name)).toBe(false);
  });

  it('is unknown, never a pass, when the relation is unresolved or names a role outside the inputs', async () => {
    const { of } = await run();
    const unknown = of('path-guest-long-session').filter((f) => f.status === 'unknown');
    expect(unknown.map((f) => [f.resource.name, f.reason])).toEqual([
      ['UnknownParamPool', 'UnknownParamPool: roles.unauthenticated is not known: parameter GuestRoleArn has no Default; pass --param GuestRoleArn=...'],
      ['UnknownElsewherePool', "UnknownElsewherePool's roles.unauthenticated names a resource that is not among the inputs"],
    ]);
    // The walk so far is named, and the finding points at its first hop.
    expect(unknown[1]!.message).toContain('(path: guest access is on (UnknownElsewherePool: allowUnauthenticatedIdentities = true))');
    expect(unknown[1]!.location.line).toBe(lineOf(TEMPLATE, 'AllowUnauthenticatedIdentities', 'UnknownElsewherePool:'));
  });

  it('walks a relation backwards with ~relation, one finding per walk', async () => {
    const template = TEMPLATE + pool('SecondPool', true) + attach('SecondAttach', 'SecondPool', '!GetAtt LongRole.Arn');
    const { of } = await run(REVERSE, template);
    const fails = of('path-role-to-guest-pool');
    expect(fails.map((f) => [f.resource.name, f.detail])).toEqual([
      ['LongRole', 'template.yaml#FailPool'],
      ['LongRole', 'template.yaml#SecondPool'],
    ]);
    expect(fails[1]!.related!.map((h) => h.resource.name)).toEqual(['LongRole', 'SecondPool']);
  });

  it('writes the hops as SARIF relatedLocations that validate, in JSON as related, and as lines in text', async () => {
    const { out, dir } = await run();
    const ctx = { cwd: dir, color: false, sourceText: (file: string) => readFileSync(join(dir, file), 'utf8') };
    const log = JSON.parse(reporters.sarif(out, ctx));
    expect(validateSarif(log)).toEqual([]);
    const result = log.runs[0].results.find((r: { ruleId: string; level: string }) => r.ruleId === 'path-guest-long-session' && r.level === 'error');
    expect(result.relatedLocations.map((l: { id: number; physicalLocation: { region: { startLine: number } }; message: { text: string } }) => [l.id, l.physicalLocation.region.startLine, l.message.text])).toEqual([
      [1, lineOf(TEMPLATE, 'AllowUnauthenticatedIdentities', 'FailPool:'), 'guest access is on (FailPool: allowUnauthenticatedIdentities = true)'],
      [2, lineOf(TEMPLATE, 'MaxSessionDuration', 'LongRole:'), 'the guest role keeps sessions longer than an hour (LongRole: maxSessionDuration = 7200)'],
    ]);
    const json = JSON.parse(reporters.json(out, ctx));
    const fail = json.findings.find((f: { ruleId: string; status: string }) => f.ruleId === 'path-guest-long-session' && f.status === 'fail');
    expect(fail.related.map((h: { file: string; line: number }) => `${h.file}:${h.line}`)).toEqual([
      `template.yaml:${lineOf(TEMPLATE, 'AllowUnauthenticatedIdentities', 'FailPool:')}`,
      `template.yaml:${lineOf(TEMPLATE, 'MaxSessionDuration', 'LongRole:')}`,
    ]);
    const text = reporters.text(out, ctx);
    expect(text).toMatch(/\n +1\. guest access is on \(FailPool: allowUnauthenticatedIdentities = true\) {2}template\.yaml:\d+:\d+\n +2\. the guest role keeps/);
  });

  it.each([
    ['a later hop without via', RULE.replace('        via: unauthenticatedRole\n', ''), 'rules/path-guest-long-session.yaml:11:9: rule path-guest-long-session: a hop after the first needs via (the relation that leads to it)'],
    ['a hop path checked against the hop kind', RULE.replace('path: maxSessionDuration', 'path: allowUnauthenticatedIdentities'), 'does not exist in iam.role'],
    ['a first hop with via', RULE.replace('      - hop: guest access is on\n', '      - hop: guest access is on\n        via: roles\n'), 'the first hop is the rule\'s own resource'],
    ['{{hops}} is a known template name, {{hop}} is not', RULE.replace('{{hops}}', '{{hop}}'), 'unknown template name {{hop}}'],
  ])('rejects %s with one line', async (_name, rule, expected) => {
    const rulesDir = workspace({ 'rules/path-guest-long-session.yaml': rule });
    const dir = workspace({ 'template.yaml': TEMPLATE });
    const line = await rejectionLine(scan({ inputs: ['template.yaml'], cwd: dir, ruleDirs: [join(rulesDir, 'rules')] }));
    expect(line).toContain(expected);
  });
});

describe('chain hops over every resource of a kind (via: *)', () => {
  // A role whose trust does not pin an identity pool, and any pool of the inputs with the classic flow.
  const ANY = `id: path-any-classic-pool
title: T
severity: high
resource: iam.role
description: Test path.
assert:
  not:
    chain:
      - hop: sessions last longer than an hour
        holds: { path: maxSessionDuration, op: gt, value: 3600 }
      - hop: some identity pool hands out guest credentials
        via: "*"
        kind: cognito.identityPool
        holds: { path: allowUnauthenticatedIdentities, op: eq, value: true }
message: "{{hops}}"
`;

  it('reaches pools that do not attach the role, one finding per pool', async () => {
    const template = "Resources:\n" + role('LongRole', 7200) + role('ShortRole', 3600) + pool('GuestPool', true) + pool('ClosedPool', false);
    const { of } = await run(ANY, template);
    expect(of('path-any-classic-pool').map((f) => [f.resource.name, f.detail, f.status])).toEqual([['LongRole', 'template.yaml#GuestPool', 'fail']]);
  });
});

describe('backward hops with from', () => {
  it('are unknown when a resource of the kind has the naming property unresolved (it may name this one)', async () => {
    const rule = REVERSE.replace('        kind: cognito.identityPool\n', '        kind: cognito.identityPool\n        from: roles.unauthenticated\n');
    const template = "Parameters:\n  GuestRoleArn:\n    Type: String\nResources:\n" + role('LongRole', 7200) + pool('UnknownParamPool', true) + attach('UnknownParamAttach', 'UnknownParamPool', '!Ref GuestRoleArn');
    const { of } = await run(rule, template);
    expect(of('path-role-to-guest-pool').map((f) => [f.resource.name, f.status, f.reason])).toEqual([
      ['LongRole', 'unknown', expect.stringMatching(/^UnknownParamPool may name LongRole \(roles\.unauthenticated is not known: parameter GuestRoleArn has no Default/)],
    ]);
    // Without from, the unresolved pool is invisible from the role: no finding at all.
    expect((await run(REVERSE, template)).of('path-role-to-guest-pool')).toEqual([]);
  });
});
