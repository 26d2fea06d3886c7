// Counts the API calls a live scan makes, and the time its rate limits plan, for an account of
// N user pools with C clients each and I identity pools (default 100, 3, 20), with mocked SDK
// clients answering in AWS's response shapes. Time is what the per-category spacing imposes at
// the default --max-rps (a fifth of each default quota): calls of one category run one after
// another at its rate, categories in parallel. Usage: npm run build && node bench/live-calls.mjs [N C I]
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import * as identity from '@aws-sdk/client-cognito-identity';
import * as idp from '@aws-sdk/client-cognito-identity-provider';
import * as iam from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { categoryOf, rateFor } from '../dist/loaders/live/limits.js';
import { readLive } from '../dist/loaders/live/run.js';

const [pools = 100, clientsPerPool = 3, identityPools = 20] = process.argv.slice(2).map(Number);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const creds = { region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const poolId = (i) => `${REGION}_pool${String(i).padStart(4, '0')}`;
const roleArn = (i, kind) => `arn:aws:iam::${ACCOUNT}:role/ip${i}-${kind}`;
const PAGE = 60;

function cognitoIdp() {
  const c = new idp.CognitoIdentityProviderClient(creds);
  const m = mockClient(c);
  m.on(idp.ListUserPoolsCommand).callsFake(({ NextToken }) => {
    const start = Number(NextToken ?? 0);
    const end = Math.min(pools, start + PAGE);
    const UserPools = Array.from({ length: end - start }, (_, k) => ({ Id: poolId(start + k), Name: `pool${start + k}` }));
    return { UserPools, ...(end < pools && { NextToken: String(end) }) };
  });
  m.on(idp.DescribeUserPoolCommand).callsFake(({ UserPoolId }) => ({
    UserPool: { Id: UserPoolId, Name: UserPoolId, Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${UserPoolId}`, MfaConfiguration: 'OFF', UserPoolAddOns: { AdvancedSecurityMode: 'OFF' } },
  }));
  m.on(idp.GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: 'OFF' });
  m.on(idp.ListUserPoolClientsCommand).callsFake(({ UserPoolId }) => ({
    UserPoolClients: Array.from({ length: clientsPerPool }, (_, k) => ({ ClientId: `client${k}`, ClientName: `client${k}`, UserPoolId })),
  }));
  m.on(idp.DescribeUserPoolClientCommand).callsFake(({ UserPoolId, ClientId }) => ({ UserPoolClient: { UserPoolId, ClientId, ClientName: ClientId } }));
  m.on(idp.ListIdentityProvidersCommand).resolves({ Providers: [] });
  m.on(idp.ListResourceServersCommand).resolves({ ResourceServers: [] });
  m.on(idp.ListGroupsCommand).resolves({ Groups: [] });
  return c;
}

function cognitoIdentity() {
  const c = new identity.CognitoIdentityClient(creds);
  const m = mockClient(c);
  m.on(identity.ListIdentityPoolsCommand).resolves({
    IdentityPools: Array.from({ length: identityPools }, (_, i) => ({ IdentityPoolId: `${REGION}:0000-${i}`, IdentityPoolName: `ip${i}` })),
  });
  m.on(identity.DescribeIdentityPoolCommand).callsFake(({ IdentityPoolId }) => ({
    IdentityPoolId,
    IdentityPoolName: IdentityPoolId,
    AllowUnauthenticatedIdentities: true,
    CognitoIdentityProviders: [{ ProviderName: `cognito-idp.${REGION}.amazonaws.com/${poolId(0)}`, ClientId: 'client0', ServerSideTokenCheck: false }],
  }));
  m.on(identity.GetIdentityPoolRolesCommand).callsFake(({ IdentityPoolId }) => {
    const i = IdentityPoolId.split('-').pop();
    return { IdentityPoolId, Roles: { authenticated: roleArn(i, 'auth'), unauthenticated: roleArn(i, 'guest') } };
  });
  m.on(identity.GetPrincipalTagAttributeMapCommand).resolves({ UseDefaults: true, PrincipalTags: {} });
  return c;
}

function iamClient() {
  const c = new iam.IAMClient(creds);
  const m = mockClient(c);
  const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }] }));
  m.on(iam.GetRoleCommand).callsFake(({ RoleName }) => ({
    Role: { Path: '/', RoleName, RoleId: `AROA${RoleName}`, Arn: `arn:aws:iam::${ACCOUNT}:role/${RoleName}`, CreateDate: new Date(0), AssumeRolePolicyDocument: trust },
  }));
  m.on(iam.ListRolePoliciesCommand).resolves({ PolicyNames: ['inline'] });
  m.on(iam.GetRolePolicyCommand).callsFake(({ RoleName, PolicyName }) => ({
    RoleName,
    PolicyName,
    PolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/public/*' }] })),
  }));
  m.on(iam.ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  return c;
}

const empty = (C, cmd, out) => {
  const c = new C(creds);
  mockClient(c).on(cmd).resolves(out);
  return c;
};
const sts = () => empty(STSClient, GetCallerIdentityCommand, { Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/scan/s` });

const clients = {
  cognitoIdp: cognitoIdp,
  cognitoIdentity: cognitoIdentity,
  iam: iamClient,
  apigateway: () => empty(APIGatewayClient, GetRestApisCommand, { items: [] }),
  apigatewayv2: () => empty(ApiGatewayV2Client, GetApisCommand, { Items: [] }),
  sts,
};

const started = performance.now();
const read = await readLive({ regions: [REGION], clients, clock: { now: () => 0, sleep: async () => {} } });
const ms = performance.now() - started;
const perCategory = new Map();
const SERVICE_OF = (api) =>
  /UserPool|IdentityProvider|ResourceServer|Groups|RiskConfiguration|MfaConfig/.test(api) ? 'cognito-idp'
  : /IdentityPool|PrincipalTag/.test(api) ? 'cognito-identity'
  : /Role|Policy/.test(api) ? 'iam'
  : /RestApis/.test(api) ? 'apigateway'
  : /GetApis/.test(api) ? 'apigatewayv2'
  : 'sts';
for (const [api, n] of Object.entries(read.stats.calls)) {
  const category = categoryOf(SERVICE_OF(api), api);
  const entry = perCategory.get(category.name) ?? { calls: 0, rate: rateFor(category, undefined) };
  entry.calls += n;
  perCategory.set(category.name, entry);
}
const total = Object.values(read.stats.calls).reduce((a, b) => a + b, 0);
console.log(`account: ${pools} user pools x ${clientsPerPool} clients, ${identityPools} identity pools (2 roles each, 1 inline policy each)`);
console.log(`resources read: ${read.resources.length}; API calls: ${total}`);
for (const [api, n] of Object.entries(read.stats.calls).sort()) console.log(`  ${api.padEnd(30)} ${n}`);
let longest = 0;
for (const [name, { calls, rate }] of perCategory) {
  const seconds = calls / rate;
  longest = Math.max(longest, seconds);
  console.log(`  category ${name.padEnd(32)} ${String(calls).padStart(5)} calls at ${rate.toFixed(1)}/s = ${seconds.toFixed(0)} s`);
}
console.log(`planned time at the default --max-rps: ~${longest.toFixed(0)} s (${(longest / 60).toFixed(1)} min), set by the slowest category`);
console.log(`(mocked run itself: ${(ms / 1000).toFixed(1)} s)`);
