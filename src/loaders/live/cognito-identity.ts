import {
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMapCommand,
  ListIdentityPoolsCommand,
  type CognitoIdentityClient,
  type DescribeIdentityPoolCommandOutput,
  type RoleMapping,
} from '@aws-sdk/client-cognito-identity';
import type { Resource } from '../../model/resource.js';
import type { LiveContext, LiveReader } from './context.js';
import { listAll, liveResource, put, putOrDefault, relate, unresolve, userPoolArn } from './live-resource.js';

// Everything DescribeIdentityPool answers; unresolved together when it cannot be read.
const DESCRIBED = [
  'identityPoolName',
  'allowUnauthenticatedIdentities',
  'allowClassicFlow',
  'cognitoIdentityProviders',
  'supportedLoginProviders',
  'openIdConnectProviderARNs',
  'samlProviderARNs',
  'developerProviderName',
  'principalTags',
];

/**
 * Reads every identity pool of the region: its settings (DescribeIdentityPool), its roles and
 * role mappings (GetIdentityPoolRoles) and, per identity provider, its attribute-to-principal-tag
 * map (GetPrincipalTagAttributeMap). Relations name roles and user pools by ARN so the IAM
 * reader and the user pool reader supply them.
 */
export const readIdentityPools: LiveReader<CognitoIdentityClient> = async (client, ctx) => {
  const listed = await listAll(
    ctx,
    'cognito-identity',
    'ListIdentityPools',
    `identity pools in ${ctx.region}`,
    (token) => client.send(new ListIdentityPoolsCommand({ MaxResults: 60, ...(token && { NextToken: token }) })),
    (o) => ({ items: o.IdentityPools, next: o.NextToken }),
  );
  // The pools are read side by side; the context bounds how many calls are in flight.
  const pools = listed.items.filter((p) => p.IdentityPoolId);
  return Promise.all(pools.map((p) => readIdentityPool(client, ctx, p.IdentityPoolId!, p.IdentityPoolName ?? p.IdentityPoolId!)));
};

async function readIdentityPool(client: CognitoIdentityClient, ctx: LiveContext, id: string, name: string): Promise<Resource> {
  const pool = liveResource('cognito.identityPool', `arn:${ctx.partition}:cognito-identity:${ctx.region}:${ctx.account}:identitypool/${id}`, name, ctx);
  put(pool, 'identityPoolId', id);
  const what = `identity pool ${id}`;
  const described = await ctx.call('cognito-identity', 'DescribeIdentityPool', what, () =>
    client.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })),
  );
  if (described) await describePool(client, ctx, pool, described);
  else unresolve(pool, DESCRIBED, ctx.reason(what));

  const rolesWhat = `roles of identity pool ${id}`;
  const roles = await ctx.call('cognito-identity', 'GetIdentityPoolRoles', rolesWhat, () =>
    client.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id })),
  );
  if (!roles) {
    unresolve(pool, ['roles', 'roleMappings'], ctx.reason(rolesWhat));
    return pool;
  }
  // GetIdentityPoolRoles keys Roles by "authenticated" / "unauthenticated".
  for (const [key, arn] of Object.entries(roles.Roles ?? {})) {
    const slot = key.toLowerCase();
    if ((slot !== 'authenticated' && slot !== 'unauthenticated') || !arn) continue;
    put(pool, `roles.${slot}`, arn);
    relate(pool, `${slot}Role`, arn);
  }
  const mappings = Object.entries(roles.RoleMappings ?? {});
  if (mappings.length) pool.properties.roleMappings = Object.fromEntries(mappings.map(([provider, m]) => [mappingLabel(provider), roleMapping(pool, m)]));
  return pool;
}

async function describePool(client: CognitoIdentityClient, ctx: LiveContext, pool: Resource, d: DescribeIdentityPoolCommandOutput): Promise<void> {
  put(pool, 'identityPoolName', d.IdentityPoolName);
  if (d.IdentityPoolName) pool.name = d.IdentityPoolName;
  putOrDefault(pool, 'allowUnauthenticatedIdentities', d.AllowUnauthenticatedIdentities, false);
  putOrDefault(pool, 'allowClassicFlow', d.AllowClassicFlow, false);
  const providers = d.CognitoIdentityProviders ?? [];
  if (providers.length) {
    pool.properties.cognitoIdentityProviders = providers.map((p) => {
      const item: Record<string, unknown> = {};
      if (p.ProviderName !== undefined) item.providerName = p.ProviderName;
      if (p.ClientId !== undefined) item.clientId = p.ClientId;
      if (p.ServerSideTokenCheck !== undefined) item.serverSideTokenCheck = p.ServerSideTokenCheck;
      // ProviderName is "cognito-idp.<region>.amazonaws.com/<poolId>".
      const poolId = p.ProviderName?.split('/')[1];
      if (poolId) {
        relate(pool, 'userPools', userPoolArn(ctx, poolId));
        if (p.ClientId) relate(pool, 'userPoolClients', `${userPoolArn(ctx, poolId)}/client/${p.ClientId}`);
      }
      return item;
    });
  }
  if (d.SupportedLoginProviders && Object.keys(d.SupportedLoginProviders).length) put(pool, 'supportedLoginProviders', { ...d.SupportedLoginProviders });
  if (d.OpenIdConnectProviderARNs?.length) put(pool, 'openIdConnectProviderARNs', [...d.OpenIdConnectProviderARNs]);
  if (d.SamlProviderARNs?.length) put(pool, 'samlProviderARNs', [...d.SamlProviderARNs]);
  put(pool, 'developerProviderName', d.DeveloperProviderName);

  // Principal tags are configured per identity provider: the user pools and OIDC providers.
  const names = [...providers.map((p) => p.ProviderName), ...(d.OpenIdConnectProviderARNs ?? [])].filter((n): n is string => !!n);
  const tags: Array<Record<string, unknown>> = [];
  for (const provider of names) {
    const what = `principal tags of identity pool ${pool.properties.identityPoolId as string} for ${provider}`;
    const map = await ctx.call('cognito-identity', 'GetPrincipalTagAttributeMap', what, () =>
      client.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool.properties.identityPoolId as string, IdentityProviderName: provider })),
    );
    if (!map) {
      pool.unresolved.principalTags ??= ctx.reason(what);
      continue;
    }
    tags.push({
      identityProviderName: provider,
      ...(map.UseDefaults !== undefined && { useDefaults: map.UseDefaults }),
      ...(map.PrincipalTags && { principalTags: { ...map.PrincipalTags } }),
    });
  }
  if (tags.length && pool.unresolved.principalTags === undefined) pool.properties.principalTags = tags;
}

/**
 * The key of a role mapping is its identity provider ("cognito-idp.<region>.amazonaws.com/<pool>:<client>");
 * its dots and brackets cannot be addressed in a property path, so they become underscores.
 */
function mappingLabel(provider: string): string {
  return provider.replace(/[.[\]]/g, '_');
}

function roleMapping(pool: Resource, m: RoleMapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.Type) out.type = m.Type;
  if (m.AmbiguousRoleResolution) out.ambiguousRoleResolution = m.AmbiguousRoleResolution;
  const rules = m.RulesConfiguration?.Rules;
  if (rules) {
    out.rulesConfiguration = {
      rules: rules.map((r) => {
        relate(pool, 'mappedRoles', r.RoleARN);
        return {
          ...(r.Claim !== undefined && { claim: r.Claim }),
          ...(r.MatchType !== undefined && { matchType: r.MatchType }),
          ...(r.Value !== undefined && { value: r.Value }),
          ...(r.RoleARN !== undefined && { roleARN: r.RoleARN }),
        };
      }),
    };
  }
  return out;
}
