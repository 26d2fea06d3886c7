/**
 * The live framework and user pool reader with mocked SDK clients (responses in the shapes of
 * AWS's API reference): pagination, AccessDenied, throttling, a Region that is not enabled, a
 * role that cannot be assumed, nothing readable, rate spacing, and secrets never in any output.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { CognitoIdentityClient, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import {
  CognitoIdentityProviderClient,
  DescribeIdentityProviderCommand,
  DescribeRiskConfigurationCommand,
  GetLogDeliveryConfigurationCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUserPoolMfaConfigCommand,
  ListGroupsCommand,
  ListIdentityProvidersCommand,
  ListResourceServersCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { liveHooks } from '../../src/cli/live.js';
import { main } from '../../src/cli/main.js';
import { RateLimiter, type Clock } from '../../src/loaders/live/limits.js';
import { ALL_REGIONS, readLive, renderSnapshot, type ClientConfig, type ClientFactory } from '../../src/loaders/live/run.js';
import { validatorFor } from '../../src/schemas.js';

const ACCOUNT = '123456789012';
const SECRET = 'SEEDED-secret-4f1c9a7e2b';
const noWait: Clock = { now: () => 0, sleep: async () => {} };

function awsError(name: string, message = `${name} for ${SECRET}`): Error {
  // The message quotes a secret on purpose: the scanner must never repeat an error's message.
  return Object.assign(new Error(message), { name, $metadata: {} });
}

const POOL = (id: string, name: string) => ({
  UserPool: {
    Id: id,
    Name: name,
    Arn: `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${id}`,
    MfaConfiguration: 'OFF' as const,
    Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 } },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    CreationDate: new Date('2025-01-01T00:00:00Z'),
  },
});

const CLIENT = (poolId: string, clientId: string) => ({
  UserPoolClient: {
    UserPoolId: poolId,
    ClientId: clientId,
    ClientName: `client-${clientId}`,
    ClientSecret: SECRET,
    AllowedOAuthFlows: ['implicit' as const],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid'],
    CallbackURLs: ['https://app.example.com/cb'],
    RefreshTokenValidity: 30,
    AccessTokenValidity: 60,
    IdTokenValidity: 60,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' } as const,
  },
});

/** One mocked Cognito client per Region (Regions can then fail independently). */
function cognitoFor(region: string, setup: (mock: ReturnType<typeof mockClient>) => void): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  setup(mockClient(client) as unknown as ReturnType<typeof mockClient>);
  return client;
}

/** A healthy account: pools over two pages, clients over two pages, one IdP with secrets. */
function healthyPools(mock: ReturnType<typeof mockClient>): void {
  mock.on(ListUserPoolsCommand).resolves({}).on(ListUserPoolsCommand, { MaxResults: 60, NextToken: undefined }).resolves({ UserPools: [{ Id: 'eu-west-1_AAA' }], NextToken: 'p2' });
  mock.on(ListUserPoolsCommand, { MaxResults: 60, NextToken: 'p2' }).resolves({ UserPools: [{ Id: 'eu-west-1_BBB' }] });
  mock.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves(POOL('eu-west-1_AAA', 'alpha'));
  mock.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_BBB' }).resolves(POOL('eu-west-1_BBB', 'beta'));
  mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: 'OFF' as const });
  mock.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] });
  mock.on(ListUserPoolClientsCommand, { UserPoolId: 'eu-west-1_AAA', MaxResults: 60, NextToken: undefined }).resolves({ UserPoolClients: [{ ClientId: 'c1' }], NextToken: 'c2' });
  mock.on(ListUserPoolClientsCommand, { UserPoolId: 'eu-west-1_AAA', MaxResults: 60, NextToken: 'c2' }).resolves({ UserPoolClients: [{ ClientId: 'c2' }] });
  mock.on(DescribeUserPoolClientCommand, { UserPoolId: 'eu-west-1_AAA', ClientId: 'c1' }).resolves(CLIENT('eu-west-1_AAA', 'c1'));
  mock.on(DescribeUserPoolClientCommand, { UserPoolId: 'eu-west-1_AAA', ClientId: 'c2' }).resolves(CLIENT('eu-west-1_AAA', 'c2'));
  mock.on(ListIdentityProvidersCommand).resolves({ Providers: [] });
  mock.on(ListIdentityProvidersCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({ Providers: [{ ProviderName: 'Google', ProviderType: 'Google' as const }] });
  mock.on(DescribeIdentityProviderCommand).resolves({
    IdentityProvider: {
      UserPoolId: 'eu-west-1_AAA',
      ProviderName: 'Google',
      ProviderType: 'Google' as const,
      ProviderDetails: { client_id: 'google-client', client_secret: SECRET, private_key: SECRET, authorize_scopes: 'openid email' },
    },
  });
  mock.on(ListResourceServersCommand).resolves({ ResourceServers: [{ Identifier: 'https://api.example.com', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }] });
  mock.on(ListGroupsCommand).resolves({ Groups: [{ GroupName: 'admins', Precedence: 1, RoleArn: `arn:aws:iam::${ACCOUNT}:role/admins` }] });
}

/** The other services' clients: holding nothing (every call succeeds) or denying every call. */
let othersDenied = false;

function withMock<C extends object>(client: C, setup: (mock: ReturnType<typeof mockClient>) => void): C {
  const mock = mockClient(client as never) as unknown as ReturnType<typeof mockClient>;
  if (othersDenied) mock.onAnyCommand().rejects(awsError('AccessDeniedException'));
  else setup(mock);
  return client;
}

function factory(cognito: (c: ClientConfig) => CognitoIdentityProviderClient, sts?: (c: ClientConfig) => STSClient): ClientFactory {
  const creds = { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
  return {
    cognitoIdp: cognito,
    // The other services hold nothing here but the group's role, so every call they make succeeds.
    cognitoIdentity: (c) => withMock(new CognitoIdentityClient({ region: c.region, ...creds }), (m) => m.on(ListIdentityPoolsCommand).resolves({ IdentityPools: [] })),
    iam: (c) =>
      withMock(new IAMClient({ region: c.region, ...creds }), (m) => {
        m.on(GetRoleCommand).resolves({
          Role: { Path: '/', RoleName: 'admins', RoleId: 'AROAEXAMPLEADMINS', Arn: `arn:aws:iam::${ACCOUNT}:role/admins`, CreateDate: new Date('2026-01-01T00:00:00Z') },
        });
        m.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
        m.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
      }),
    apigateway: (c) => withMock(new APIGatewayClient({ region: c.region, ...creds }), (m) => m.on(GetRestApisCommand).resolves({ items: [] })),
    apigatewayv2: (c) => withMock(new ApiGatewayV2Client({ region: c.region, ...creds }), (m) => m.on(GetApisCommand).resolves({ Items: [] })),
    sts:
      sts ??
      ((c) => {
        const client = new STSClient({ region: c.region, ...creds });
        mockClient(client).on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/scan/s` });
        return client;
      }),
  };
}

afterEach(() => {
  othersDenied = false;
  delete liveHooks.clients;
});

describe('readLive with mocked clients', () => {
  it('reads pools and clients over several pages, each page once', async () => {
    let mock!: ReturnType<typeof mockClient>;
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      mock = m;
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    expect(read.resources.filter((r) => r.kind === 'cognito.userPool').map((r) => r.name)).toEqual(['alpha', 'beta']);
    expect(read.resources.filter((r) => r.kind === 'cognito.userPoolClient').map((r) => r.id)).toEqual([
      `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_AAA/client/c1`,
      `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_AAA/client/c2`,
    ]);
    expect(mock.commandCalls(ListUserPoolsCommand)).toHaveLength(2);
    expect(read.stats.calls.ListUserPools).toBe(2);
    expect(read.stats.calls.ListUserPoolClients).toBe(3);
    const alpha = read.resources.find((r) => r.name === 'alpha')!;
    expect(alpha.properties.groups).toEqual([{ groupName: 'admins', precedence: 1, roleArn: `arn:aws:iam::${ACCOUNT}:role/admins` }]);
    expect(alpha.relations.groupRoles).toEqual([`arn:aws:iam::${ACCOUNT}:role/admins`]);
    expect(alpha.account).toBe(ACCOUNT);
  });

  it('ListGroups in AWS\'s response shape: one cognito.userPoolGroup per group, related to its pool and its role', async () => {
    const pool = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_AAA`;
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      m.on(ListGroupsCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({
        Groups: [
          {
            GroupName: 'admins',
            UserPoolId: 'eu-west-1_AAA',
            Description: 'Administrators',
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/admins`,
            Precedence: 1,
            LastModifiedDate: new Date('2026-01-02T00:00:00Z'),
            CreationDate: new Date('2026-01-01T00:00:00Z'),
          },
          { GroupName: 'readers', UserPoolId: 'eu-west-1_AAA', CreationDate: new Date('2026-01-01T00:00:00Z') },
        ],
      });
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    const groups = read.resources.filter((r) => r.kind === 'cognito.userPoolGroup' && r.id.startsWith(pool));
    expect(groups.map((g) => ({ id: g.id, properties: g.properties, relations: g.relations }))).toEqual([
      {
        id: `${pool}/group/admins`,
        properties: { groupName: 'admins', userPoolId: 'eu-west-1_AAA', description: 'Administrators', precedence: 1, roleArn: `arn:aws:iam::${ACCOUNT}:role/admins` },
        relations: { userPool: [pool], role: [`arn:aws:iam::${ACCOUNT}:role/admins`] },
      },
      { id: `${pool}/group/readers`, properties: { groupName: 'readers', userPoolId: 'eu-west-1_AAA' }, relations: { userPool: [pool] } },
    ]);
    const valid = validatorFor('resources/cognito.userPoolGroup.schema.json');
    for (const g of groups) expect(valid(g.properties), JSON.stringify(valid.errors)).toBe(true);
  });

  it('AccessDenied on ListGroups: a placeholder group whose rules are unknown, never a pass', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      m.on(ListGroupsCommand, { UserPoolId: 'eu-west-1_AAA' }).rejects(awsError('AccessDeniedException'));
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    const group = read.resources.find((r) => r.id === `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_AAA/group/*`)!;
    expect(group.kind).toBe('cognito.userPoolGroup');
    expect(group.unresolved.roleArn).toMatch(/^ListGroups failed: access denied/);
  });

  it('AccessDenied on DescribeUserPoolClient: a warning naming the client, and its rules unknown (exit 1, not 2)', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      m.on(DescribeUserPoolClientCommand, { UserPoolId: 'eu-west-1_AAA', ClientId: 'c2' }).rejects(awsError('AccessDeniedException'));
    });
    liveHooks.clients = factory(() => client);
    const dir = mkdtempSync(join(tmpdir(), 'cg-live-denied-'));
    const out: string[] = [];
    const code = await main(['scan', '--live', '--region', 'eu-west-1', '--format', 'json', '--max-rps', '7'], {
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
      env: {},
      cwd: dir,
      isTTY: false,
    });
    const report = JSON.parse(out.find((s) => s.trimStart().startsWith('{'))!);
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'live-access-denied', message: expect.stringContaining('DescribeUserPoolClient on app client c2 of user pool eu-west-1_AAA failed: access denied') }),
    );
    const onC2 = report.findings.filter((f: { resource: { id: string } }) => f.resource.id.endsWith('/client/c2'));
    expect(onC2.length).toBeGreaterThan(3);
    expect(onC2.every((f: { status: string }) => f.status === 'unknown')).toBe(true);
    expect(out.join('')).not.toContain(SECRET);
  });

  it('a throttled call succeeds on retry: counted once, the throttle reported', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      m.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_BBB' }).rejectsOnce(awsError('TooManyRequestsException')).resolves(POOL('eu-west-1_BBB', 'beta'));
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    // Only what the reader never reads (the pool's web ACL) is unresolved.
    expect(Object.keys(read.resources.find((r) => r.name === 'beta')?.unresolved ?? {})).toEqual(['webAclArn']);
    expect(read.stats.throttled).toBe(1);
    expect(read.stats.calls.DescribeUserPool).toBe(2);
    expect(read.stats.waitedMs).toBeGreaterThanOrEqual(1000);
    expect(read.diagnostics).toEqual([]);
  });

  it('a ListUserPools page token that comes back again: the listing is incomplete, so its pools are one unknown stand-in, not a clean list', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      m.on(ListUserPoolsCommand).resolves({ UserPools: [{ Id: 'eu-west-1_AAA', Name: 'alpha' }], NextToken: 'same-page' });
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    expect(read.diagnostics.map((d) => d.code)).toContain('live-pagination-loop');
    const pools = read.resources.filter((r) => r.kind === 'cognito.userPool');
    expect(pools.map((r) => r.id)).toEqual([`arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/*`]);
    // Every property a user pool rule may read is unknown on the stand-in, not a hand-picked few.
    const schema = JSON.parse(readFileSync('schemas/resources/cognito.userPool.schema.json', 'utf8')) as { properties: object };
    expect(Object.keys(pools[0]!.unresolved).sort()).toEqual(Object.keys(schema.properties).sort());
  });

  it('a Region that is not enabled is a warning; the other Region is still read', async () => {
    const clients = {
      'eu-west-1': cognitoFor('eu-west-1', healthyPools),
      'me-south-1': cognitoFor('me-south-1', (m) => m.onAnyCommand().rejects(awsError('UnrecognizedClientException'))),
    };
    const read = await readLive({ regions: ['eu-west-1', 'me-south-1'], clients: factory((c) => clients[c.region as keyof typeof clients]), clock: noWait });
    expect(read.diagnostics.map((d) => d.code)).toEqual(['live-region-not-enabled']);
    expect(read.diagnostics[0]!.message).toMatch(/^123456789012\/me-south-1: ListUserPools on user pools in me-south-1 failed: credentials rejected, the Region may not be enabled/);
    expect(read.resources.filter((r) => r.region === 'eu-west-1' && r.kind === 'cognito.userPool')).toHaveLength(2);
    // The unread Region's pools are one resource whose rules all report unknown.
    const unread = read.resources.filter((r) => r.region === 'me-south-1');
    expect(unread.map((r) => r.id)).toEqual([`arn:aws:cognito-idp:me-south-1:${ACCOUNT}:userpool/*`]);
    expect(unread[0]!.unresolved.mfaConfiguration).toMatch(/ListUserPools failed/);
  });

  it('a role that cannot be assumed is a warning; the next account is scanned', async () => {
    const roleOk = `arn:aws:iam::${ACCOUNT}:role/scan`;
    const roleDenied = 'arn:aws:iam::210987654321:role/scan';
    const sts = (c: ClientConfig): STSClient => {
      const client = new STSClient({ region: c.region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      const m = mockClient(client);
      m.on(AssumeRoleCommand, { RoleArn: roleDenied }).rejects(awsError('AccessDenied'));
      m.on(AssumeRoleCommand, { RoleArn: roleOk }).resolves({ Credentials: { AccessKeyId: 'AK', SecretAccessKey: SECRET, SessionToken: 'T', Expiration: new Date() } });
      m.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
      return client;
    };
    const configs: ClientConfig[] = [];
    const cognito = cognitoFor('eu-west-1', healthyPools);
    const read = await readLive({
      regions: ['eu-west-1'],
      roleArns: [roleDenied, roleOk],
      externalId: 'ext-1',
      clients: factory((c) => (configs.push(c), cognito), sts),
      clock: noWait,
    });
    expect(read.diagnostics.map((d) => [d.code, d.message.includes(`role ${roleDenied}`)])).toEqual([['live-access-denied', true]]);
    expect(read.accounts).toEqual([ACCOUNT]);
    expect(configs[0]!.credentials?.accessKeyId).toBe('AK');
  });

  it('nothing readable (every call denied) ends with one line and exit 2', async () => {
    const client = cognitoFor('eu-west-1', (m) => m.onAnyCommand().rejects(awsError('AccessDeniedException')));
    othersDenied = true;
    liveHooks.clients = factory(() => client);
    const err: string[] = [];
    const code = await main(['scan', '--live', '--region', 'eu-west-1'], { stdout: () => {}, stderr: (s) => err.push(s), env: {}, cwd: tmpdir(), isTTY: false });
    expect(code).toBe(2);
    expect(err).toEqual([
      'cognito-guard: --live: nothing could be read: 123456789012/eu-west-1: ListUserPools on user pools in eu-west-1 failed: access denied (AccessDeniedException)\n',
    ]);
  });
});

describe('Regions and what each pool has', () => {
  it('--all-regions lists the user pools of every Region in the list, once each', async () => {
    const regions: string[] = [];
    const read = await readLive({
      allRegions: true,
      clients: factory((c) => (regions.push(c.region), cognitoFor(c.region, (m) => m.on(ListUserPoolsCommand).resolves({ UserPools: [] })))),
      clock: noWait,
    });
    expect(regions).toEqual(ALL_REGIONS);
    expect(read.stats.calls.ListUserPools).toBe(ALL_REGIONS.length);
    expect(read.regions).toEqual(ALL_REGIONS);
  });

  it('without --region, the Region of --profile in the AWS config file; with none anywhere, one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-live-profile-'));
    writeFileSync(join(dir, 'config'), '[profile scan]\nregion = eu-west-3\n');
    const saved = { ...process.env };
    try {
      for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      const configs: ClientConfig[] = [];
      await readLive({ profile: 'scan', clients: factory((c) => (configs.push(c), cognitoFor(c.region, healthyPools))), clock: noWait });
      expect(configs[0]).toMatchObject({ region: 'eu-west-3', profile: 'scan' });
      const err: string[] = [];
      expect(await main(['scan', '--live'], { stdout: () => {}, stderr: (s) => err.push(s), env: {}, cwd: dir, isTTY: false })).toBe(2);
      expect(err).toEqual(['cognito-guard: --live: no Region: pass --region, --all-regions or set AWS_REGION\n']);
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the risk configuration of a pool with threat protection on, and its domain', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      const pool = POOL('eu-west-1_AAA', 'alpha');
      m.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({
        UserPool: { ...pool.UserPool, UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' }, Domain: 'alpha-auth' },
      });
      m.on(DescribeRiskConfigurationCommand).resolves({
        RiskConfiguration: {
          UserPoolId: 'eu-west-1_AAA',
          CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
          AccountTakeoverRiskConfiguration: {
            Actions: {
              LowAction: { Notify: false, EventAction: 'NO_ACTION' },
              MediumAction: { Notify: true, EventAction: 'MFA_IF_CONFIGURED' },
              HighAction: { Notify: true, EventAction: 'BLOCK' },
            },
          },
        },
      });
      m.on(DescribeUserPoolDomainCommand, { Domain: 'alpha-auth' }).resolves({
        DomainDescription: { UserPoolId: 'eu-west-1_AAA', Domain: 'alpha-auth', Status: 'ACTIVE', ManagedLoginVersion: 2 },
      });
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    const alpha = read.resources.find((r) => r.name === 'alpha')!;
    expect(alpha.properties.riskConfiguration).toEqual({
      compromisedCredentialsAction: 'BLOCK',
      // No EventFilter in the response: the action applies to every event.
      compromisedCredentialsEvents: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
      accountTakeoverActions: { low: 'NO_ACTION', medium: 'MFA_IF_CONFIGURED', high: 'BLOCK' },
    });
    const domain = read.resources.find((r) => r.kind === 'cognito.userPoolDomain')!;
    expect(domain).toMatchObject({ name: 'alpha-auth', properties: { domain: 'alpha-auth', userPoolId: 'eu-west-1_AAA', managedLoginVersion: 2 } });
    expect(domain.relations.userPool).toEqual([alpha.id]);
    expect(read.stats.calls.DescribeRiskConfiguration).toBe(1);
    expect(validatorFor('snapshot.schema.json')(JSON.parse(renderSnapshot(read, new Date())))).toBe(true);
  });
  it('relates a pool to its SmsConfiguration.SnsCallerArn role (smsRole) and reads that role from IAM', async () => {
    const sms = `arn:aws:iam::${ACCOUNT}:role/cognito-sms`;
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      const pool = POOL('eu-west-1_AAA', 'alpha');
      m.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({ UserPool: { ...pool.UserPool, SmsConfiguration: { SnsCallerArn: sms, ExternalId: 'alpha-sms' } } });
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    const alpha = read.resources.find((r) => r.name === 'alpha')!;
    expect(alpha.properties.smsConfiguration).toEqual({ snsCallerArn: sms, externalId: 'alpha-sms' });
    expect(alpha.relations.smsRole).toEqual([sms]);
    // The group role and the SMS role: one GetRole each.
    expect(read.stats.calls.GetRole).toBe(2);
  });

  it('reads the log delivery configuration of a pool on the Plus plan, by event source', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      const pool = POOL('eu-west-1_AAA', 'alpha');
      m.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({ UserPool: { ...pool.UserPool, UserPoolTier: 'PLUS' } });
      m.on(GetLogDeliveryConfigurationCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({
        LogDeliveryConfiguration: {
          UserPoolId: 'eu-west-1_AAA',
          LogConfigurations: [
            { LogLevel: 'ERROR', EventSource: 'userNotification', CloudWatchLogsConfiguration: { LogGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vendedlogs/errors' } },
            { LogLevel: 'INFO', EventSource: 'userAuthEvents', FirehoseConfiguration: { StreamArn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/auth' } },
          ],
        },
      });
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    const alpha = read.resources.find((r) => r.name === 'alpha')!;
    expect(alpha.properties.logDelivery).toEqual({
      userNotification: { eventSource: 'userNotification', logLevel: 'ERROR', destination: 'cloudWatchLogs' },
      userAuthEvents: { eventSource: 'userAuthEvents', logLevel: 'INFO', destination: 'firehose' },
    });
    // Only the Plus pool: the others cannot export user activity logs.
    expect(read.stats.calls.GetLogDeliveryConfiguration).toBe(1);
    expect(validatorFor('snapshot.schema.json')(JSON.parse(renderSnapshot(read, new Date())))).toBe(true);
  });
});

describe('readLive: user pool settings for the rules', () => {
  it('maps GetUserPoolMfaConfig WebAuthnConfiguration.UserVerification and DescribeUserPool UserPoolTier, UserAttributeUpdateSettings and PasswordHistorySize', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      const pool = POOL('eu-west-1_AAA', 'alpha');
      m.on(DescribeUserPoolCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({
        UserPool: {
          ...pool.UserPool,
          UserPoolTier: 'PLUS',
          Policies: { PasswordPolicy: { MinimumLength: 12, PasswordHistorySize: 3 }, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        },
      });
      m.on(GetUserPoolMfaConfigCommand, { UserPoolId: 'eu-west-1_AAA' }).resolves({
        MfaConfiguration: 'OFF' as const,
        WebAuthnConfiguration: { RelyingPartyId: 'auth.example.com', UserVerification: 'required' },
      });
    });
    const read = await readLive({ regions: ['eu-west-1'], clients: factory(() => client), clock: noWait });
    const alpha = read.resources.find((r) => r.name === 'alpha')!;
    expect(alpha.properties).toMatchObject({
      userPoolTier: 'PLUS',
      webAuthnConfiguration: { userVerification: 'required' },
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ['email'] },
      policies: { passwordPolicy: { passwordHistorySize: 3 }, signInPolicy: { allowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    });
    // A pool whose MFA configuration has no passkey settings gets Cognito's default.
    const beta = read.resources.find((r) => r.name === 'beta')!;
    expect(beta.properties.webAuthnConfiguration).toEqual({ userVerification: 'preferred' });
    expect(beta.defaults).toContain('webAuthnConfiguration.userVerification');
  });
});

describe('live options on the command line', () => {
  it.each([
    [['scan', 'template.yaml', '--region', 'eu-west-1'], 'cognito-guard: --region needs --live\n'],
    [['scan', '--live', 'template.yaml'], 'cognito-guard: scan --live takes no files (got "template.yaml")\n'],
    [['scan', '--live', '--max-rps', '0'], 'cognito-guard: --max-rps must be a positive number (got "0")\n'],
    [['export', '--live'], 'cognito-guard: export: --output FILE is required\n'],
  ])('%j is one line and exit 2, before any AWS call', async (argv, message) => {
    const err: string[] = [];
    liveHooks.clients = factory(() => {
      throw new Error('no client may be built');
    });
    expect(await main(argv, { stdout: () => {}, stderr: (s) => err.push(s), env: {}, cwd: tmpdir(), isTTY: false })).toBe(2);
    expect(err).toEqual([message]);
  });
});

describe('secrets', () => {
  it('a seeded ClientSecret and IdP client_secret/private_key appear in no output format, snapshot or stderr', async () => {
    const client = cognitoFor('eu-west-1', (m) => {
      healthyPools(m);
      // A failing call whose error message quotes the secret.
      m.on(ListResourceServersCommand).rejects(awsError('InternalErrorException'));
    });
    liveHooks.clients = factory(() => client);
    const dir = mkdtempSync(join(tmpdir(), 'cg-live-secrets-'));
    const io = { stdout: (s: string) => printed.push(s), stderr: (s: string) => printed.push(s), env: {}, cwd: dir, isTTY: true };
    const printed: string[] = [];
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      expect(await main(['scan', '--live', '--region', 'eu-west-1', '--max-rps', '7', '--format', format, '--output', `report.${format}`], io)).toBe(1);
    }
    expect(await main(['export', '--live', '--region', 'eu-west-1', '--max-rps', '7', '--output', 'export.json'], io)).toBe(0);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['export.json', 'report.json', 'report.markdown', 'report.sarif', 'report.snapshot.json', 'report.text']);
    const everything = printed.join('') + files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    rmSync(dir, { recursive: true, force: true });
    expect(everything).toContain('cognito-public-client-no-secret');
    expect(everything).toContain('"present": true');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('SEEDED');
  });
});

describe('RateLimiter', () => {
  it('spaces the calls of one quota category at a fifth of its default quota and bounds calls in flight', async () => {
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const limiter = new RateLimiter(clock, undefined, 2);
    let inFlight = 0;
    let most = 0;
    const call = () =>
      limiter.run('cognito-idp', 'DescribeUserPoolClient', async () => {
        most = Math.max(most, ++inFlight);
        await Promise.resolve();
        inFlight--;
      });
    await Promise.all(Array.from({ length: 7 }, call));
    // UserPoolClientRead: 15 requests/s by default, a fifth of it is 3/s: 6 gaps of 333 ms.
    expect(Math.round(now)).toBe(2000);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('--max-rps never takes more than half of a category default quota', async () => {
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const limiter = new RateLimiter(clock, 1000);
    for (let i = 0; i < 4; i++) await limiter.run('cognito-idp', 'DescribeUserPool', async () => {});
    // UserPoolRead 15/s: at most 7.5/s, so 3 gaps of 133 ms.
    expect(Math.round(now)).toBe(400);
  });
});
