import { awsManagedPolicyDocument, isAwsManagedPolicyArn } from '../../../iam/managed-policies.js';
import type { PolicyDocument } from '../../../iam/policy-document.js';
import type { ResourceKind } from '../../../model/kinds.js';
import type { Position } from '../../../model/resource.js';
import { ROLE_DEFAULTS } from '../../aws-defaults.js';
import type { PathSegment, PropertyReader, Target } from '../../scope.js';
import type { Built, Scope } from '../builder.js';
import { Symbolic, Unknown, type Evaluated } from '../intrinsics.js';

/** AWS::IAM::Role -> iam.role (attached policies are added when the template is linked). */
export function mapRole(s: Scope): void {
  s.string('RoleName', 'roleName');
  s.string('Path', 'path');
  s.int('MaxSessionDuration', 'maxSessionDuration', ROLE_DEFAULTS.maxSessionDuration);
  s.policy('AssumeRolePolicyDocument', 'assumeRolePolicy');
  s.string('PermissionsBoundary', 'permissionsBoundary');
  s.tagList('Tags', 'tags');
  s.objects('Policies', 'policies', (item) => {
    item.string('PolicyName', 'name');
    item.set('type', 'inline', []);
    item.policy('PolicyDocument', 'document');
  });
}

/** AWS::IAM::Policy, AWS::IAM::ManagedPolicy and AWS::IAM::RolePolicy -> iam.policy */
export function mapPolicy(s: Scope, type: string): void {
  const managed = type === 'AWS::IAM::ManagedPolicy';
  s.string(managed ? 'ManagedPolicyName' : 'PolicyName', 'policyName');
  s.set('type', managed ? 'managed' : 'inline', []);
  s.policy('PolicyDocument', 'document');
  if (type === 'AWS::IAM::RolePolicy') s.scalarList('RoleName', 'roles');
  else s.list('Roles', 'roles');
}

interface PolicyEntry {
  name?: string;
  type: 'inline' | 'managed' | 'awsManaged';
  arn?: string;
  document?: PolicyDocument;
}

/** A role or policy being built, as linking sees it whatever the source. */
export interface RoleLinkItem {
  /** What references name it by: a CloudFormation logical id, a Terraform address. */
  logicalId: string;
  kind: ResourceKind;
  reader: PropertyReader;
  target: Target;
}

/** A managed policy ARN attached to a role, and where it is written. */
export interface AttachedArn {
  value: Evaluated;
  position?: Position | undefined;
}

/** Where a source writes what {@link linkRolePolicies} reads. */
export interface RoleLinkSource<T extends RoleLinkItem> {
  /** Where a policy names the roles it applies to (`Roles`, `RoleName`, `role`). */
  rolesOf(policy: T): PathSegment[] | undefined;
  /** A managed policy (attached by ARN) rather than an inline one. */
  isManaged(policy: T): boolean;
  /** Where a policy's document is written. */
  documentAt: PathSegment[];
  /**
   * The managed policy ARNs attached to a role (`ManagedPolicyArns`; Terraform's
   * `managed_policy_arns` and role policy attachments); a reason when they cannot be read.
   */
  managedArns(role: T): AttachedArn[] | { reason: string } | undefined;
}

/** CloudFormation's names for role linking. */
export const CLOUDFORMATION_ROLE_LINKS: RoleLinkSource<Built> = {
  rolesOf: (policy) => [policy.type === 'AWS::IAM::RolePolicy' ? 'RoleName' : 'Roles'],
  isManaged: (policy) => policy.type === 'AWS::IAM::ManagedPolicy',
  documentAt: ['PolicyDocument'],
  managedArns: (role) => {
    const arns = role.reader.get(['ManagedPolicyArns']);
    if (arns === undefined) return undefined;
    if (!Array.isArray(arns)) return { reason: arns instanceof Unknown ? arns.reason : 'ManagedPolicyArns is not a list' };
    return arns.map((value, i) => ({ value, position: role.reader.locate(['ManagedPolicyArns', i]) }));
  },
};

/**
 * Gives every role the permission policies that apply to it: its inline policies, the policy
 * resources naming it, and its managed policy ARNs (managed policies among the inputs, or AWS
 * managed policies from the bundled documents). A policy that is not among the inputs leaves
 * `policies` unresolved: the role may be able to do more.
 */
export function linkRolePolicies<T extends RoleLinkItem>(built: T[], byLogicalId: Map<string, T>, source: RoleLinkSource<T>): void {
  const roles = built.filter((b) => b.kind === 'iam.role');
  const roleByName = new Map<string, T>();
  for (const role of roles) {
    const name = role.target.properties.roleName;
    if (typeof name === 'string') roleByName.set(name, role);
    if (!Array.isArray(role.target.properties.policies)) role.target.properties.policies = [];
  }
  const attached = new Map<T, Set<T>>();
  const attach = (role: T, policy: T, position: Position | undefined): void => {
    const seen = attached.get(role) ?? new Set<T>();
    attached.set(role, seen);
    if (seen.has(policy)) return;
    seen.add(policy);
    const p = policy.target.properties;
    const entry: PolicyEntry = { type: p.type === 'managed' ? 'managed' : 'inline' };
    // Without a name CloudFormation generates one from the stack name and the logical id; the
    // logical id is what the template's reader knows the policy by.
    entry.name = typeof p.policyName === 'string' ? p.policyName : policy.logicalId;
    if (p.document) entry.document = p.document as PolicyDocument;
    const index = addPolicy(role.target, entry, position);
    const reason = policy.target.unresolved.document;
    if (reason !== undefined) role.target.unresolved[`policies[${index}].document`] = `${policy.logicalId}: ${reason}`;
    role.target.links.push({ relation: 'policies', refs: [policy.logicalId], kinds: ['iam.policy'] });
    policy.target.links.push({ relation: 'roles', refs: [role.logicalId], kinds: ['iam.role'] });
  };

  for (const policy of built) {
    if (policy.kind !== 'iam.policy') continue;
    const at = source.rolesOf(policy);
    const value = at && policy.reader.get(at);
    const targets = Array.isArray(value) ? value : value === undefined ? [] : [value];
    const position = policy.reader.locate(source.documentAt);
    for (const target of targets) {
      const role = roleFor(target, byLogicalId, roleByName);
      if (role) attach(role, policy, position);
    }
  }

  for (const role of roles) {
    const arns = source.managedArns(role);
    if (arns === undefined) continue;
    if (!Array.isArray(arns)) {
      role.target.unresolved.policies = arns.reason;
      continue;
    }
    arns.forEach(({ value: arn, position }, i) => {
      if (arn instanceof Unknown) {
        role.target.unresolved.policies ??= `ManagedPolicyArns[${i}]: ${arn.reason}`;
        return;
      }
      if (arn instanceof Symbolic && arn.refs.length > 0) {
        const policy = byLogicalId.get(arn.refs[0]!);
        if (policy?.kind === 'iam.policy' && source.isManaged(policy)) {
          attach(role, policy, position);
          return;
        }
      }
      const text = typeof arn === 'string' ? arn : arn instanceof Symbolic ? arn.text : undefined;
      if (text === undefined) {
        role.target.unresolved.policies ??= `ManagedPolicyArns[${i}] is not an ARN`;
        return;
      }
      if (isAwsManagedPolicyArn(text)) {
        const document = awsManagedPolicyDocument(text);
        if (document) {
          addPolicy(role.target, { name: text.slice(text.lastIndexOf('/') + 1), type: 'awsManaged', arn: text, document }, position);
          return;
        }
        role.target.unresolved.policies ??= `AWS managed policy ${text} is not in the bundled policy data`;
        return;
      }
      role.target.unresolved.policies ??= `managed policy ${text} is not in the inputs`;
    });
  }
}

function addPolicy(role: Target, entry: PolicyEntry, position: Position | undefined): number {
  const list = role.properties.policies as PolicyEntry[];
  list.push(entry);
  const index = list.length - 1;
  if (position) role.positions[`policies[${index}]`] = position;
  return index;
}

function roleFor<T extends RoleLinkItem>(target: Evaluated, byLogicalId: Map<string, T>, roleByName: Map<string, T>): T | undefined {
  if (target instanceof Symbolic) {
    for (const ref of target.refs) {
      const b = byLogicalId.get(ref);
      if (b?.kind === 'iam.role') return b;
    }
    return undefined;
  }
  return typeof target === 'string' ? roleByName.get(target) : undefined;
}

