import type { Resource } from '../model/resource.js';
import { parsePath, readPath, unresolvedAt } from '../rules/paths.js';
import type { ResourceGraph } from '../engine/graph.js';
import type { PolicyDocument } from '../iam/policy-document.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
import { attachingPools } from './cognito-trust-attachment.js';
import { trustsCognito } from './cognito-trust.js';
import { findRole } from './guest-role-scope.js';
import { defineFunction } from './types.js';

// Claims of a user pool ID token that no user can set: Cognito writes them itself (the user's
// id, the client, group membership, how and when the user signed in).
const COGNITO_CLAIMS = new Set([
  'sub',
  'aud',
  'iss',
  'token_use',
  'auth_time',
  'exp',
  'iat',
  'jti',
  'origin_jti',
  'event_id',
  'identities',
  'cognito:groups',
  'cognito:roles',
  'cognito:preferred_role',
  'cognito:username',
]);

interface Claim {
  path: string;
  claim: unknown;
}

const RULE_CLAIMS = ['roleMappings[*].rulesConfiguration.rules[*].claim', 'roleAttachments[*].roleMappings[*].rulesConfiguration.rules[*].claim'].map(
  (p) => parsePath(p)!,
);

/**
 * The claim of every rule of every Rules role mapping, with its path: the pool's own and each
 * competing attachment's (a Token mapping has no rules: a missing step reads as undefined).
 */
function mappingRules(pool: Resource): Claim[] {
  return RULE_CLAIMS.flatMap((segments) => readPath(pool.properties, segments))
    .filter((pv) => !pv.noElements && (pv.value !== undefined || unresolvedAt(pool, pv.path).at))
    .map((pv) => ({ path: pv.path, claim: pv.value }));
}

/**
 * The claims of the principal tag maps of user pool providers (their name is the user pool's
 * provider name, `cognito-idp.<region>.amazonaws.com/<pool>`, or a reference to it), with their paths.
 */
function principalTagClaims(pool: Resource): Claim[] {
  const maps = pool.properties.principalTags;
  if (!Array.isArray(maps)) return [];
  return maps.flatMap((m: { identityProviderName?: unknown; principalTags?: Record<string, unknown> }, i) => {
    const provider = m.identityProviderName;
    const userPool = typeof provider !== 'string' || provider.includes('${') || /^cognito-idp\./.test(provider);
    if (!userPool) return [];
    const claims: Claim[] = Object.entries(m.principalTags ?? {}).map(([tag, claim]) => ({ path: `principalTags[${i}].principalTags.${tag}`, claim }));
    // A value that could not be read is left out of the map and unresolved at its path.
    const below = unresolvedAt(pool, `principalTags[${i}].principalTags`);
    if (below.at || below.below) claims.push({ path: `principalTags[${i}].principalTags`, claim: undefined });
    return claims;
  });
}

/**
 * Whether a client lets its users write the attribute behind a claim: a `custom:` attribute
 * only when WriteAttributes lists it; a standard attribute also when WriteAttributes is absent
 * (Cognito then lets the client write every standard attribute).
 */
function writes(client: Resource, claim: string): boolean | string {
  const unknown = unresolvedAt(client, 'writeAttributes');
  if (unknown.at || unknown.below) return unknown.at ?? unknown.below!;
  const list = client.properties.writeAttributes;
  if (Array.isArray(list)) return list.includes(claim);
  return !claim.startsWith('custom:') && !claim.startsWith('dev:');
}

/**
 * Judges claims of the ID tokens of an identity pool's user pool providers: fails each one some
 * app client of the pool lets users write; a client not among the inputs, or with
 * WriteAttributes not known, leaves a writable-looking claim unknown. `listUnknown` is why the
 * list of claims itself is not (fully) known.
 */
function judgeClaims(pool: Resource, graph: ResourceGraph, claims: readonly Claim[], listUnknown: string | undefined, listPath: string): FunctionResult {
  if (!claims.length && !listUnknown) return { status: 'notApplicable' };
  const providers = pool.properties.cognitoIdentityProviders;
  const providersUnknown = unresolvedAt(pool, 'cognitoIdentityProviders');
  if (!Array.isArray(providers) || !providers.length) {
    if (providersUnknown.at) return { status: 'unknown', reason: providersUnknown.at, evidence: [{ path: 'cognitoIdentityProviders' }] };
    return { status: 'notApplicable' };
  }
  const clients = graph.related(pool, 'userPoolClients');
  const reasons: string[] = listUnknown ? [listUnknown] : [];
  if (providersUnknown.at || providersUnknown.below) reasons.push(providersUnknown.at ?? providersUnknown.below!);
  // Each provider names one client; one not among the inputs may let users write anything.
  if (clients.length < providers.length) reasons.push(`${providers.length - clients.length} app client(s) of the pool are not among the inputs, so their WriteAttributes are not known`);
  const failed: RuleEvidence[] = [];
  const undecided: RuleEvidence[] = [];
  for (const { path, claim } of claims) {
    const claimUnknown = unresolvedAt(pool, path);
    if (claimUnknown.at || typeof claim !== 'string' || claim.includes('${')) {
      reasons.push(claimUnknown.at ?? `${path} is not known`);
      undecided.push({ path });
      continue;
    }
    if (COGNITO_CLAIMS.has(claim)) continue;
    const verdicts = clients.map((c) => ({ c, w: writes(c, claim) }));
    const writers = verdicts.filter((v) => v.w === true).map((v) => v.c.name);
    if (writers.length) {
      failed.push({ path, actual: claim, expected: `a claim users cannot write (app client ${writers.join(', ')} lets users write ${claim})`, detail: claim });
    } else if (reasons.length || verdicts.some((v) => typeof v.w === 'string')) {
      for (const v of verdicts) if (typeof v.w === 'string') reasons.push(v.w);
      undecided.push({ path, actual: claim });
    }
  }
  if (failed.length) return { status: 'fail', evidence: failed };
  if (undecided.length || listUnknown) return { status: 'unknown', reason: [...new Set(reasons)].join('; '), evidence: undecided.length ? undecided : [{ path: listPath }] };
  return { status: 'pass' };
}

const COMMON =
  'Judged for identity pools with Cognito user pool providers: a claim is safe when Cognito sets it (sub, aud, iss, cognito:groups, cognito:username, token times) or no app client of the pool (its CognitoIdentityProviders) lets users write the attribute. A custom: attribute is writable when a client lists it in WriteAttributes; a standard attribute also when a client omits WriteAttributes. A client that is not among the inputs, or whose WriteAttributes is not known, makes a writable-looking claim unknown. One finding per claim.';

/**
 * An identity pool's Rules role mappings test only claims that users cannot write. A rule on a
 * claim a user can change with UpdateUserAttributes (their own access token is enough) lets
 * every user of the app client pick the role the rule maps to.
 */
export const roleMappingClaimsSafe = defineFunction<Record<string, never>>({
  name: 'roleMappingClaimsSafe',
  description: `Every Rules role mapping rule of the pool (its own and each competing attachment's) tests a claim no user can write. ${COMMON} Pools without rule mappings or without user pool providers are not applicable.`,
  kinds: ['cognito.identityPool'],
  reads: ['roleMappings', 'roleAttachments', 'cognitoIdentityProviders'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(pool, _options, { graph }) {
    return judgeClaims(pool, graph, mappingRules(pool), unresolvedAt(pool, 'roleMappings').at, 'roleMappings');
  },
});

/**
 * The claims an identity pool turns into session tags (attributes for access control) are
 * claims users cannot write: a policy that tests `aws:PrincipalTag/...` trusts them.
 */
export const principalTagClaimsSafe = defineFunction<Record<string, never>>({
  name: 'principalTagClaimsSafe',
  description: `Every claim the pool maps to a principal tag for a user pool provider (principalTags[].principalTags values; the defaults, sub and aud, are safe) is one no user can write. ${COMMON} Maps for other identity providers (OIDC, SAML, social), whose claims that provider controls, are not judged; pools without principal tag maps or without user pool providers are not applicable.`,
  kinds: ['cognito.identityPool'],
  reads: ['principalTags', 'cognitoIdentityProviders'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(pool, _options, { graph }) {
    return judgeClaims(pool, graph, principalTagClaims(pool), unresolvedAt(pool, 'principalTags').at, 'principalTags');
  },
});

/**
 * A role whose trust lets Cognito identity pool tokens tag the session (sts:TagSession) takes
 * its principal tags from the pools that attach it: those tags must come from claims users
 * cannot write, or every `aws:PrincipalTag` condition of the role's policies is the user's to set.
 */
export const tagSessionClaimsSafe = defineFunction<Record<string, never>>({
  name: 'tagSessionClaimsSafe',
  description: `For a role whose trust policy lets cognito-identity.amazonaws.com call sts:TagSession: every identity pool of the inputs that attaches the role (default roles or role-mapping rules) maps principal tags only from claims users cannot write (as principalTagClaimsSafe judges them). A role that no pool of the inputs attaches is unknown: which claims become its tags is decided elsewhere. Roles whose trust does not allow sts:TagSession to Cognito identity pools are not applicable.`,
  kinds: ['iam.role'],
  reads: ['assumeRolePolicy'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(role, _options, ctx) {
    const policyUnknown = unresolvedAt(role, 'assumeRolePolicy').at;
    if (policyUnknown) return { status: 'unknown', reason: policyUnknown, evidence: [{ path: 'assumeRolePolicy' }] };
    const statements = (role.properties.assumeRolePolicy as PolicyDocument | undefined)?.statements ?? [];
    const at = statements.findIndex((s) => trustsCognito(s, 'sts:tagsession'));
    if (at < 0) return { status: 'notApplicable' };
    const path = `assumeRolePolicy.statements[${at}]`;
    const pools = attachingPools(role, ctx.graph);
    if (!pools.length) {
      return { status: 'unknown', reason: 'no identity pool of the inputs attaches the role, so which claims become its session tags is not known', evidence: [{ path }] };
    }
    const failed: RuleEvidence[] = [];
    const reasons: string[] = [];
    for (const pool of pools) {
      const r = principalTagClaimsSafe.evaluate(pool, {}, ctx);
      if (r.status === 'fail') {
        for (const e of r.evidence ?? []) {
          failed.push({ path, actual: `identity pool ${pool.name} tags sessions from ${String(e.actual)}, which users can write (${e.path})`, detail: `${pool.name}:${String(e.actual)}`, at: { resourceId: pool.id, path: e.path } });
        }
      } else if (r.status === 'unknown') reasons.push(`identity pool ${pool.name}: ${r.reason ?? 'not known'}`);
    }
    if (failed.length) return { status: 'fail', evidence: failed };
    if (reasons.length) return { status: 'unknown', reason: reasons.join('; '), evidence: [{ path }] };
    return { status: 'pass' };
  },
});

/** Which way a claim users can write reaches a role. */
export interface WritableClaimReachesRoleOptions {
  by: 'roleMapping' | 'principalTag';
}

/**
 * Whether a claim users can write reaches this role: a Rules role-mapping rule that names the
 * role tests it (writing the attribute and signing in again buys the role), or a principal tag
 * of a pool that attaches the role takes it while the role's trust allows sts:TagSession (its
 * `aws:PrincipalTag` conditions then test what the user wrote). The evidence stays on the role,
 * so that an attack path's hop names the role.
 */
export const writableClaimReachesRole = defineFunction<WritableClaimReachesRoleOptions>({
  name: 'writableClaimReachesRole',
  description: `by roleMapping: no Rules role-mapping rule of an identity pool of the inputs (its own or a competing attachment's) that names this role tests a claim users can write (as roleMappingClaimsSafe judges claims); one finding per such rule, unknown when a rule's role or claim, or its clients' WriteAttributes, are not known; not applicable to roles no pool maps. by principalTag: what tagSessionClaimsSafe judges (a role whose trust allows sts:TagSession gets tags only from claims users cannot write), with the evidence on the role's trust statement.`,
  kinds: ['iam.role'],
  reads: ['assumeRolePolicy'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['by'],
    properties: { by: { enum: ['roleMapping', 'principalTag'], description: 'roleMapping: a role-mapping rule on the claim names the role; principalTag: a session tag takes the claim.' } },
  },
  evaluate(role, options, ctx) {
    if (options.by === 'principalTag') {
      const r = tagSessionClaimsSafe.evaluate(role, {}, ctx);
      return r.status === 'fail' ? { status: 'fail', evidence: (r.evidence ?? []).map(({ at: _at, ...e }) => e) } : r;
    }
    const { graph } = ctx;
    const pools = graph.referencedBy(role, 'mappedRoles').filter((p) => p.kind === 'cognito.identityPool');
    if (!pools.length) return { status: 'notApplicable' };
    const failed: RuleEvidence[] = [];
    const reasons: string[] = [];
    for (const pool of pools) {
      for (const rule of mappingRules(pool)) {
        // The rule's role sits next to its claim; one only known at deploy time may be this role.
        const rolePath = rule.path.replace(/\.claim$/, '.roleARN');
        const roleUnknown = unresolvedAt(pool, rolePath).at;
        const ref = readPath(pool.properties, parsePath(rolePath)!)[0]?.value;
        if (!roleUnknown && findRole(graph, ref, pool) !== role) continue;
        const r = judgeClaims(pool, graph, [rule], undefined, rule.path);
        if (r.status === 'fail' && !roleUnknown) {
          for (const e of r.evidence ?? []) failed.push({ path: '', actual: `identity pool ${pool.name} maps ${String(e.actual)} to it (${e.path})`, detail: `${pool.name}:${e.path}` });
        } else if (r.status === 'fail' || r.status === 'unknown') {
          reasons.push(`identity pool ${pool.name}: ${roleUnknown ?? r.reason ?? `${rule.path} could not be judged`}`);
        }
      }
    }
    if (failed.length) return { status: 'fail', evidence: failed };
    if (reasons.length) return { status: 'unknown', reason: [...new Set(reasons)].join('; '), evidence: [{ path: '' }] };
    return { status: 'pass' };
  },
});
