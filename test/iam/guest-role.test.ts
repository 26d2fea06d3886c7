/**
 * The guest-role rule end to end: findings (message, severity) from the rule's fixture and from
 * CloudFormation templates, for what the fixture runner (outcomes only) cannot see.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildGraph } from '../../src/engine/graph.js';
import { FUNCTIONS } from '../../src/functions/index.js';
import { loadCloudFormation } from '../../src/loaders/cloudformation/index.js';
import { loadSnapshot } from '../../src/loaders/snapshot.js';
import type { Finding } from '../../src/model/finding.js';
import type { Resource } from '../../src/model/resource.js';
import { compileRules } from '../../src/rules/compile.js';
import { loadRules } from '../../src/rules/load.js';
import type { CompiledRule, RuleDefinition } from '../../src/rules/types.js';

const RULE = 'cognito-guest-role-least-privilege';
const FIXTURE = `test/rules/${RULE}/snapshot.yaml`;
const NOW = new Date('2026-01-01T00:00:00Z');

let definition: RuleDefinition;
let rule: CompiledRule;
beforeAll(async () => {
  definition = (await loadRules()).find((r) => r.id === RULE)!;
  [rule] = compileRules([definition], {}, { profile: { name: 'test', rules: {} }, functions: FUNCTIONS }) as [CompiledRule];
});

async function findingsOf(resources: Resource[], poolId: (id: string) => boolean): Promise<Finding[]> {
  const graph = await buildGraph(resources, FUNCTIONS);
  return evaluate(graph, [rule], { now: NOW }).findings.filter((f) => poolId(f.resource.id));
}
const fromFixture = async (id: string) => findingsOf(loadSnapshot(FIXTURE, readFileSync(FIXTURE, 'utf8')).resources, (x) => x === id);
const fromTemplate = async (text: string) => {
  const { resources } = loadCloudFormation('template.yaml', text);
  return findingsOf(resources, (x) => x.endsWith('#IdentityPool'));
};

/** An identity pool with guests on whose guest role is `GuestRole`, plus the given resources. */
const template = (resources: string, poolProperties = '') => `Resources:
  IdentityPool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: true
${poolProperties}
  Attachment:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref IdentityPool
      Roles:
        unauthenticated: !GetAtt GuestRole.Arn
${resources.replace(/^(?=.)/gm, '  ')}`;

describe('usable today or latent', () => {
  it('a write outside the session policy on an enhanced-flow pool is latent and one step lower', async () => {
    const [f, ...rest] = await fromFixture('fail-latent-write-in-enhanced-flow');
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('medium');
    expect(f!.message).toBe(
      "Guest role of identity pool fail-latent-write-in-enhanced-flow: s3:PutObject (Write) can change data on arn:aws:s3:::uploads/guests/* in inline policy p; latent: the enhanced flow's scope-down session policy blocks it today, it becomes usable if AllowClassicFlow is turned on",
    );
  });

  it('the same write with AllowClassicFlow: true is usable, at the rule severity', async () => {
    const [f] = await fromFixture('fail-usable-write-in-classic-flow');
    expect(f!.severity).toBe('high');
    expect(f!.message).toMatch(/; usable by guests today: AllowClassicFlow is on, and the classic flow skips the scope-down session policy$/);
  });

  it('with AllowClassicFlow not known the write is judged usable', async () => {
    const [f] = await fromFixture('fail-write-when-classic-flow-unknown');
    expect(f!.severity).toBe('high');
    expect(f!.message).toMatch(/; usable by guests if the classic flow is on \(allowClassicFlow is not known: parameter ClassicFlow has no Default\)$/);
  });

  it('a session-policy action on every resource is usable in the enhanced flow', async () => {
    const [f] = await fromFixture('fail-rum-events-on-star');
    expect(f!.severity).toBe('high');
    expect(f!.message).toBe(
      "Guest role of identity pool fail-rum-events-on-star: rum:PutRumEvents (Write) on every resource (\"*\") in inline policy p; usable by guests today: the enhanced flow's scope-down session policy allows it",
    );
  });

  it('a pattern of which only some actions are usable says which', async () => {
    const [f] = await fromFixture('fail-kms-star-on-every-key');
    expect(f!.severity).toBe('high');
    expect(f!.message).toMatch(
      /^Guest role of identity pool fail-kms-star-on-every-key: kms:\* grants all \d+ kms actions on every kms key \(arn:aws:kms:us-east-1:123456789012:key\/\*\) in inline policy p; including permissions management: kms:CreateGrant, .*; partly usable by guests today: the enhanced flow's scope-down session policy allows kms:Decrypt, kms:Encrypt, kms:GenerateDataKey and 5 more, the rest is latent$/,
    );
  });

  it('reads AllowClassicFlow from a template', async () => {
    const role = `GuestRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: { Statement: [] }
    Policies:
      - PolicyName: uploads
        PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::uploads/*" }] }
`;
    expect((await fromTemplate(template(role, '      AllowClassicFlow: true'))).map((f) => f.severity)).toEqual(['high']);
    expect((await fromTemplate(template(role))).map((f) => f.severity)).toEqual(['medium']);
  });
});

describe('permissions boundary', () => {
  it('a boundary not in the inputs is named in the finding as not applied', async () => {
    const [f] = await fromFixture('fail-write-with-boundary-not-in-inputs');
    expect(f!.message).toMatch(
      /; the permissions boundary \(arn:aws:iam::123456789012:policy\/boundary-from-another-stack\) is not in the inputs and was not applied$/,
    );
  });
});

describe('CloudFormation', () => {
  it("the rule's own CloudFormation remediation passes", async () => {
    const { resources } = loadCloudFormation('template.yaml', template(definition.remediation!.cloudformation!));
    const graph = await buildGraph(resources, FUNCTIONS);
    const pool = graph.ofKind('cognito.identityPool')[0]!;
    expect(rule.check(pool, { graph, now: NOW }).status).toBe('pass');
    // The same template with the RUM action on "*" fails: the pass is not for want of a role.
    const wide = template(definition.remediation!.cloudformation!.replace(/Resource: !Sub .*/, 'Resource: "*"'));
    expect((await fromTemplate(wide)).map((f) => f.detail)).toEqual(['Resource::*::rum:PutRumEvents']);
  });

  it('a managed policy without a name is shown by its logical id', async () => {
    const findings = await fromTemplate(
      template(`GuestRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: { Statement: [] }
    ManagedPolicyArns: [!Ref GuestWrites]
GuestWrites:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::uploads/*" }] }
`),
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^Guest role of identity pool \S+: s3:PutObject \(Write\) can change data on arn:aws:s3:::uploads\/\* in managed policy GuestWrites; latent: /),
    ]);
  });

  it('a PermissionsBoundary naming a template managed policy caps the role', async () => {
    const role = (boundaryActions: string) => `GuestRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: { Statement: [] }
    PermissionsBoundary: !Ref Boundary
    Policies:
      - PolicyName: wide
        PolicyDocument: { Statement: [{ Effect: Allow, Action: ["s3:GetObject", "s3:PutObject"], Resource: "*" }] }
Boundary:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument: { Statement: [{ Effect: Allow, Action: ${boundaryActions}, Resource: "arn:aws:s3:::site/public/*" }] }
`;
    const { resources } = loadCloudFormation('template.yaml', template(role('s3:GetObject')));
    const graph = await buildGraph(resources, FUNCTIONS);
    expect(rule.check(graph.ofKind('cognito.identityPool')[0]!, { graph, now: NOW }).status).toBe('pass');
    expect((await fromTemplate(template(role('"s3:*"')))).map((f) => f.detail)).toEqual(['Action::s3:PutObject']);
  });
});
