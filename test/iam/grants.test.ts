/**
 * The IAM analysis on the cases issue 10 names: NotAction, Deny overrides, wildcards in the
 * middle of action names, conditions, permissions boundaries and AWS managed policies by ARN,
 * both as `grantsOf` (which concrete action each Allow grants, on what) and end to end through
 * cognito-role-no-privilege-escalation on CloudFormation templates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildGraph } from '../../src/engine/graph.js';
import { FUNCTIONS } from '../../src/functions/index.js';
import { buildActionIndex } from '../../src/iam/action-index.js';
import { actionPatterns, analyzePermissions, grantsOf, resourcePatterns, type PolicySource } from '../../src/iam/analyze.js';
import { loadCloudFormation } from '../../src/loaders/cloudformation/index.js';
import { compileRules } from '../../src/rules/compile.js';
import { loadRules } from '../../src/rules/load.js';
import type { CompiledRule } from '../../src/rules/types.js';

type S = Record<string, unknown>;
const policy = (...statements: S[]): PolicySource => ({ label: 'inline policy p', document: { statements } });
const boundary = (...statements: S[]): PolicySource => ({ label: 'permissions boundary b', document: { statements } });

/** Which of `actions` the statements grant, as `action on resource [condition keys]`. */
const granted = (statements: S[], actions: string[], limit?: PolicySource): string[] =>
  grantsOf([policy(...statements)], actions, limit).flatMap((g) =>
    g.resources.map((r) => `${g.action} on ${r}${g.conditionKeys.length ? ` [${g.conditionKeys.join(',')}]` : ''}`),
  );

describe('grantsOf: which concrete action an Allow grants, after Deny statements and the boundary', () => {
  it('s3:Put*Acl (a wildcard in the middle of the name) grants PutObjectAcl and PutBucketAcl, not PutObject', () => {
    expect(granted([{ effect: 'Allow', action: ['s3:Put*Acl'], resource: ['*'] }], ['s3:PutObjectAcl', 's3:PutBucketAcl', 's3:PutObject'])).toEqual([
      's3:PutObjectAcl on *',
      's3:PutBucketAcl on *',
    ]);
  });

  it('an Allow with NotAction ["iam:*"] grants lambda:UpdateFunctionCode and not iam:PassRole', () => {
    expect(granted([{ effect: 'Allow', notAction: ['iam:*'], resource: ['*'] }], ['iam:PassRole', 'lambda:UpdateFunctionCode'])).toEqual(['lambda:UpdateFunctionCode on *']);
  });

  it('an unconditional Deny of iam:Pass* overrides an Allow of iam:*', () => {
    const statements = [
      { effect: 'Allow', action: ['iam:*'], resource: ['*'] },
      { effect: 'Deny', action: ['iam:Pass*'], resource: ['*'] },
    ];
    expect(granted(statements, ['iam:PassRole', 'iam:AttachRolePolicy'])).toEqual(['iam:AttachRolePolicy on *']);
  });

  it('a Deny with NotAction ["s3:GetObject"] leaves only GetObject of an Allow "*"', () => {
    const statements = [
      { effect: 'Allow', action: ['*'], resource: ['*'] },
      { effect: 'Deny', notAction: ['s3:GetObject'], resource: ['*'] },
    ];
    expect(granted(statements, ['s3:GetObject', 'iam:PassRole', 'cognito-identity:SetIdentityPoolRoles'])).toEqual(['s3:GetObject on *']);
  });

  it('a conditional Deny takes nothing away; a conditional Allow is a grant that names its condition keys', () => {
    const statements = [
      { effect: 'Allow', action: ['lambda:UpdateFunctionCode'], resource: ['*'], condition: { StringEquals: { 'aws:ResourceTag/team': ['app'] } } },
      { effect: 'Deny', action: ['lambda:*'], resource: ['*'], condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } } },
    ];
    expect(granted(statements, ['lambda:UpdateFunctionCode'])).toEqual(['lambda:UpdateFunctionCode on * [aws:ResourceTag/team]']);
  });

  it('a permissions boundary that does not allow an action removes it; one that allows it on less narrows it', () => {
    const allow = { effect: 'Allow', action: ['iam:PassRole', 'sts:AssumeRole'], resource: ['*'] };
    const limit = boundary({ effect: 'Allow', action: ['sts:AssumeRole'], resource: ['arn:aws:iam::123456789012:role/reporting'] });
    expect(granted([allow], ['iam:PassRole', 'sts:AssumeRole'], limit)).toEqual(['sts:AssumeRole on arn:aws:iam::123456789012:role/reporting']);
  });

  it('an Allow with NotResource is a grant on every resource but those, and NotResource "*" grants nothing', () => {
    const [g] = grantsOf([policy({ effect: 'Allow', action: ['iam:PassRole'], notResource: ['arn:aws:iam::1:role/admin'] })], ['iam:PassRole']);
    expect(g).toMatchObject({ resources: ['*'], except: ['arn:aws:iam::1:role/admin'] });
    expect(granted([{ effect: 'Allow', action: ['iam:PassRole'], notResource: ['*'] }], ['iam:PassRole'])).toEqual([]);
  });
});

describe('analyzePermissions: wildcards in the middle of action names', () => {
  it('s3:Put*Acl on every resource is a write pattern that names PutBucketAcl and PutObjectAcl among its members', async () => {
    const sources = [policy({ effect: 'Allow', action: ['s3:Put*Acl'], resource: ['*'] })];
    const documents = sources.map((s) => s.document);
    const index = await buildActionIndex(documents.flatMap(actionPatterns), documents.flatMap(resourcePatterns));
    expect(index.expand('s3:Put*Acl')).toEqual(expect.arrayContaining(['s3:PutBucketAcl', 's3:PutObjectAcl']));
    expect(index.expand('s3:Put*Acl')).not.toContain('s3:PutObject');
    const [problem] = analyzePermissions(sources, index).problems;
    expect(problem).toMatchObject({ kind: 'permissionsManagement', detail: 'Action::s3:Put*Acl' });
    expect(problem!.message).toMatch(/^s3:Put\*Acl covers \d+ actions on every resource \("\*"\) in inline policy p; including permissions management: .*s3:PutBucketAcl/);
  });
});

describe('cognito-role-no-privilege-escalation on templates', () => {
  let rule: CompiledRule;
  beforeAll(async () => {
    const definition = (await loadRules()).find((r) => r.id === 'cognito-role-no-privilege-escalation')!;
    [rule] = compileRules([definition], {}, { profile: { name: 'test', rules: {} }, functions: FUNCTIONS }) as [CompiledRule];
  });

  /** A role Cognito identity pools can assume, with the given extra properties; its findings as `status detail`. */
  async function findings(properties: string): Promise<string[]> {
    const text = `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Federated: cognito-identity.amazonaws.com }, Action: sts:AssumeRoleWithWebIdentity }
${properties.replace(/^(?=.)/gm, '      ')}`;
    const graph = await buildGraph(loadCloudFormation('template.yaml', text).resources, FUNCTIONS);
    return evaluate(graph, [rule], { now: new Date('2026-01-01T00:00:00Z') }).findings.map((f) => `${f.status} ${f.detail ?? '-'}`);
  }

  it('ManagedPolicyArns AdministratorAccess (an AWS managed policy by ARN) is read from the bundled documents: iam:PassRole on *', async () => {
    const found = await findings('ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]');
    expect(found).toContain('fail iam:PassRole on *');
    expect(found).toContain('fail cognito-identity:SetIdentityPoolRoles on *');
  });

  it('ManagedPolicyArns PowerUserAccess (NotAction iam:*) grants lambda:UpdateFunctionCode but not iam:PassRole', async () => {
    const found = await findings('ManagedPolicyArns: [arn:aws:iam::aws:policy/PowerUserAccess]');
    expect(found).toContain('fail lambda:UpdateFunctionCode on *');
    expect(found).not.toContain('fail iam:PassRole on *');
  });

  it('a PermissionsBoundary of AmazonS3ReadOnlyAccess (by ARN) removes every escalation of an Allow "*"', async () => {
    const found = await findings(
      'PermissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\nPolicies:\n  - PolicyName: all\n    PolicyDocument: { Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }',
    );
    expect(found).toEqual([]);
  });

  it('a boundary that is not in the inputs is named in the finding and not applied', async () => {
    const text = `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Federated: cognito-identity.amazonaws.com }, Action: sts:AssumeRoleWithWebIdentity }
      PermissionsBoundary: arn:aws:iam::123456789012:policy/elsewhere
      Policies:
        - PolicyName: p
          PolicyDocument: { Statement: [{ Effect: Allow, Action: iam:PassRole, Resource: "*" }] }
`;
    const graph = await buildGraph(loadCloudFormation('template.yaml', text).resources, FUNCTIONS);
    const [f] = evaluate(graph, [rule], { now: new Date('2026-01-01T00:00:00Z') }).findings;
    expect(f!.message).toBe(
      'Role Role (assumable through Cognito) allows iam:PassRole on every resource ("*") in inline policy p; the permissions boundary (arn:aws:iam::123456789012:policy/elsewhere) is not in the inputs and was not applied',
    );
  });

  it('sts:AssumeRole on one named role is not escalation; on every role it is', async () => {
    const on = (resource: string) => `Policies:\n  - PolicyName: p\n    PolicyDocument: { Statement: [{ Effect: Allow, Action: sts:AssumeRole, Resource: "${resource}" }] }`;
    expect(await findings(on('arn:aws:iam::123456789012:role/reporting'))).toEqual([]);
    expect(await findings(on('arn:aws:iam::123456789012:role/*'))).toEqual(['fail sts:AssumeRole on arn:aws:iam::123456789012:role/*']);
  });
});
