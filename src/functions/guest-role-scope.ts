import type { Resource } from '../model/resource.js';
import type { ResourceGraph } from '../engine/graph.js';
import { buildActionIndex, type ActionIndex } from '../iam/action-index.js';
import {
  actionPatterns,
  analyzePermissions,
  listSome,
  resourcePatterns,
  roleBoundarySource,
  rolePolicySources,
  type AnalyzeOptions,
  type PermissionProblem,
  type PolicyDocument,
} from '../iam/analyze.js';
import { GUEST_SESSION_POLICY_ACTIONS } from '../iam/guest-session-policy.js';
import { isUnder, parsePath, readPath, unresolvedAt } from '../rules/paths.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
import { THIS_ACCOUNT, parseRoleArn } from '../util/role-arn.js';
import { defineFunction } from './types.js';

export interface GuestRoleScopeOptions {
  /** Action patterns a guest role may hold whatever their access level (resource scope still applies). */
  allowActions?: string[];
  /** Accept the actions of the enhanced flow's guest session policy on named resources (default true). */
  allowSessionPolicyActions?: boolean;
}

/**
 * The role a role reference names, among the roles of the graph: a resource id, a role's ARN,
 * or an IAM role ARN whose last path segment is a role's RoleName (role names are unique in an
 * account whatever their path). `${AWS::AccountId}` stands for the deploying account, so it
 * matches any account; a literal account must match a role's known account. A name that is
 * itself only known at deploy time (`${AWS::StackName}-guest`) matches only in the same file.
 */
export function findRole(graph: ResourceGraph, ref: unknown, from?: Resource): Resource | undefined {
  if (typeof ref !== 'string') return undefined;
  const direct = graph.get(ref);
  if (direct) return direct.kind === 'iam.role' ? direct : undefined;
  const arn = parseRoleArn(ref);
  return graph.ofKind('iam.role').find((role) => {
    if (role.arn === ref) return true;
    const name = role.properties.roleName;
    if (!arn || typeof name !== 'string' || arn.name !== name) return false;
    if (name.includes('${') && role.source.file !== from?.source.file) return false;
    const known = role.arn !== undefined ? parseRoleArn(role.arn) : undefined;
    if (known && (known.partition !== arn.partition || (arn.account !== THIS_ACCOUNT && known.account !== arn.account))) return false;
    return arn.account === THIS_ACCOUNT || role.account === undefined || role.account === arn.account;
  });
}

/** One role an identity pool may hand out, or why one cannot be known. */
export interface RoleCandidate {
  /** Property path of the reference (where a finding about it points). */
  path: string;
  role?: Resource;
  /** Set when the role is not known or not among the inputs. */
  unknown?: string;
}

/**
 * Every role the pool may hand out for `slot`: from `roles.<slot>` and from each attachment in
 * `roleAttachments` when several compete (the last one deployed wins, so each is a candidate),
 * plus every role the loader related to the pool. A reference that names no role of the inputs
 * is a candidate that cannot be judged, never a pass. Role mappings are not candidates: they
 * choose among roles for authenticated identities only.
 */
export function roleCandidates(graph: ResourceGraph, pool: Resource, slot: 'authenticated' | 'unauthenticated'): RoleCandidate[] {
  const attachments = Array.isArray(pool.properties.roleAttachments) ? pool.properties.roleAttachments : [];
  const paths = [`roles.${slot}`, ...attachments.map((_, i) => `roleAttachments[${i}].roles.${slot}`)];
  const label = slot === 'unauthenticated' ? 'guest' : slot;
  const out: RoleCandidate[] = [];
  const add = (c: RoleCandidate): void => {
    if (!c.role || !out.some((o) => o.role?.id === c.role!.id)) out.push(c);
  };
  for (const path of paths) {
    const u = unresolvedAt(pool, path).at;
    const ref = readPath(pool.properties, parsePath(path)!)[0]?.value;
    // With competing attachments, `roles` is unresolved because each is in roleAttachments.
    if (u && attachments.length && path === paths[0]) continue;
    if (u) add({ path, unknown: `the ${label} role is not known: ${u}` });
    else if (ref === undefined) continue;
    else {
      const role = findRole(graph, ref, pool);
      add(role ? { path, role } : { path, unknown: `${label} role ${String(ref)} is not in the inputs` });
    }
  }
  const at = paths[attachments.length ? 1 : 0]!;
  for (const id of pool.relations[`${slot}Role`] ?? []) {
    const role = graph.get(id);
    add(role?.kind === 'iam.role' ? { path: at, role } : { path: at, unknown: `${label} role ${id} is not a role in the inputs` });
  }
  return out;
}

/**
 * Action and resource patterns of every role, boundary and policy in the graph, plus the guest
 * session policy's actions, for {@link buildActionIndex}.
 */
export function graphPolicyPatterns(graph: ResourceGraph): { actions: string[]; resources: string[] } {
  const documents: Array<PolicyDocument | undefined> = [];
  for (const role of graph.ofKind('iam.role')) {
    for (const source of rolePolicySources(role, undefined)) documents.push(source.document);
    documents.push(roleBoundarySource(role, graph)?.document);
  }
  for (const policy of graph.ofKind('iam.policy')) documents.push(policy.properties.document as PolicyDocument | undefined);
  return {
    actions: [...GUEST_SESSION_POLICY_ACTIONS, ...documents.flatMap(actionPatterns)],
    resources: documents.flatMap(resourcePatterns),
  };
}

const actionIndexes = new WeakMap<ResourceGraph, Promise<ActionIndex>>();

/** The action index of a graph's policies, built once for every role function of a scan. */
function sharedActionIndex(graph: ResourceGraph): Promise<ActionIndex> {
  let index = actionIndexes.get(graph);
  if (!index) {
    const { actions, resources } = graphPolicyPatterns(graph);
    index = buildActionIndex(actions, resources);
    actionIndexes.set(graph, index);
  }
  return index;
}

/**
 * Judges every candidate role and reports the worst: any failure (each named by its role when
 * there are several candidates, from competing role attachments or a reference and a relation
 * that disagree), else any unknown, else a pass.
 */
export function judgeCandidates(candidates: readonly RoleCandidate[], judge: (role: Resource, path: string) => FunctionResult): FunctionResult {
  const several = candidates.length > 1;
  const results = candidates.map(({ path, role, unknown }): FunctionResult => {
    if (!role) return { status: 'unknown', reason: unknown!, evidence: [{ path }] };
    const result = judge(role, path);
    if (!several || !result.evidence) return result;
    return {
      ...result,
      evidence: result.evidence.map((e) => ({
        ...e,
        ...(typeof e.actual === 'string' && { actual: `role ${role.name}: ${e.actual}` }),
        ...(e.detail !== undefined && { detail: `${role.id}::${e.detail}` }),
      })),
    };
  });
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length) return { status: 'fail', evidence: failed.flatMap((r) => r.evidence ?? []) };
  const unknown = results.filter((r) => r.status === 'unknown');
  if (unknown.length) return { status: 'unknown', reason: [...new Set(unknown.map((r) => r.reason))].join('; '), evidence: unknown.flatMap((r) => r.evidence ?? []) };
  return { status: 'pass' };
}

/**
 * Anyone who knows an identity pool's id can get guest credentials when unauthenticated
 * identities are allowed (GetId + GetCredentialsForIdentity need no signature). The guest role
 * is therefore a public role: it should hold only narrowly scoped read or telemetry actions.
 * The enhanced flow adds a scope-down session policy for guests, but the classic flow does not,
 * and the scope-down still allows many write actions, so the role itself is judged; each
 * finding says whether guests can use the action today, and one they cannot is "latent" and
 * one severity step lower.
 */
export const guestRoleScope = defineFunction<GuestRoleScopeOptions>({
  name: 'guestRoleScope',
  description:
    "Judges the identity pool's guest (unauthenticated) role by what its policies allow: write, permissions-management and privilege-escalation actions, * and service:* actions, NotAction allows and actions on every resource of a type, after Deny statements and the permissions boundary; says whether guests can use each today (enhanced or classic flow).",
  kinds: ['cognito.identityPool'],
  reads: ['allowUnauthenticatedIdentities', 'allowClassicFlow', 'roles.unauthenticated', 'roleAttachments'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowActions: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$' },
        description: 'IAM action patterns a guest role may hold whatever their access level (e.g. rum:PutRumEvents). Default: none.',
      },
      allowSessionPolicyActions: {
        type: 'boolean',
        description: "Accept the actions of AWS's guest session policy on named resources. Default: true.",
      },
    },
  },
  prepare: (graph) => sharedActionIndex(graph),
  evaluate(pool, options, ctx) {
    const guestUnknown = unresolvedAt(pool, 'allowUnauthenticatedIdentities').at;
    if (guestUnknown) return { status: 'unknown', reason: guestUnknown, evidence: [{ path: 'allowUnauthenticatedIdentities' }] };
    if (pool.properties.allowUnauthenticatedIdentities !== true) return { status: 'notApplicable' };
    const candidates = roleCandidates(ctx.graph, pool, 'unauthenticated');
    // No guest role attached: GetCredentialsForIdentity has no role to hand out to guests.
    if (candidates.length === 0) return { status: 'pass' };
    const index = ctx.prepared as ActionIndex | undefined;
    if (!index) return { status: 'unknown', reason: 'IAM action data was not prepared (buildGraph was not used)', evidence: [{ path: candidates[0]!.path }] };
    return judgeCandidates(candidates, (role, path) => judgeGuestRole(pool, role, path, index, options, ctx.graph));
  },
});

/** What one guest role's policies allow, and whether guests can use it today. */
function judgeGuestRole(
  pool: Resource,
  role: Resource,
  refPath: string,
  index: ActionIndex,
  options: GuestRoleScopeOptions,
  graph: ResourceGraph,
): FunctionResult {
  // The enhanced flow (the default) caps guest sessions with the scope-down session policy;
  // the classic flow does not. An unknown flag is judged as if the classic flow were on.
  const classicUnknown = unresolvedAt(pool, 'allowClassicFlow').at;
  const classic = pool.properties.allowClassicFlow === true || classicUnknown !== undefined;
  const usability = (p: PermissionProblem): string => {
    if (classicUnknown) return `; usable by guests if the classic flow is on (${classicUnknown})`;
    if (classic) return '; usable by guests today: AllowClassicFlow is on, and the classic flow skips the scope-down session policy';
    if (p.latent) return "; latent: the enhanced flow's scope-down session policy blocks it today, it becomes usable if AllowClassicFlow is turned on";
    if (p.partlyUsable) return `; partly usable by guests today: the enhanced flow's scope-down session policy allows ${listSome(p.partlyUsable)}, the rest is latent`;
    return "; usable by guests today: the enhanced flow's scope-down session policy allows it";
  };
  return judgeRoleScope(role, refPath, 'guest role', index, graph, { analyze: guestAnalysis(options, classic), usability, expected: GUEST_EXPECTED });
}

const GUEST_EXPECTED = 'only narrowly scoped read or allowlisted actions';
const AUTH_EXPECTED = 'no permission changes or escalation, every action scoped to named resources';

/**
 * How a guest role is analysed: the allowlist plus (unless turned off) the session policy's
 * actions; in the enhanced flow a grant the session policy does not let through is latent.
 */
function guestAnalysis(options: GuestRoleScopeOptions, classic: boolean): Omit<AnalyzeOptions, 'boundary'> {
  return {
    allowActions: [...(options.allowActions ?? []), ...(options.allowSessionPolicyActions === false ? [] : GUEST_SESSION_POLICY_ACTIONS)],
    ...(!classic && { usableActions: GUEST_SESSION_POLICY_ACTIONS }),
  };
}

/** How an authenticated role (or a role role mappings choose) is judged. */
function judgeAuthRole(role: Resource, path: string, index: ActionIndex, graph: ResourceGraph, allowActions: readonly string[] | undefined): FunctionResult {
  return judgeRoleScope(role, path, 'authenticated role', index, graph, {
    analyze: { allowActions: [...(allowActions ?? [])], allowScopedWrite: true },
    expected: AUTH_EXPECTED,
  });
}

/**
 * What one role's permission policies allow that a role handed to app users should not, after
 * Deny statements and its permissions boundary: a fail with one evidence per problem (pointing
 * at the grant), else unknown when a policy could not be read, else a pass.
 */
export function judgeRoleScope(
  role: Resource,
  refPath: string,
  label: string,
  index: ActionIndex,
  graph: ResourceGraph,
  how: { analyze: Omit<AnalyzeOptions, 'boundary'>; usability?: (p: PermissionProblem) => string; expected: string; usableOnly?: boolean },
): FunctionResult {
  const boundary = roleBoundarySource(role, graph);
  const boundaryRef = role.unresolved.permissionsBoundary ?? role.properties.permissionsBoundary;
  // A boundary only takes permissions away: judged without it, findings may be too many, never too few.
  const boundaryNote = boundaryRef !== undefined && !boundary ? `; the permissions boundary (${String(boundaryRef)}) is not in the inputs and was not applied` : '';
  const analysis = analyzePermissions(rolePolicySources(role, graph), index, { ...how.analyze, boundary });
  const roleUnknowns = Object.entries(role.unresolved)
    .filter(([path]) => path === 'policies' || isUnder(path, 'policies'))
    .map(([path, why]) => `${label} ${role.name}: ${path} is not known: ${why}`);
  // usableOnly: latent grants are no part of what can be done today (an attack path).
  const problems = how.usableOnly ? analysis.problems.filter((p) => !p.latent) : analysis.problems;
  const evidence: RuleEvidence[] = problems.map((p) => ({
    path: refPath,
    actual: p.message + (how.usability?.(p) ?? '') + boundaryNote,
    expected: how.expected,
    detail: p.detail,
    ...(p.latent && { demote: true }),
    ...(p.at && { at: p.at }),
  }));
  if (evidence.length) return { status: 'fail', evidence };
  const unknowns = [...roleUnknowns, ...analysis.unknowns];
  if (unknowns.length) return { status: 'unknown', reason: unknowns.join('; '), evidence: [{ path: refPath }] };
  return { status: 'pass' };
}

const MAPPED_ROLE_PATHS = ['roleMappings[*].rulesConfiguration.rules[*].roleARN', 'roleAttachments[*].roleMappings[*].rulesConfiguration.rules[*].roleARN'].map((p) => parsePath(p)!);

export interface AuthRoleScopeOptions {
  /** Action patterns an authenticated role may hold whatever their access level (resource scope still applies). */
  allowActions?: string[];
}

/**
 * Every signed-in identity of the pool gets the authenticated role (or a role its role
 * mappings choose), so these roles are judged like the guest role, except that writing to
 * named resources is expected (users change their own data): reported are permissions
 * management, privilege escalation, `*`/`service:*` and NotAction grants, and any action on
 * every resource of a type. No session policy caps authenticated sessions.
 */
export const authRoleScope = defineFunction<AuthRoleScopeOptions>({
  name: 'authRoleScope',
  description:
    "Judges the identity pool's authenticated role, and every role its role mapping rules name, by what their policies allow after Deny statements and the permissions boundary: permissions-management and privilege-escalation actions, * and service:* actions, NotAction allows, and any action (read or write) on every resource of a type; writes to named resources are accepted.",
  kinds: ['cognito.identityPool'],
  reads: ['roles.authenticated', 'roleMappings', 'roleAttachments'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowActions: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$' },
        description: 'IAM action patterns an authenticated role may hold whatever their access level. Default: none.',
      },
    },
  },
  prepare: (graph) => sharedActionIndex(graph),
  evaluate(pool, options, ctx) {
    const candidates = roleCandidates(ctx.graph, pool, 'authenticated');
    // Roles that role mapping rules choose for signed-in users; one not in the inputs cannot be judged.
    for (const rulePath of MAPPED_ROLE_PATHS) {
      for (const { path, value } of readPath(pool.properties, rulePath)) {
        if (value === undefined) continue;
        const u = unresolvedAt(pool, path).at;
        const role = u ? undefined : findRole(ctx.graph, value, pool);
        if (role && candidates.some((c) => c.role?.id === role.id)) continue;
        candidates.push(role ? { path, role } : { path, unknown: u ?? `mapped role ${String(value)} is not in the inputs` });
      }
    }
    const mappingsUnknown = unresolvedAt(pool, 'roleMappings').at;
    if (mappingsUnknown && !Array.isArray(pool.properties.roleAttachments)) candidates.push({ path: 'roleMappings', unknown: `role mappings are not known: ${mappingsUnknown}` });
    if (candidates.length === 0) return { status: 'notApplicable' };
    const index = ctx.prepared as ActionIndex | undefined;
    if (!index) return { status: 'unknown', reason: 'IAM action data was not prepared (buildGraph was not used)', evidence: [{ path: candidates[0]!.path }] };
    return judgeCandidates(candidates, (role, path) => judgeAuthRole(role, path, index, ctx.graph, options.allowActions));
  },
});

export interface RoleScopeOptions {
  /** Whom the role is handed to: guests (unauthenticated identities) or signed-in users. */
  profile: 'guest' | 'authenticated';
  /** Action patterns the role may hold whatever their access level (resource scope still applies). */
  allowActions?: string[];
  /** Guest profile: accept the actions of the guest session policy on named resources (default true). */
  allowSessionPolicyActions?: boolean;
  /**
   * Guest profile: the identity pool flow guests use. `classic` (default) judges every grant of
   * the role; `enhanced` only what the scope-down session policy lets through as well.
   */
  flow?: 'classic' | 'enhanced';
}

/**
 * The analysis of {@link guestRoleScope} and {@link authRoleScope} on one role, for a hop of an
 * attack path that reaches the role from an identity pool (the pool's own facts, guest access
 * and the flow, are the path's other hops). Roles that do not trust Cognito are judged alike:
 * the path that reaches them says how they are handed out.
 */
export const roleScope = defineFunction<RoleScopeOptions>({
  name: 'roleScope',
  description:
    "Judges one IAM role by what its policies allow after Deny statements and the permissions boundary, as a guest role (like guestRoleScope: write, permissions-management and escalation actions, * and service:* actions, NotAction allows, every-resource actions; with flow enhanced only what the guest scope-down session policy lets through) or as an authenticated role (like authRoleScope: writes to named resources accepted).",
  kinds: ['iam.role'],
  reads: ['policies', 'permissionsBoundary'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['profile'],
    properties: {
      profile: { enum: ['guest', 'authenticated'], description: 'Judge the role as a guest role or as an authenticated role.' },
      allowActions: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$' },
        description: 'IAM action patterns the role may hold whatever their access level. Default: none.',
      },
      allowSessionPolicyActions: {
        type: 'boolean',
        description: "Guest profile: accept the actions of AWS's guest session policy on named resources. Default: true.",
      },
      flow: {
        enum: ['classic', 'enhanced'],
        description: "Guest profile: the flow guests use; enhanced counts only grants the scope-down session policy lets through. Default: classic.",
      },
    },
  },
  prepare: (graph) => sharedActionIndex(graph),
  evaluate(role, options, ctx) {
    const index = ctx.prepared as ActionIndex | undefined;
    if (!index) return { status: 'unknown', reason: 'IAM action data was not prepared (buildGraph was not used)', evidence: [{ path: 'policies' }] };
    if (options.profile === 'authenticated') return judgeAuthRole(role, 'policies', index, ctx.graph, options.allowActions);
    const classic = options.flow !== 'enhanced';
    return judgeRoleScope(role, 'policies', 'guest role', index, ctx.graph, { analyze: guestAnalysis(options, classic), expected: GUEST_EXPECTED, usableOnly: !classic });
  },
});
