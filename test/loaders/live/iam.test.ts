import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { readRoles } from '../../../src/loaders/live/iam.js';
import type { Resource } from '../../../src/model/resource.js';
import { loadFixture, mockFromFixture, restoreMocks, schemaErrors, testContext, withExchange, type LiveFixture } from './helpers.js';

const COMMANDS = {
  GetRole: GetRoleCommand,
  ListRolePolicies: ListRolePoliciesCommand,
  GetRolePolicy: GetRolePolicyCommand,
  ListAttachedRolePolicies: ListAttachedRolePoliciesCommand,
  GetPolicy: GetPolicyCommand,
  GetPolicyVersion: GetPolicyVersionCommand,
};
const ROLES = loadFixture('iam');
const GUEST_ROLE = 'arn:aws:iam::123456789012:role/app/GuestRole';
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/AuthRole';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/GuestBoundary';

afterEach(restoreMocks);

async function read(fixture: LiveFixture = ROLES, arns = fixture.roleArns!) {
  const ctx = testContext(fixture);
  const resources = await readRoles(mockFromFixture(IAMClient, COMMANDS, fixture), ctx, arns);
  return { resources, ctx, byId: (id: string): Resource => resources.find((r) => r.id === id)! };
}

describe('readRoles', () => {
  it('reads inline and attached policies listed over two pages (IsTruncated + Marker)', async () => {
    const { byId, ctx } = await read();
    const policies = byId(GUEST_ROLE).properties.policies as Array<{ name: string; type: string; arn?: string }>;
    expect(policies.map(({ name, type, arn }) => ({ name, type, arn }))).toEqual([
      { name: 'Telemetry', type: 'inline', arn: undefined },
      { name: 'Uploads', type: 'inline', arn: undefined },
      { name: 'ScoresWriter', type: 'managed', arn: 'arn:aws:iam::123456789012:policy/ScoresWriter' },
      { name: 'AmazonCognitoReadOnly', type: 'awsManaged', arn: 'arn:aws:iam::aws:policy/AmazonCognitoReadOnly' },
    ]);
    expect(ctx.calls.filter((c) => c === 'ListRolePolicies')).toHaveLength(3);
    expect(ctx.calls.filter((c) => c === 'ListAttachedRolePolicies')).toHaveLength(3);
  });

  it('decodes URL-encoded trust, inline and managed policy documents', async () => {
    const { byId } = await read();
    const role = byId(GUEST_ROLE);
    expect(role.properties.assumeRolePolicy).toEqual({
      version: '2012-10-17',
      statements: [
        {
          effect: 'Allow',
          principal: { federated: ['cognito-identity.amazonaws.com'] },
          action: ['sts:AssumeRoleWithWebIdentity'],
          condition: {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': ['us-east-1:11111111-1111-1111-1111-111111111111'] },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
          },
        },
      ],
    });
    const [, uploads, scores] = role.properties.policies as Array<{ document: unknown }>;
    expect(uploads!.document).toEqual({
      version: '2012-10-17',
      statements: [{ sid: 'Uploads', effect: 'Allow', action: ['s3:PutObject', 's3:DeleteObject'], resource: ['*'] }],
    });
    expect(scores!.document).toEqual({
      version: '2012-10-17',
      statements: [{ effect: 'Allow', action: ['dynamodb:PutItem'], resource: ['arn:aws:dynamodb:us-east-1:123456789012:table/Scores'] }],
    });
    expect(role.properties).toMatchObject({ roleName: 'GuestRole', path: '/app/', maxSessionDuration: 3600, permissionsBoundary: BOUNDARY, tags: { team: 'games' } });
    expect(role.region).toBeUndefined();
  });

  it('reads the default version of a managed policy attached to two roles once (GetPolicy, GetPolicyVersion v3)', async () => {
    const { ctx, byId } = await read();
    expect(ctx.calls.filter((c) => c === 'GetPolicyVersion')).toHaveLength(2); // ScoresWriter and the boundary
    expect(ctx.calls.filter((c) => c === 'GetPolicy')).toHaveLength(2);
    expect((byId(AUTH_ROLE).properties.policies as Array<{ name: string }>).map((p) => p.name)).toEqual(['ReadAppBucket', 'ScoresWriter']);
  });

  it('makes a customer-managed permissions boundary an iam.policy resource with its document', async () => {
    const { byId } = await read();
    expect(byId(BOUNDARY)).toMatchObject({
      kind: 'iam.policy',
      arn: BOUNDARY,
      properties: { policyName: 'GuestBoundary', type: 'managed', document: { statements: [{ action: ['s3:*', 'dynamodb:*', 'mobileanalytics:*', 'cognito-sync:*'] }] } },
    });
  });

  it('gives resources valid against the iam.role and iam.policy schemas', async () => {
    const { resources } = await read();
    expect(resources.map((r) => r.kind)).toEqual(['iam.role', 'iam.role', 'iam.policy']);
    expect(schemaErrors(resources)).toEqual({});
  });

  it('AccessDenied on GetRolePolicy leaves only that policy document unresolved', async () => {
    const { byId, ctx } = await read(withExchange(ROLES, 'GetRolePolicy', 1, { error: 'AccessDenied' }));
    const role = byId(GUEST_ROLE);
    expect(role.unresolved).toEqual({ 'policies[1].document': 'inline policy Uploads of role GuestRole could not be read' });
    expect((role.properties.policies as Array<{ name: string; document?: unknown }>)[1]).toEqual({ name: 'Uploads', type: 'inline' });
    expect(ctx.diagnostics).toHaveLength(1);
  });

  it('AccessDenied on ListAttachedRolePolicies leaves policies unresolved', async () => {
    const { byId } = await read(withExchange(ROLES, 'ListAttachedRolePolicies', 2, { error: 'AccessDenied' }));
    expect(byId(AUTH_ROLE).unresolved).toEqual({ policies: 'attached policies of role AuthRole could not be read' });
  });

  it('a GetRole throttled once succeeds on retry', async () => {
    const { byId, ctx } = await read(withExchange(ROLES, 'GetRole', 0, { throttleOnce: true }));
    expect(ctx.throttles).toBe(1);
    expect(ctx.diagnostics).toEqual([]);
    expect(byId(GUEST_ROLE).properties.roleName).toBe('GuestRole');
  });

  it('a role of another account is not read with this account credentials: no resource, one warning', async () => {
    const { resources, ctx } = await read(ROLES, ['arn:aws:iam::999999999999:role/GuestRole']);
    expect(resources).toEqual([]);
    expect(ctx.calls).toEqual([]);
    expect(ctx.diagnostics).toEqual([
      { severity: 'warning', code: 'live-role-not-read', message: 'role arn:aws:iam::999999999999:role/GuestRole is not in account 123456789012 (aws): it was not read' },
    ]);
  });
});
