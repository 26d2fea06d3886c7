import type { Resource } from '../model/resource.js';
import type { ResourceGraph } from '../engine/graph.js';
import { actionMatches, type AccessLevel, type ActionIndex } from './action-index.js';
import type { PolicyDocument, Statement } from './policy-document.js';
import { isPrivilegeEscalation, PRIVILEGE_ESCALATION_ACTIONS } from './privilege-escalation.js';
import { awsManagedPolicyDocument, isAwsManagedPolicyArn } from './managed-policies.js';
import { covers, disjoint, resourceReach, type ResourceReach } from './resource-scope.js';

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
  /** None of the actions is usable today (see {@link AnalyzeOptions.usableActions}). */
  latent: boolean;
  /** For a pattern of which only some actions are usable today: those actions. */
  partlyUsable?: string[];
}

/** What a role's permission policies allow, judged for a role anyone can get. */
export interface PermissionAnalysis {
  problems: PermissionProblem[];
  /** Why parts of the policies could not be judged (unresolved documents, unknown actions). */
  unknowns: string[];
}

export interface AnalyzeOptions {
  /**
   * Action patterns whose access level is accepted (e.g. `rum:PutRumEvents`): they are not
   * reported as write, permissions-management or escalation actions, but an allowed action on
   * every resource of a type is still reported.
   */
  allowActions?: readonly string[];
  /** The role's permissions boundary: what the role's policies grant is capped by what it allows. */
  boundary?: PolicySource;
  /**
   * Action patterns a caller can use today (the guest session policy of the enhanced flow).
   * A problem none of whose actions is usable is marked `latent`. Absent: everything is usable.
   */
  usableActions?: readonly string[];
  /**
   * Accept write actions on named resources (a role for signed-in users writes their own data):
   * they are reported only when they reach every resource of a type.
   */
  allowScopedWrite?: boolean;
}

/** Severity order of access, worst first; `disclosure` and `read` are only reported on every resource. */
type Level = 'privilegeEscalation' | 'permissionsManagement' | 'write' | 'disclosure' | 'read';

/**
 * Actions whose IAM access level is Write but whose effect is to disclose data: `kms:Decrypt`
 * returns the plaintext of any ciphertext the key protects, and `kms:ReEncryptFrom` re-encrypts
 * it under a key the caller may own (and so can decrypt).
 */
const DISCLOSURE_ACTIONS = new Set(['kms:decrypt', 'kms:reencryptfrom']);

/** One action of an Allow and the resources left to it after Deny statements and the boundary. */
interface Member {
  action: string;
  level: Level;
  accessLevel: AccessLevel | undefined;
  /** Write, permissions-management and escalation count; the allowlist waives that. */
  flagged: boolean;
  reach: ResourceReach[];
  usable: boolean;
}

/**
 * Judges what the given permission policies allow, action by action, using AWS's own access
 * levels: write, permissions-management and privilege-escalation actions, `*` and `service:*`
 * actions, `NotAction` allows, and any action on every resource of a type (judged by what the
 * ARN pattern can match, see {@link resourceReach}). Unconditional `Deny` statements (Action or
 * NotAction, Resource or NotResource) and the permissions boundary take away what they cover.
 * Conditions are reported but not trusted: a condition key the caller controls (or a typo in
 * one) does not make an Allow safe, and a conditional Deny may not apply, so it takes nothing.
 */
export function analyzePermissions(
  sources: readonly PolicySource[],
  index: ActionIndex,
  options: AnalyzeOptions = {},
): PermissionAnalysis {
  const allow = options.allowActions ?? [];
  const allowed = (action: string) => allow.some((p) => actionMatches(p, action));
  const usableList = options.usableActions;
  const usable = (action: string) => !usableList || usableList.some((p) => actionMatches(p, action));
  const limits = collectLimits(sources, options.boundary);
  const reaches = new Map<string, ResourceReach>();
  const reachOf = (r: string): ResourceReach => {
    let reach = reaches.get(r);
    if (!reach) reaches.set(r, (reach = resourceReach(r, index.arnFormats)));
    return reach;
  };

  const byDetail = new Map<string, PermissionProblem>();
  const unknowns: string[] = [];
  const add = (p: PermissionProblem): void => {
    const prev = byDetail.get(p.detail);
    if (!prev || rank(p) < rank(prev)) byDetail.set(p.detail, p);
  };

  /** The concrete actions an Allow of every action (`*`, NotAction) is left with, when a Deny or the boundary caps it. */
  const capped = (excluded: readonly string[]): string[] | undefined => {
    if (!limits.cap) return undefined;
    const actions = new Set<string>();
    for (const pattern of limits.cap) {
      for (const a of index.expand(pattern) ?? []) if (!excluded.some((n) => actionMatches(n, a))) actions.add(a);
    }
    return [...actions].sort();
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
      // An Allow with NotResource ["*"] grants nothing; with other NotResource, every resource but those.
      if (s.notResource?.includes('*')) continue;
      const conditionKeys = Object.values(s.condition ?? {}).flatMap((keys) => Object.keys(keys));
      const note = conditionKeys.length ? ` (condition on ${[...new Set(conditionKeys)].join(', ')})` : '';
      const where = ` in ${label}${note}`;
      const resources = s.notResource ? ['*'] : (s.resource ?? []);
      const statementText = s.notResource
        ? `every resource except ${s.notResource.join(', ')}`
        : resources.map((r) => reachOf(r).text).join(', ');
      const base = { policy: label, conditionKeys };

      /** Each action with the resources Deny statements and the boundary leave it; denied actions drop out. */
      const membersOf = (actions: readonly string[]): Member[] =>
        actions.flatMap((action) => {
          const left = resources.flatMap((r) => limits.narrow(action, r));
          if (left.length === 0) return [];
          const accessLevel = index.accessLevel(action);
          if (!accessLevel) unknowns.push(`${label}: no access level is known for ${action}`);
          const level = levelOf(action, accessLevel);
          const reach = s.notResource ? [{ all: true, text: statementText }] : left.map(reachOf);
          return [{ action, level, accessLevel, flagged: isFlagged(level) && !allowed(action) && !(options.allowScopedWrite && level === 'write'), reach, usable: usable(action) }];
        });

      const everything = (s.notAction ?? (s.action?.includes('*') ? [] : undefined));
      if (everything) {
        const field = s.notAction ? 'notAction' : 'action';
        const place = placeOf(j, field, s.notAction ? 0 : s.action!.indexOf('*'));
        const via = s.notAction ? `Allow with NotAction [${s.notAction.join(', ')}]` : '"*"';
        const left = capped(everything);
        if (left) {
          // A Deny with NotAction or the boundary names the only actions that can be left.
          reportActions(membersOf(left), `${via} (capped by ${limits.capSource})`, s.notAction ? `NotAction:${s.notAction.join(',')}` : '*', place);
        } else {
          const kind: ProblemKind = s.notAction ? 'notAction' : 'allActions';
          add({
            kind,
            detail: s.notAction ? `NotAction::${[...s.notAction].sort().join(',')}` : 'Action::*',
            message: s.notAction
              ? `${via} grants every other action of every service on ${statementText}${where}`
              : `"*" grants every action of every service on ${statementText}${where}`,
            action: s.notAction ? `NotAction:${s.notAction.join(',')}` : '*',
            ...base,
            latent: usableList ? !usableList.some((p) => (index.expand(p) ?? []).some((a) => !everything.some((n) => actionMatches(n, a)))) : false,
            ...place,
          });
        }
        if (s.notAction) continue;
      }
      for (const [k, pattern] of (s.action ?? []).entries()) {
        if (pattern === '*') continue;
        const expanded = index.expand(pattern);
        if (expanded === undefined) {
          unknowns.push(`${label}: action ${pattern} was not prepared for analysis`);
          continue;
        }
        if (expanded.length === 0) {
          if (!allowed(pattern)) unknowns.push(`${label}: ${pattern} is not an IAM action AWS documents (typo, or newer than the bundled IAM data)`);
          continue;
        }
        reportActions(membersOf(expanded), pattern, pattern, placeOf(j, 'action', k), expanded.length);
      }

      /**
       * One problem per written action, or per wildcard pattern naming its worst members:
       * `s3:*Object covers 9 actions, including write: s3:DeleteObject, s3:PutObject, ...`.
       */
      function reportActions(members: Member[], written: string, action: string, place: ReturnType<typeof placeOf>, total?: number): void {
        const wildcard = written.includes('*') || written.includes('?') || written !== action;
        const reported = members.filter((m) => m.flagged || m.reach.some((r) => r.all));
        if (reported.length === 0) return;
        const order = (m: Member) => (m.flagged ? LEVELS.indexOf(m.level) : LEVELS.length);
        const worst = [...reported].sort((a, b) => order(a) - order(b) || (a.action < b.action ? -1 : 1))[0]!;
        const kindOf = (m: Member): ProblemKind => (m.flagged ? (m.level as ProblemKind) : 'resourceWildcard');
        const kind = kindOf(worst);
        const latent = !reported.some((m) => m.usable);
        const usableNames = reported.filter((m) => m.usable).map((m) => m.action).sort();
        if (!wildcard) {
          for (const m of reported) {
            const k = kindOf(m);
            add({
              kind: k,
              detail: k === 'resourceWildcard' ? `Resource::*::${m.action}` : `Action::${m.action}`,
              message: `${describe(m)} on ${onText(m)}${where}`,
              action,
              ...base,
              latent: !m.usable,
              ...place,
            });
          }
          return;
        }
        const names = reported
          .filter((m) => kindOf(m) === kind)
          .map((m) => m.action)
          .sort((a, b) => escalationRank(a) - escalationRank(b) || (a < b ? -1 : 1));
        const shown = listSome(names);
        const what = worst.flagged ? LEVEL_TEXT[worst.level] : `${worst.accessLevel ?? 'unknown access level'}${worst.level === 'disclosure' ? ', discloses data' : ''}`;
        const service = /^([^:]+):\*$/.exec(written)?.[1];
        const count =
          service && total !== undefined
            ? members.length === total
              ? `grants all ${total} ${service} actions`
              : `grants ${members.length} of the ${total} ${service} actions (Deny statements or the permissions boundary remove ${total - members.length})`
            : `covers ${members.length} action${members.length === 1 ? '' : 's'}`;
        add({
          kind: service && kind !== 'resourceWildcard' ? 'serviceWildcard' : kind,
          detail: kind === 'resourceWildcard' ? `Resource::*::${action}` : `Action::${action}`,
          message: `${written} ${count} on ${onText(worst)}${where}; including ${what}: ${shown}`,
          action,
          ...base,
          latent,
          ...(!latent && usableNames.length < reported.length && { partlyUsable: usableNames }),
          ...place,
        });
      }
    }
  }
  const problems = [...byDetail.values()].sort(
    (a, b) => rank(a) - rank(b) || (a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0),
  );
  return { problems, unknowns: [...new Set(unknowns)] };
}

/** Usable problems first, then by kind. */
const rank = (p: PermissionProblem): number => (p.latent ? PROBLEM_ORDER.length : 0) + PROBLEM_ORDER.indexOf(p.kind);

const LEVELS: Level[] = ['privilegeEscalation', 'permissionsManagement', 'write', 'disclosure', 'read'];

const LEVEL_TEXT: Record<Level, string> = {
  privilegeEscalation: 'privilege escalation',
  permissionsManagement: 'permissions management',
  write: 'write',
  disclosure: 'data disclosure',
  read: 'read',
};

const isFlagged = (level: Level): boolean => level === 'privilegeEscalation' || level === 'permissionsManagement' || level === 'write';

function levelOf(action: string, level: AccessLevel | undefined): Level {
  if (isPrivilegeEscalation(action)) return 'privilegeEscalation';
  if (DISCLOSURE_ACTIONS.has(action.toLowerCase())) return 'disclosure';
  if (level === 'Permissions management') return 'permissionsManagement';
  // An action with no known level is not judged here: the caller records it as unknown.
  if (level === 'Write' || level === 'Tagging') return 'write';
  return 'read';
}

function describe(m: Member): string {
  if (!m.flagged) {
    const level = m.accessLevel ?? 'unknown access level';
    return m.level === 'disclosure' ? `${m.action} (${level} in IAM data; discloses data)` : `${m.action} (${level})`;
  }
  if (m.level === 'privilegeEscalation') return `${m.action} allows privilege escalation`;
  if (m.level === 'permissionsManagement') return `${m.action} (Permissions management) can change who may do what`;
  return `${m.action} (${m.accessLevel ?? 'unknown access level'}) can change data`;
}

/** `a, b, c and 4 more`. */
export const listSome = (names: readonly string[]): string =>
  names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');

/** Escalation actions in the curated order of the list (the most direct first), others after. */
const escalationRank = (action: string): number => {
  const i = PRIVILEGE_ESCALATION_ACTIONS.findIndex((a) => a.toLowerCase() === action.toLowerCase());
  return i === -1 ? PRIVILEGE_ESCALATION_ACTIONS.length : i;
};

const onText = (m: Member): string => m.reach.map((r) => r.text).join(', ');

/** What Deny statements and a permissions boundary take away from an Allow. */
interface Limits {
  /** The resource patterns of `resource` left for `action` (none: the action is not granted there). */
  narrow(action: string, resource: string): string[];
  /** Action patterns outside which nothing can be granted, when a Deny NotAction or the boundary names them. */
  cap?: string[];
  capSource?: string;
}

const matchesAction = (s: Statement, action: string): boolean =>
  s.action ? s.action.some((p) => actionMatches(p, action)) : s.notAction ? !s.notAction.some((p) => actionMatches(p, action)) : false;

/**
 * Unconditional Deny statements of the role's policies and of its boundary, and the boundary's
 * Allow statements. A Deny removes what its Resource covers; a Deny with NotResource leaves only
 * the resources it names; the boundary leaves only what one of its Allows covers (a conditional
 * boundary Allow counts as allowing: it may apply). Where two patterns overlap in a way that
 * cannot be decided, the grant is kept.
 */
function collectLimits(sources: readonly PolicySource[], boundary: PolicySource | undefined): Limits {
  const denies: Statement[] = [];
  const caps: Array<{ actions: string[]; source: string }> = [];
  for (const { document, label } of [...sources, ...(boundary ? [boundary] : [])]) {
    for (const s of document?.statements ?? []) {
      if (s.effect !== 'Deny' || s.condition) continue;
      denies.push(s);
      // "Deny NotAction [X] on every resource": only X can be allowed.
      if (s.notAction && (s.resource ?? []).includes('*')) caps.push({ actions: s.notAction, source: `Deny NotAction in ${label}` });
      if (s.action?.includes('*') && (s.resource ?? []).includes('*')) caps.push({ actions: [], source: `Deny "*" in ${label}` });
    }
  }
  const boundaryAllows = boundary?.document ? boundary.document.statements.filter((s) => s.effect === 'Allow') : undefined;
  if (boundaryAllows && boundaryAllows.every((s) => s.action && !s.action.includes('*'))) {
    caps.push({ actions: boundaryAllows.flatMap((s) => s.action!), source: `the permissions boundary ${boundary!.label}` });
  }
  const smallest = caps.sort((a, b) => a.actions.length - b.actions.length)[0];

  const narrowByDeny = (action: string, r: string): string[] => {
    let left = [r];
    for (const d of denies) {
      if (!matchesAction(d, action)) continue;
      left = left.flatMap((x) => {
        if (d.resource) return d.resource.some((p) => covers(p, x)) ? [] : [x];
        const kept = d.notResource ?? [];
        if (kept.some((p) => covers(p, x))) return [x];
        // What is left is the kept patterns inside x; one that only overlaps x keeps all of x.
        if (kept.some((p) => !covers(x, p) && !disjoint(p, x))) return [x];
        return kept.filter((p) => covers(x, p));
      });
    }
    return left;
  };
  const narrowByBoundary = (action: string, r: string): string[] => {
    if (!boundaryAllows) return [r];
    const out: string[] = [];
    for (const b of boundaryAllows) {
      if (!matchesAction(b, action)) continue;
      if (b.notResource) {
        if (!b.notResource.some((p) => covers(p, r))) out.push(r);
        continue;
      }
      for (const p of b.resource ?? []) {
        if (covers(p, r)) out.push(r);
        else if (covers(r, p)) out.push(p);
        else if (!disjoint(p, r)) out.push(r);
      }
    }
    return [...new Set(out)];
  };
  return {
    narrow: (action, r) => narrowByBoundary(action, r).flatMap((x) => narrowByDeny(action, x)),
    ...(smallest && { cap: smallest.actions, capSource: smallest.source }),
  };
}

/** One Allow statement's grant of one concrete action, after Deny statements and the boundary. */
export interface Grant {
  action: string;
  /** The resource patterns left to the action (`*` for an Allow with NotResource). */
  resources: string[];
  /** For an Allow with NotResource: the resources it leaves out. */
  except?: string[];
  /** The policy's label, e.g. `inline policy admin`. */
  policy: string;
  /** Condition keys on the statement: the grant may apply only sometimes, never "never". */
  conditionKeys: string[];
  /** The Action (or NotAction) entry that grants it. */
  at?: { resourceId: string; path: string };
}

/**
 * Which Allow statements of `sources` grant each of the concrete `actions`, and on which
 * resources once unconditional Deny statements (Action or NotAction, Resource or NotResource) and
 * the permissions boundary have taken their part: an action a Deny or the boundary removes
 * everywhere gives no grant. `*`, wildcards in the middle of names (`iam:Put*Policy`) and
 * NotAction are matched against each concrete action. A conditional Allow is a grant (its
 * condition may hold); a conditional Deny takes nothing away.
 */
export function grantsOf(sources: readonly PolicySource[], actions: readonly string[], boundary?: PolicySource): Grant[] {
  const limits = collectLimits(sources, boundary);
  const out: Grant[] = [];
  for (const source of sources) {
    for (const [j, s] of (source.document?.statements ?? []).entries()) {
      if (s.effect !== 'Allow' || s.notResource?.includes('*')) continue;
      const conditionKeys = [...new Set(Object.values(s.condition ?? {}).flatMap((keys) => Object.keys(keys)))];
      const resources = s.notResource ? ['*'] : (s.resource ?? []);
      for (const action of actions) {
        const field = s.notAction ? 'notAction' : 'action';
        const k = s.notAction ? (s.notAction.some((p) => actionMatches(p, action)) ? -1 : 0) : (s.action ?? []).findIndex((p) => actionMatches(p, action));
        if (k < 0) continue;
        const left = [...new Set(resources.flatMap((r) => limits.narrow(action, r)))];
        if (left.length === 0) continue;
        out.push({
          action,
          resources: left,
          ...(s.notResource && { except: s.notResource }),
          policy: source.label,
          conditionKeys,
          ...(source.resourceId !== undefined && source.path !== undefined && { at: { resourceId: source.resourceId, path: `${source.path}.statements[${j}].${field}[${k}]` } }),
        });
      }
    }
  }
  return out;
}

/** Every action pattern (Action and NotAction) in a policy document. */
export function actionPatterns(document: PolicyDocument | undefined): string[] {
  return (document?.statements ?? []).flatMap((s) => [...(s.action ?? []), ...(s.notAction ?? [])]);
}

/** Every resource pattern (Resource and NotResource) in a policy document. */
export function resourcePatterns(document: PolicyDocument | undefined): string[] {
  return (document?.statements ?? []).flatMap((s) => [...(s.resource ?? []), ...(s.notResource ?? [])]);
}

/**
 * The role's permissions boundary as a policy source, when its document is known: an AWS
 * managed policy (bundled documents), or an `iam.policy` of the inputs named by ARN or, from
 * CloudFormation, by `${LogicalId}`. Undefined when the role has none or it cannot be read; the
 * boundary only takes permissions away, so judging without it can over-report, never under-report.
 */
export function roleBoundarySource(role: Resource, graph: ResourceGraph | undefined): PolicySource | undefined {
  const ref = role.properties.permissionsBoundary;
  if (typeof ref !== 'string' || role.unresolved.permissionsBoundary !== undefined) return undefined;
  if (isAwsManagedPolicyArn(ref)) {
    const document = awsManagedPolicyDocument(ref);
    return document && { label: `permissions boundary ${ref.slice(ref.lastIndexOf('/') + 1)}`, document };
  }
  // `!Ref Policy` of a template reads `${Policy}`; template resources have ids `<file>#<LogicalId>`.
  const logicalId = /^\$\{([^}.]+)\}$/.exec(ref)?.[1];
  const ids = logicalId ? [logicalId, role.id.replace(/#[^#]*$/, `#${logicalId}`)] : [ref];
  const policy = graph && (ids.map((id) => graph.get(id)).find(Boolean) ?? graph.ofKind('iam.policy').find((p) => p.arn === ref));
  if (policy?.kind !== 'iam.policy' || !policy.properties.document) return undefined;
  const name = typeof policy.properties.policyName === 'string' ? policy.properties.policyName : policy.id;
  return { label: `permissions boundary ${name}`, document: policy.properties.document as PolicyDocument, resourceId: policy.id, path: 'document' };
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
