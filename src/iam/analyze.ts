import type { Resource } from '../model/resource.js';
import type { ResourceGraph } from '../engine/graph.js';
import { actionMatches, type AccessLevel, type ActionIndex } from './action-index.js';
import type { PolicyDocument } from './policy-document.js';
import { PRIVILEGE_ESCALATION_ACTIONS } from './privilege-escalation.js';
import { pushAll } from '../util/arrays.js';

export type { PolicyDocument, Statement } from './policy-document.js';

/** One permission policy and where it came from, for messages. */
export interface PolicySource {
  /** e.g. `inline policy GuestPolicy`, `AWS managed policy AmazonS3ReadOnlyAccess`. */
  label: string;
  document: PolicyDocument | undefined;
  /** Resource and property path of the document, so problems can point at their statement. */
  resourceId?: string;
  path?: string;
}

export type ProblemKind =
  | 'allActions'
  | 'serviceWildcard'
  | 'notAction'
  | 'privilegeEscalation'
  | 'permissionsManagement'
  | 'write'
  | 'resourceWildcard';

/** Worst first; used to order problems and pick one per detail key. */
const PROBLEM_ORDER: ProblemKind[] = [
  'allActions',
  'notAction',
  'serviceWildcard',
  'privilegeEscalation',
  'permissionsManagement',
  'write',
  'resourceWildcard',
];

/** One thing a role can do that a least-privilege role should not. */
export interface PermissionProblem {
  kind: ProblemKind;
  /** Stable granular key, e.g. `Action::s3:PutObject`, `Resource::*::s3:GetObject`. */
  detail: string;
  /** One line, e.g. `s3:PutObject (Write) on arn:aws:s3:::bucket/* in inline policy guest`. */
  message: string;
  /** The action pattern as written in the policy. */
  action: string;
  policy: string;
  /** Condition keys on the statement: noted, never taken as making the grant safe. */
  conditionKeys: string[];
  /** The grant's place: the resource holding the policy and the path of the action in it. */
  at?: { resourceId: string; path: string };
}

/** What a role's permission policies allow, judged for a role anyone can get. */
export interface PermissionAnalysis {
  problems: PermissionProblem[];
  /** Why parts of the policies could not be judged (unresolved documents, unknown actions). */
  unknowns: string[];
}

export interface AnalyzeOptions {
  /** Action patterns considered acceptable whatever their access level (e.g. `rum:PutRumEvents`). */
  allowActions?: readonly string[];
}

const isWildcardResource = (r: string): boolean => r === '*' || /^arn:(\*|aws[a-z-]*):\*(:\*)*$/.test(r);

/**
 * Judges what the given permission policies allow, action by action, using AWS's own access
 * levels: write, permissions-management and privilege-escalation actions, `*` and `service:*`
 * actions, `NotAction` allows, and any action on `Resource: "*"`. Unconditional `Deny`
 * statements on every resource remove the actions they match. Conditions are reported but not
 * trusted: a condition key the caller controls (or a typo in one) does not make a grant safe.
 */
export function analyzePermissions(
  sources: readonly PolicySource[],
  index: ActionIndex,
  options: AnalyzeOptions = {},
): PermissionAnalysis {
  const allow = options.allowActions ?? [];
  const allowed = (action: string) => allow.some((p) => actionMatches(p, action));
  const denies: string[] = [];
  for (const { document } of sources) {
    for (const s of document?.statements ?? []) {
      if (s.effect !== 'Deny' || s.condition || s.notAction || s.notResource) continue;
      if ((s.resource ?? []).some(isWildcardResource)) pushAll(denies, s.action ?? []);
    }
  }
  const denied = (action: string) => denies.some((p) => actionMatches(p, action));

  const byDetail = new Map<string, PermissionProblem>();
  const unknowns: string[] = [];
  const add = (p: PermissionProblem): void => {
    const prev = byDetail.get(p.detail);
    if (!prev || PROBLEM_ORDER.indexOf(p.kind) < PROBLEM_ORDER.indexOf(prev.kind)) byDetail.set(p.detail, p);
  };

  for (const source of sources) {
    const { label, document } = source;
    if (!document) {
      unknowns.push(`${label}: the policy document is not in the inputs`);
      continue;
    }
    const placeOf = (j: number, field: 'action' | 'notAction', k: number) =>
      source.resourceId !== undefined && source.path !== undefined
        ? { at: { resourceId: source.resourceId, path: `${source.path}.statements[${j}].${field}[${k}]` } }
        : {};
    for (const [j, s] of (document.statements ?? []).entries()) {
      if (s.effect !== 'Allow') continue;
      const conditionKeys = Object.values(s.condition ?? {}).flatMap((keys) => Object.keys(keys));
      const note = conditionKeys.length ? ` (condition on ${[...new Set(conditionKeys)].join(', ')})` : '';
      const where = ` in ${label}`;
      const resources = s.notResource ? ['*'] : (s.resource ?? []);
      const anyResource = resources.some(isWildcardResource);
      const onWhat = anyResource ? '*' : resources.join(', ');
      if (s.notAction) {
        add({
          kind: 'notAction',
          detail: `NotAction::${[...s.notAction].sort().join(',')}`,
          message: `Allow with NotAction [${s.notAction.join(', ')}] grants every other action of every service${where}${note}`,
          action: `NotAction:${s.notAction.join(',')}`,
          policy: label,
          conditionKeys,
          ...placeOf(j, 'notAction', 0),
        });
        continue;
      }
      for (const [k, pattern] of (s.action ?? []).entries()) {
        const place = placeOf(j, 'action', k);
        if (pattern === '*') {
          if (denied('*')) continue;
          add({
            kind: 'allActions',
            detail: 'Action::*',
            message: `"*" grants every action of every service on ${onWhat}${where}${note}`,
            action: pattern,
            policy: label,
            conditionKeys,
            ...place,
          });
          continue;
        }
        const expanded = index.expand(pattern);
        if (expanded === undefined) {
          unknowns.push(`${label}: action ${pattern} was not prepared for analysis`);
          continue;
        }
        const live = expanded.filter((a) => !allowed(a) && !denied(a));
        if (expanded.length === 0 && !allowed(pattern)) {
          unknowns.push(`${label}: ${pattern} is not an IAM action AWS documents (typo, or newer than the bundled IAM data)`);
          continue;
        }
        if (/^[^:]+:\*$/.test(pattern) && live.length > 0) {
          add({
            kind: 'serviceWildcard',
            detail: `Action::${pattern}`,
            message: `${pattern} grants all ${live.length} ${pattern.split(':')[0]} actions${worstOf(live, index)} on ${onWhat}${where}${note}`,
            action: pattern,
            policy: label,
            conditionKeys,
            ...place,
          });
          continue;
        }
        for (const action of live) {
          const level = index.accessLevel(action);
          const kind = classify(action, level);
          if (!level) unknowns.push(`${label}: no access level is known for ${action}`);
          const detailKey = pattern.includes('*') || pattern.includes('?') ? pattern : action;
          if (kind) {
            add({
              kind,
              detail: `Action::${detailKey}`,
              message: `${describe(kind, action, level)} on ${onWhat}${where}${note}`,
              action: pattern,
              policy: label,
              conditionKeys,
              ...place,
            });
          } else if (anyResource) {
            add({
              kind: 'resourceWildcard',
              detail: `Resource::*::${detailKey}`,
              message: `${action} (${level ?? 'unknown access level'}) on every resource ("*")${where}${note}`,
              action: pattern,
              policy: label,
              conditionKeys,
              ...place,
            });
          }
        }
      }
    }
  }
  const problems = [...byDetail.values()].sort(
    (a, b) => PROBLEM_ORDER.indexOf(a.kind) - PROBLEM_ORDER.indexOf(b.kind) || (a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0),
  );
  return { problems, unknowns: [...new Set(unknowns)] };
}

/** ` (including privilege escalation: iam:PassRole)` for the worst action a wildcard grants. */
function worstOf(actions: readonly string[], index: ActionIndex): string {
  const escalation = actions.find((a) => classify(a, index.accessLevel(a)) === 'privilegeEscalation');
  if (escalation) return ` (including privilege escalation: ${escalation})`;
  const pm = actions.find((a) => index.accessLevel(a) === 'Permissions management');
  if (pm) return ` (including permissions management: ${pm})`;
  const write = actions.find((a) => index.accessLevel(a) === 'Write');
  return write ? ` (including write: ${write})` : '';
}

function classify(action: string, level: AccessLevel | undefined): ProblemKind | undefined {
  if (PRIVILEGE_ESCALATION_ACTIONS.some((p) => actionMatches(p, action))) return 'privilegeEscalation';
  if (level === 'Permissions management') return 'permissionsManagement';
  if (level === 'Write' || level === 'Tagging') return 'write';
  return undefined;
}

function describe(kind: ProblemKind, action: string, level: AccessLevel | undefined): string {
  if (kind === 'privilegeEscalation') return `${action} allows privilege escalation`;
  if (kind === 'permissionsManagement') return `${action} (Permissions management) can change who may do what`;
  return `${action} (${level}) can change data`;
}

/** Every action pattern (Action and NotAction) in a policy document. */
export function actionPatterns(document: PolicyDocument | undefined): string[] {
  return (document?.statements ?? []).flatMap((s) => [...(s.action ?? []), ...(s.notAction ?? [])]);
}

/**
 * The permission policies of a role: its `policies` property (inline, attached customer-managed
 * and AWS-managed documents, as loaders resolved them) plus `iam.policy` resources in the graph
 * that name the role through a `roles` relation or that the role names through `policies`.
 */
export function rolePolicySources(role: Resource, graph: ResourceGraph | undefined): PolicySource[] {
  const out: PolicySource[] = [];
  const entries = Array.isArray(role.properties.policies) ? (role.properties.policies as Record<string, unknown>[]) : [];
  const seen = new Set<string>();
  entries.forEach((p, i) => {
    const type = typeof p.type === 'string' ? p.type : 'inline';
    const name = typeof p.name === 'string' ? p.name : typeof p.arn === 'string' ? p.arn : `#${i}`;
    const kind = type === 'awsManaged' ? 'AWS managed policy' : type === 'managed' ? 'managed policy' : 'inline policy';
    if (typeof p.arn === 'string') seen.add(p.arn);
    seen.add(name);
    out.push({ label: `${kind} ${name}`, document: p.document as PolicyDocument | undefined, resourceId: role.id, path: `policies[${i}].document` });
  });
  if (graph) {
    const linked = [...graph.referencedBy(role, 'roles'), ...graph.related(role, 'policies')];
    for (const policy of new Set(linked)) {
      if (policy.kind !== 'iam.policy') continue;
      const name = typeof policy.properties.policyName === 'string' ? policy.properties.policyName : policy.name;
      if (seen.has(name) || (policy.arn && seen.has(policy.arn)) || seen.has(policy.id)) continue;
      seen.add(name);
      out.push({ label: `policy ${name}`, document: policy.properties.document as PolicyDocument | undefined, resourceId: policy.id, path: 'document' });
    }
  }
  return out;
}
