import {
  DescribeIdentityProviderCommand,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetLogDeliveryConfigurationCommand,
  GetUserPoolMfaConfigCommand,
  ListGroupsCommand,
  ListIdentityProvidersCommand,
  ListResourceServersCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type CognitoIdentityProviderClient,
  type GetUserPoolMfaConfigResponse,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ResourceKind } from '../../model/kinds.js';
import type { Resource } from '../../model/resource.js';
import { RISK_CONFIGURATION_DEFAULTS } from '../aws-defaults.js';
import { IDP_SECRETS, SECRET_KEY } from '../idp-secrets.js';
import { Reader, Scope, Target, type TemplateContext } from '../cloudformation/builder.js';
import type { Evaluated } from '../cloudformation/intrinsics.js';
import { authEventsExportable, mapIdentityProvider, mapUserPool, mapUserPoolClient, mapUserPoolDomain, mapUserPoolGroup } from '../cloudformation/map/cognito.js';
import type { LiveContext, LiveReader, LiveService } from './context.js';
import { listAll, liveResource, relate, userPoolArn } from './live-resource.js';
import { unresolveAll } from '../unread.js';

const SERVICE: LiveService = 'cognito-idp';

/**
 * Reads every user pool of ctx.region with its MFA and risk configuration, app clients,
 * identity providers, domains, resource servers and groups. Never lists users. App client
 * secrets and identity providers' secrets are dropped from each response as it arrives.
 */
export const readUserPools: LiveReader<CognitoIdentityProviderClient> = async (client, ctx) => {
  const what = `user pools in ${ctx.region}`;
  const pools = await paginate(ctx, 'ListUserPools', what, (NextToken) => client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken })), (r) => ({
    items: r.UserPools ?? [],
    next: r.NextToken,
  }));
  if (pools === undefined) return [placeholder(ctx, 'cognito.userPool', `${poolArnPrefix(ctx)}*`, what)];
  // A few pools at a time: each quota category then runs at its own rate instead of waiting
  // for the others (ctx.call still spaces every call of a category).
  const ids = pools.flatMap((p) => (p.Id ? [p.Id] : []));
  const out: Resource[] = [];
  for (let i = 0; i < ids.length; i += POOLS_AT_ONCE) {
    const batch = await Promise.all(ids.slice(i, i + POOLS_AT_ONCE).map((id) => readPool(client, ctx, id)));
    out.push(...batch.flat());
  }
  return out;
};

const POOLS_AT_ONCE = 4;

async function readPool(client: CognitoIdentityProviderClient, ctx: LiveContext, poolId: string): Promise<Resource[]> {
  const fallbackArn = userPoolArn(ctx, poolId);
  const what = `user pool ${poolId}`;
  const described = await ctx.call(SERVICE, 'DescribeUserPool', what, () => client.send(new DescribeUserPoolCommand({ UserPoolId: poolId })));
  const pool = described?.UserPool;
  if (!pool) return [placeholder(ctx, 'cognito.userPool', fallbackArn, what, poolId)];
  const arn = pool.Arn ?? fallbackArn;
  const mfaWhat = `MFA configuration of user pool ${poolId}`;
  const mfa = await ctx.call(SERVICE, 'GetUserPoolMfaConfig', mfaWhat, () => client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId })));
  const resources: Resource[] = [];
  const userPool = mapped(ctx, 'cognito.userPool', arn, pool.Name ?? poolId, userPoolProps(pool, mfa), mapUserPool);
  userPool.properties.userPoolId = poolId;
  // The role Cognito assumes to send SMS: read from IAM with the other roles pools name.
  relate(userPool, 'smsRole', pool.SmsConfiguration?.SnsCallerArn);
  if (!mfa) {
    userPool.unresolved.enabledMfas = ctx.reason(mfaWhat);
    if (!pool.MfaConfiguration) userPool.unresolved.mfaConfiguration = ctx.reason(mfaWhat);
  }
  // The web ACL of a pool is told only by wafv2:GetWebACLForResource, a client this reader does not have.
  userPool.unresolved.webAclArn = 'the live reader does not call wafv2:GetWebACLForResource, so the web ACL of the pool is not read';
  await riskConfiguration(client, ctx, poolId, userPool);
  await logDelivery(client, ctx, poolId, userPool);
  const groups = await groupsAndResourceServers(client, ctx, poolId, userPool, arn);
  resources.push(userPool, ...groups);
  resources.push(...(await clients(client, ctx, poolId, arn)));
  resources.push(...(await providers(client, ctx, poolId, arn)));
  resources.push(...(await domains(client, ctx, pool, arn)));
  return resources;
}

/**
 * DescribeUserPool in CloudFormation's shape, so that the CloudFormation mapper normalizes both
 * sources the same way. GetUserPoolMfaConfig is what says which factors are on: a factor's
 * configuration block is present (TOTP: Enabled) when the factor is enabled.
 */
function userPoolProps(pool: UserPoolType, mfa: GetUserPoolMfaConfigResponse | undefined): Record<string, unknown> {
  const props: Record<string, unknown> = { ...pool, UserPoolName: pool.Name, Schema: pool.SchemaAttributes };
  if (mfa) {
    props.MfaConfiguration = mfa.MfaConfiguration ?? pool.MfaConfiguration;
    const enabled: string[] = [];
    if (mfa.SmsMfaConfiguration) enabled.push('SMS_MFA');
    if (mfa.SoftwareTokenMfaConfiguration?.Enabled) enabled.push('SOFTWARE_TOKEN_MFA');
    if (mfa.EmailMfaConfiguration) enabled.push('EMAIL_OTP');
    props.EnabledMfas = enabled;
    // Passkey settings live in the MFA configuration, not in DescribeUserPool.
    if (mfa.WebAuthnConfiguration?.UserVerification) props.WebAuthnUserVerification = mfa.WebAuthnConfiguration.UserVerification;
  }
  return props;
}

/** Threat protection settings exist only when the pool has them on (AUDIT or ENFORCED). */
async function riskConfiguration(client: CognitoIdentityProviderClient, ctx: LiveContext, poolId: string, pool: Resource): Promise<void> {
  const mode = (pool.properties.userPoolAddOns as { advancedSecurityMode?: string } | undefined)?.advancedSecurityMode;
  if (mode !== 'AUDIT' && mode !== 'ENFORCED') return;
  const what = `risk configuration of user pool ${poolId}`;
  const res = await ctx.call(SERVICE, 'DescribeRiskConfiguration', what, () => client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId })));
  if (!res) {
    pool.unresolved.riskConfiguration = ctx.reason(what);
    return;
  }
  const risk = res.RiskConfiguration;
  const takeover = risk?.AccountTakeoverRiskConfiguration?.Actions;
  pool.properties.riskConfiguration = {
    ...(risk?.CompromisedCredentialsRiskConfiguration?.Actions?.EventAction && {
      compromisedCredentialsAction: risk.CompromisedCredentialsRiskConfiguration.Actions.EventAction,
      // No EventFilter: every event (SetRiskConfiguration's default).
      compromisedCredentialsEvents: risk.CompromisedCredentialsRiskConfiguration.EventFilter ?? [...RISK_CONFIGURATION_DEFAULTS.compromisedCredentialsEvents],
    }),
    ...(takeover && {
      accountTakeoverActions: {
        ...(takeover.LowAction?.EventAction && { low: takeover.LowAction.EventAction }),
        ...(takeover.MediumAction?.EventAction && { medium: takeover.MediumAction.EventAction }),
        ...(takeover.HighAction?.EventAction && { high: takeover.HighAction.EventAction }),
      },
    }),
  };
}

/** Log export (user activity logs need the Plus plan): read for the pools where it matters. */
async function logDelivery(client: CognitoIdentityProviderClient, ctx: LiveContext, poolId: string, pool: Resource): Promise<void> {
  if (!authEventsExportable(pool)) return;
  const what = `log delivery configuration of user pool ${poolId}`;
  const res = await ctx.call(SERVICE, 'GetLogDeliveryConfiguration', what, () => client.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId })));
  if (!res) {
    pool.unresolved.logDelivery = ctx.reason(what);
    return;
  }
  const delivery: Record<string, unknown> = {};
  for (const c of res.LogDeliveryConfiguration?.LogConfigurations ?? []) {
    if (!c.EventSource) continue;
    const destination = c.CloudWatchLogsConfiguration ? 'cloudWatchLogs' : c.S3Configuration ? 's3' : c.FirehoseConfiguration ? 'firehose' : undefined;
    delivery[c.EventSource] = { eventSource: c.EventSource, ...(c.LogLevel && { logLevel: c.LogLevel }), ...(destination && { destination }) };
  }
  pool.properties.logDelivery = delivery;
}

/**
 * The pool's groups (kept on the pool as `groups`, and returned as cognito.userPoolGroup
 * resources: ListGroups returns CloudFormation's names) and resource servers.
 */
async function groupsAndResourceServers(client: CognitoIdentityProviderClient, ctx: LiveContext, poolId: string, pool: Resource, poolArn: string): Promise<Resource[]> {
  const groupsWhat = `groups of user pool ${poolId}`;
  const groups = await paginate(ctx, 'ListGroups', groupsWhat, (NextToken) => client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 60, NextToken })), (r) => ({
    items: r.Groups ?? [],
    next: r.NextToken,
  }));
  const out: Resource[] = [];
  if (groups === undefined) {
    pool.unresolved.groups = ctx.reason(groupsWhat);
    // Groups that could not be listed may carry roles: their rules report unknown.
    out.push(withPool(placeholder(ctx, 'cognito.userPoolGroup', `${poolArn}/group/*`, groupsWhat), poolArn));
  } else {
    for (const g of groups) {
      const group = withPool(mapped(ctx, 'cognito.userPoolGroup', `${poolArn}/group/${g.GroupName ?? ''}`, g.GroupName ?? '', g, mapUserPoolGroup), poolArn);
      if (g.RoleArn) group.relations.role = [g.RoleArn];
      out.push(group);
    }
    pool.properties.groups = groups.map((g) => ({
      groupName: g.GroupName ?? '',
      ...(g.Precedence !== undefined && { precedence: g.Precedence }),
      ...(g.RoleArn && { roleArn: g.RoleArn }),
    }));
    const roles = groups.flatMap((g) => (g.RoleArn ? [g.RoleArn] : []));
    if (roles.length) pool.relations.groupRoles = [...new Set(roles)];
  }
  const serversWhat = `resource servers of user pool ${poolId}`;
  const servers = await paginate(
    ctx,
    'ListResourceServers',
    serversWhat,
    (NextToken) => client.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 50, NextToken })),
    (r) => ({ items: r.ResourceServers ?? [], next: r.NextToken }),
  );
  if (servers === undefined) pool.unresolved.resourceServers = ctx.reason(serversWhat);
  else {
    pool.properties.resourceServers = servers.map((s) => ({
      identifier: s.Identifier ?? '',
      ...(s.Name && { name: s.Name }),
      scopes: (s.Scopes ?? []).map((scope) => scope.ScopeName ?? ''),
    }));
  }
  return out;
}

async function clients(client: CognitoIdentityProviderClient, ctx: LiveContext, poolId: string, poolArn: string): Promise<Resource[]> {
  const what = `app clients of user pool ${poolId}`;
  const list = await paginate(
    ctx,
    'ListUserPoolClients',
    what,
    (NextToken) => client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, NextToken })),
    (r) => ({ items: r.UserPoolClients ?? [], next: r.NextToken }),
  );
  if (list === undefined) return [withPool(placeholder(ctx, 'cognito.userPoolClient', `${poolArn}/client/*`, what), poolArn)];
  const out: Resource[] = [];
  for (const summary of list) {
    const clientId = summary.ClientId;
    if (!clientId) continue;
    const id = `${poolArn}/client/${clientId}`;
    const clientWhat = `app client ${clientId} of user pool ${poolId}`;
    const res = await ctx.call(SERVICE, 'DescribeUserPoolClient', clientWhat, () =>
      client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
    );
    if (!res?.UserPoolClient) {
      out.push(withPool(placeholder(ctx, 'cognito.userPoolClient', id, clientWhat, summary.ClientName), poolArn));
      continue;
    }
    // The secret goes no further than this line: only whether there is one is kept.
    const { ClientSecret, ...rest } = res.UserPoolClient;
    const props = { ...rest, GenerateSecret: ClientSecret !== undefined && ClientSecret !== '' };
    const resource = mapped(ctx, 'cognito.userPoolClient', id, rest.ClientName ?? clientId, props, mapUserPoolClient);
    resource.properties.clientId = clientId;
    out.push(withPool(resource, poolArn));
  }
  return out;
}

async function providers(client: CognitoIdentityProviderClient, ctx: LiveContext, poolId: string, poolArn: string): Promise<Resource[]> {
  const what = `identity providers of user pool ${poolId}`;
  const list = await paginate(
    ctx,
    'ListIdentityProviders',
    what,
    (NextToken) => client.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 60, NextToken })),
    (r) => ({ items: r.Providers ?? [], next: r.NextToken }),
  );
  if (list === undefined) return [withPool(placeholder(ctx, 'cognito.identityProvider', `${poolArn}/identityprovider/*`, what), poolArn)];
  const out: Resource[] = [];
  for (const summary of list) {
    const name = summary.ProviderName;
    if (!name) continue;
    const id = `${poolArn}/identityprovider/${name}`;
    const providerWhat = `identity provider ${name} of user pool ${poolId}`;
    const res = await ctx.call(SERVICE, 'DescribeIdentityProvider', providerWhat, () =>
      client.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name })),
    );
    if (!res?.IdentityProvider) {
      out.push(withPool(placeholder(ctx, 'cognito.identityProvider', id, providerWhat, name), poolArn));
      continue;
    }
    // client_secret and private_key are dropped here, before anything else sees the response.
    const details: Record<string, string> = {};
    let hasSecret = false;
    for (const [key, value] of Object.entries(res.IdentityProvider.ProviderDetails ?? {})) {
      if (SECRET_KEY.test(key)) hasSecret ||= IDP_SECRETS.includes(key) && value !== '';
      else details[key] = value;
    }
    const props = { ...res.IdentityProvider, ProviderDetails: details };
    const resource = mapped(ctx, 'cognito.identityProvider', id, name, props, (s, t) => mapIdentityProvider(s, t, {}, emptyTemplate.eval));
    // The secret is held by Cognito and returned by DescribeIdentityProvider: not in any file.
    resource.properties.clientSecret = hasSecret ? { present: true, source: 'api' } : { present: false };
    out.push(withPool(resource, poolArn));
  }
  return out;
}

/** The pool's Cognito domain and custom domain, each described by DescribeUserPoolDomain. */
async function domains(client: CognitoIdentityProviderClient, ctx: LiveContext, pool: UserPoolType, poolArn: string): Promise<Resource[]> {
  const out: Resource[] = [];
  for (const domain of [pool.Domain, pool.CustomDomain]) {
    if (!domain) continue;
    const id = `${poolArn}/domain/${domain}`;
    const what = `domain ${domain} of user pool ${pool.Id}`;
    const res = await ctx.call(SERVICE, 'DescribeUserPoolDomain', what, () => client.send(new DescribeUserPoolDomainCommand({ Domain: domain })));
    if (!res?.DomainDescription) {
      const resource = withPool(placeholder(ctx, 'cognito.userPoolDomain', id, what, domain), poolArn);
      resource.properties.domain = domain;
      delete resource.unresolved.domain;
      out.push(resource);
      continue;
    }
    out.push(withPool(mapped(ctx, 'cognito.userPoolDomain', id, domain, res.DomainDescription, mapUserPoolDomain), poolArn));
  }
  return out;
}

/**
 * Every item of a paginated List call, or undefined when the listing is incomplete (a page
 * failed, or a page token came back again): a partial list would let a missing resource pass
 * unseen, so the caller puts a stand-in with unknown properties in its place.
 */
async function paginate<R, I>(
  ctx: LiveContext,
  api: string,
  what: string,
  send: (token: string | undefined) => Promise<R>,
  page: (response: R) => { items: I[]; next: string | undefined },
): Promise<I[] | undefined> {
  const { items, complete } = await listAll(ctx, SERVICE, api, what, send, page);
  return complete ? items : undefined;
}

function poolArnPrefix(ctx: LiveContext): string {
  return `arn:${ctx.partition}:cognito-idp:${ctx.region}:${ctx.account}:userpool/`;
}

// The CloudFormation mappers read through a Reader; an API response has no template around it,
// so no positions, parameters or mappings.
const emptyTemplate: TemplateContext = {
  file: '',
  doc: { value: undefined, locate: () => undefined },
  eval: { parameters: new Map(), values: {}, mappings: {}, conditions: {}, resources: new Set(), conditionCache: new Map() },
  resources: {},
  diagnostics: [],
  memo: new Map(),
};

/** Normalizes an API response already in CloudFormation's shape with the CloudFormation mapper. */
function mapped(
  ctx: LiveContext,
  kind: ResourceKind,
  id: string,
  name: string,
  props: object,
  map: (s: Scope, t: Target) => void,
): Resource {
  // Dates become text and undefined members disappear: the mappers read plain JSON values.
  const plain = JSON.parse(JSON.stringify(props)) as Record<string, Evaluated>;
  const target = new Target();
  map(new Scope(new Reader(emptyTemplate, plain, '', ''), target), target);
  return {
    ...liveResource(kind, id, name, ctx),
    properties: target.properties,
    unresolved: target.unresolved,
    defaults: target.defaults,
  };
}

/**
 * A resource that could not be read: every property of its kind is unresolved with the reason,
 * so each rule on it reports unknown instead of passing.
 */
export function placeholder(ctx: LiveContext, kind: ResourceKind, id: string, what: string, name?: string): Resource {
  const resource = liveResource(kind, id, name ?? what, ctx);
  unresolveAll(resource.unresolved, kind, ctx.reason(what));
  return resource;
}

function withPool(resource: Resource, poolArn: string): Resource {
  resource.relations.userPool = [poolArn];
  return resource;
}
