import {
  CognitoIdentityClient,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMapCommand,
  ListIdentityPoolsCommand,
} from '@aws-sdk/client-cognito-identity';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { readIdentityPools } from '../../../src/loaders/live/cognito-identity.js';
import { readRoles } from '../../../src/loaders/live/iam.js';
import type { Resource } from '../../../src/model/resource.js';
import { loadFixture, mockFromFixture, outcomes, restoreMocks, schemaErrors, templateResources, testContext, withExchange, type LiveFixture } from './helpers.js';

const COMMANDS = {
  ListIdentityPools: ListIdentityPoolsCommand,
  DescribeIdentityPool: DescribeIdentityPoolCommand,
  GetIdentityPoolRoles: GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMap: GetPrincipalTagAttributeMapCommand,
};
const IAM_COMMANDS = {
  GetRole: GetRoleCommand,
  ListRolePolicies: ListRolePoliciesCommand,
  GetRolePolicy: GetRolePolicyCommand,
  ListAttachedRolePolicies: ListAttachedRolePoliciesCommand,
  GetPolicy: GetPolicyCommand,
  GetPolicyVersion: GetPolicyVersionCommand,
};
const POOLS = loadFixture('cognito-identity');
const ROLES = loadFixture('iam');
const GUEST = 'arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:11111111-1111-1111-1111-111111111111';
const GUEST_ROLE = 'arn:aws:iam::123456789012:role/app/GuestRole';
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/AuthRole';

afterEach(restoreMocks);

/** The live source as the scan runs it: identity pools, then the roles their relations name. */
async function readAccount(pools: LiveFixture = POOLS, roles: LiveFixture = ROLES) {
  const ctx = testContext(pools);
  const identity = await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, pools), ctx);
  const arns = identity.flatMap((p) => [...(p.relations.authenticatedRole ?? []), ...(p.relations.unauthenticatedRole ?? []), ...(p.relations.mappedRoles ?? [])]);
  const iam = await readRoles(mockFromFixture(IAMClient, IAM_COMMANDS, roles), ctx, arns);
  return { resources: [...identity, ...iam], ctx };
}

const byId = (resources: Resource[], id: string): Resource => resources.find((r) => r.id === id)!;
const guestRoleOutcome = async (resources: Resource[]) =>
  (await outcomes(resources)).filter((line) => line.startsWith('cognito-guest-role-least-privilege '));

describe('readIdentityPools', () => {
  it('reads both pools of a ListIdentityPools listing over two pages (NextToken)', async () => {
    const ctx = testContext(POOLS);
    const pools = await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, POOLS), ctx);
    expect(pools.map((p) => p.name)).toEqual(['guest_pool', 'closed_pool']);
    expect(ctx.calls.filter((c) => c === 'ListIdentityPools')).toHaveLength(2);
    expect(ctx.diagnostics).toEqual([]);
  });

  it('normalizes DescribeIdentityPool, GetIdentityPoolRoles and GetPrincipalTagAttributeMap like the CloudFormation loader, relations by ARN', async () => {
    const ctx = testContext(POOLS);
    const pool = byId(await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, POOLS), ctx), GUEST);
    expect(pool).toMatchObject({ kind: 'cognito.identityPool', arn: GUEST, account: '123456789012', region: 'us-east-1', unresolved: {} });
    expect(pool.properties).toEqual({
      identityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
      identityPoolName: 'guest_pool',
      allowUnauthenticatedIdentities: true,
      allowClassicFlow: false,
      cognitoIdentityProviders: [{ providerName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123DEF', clientId: '4example5client6id7abc8', serverSideTokenCheck: false }],
      supportedLoginProviders: { 'graph.facebook.com': '1234567890' },
      principalTags: [{ identityProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123DEF', useDefaults: false, principalTags: { department: 'custom:department' } }],
      roles: { authenticated: AUTH_ROLE, unauthenticated: GUEST_ROLE },
      roleMappings: {
        'cognito-idp_us-east-1_amazonaws_com/us-east-1_Abc123DEF:4example5client6id7abc8': {
          type: 'Rules',
          ambiguousRoleResolution: 'AuthenticatedRole',
          rulesConfiguration: { rules: [{ claim: 'cognito:groups', matchType: 'Contains', value: 'admins', roleARN: AUTH_ROLE }] },
        },
      },
    });
    expect(pool.relations).toEqual({
      userPools: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123DEF'],
      userPoolClients: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123DEF/client/4example5client6id7abc8'],
      authenticatedRole: [AUTH_ROLE],
      unauthenticatedRole: [GUEST_ROLE],
      mappedRoles: [AUTH_ROLE],
    });
  });

  it('notes AWS defaults for settings DescribeIdentityPool leaves out (AllowClassicFlow of closed_pool)', async () => {
    const pools = await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, POOLS), testContext(POOLS));
    const closed = pools.find((p) => p.name === 'closed_pool')!;
    expect(closed.properties.allowClassicFlow).toBe(false);
    expect(closed.defaults).toEqual(['allowClassicFlow']);
  });

  it('gives resources valid against schemas/resources/cognito.identityPool.schema.json', async () => {
    const { resources } = await readAccount();
    expect(schemaErrors(resources)).toEqual({});
  });

  it('AccessDenied on GetIdentityPoolRoles: roles and roleMappings unresolved, the guest-role rule reports unknown', async () => {
    const denied = withExchange(POOLS, 'GetIdentityPoolRoles', 0, { error: 'AccessDeniedException' });
    const { resources, ctx } = await readAccount(denied);
    const pool = byId(resources, GUEST);
    expect(pool.unresolved).toEqual({
      roles: 'roles of identity pool us-east-1:11111111-1111-1111-1111-111111111111 could not be read',
      roleMappings: 'roles of identity pool us-east-1:11111111-1111-1111-1111-111111111111 could not be read',
    });
    expect(pool.properties.roles).toBeUndefined();
    expect(ctx.diagnostics.map((d) => d.message)).toEqual([
      'roles of identity pool us-east-1:11111111-1111-1111-1111-111111111111: GetIdentityPoolRoles failed with AccessDeniedException',
    ]);
    expect(await guestRoleOutcome(resources)).toEqual([
      'cognito-guest-role-least-privilege cognito.identityPool notApplicable',
      'cognito-guest-role-least-privilege cognito.identityPool unknown',
    ]);
  });

  it('AccessDenied on GetRole of the guest role: the role is not in the scan and the guest-role rule reports unknown', async () => {
    const { resources, ctx } = await readAccount(POOLS, withExchange(ROLES, 'GetRole', 0, { error: 'AccessDenied' }));
    expect(resources.some((r) => r.id === GUEST_ROLE)).toBe(false);
    expect(ctx.diagnostics.map((d) => d.message)).toEqual(['role GuestRole: GetRole failed with AccessDenied']);
    expect(await guestRoleOutcome(resources)).toEqual([
      'cognito-guest-role-least-privilege cognito.identityPool notApplicable',
      'cognito-guest-role-least-privilege cognito.identityPool unknown',
    ]);
  });

  it('a ListIdentityPools NextToken that repeats an earlier page ends the listing with a diagnostic', async () => {
    const looping = structuredClone(POOLS);
    (looping.calls.ListIdentityPools![1]!.output as { NextToken?: string }).NextToken = 'page-2';
    const ctx = testContext(looping);
    const pools = await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, looping), ctx);
    expect(pools.map((p) => p.name)).toEqual(['guest_pool', 'closed_pool']);
    expect(ctx.calls.filter((c) => c === 'ListIdentityPools')).toHaveLength(2);
    expect(ctx.diagnostics.map((d) => d.message)).toEqual([
      'identity pools in us-east-1: ListIdentityPools returned the page token of an earlier page; the listing is incomplete',
    ]);
  });

  it('AccessDenied on DescribeIdentityPool: every described setting is unresolved and guest access reports unknown', async () => {
    const denied = withExchange(POOLS, 'DescribeIdentityPool', 0, { error: 'AccessDeniedException' });
    const { resources } = await readAccount(denied);
    const pool = byId(resources, GUEST);
    expect(pool.unresolved.allowUnauthenticatedIdentities).toBe('identity pool us-east-1:11111111-1111-1111-1111-111111111111 could not be read');
    expect(pool.properties.allowUnauthenticatedIdentities).toBeUndefined();
    expect((await outcomes(resources)).filter((l) => l.startsWith('cognito-identity-pool-guest-access-disabled '))).toEqual([
      'cognito-identity-pool-guest-access-disabled cognito.identityPool pass',
      'cognito-identity-pool-guest-access-disabled cognito.identityPool unknown',
    ]);
  });

  it('a DescribeIdentityPool throttled once succeeds on retry with nothing unresolved', async () => {
    const throttled = withExchange(POOLS, 'DescribeIdentityPool', 0, { throttleOnce: true });
    const ctx = testContext(throttled);
    const pools = await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, throttled), ctx);
    expect(ctx.throttles).toBe(1);
    expect(ctx.calls.filter((c) => c === 'DescribeIdentityPool')).toHaveLength(3);
    expect(ctx.diagnostics).toEqual([]);
    expect(byId(pools, GUEST).properties.allowUnauthenticatedIdentities).toBe(true);
  });

  it('a region that is not enabled (UnrecognizedClientException on ListIdentityPools) gives no pools and one diagnostic', async () => {
    const disabled = withExchange(POOLS, 'ListIdentityPools', 0, { error: 'UnrecognizedClientException' });
    const ctx = testContext(disabled);
    expect(await readIdentityPools(mockFromFixture(CognitoIdentityClient, COMMANDS, disabled), ctx)).toEqual([]);
    expect(ctx.diagnostics.map((d) => d.message)).toEqual(['identity pools in us-east-1: ListIdentityPools failed with UnrecognizedClientException']);
  });

  it('cognito-identity.json + iam.json give the same findings as identity.template.yaml', async () => {
    const { resources } = await readAccount();
    const live = await outcomes(resources);
    expect(live).toContain('cognito-guest-role-least-privilege cognito.identityPool fail');
    // Where the sources know different things: the template has a pool no attachment in it
    // gives roles (unknown: an attachment may live elsewhere; live reads that it has none), and a
    // role mapping is keyed by the template's label there, by its identity provider live. The
    // reconfiguration path starts from the authenticated role, so it differs for that pool too.
    const differ = /^(finding )?(cognito-authenticated-role-least-privilege|cognito-identity-pool-authenticated-role-review|cognito-identity-pool-role-mapping-ambiguous-deny|cognito-path-cognito-reconfig-privesc) /;
    const same = (lines: string[]) => lines.filter((l) => !differ.test(l));
    expect(same(live)).toEqual(same(await outcomes(templateResources('identity.template.yaml'))));
    expect(live).toContain('cognito-identity-pool-role-mapping-ambiguous-deny cognito.identityPool fail');
  });
});
