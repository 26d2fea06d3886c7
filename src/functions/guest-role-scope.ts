import type { Resource } from '../model/resource.js';
import type { ResourceGraph } from '../engine/graph.js';
import { buildActionIndex, type ActionIndex } from '../iam/action-index.js';
import { actionPatterns, analyzePermissions, rolePolicySources, type PolicyDocument } from '../iam/analyze.js';
import { isUnder, unresolvedAt } from '../rules/paths.js';
import type { RuleEvidence } from '../rules/types.js';
import { defineFunction } from './types.js';
import { pushAll } from '../util/arrays.js';

export interface GuestRoleScopeOptions {
  /** Action patterns a guest role may hold whatever their access level. */
  allowActions?: string[];
}

/** Relation from an identity pool to its unauthenticated (guest) role, set by loaders. */
export const GUEST_ROLE_RELATION = 'unauthenticatedRole';

/**
 * Finds the guest role: first through the loader's relation, then by matching the role
 * reference (an ARN, a resource id) against the roles in the graph.
 */
export function findRole(graph: ResourceGraph, pool: Resource, relation: string, ref: unknown): Resource | undefined {
  const related = graph.related(pool, relation).find((r) => r.kind === 'iam.role');
  if (related) return related;
  if (typeof ref !== 'string') return undefined;
  const direct = graph.get(ref);
  if (direct?.kind === 'iam.role') return direct;
  return graph.ofKind('iam.role').find((role) => {
    if (role.arn === ref) return true;
    const name = role.properties.roleName;
    // arn:aws:iam::123456789012:role/path/Name: the role name is the last path segment.
    return typeof name === 'string' && /^arn:[^:]+:iam::[^:]*:role\//.test(ref) && ref.endsWith(`/${name}`);
  });
}

/** Policy-document patterns of every role and policy in the graph, for {@link buildActionIndex}. */
export function graphActionPatterns(graph: ResourceGraph): string[] {
  const patterns: string[] = [];
  for (const role of graph.ofKind('iam.role')) {
    for (const source of rolePolicySources(role, undefined)) pushAll(patterns, actionPatterns(source.document));
  }
  for (const policy of graph.ofKind('iam.policy')) {
    pushAll(patterns, actionPatterns(policy.properties.document as PolicyDocument | undefined));
  }
  return patterns;
}

/**
 * Anyone who knows an identity pool's id can get guest credentials when unauthenticated
 * identities are allowed (GetId + GetCredentialsForIdentity need no signature). The guest role
 * is therefore a public role: it should hold only narrowly scoped read or telemetry actions.
 * The enhanced flow adds a scope-down session policy for guests, but the classic flow does not,
 * and the scope-down still allows many write actions, so the role itself is judged.
 */
export const guestRoleScope = defineFunction<GuestRoleScopeOptions>({
  name: 'guestRoleScope',
  description:
    "Judges the identity pool's guest (unauthenticated) role by what its policies allow: write, permissions-management and privilege-escalation actions, * and service:* actions, NotAction allows and actions on Resource \"*\".",
  kinds: ['cognito.identityPool'],
  reads: ['allowUnauthenticatedIdentities', 'roles.unauthenticated'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowActions: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$' },
        description: 'IAM action patterns a guest role may hold (e.g. rum:PutRumEvents). Default: none.',
      },
    },
  },
  async prepare(graph) {
    return buildActionIndex(graphActionPatterns(graph));
  },
  evaluate(pool, options, ctx) {
    const guestUnknown = unresolvedAt(pool, 'allowUnauthenticatedIdentities').at;
    if (guestUnknown) return { status: 'unknown', reason: guestUnknown, evidence: [{ path: 'allowUnauthenticatedIdentities' }] };
    if (pool.properties.allowUnauthenticatedIdentities !== true) return { status: 'notApplicable' };
    const roles = pool.properties.roles as { unauthenticated?: unknown } | undefined;
    const ref = roles?.unauthenticated;
    const role = findRole(ctx.graph, pool, GUEST_ROLE_RELATION, ref);
    if (!role) {
      const u = unresolvedAt(pool, 'roles.unauthenticated').at;
      const at = [{ path: 'roles.unauthenticated' }];
      if (u) return { status: 'unknown', reason: `the guest role is not known: ${u}`, evidence: at };
      // No guest role attached: GetCredentialsForIdentity has no role to hand out to guests.
      if (ref === undefined) return { status: 'pass' };
      return { status: 'unknown', reason: `guest role ${String(ref)} is not in the inputs`, evidence: at };
    }
    const index = ctx.prepared as ActionIndex | undefined;
    if (!index) return { status: 'unknown', reason: 'IAM action data was not prepared (buildGraph was not used)', evidence: [{ path: 'roles.unauthenticated' }] };
    const analysis = analyzePermissions(rolePolicySources(role, ctx.graph), index, {
      allowActions: options.allowActions ?? [],
    });
    const roleUnknowns = Object.entries(role.unresolved)
      .filter(([path]) => path === 'policies' || isUnder(path, 'policies'))
      .map(([path, why]) => `guest role ${role.name}: ${path} is not known: ${why}`);
    const evidence: RuleEvidence[] = analysis.problems.map((p) => ({
      path: 'roles.unauthenticated',
      actual: p.message,
      expected: 'only narrowly scoped read or allowlisted actions',
      detail: p.detail,
      ...(p.at && { at: p.at }),
    }));
    if (evidence.length) return { status: 'fail', evidence };
    const unknowns = [...roleUnknowns, ...analysis.unknowns];
    if (unknowns.length) return { status: 'unknown', reason: unknowns.join('; '), evidence: [{ path: 'roles.unauthenticated' }] };
    return { status: 'pass' };
  },
});
