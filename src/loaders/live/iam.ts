import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { awsManagedPolicyDocument, isAwsManagedPolicyArn } from '../../iam/managed-policies.js';
import { parsePolicyDocument, type PolicyDocument } from '../../iam/policy-document.js';
import type { Resource } from '../../model/resource.js';
import { parseRoleArn } from '../../util/role-arn.js';
import type { LiveContext } from './context.js';
import { listAll, liveResource, put, putOrDefault } from './live-resource.js';

/** A managed policy's default version, read once per scan however many roles attach it. */
type PolicyRead = { document: PolicyDocument; name: string } | { reason: string; name: string };

interface PolicyEntry {
  name: string;
  type: 'inline' | 'managed' | 'awsManaged';
  arn?: string;
  document?: PolicyDocument;
}

/**
 * Reads the IAM roles other resources name (identity pool roles, role mapping rules, user pool
 * groups): trust policy, inline policies, attached managed policies (the default version of
 * customer-managed ones; AWS-managed ones from the bundled documents when they are there) and
 * the permissions boundary, which becomes an `iam.policy` resource when customer-managed. IAM is
 * global, so each role is read once; a role of another account cannot be read with this
 * account's credentials and is left out with a diagnostic (rules then report it as unknown).
 */
export async function readRoles(client: IAMClient, ctx: LiveContext, roleArns: string[]): Promise<Resource[]> {
  const policies = new Map<string, Promise<PolicyRead>>();
  const readable: Array<{ arn: string; name: string }> = [];
  for (const arn of [...new Set(roleArns)].sort()) {
    const parsed = parseRoleArn(arn);
    if (parsed && parsed.account === ctx.account && parsed.partition === ctx.partition) {
      readable.push({ arn, name: parsed.name });
      continue;
    }
    ctx.diagnostics.push({
      severity: 'warning',
      code: 'live-role-not-read',
      message: parsed
        ? `role ${arn} is not in account ${ctx.account} (${ctx.partition}): it was not read`
        : `${arn} is not an IAM role ARN: it was not read`,
    });
  }
  // The roles are read side by side; the context bounds how many calls are in flight.
  const out = (await Promise.all(readable.map(({ arn, name }) => readRole(client, ctx, arn, name, policies)))).filter((r): r is Resource => r !== undefined);
  const boundaries = [...new Set(out.map((r) => r.properties.permissionsBoundary))].filter(
    (arn): arn is string => typeof arn === 'string' && !isAwsManagedPolicyArn(arn),
  );
  for (const arn of boundaries) {
    const read = await managedPolicy(client, ctx, arn, policies);
    const policy = liveResource('iam.policy', arn, read.name, ctx, true);
    put(policy, 'policyName', read.name);
    put(policy, 'type', 'managed');
    if ('document' in read) put(policy, 'document', read.document);
    else policy.unresolved.document = read.reason;
    out.push(policy);
  }
  return out;
}

async function readRole(client: IAMClient, ctx: LiveContext, arn: string, name: string, policies: Map<string, Promise<PolicyRead>>): Promise<Resource | undefined> {
  const what = `role ${name}`;
  const got = await ctx.call('iam', 'GetRole', what, () => client.send(new GetRoleCommand({ RoleName: name })));
  // Without GetRole nothing about the role is known, not even that it exists: the resources
  // naming it then find no role in the scan and report unknown.
  if (!got?.Role) return undefined;
  const r = got.Role;
  const role = liveResource('iam.role', arn, r.RoleName ?? name, ctx, true);
  put(role, 'roleName', r.RoleName ?? name);
  put(role, 'path', r.Path);
  putOrDefault(role, 'maxSessionDuration', r.MaxSessionDuration, 3600);
  if (r.AssumeRolePolicyDocument !== undefined) {
    const doc = parse(r.AssumeRolePolicyDocument);
    if ('document' in doc) put(role, 'assumeRolePolicy', doc.document);
    else role.unresolved.assumeRolePolicy = `trust policy of ${what}: ${doc.reason}`;
  }
  put(role, 'permissionsBoundary', r.PermissionsBoundary?.PermissionsBoundaryArn);
  if (r.Tags?.length) put(role, 'tags', Object.fromEntries(r.Tags.map((t) => [t.Key ?? '', t.Value ?? ''])));

  const list: PolicyEntry[] = [];
  role.properties.policies = list;
  const inlineWhat = `inline policies of ${what}`;
  const inline = await listAll(
    ctx,
    'iam',
    'ListRolePolicies',
    inlineWhat,
    (token) => client.send(new ListRolePoliciesCommand({ RoleName: name, ...(token && { Marker: token }) })),
    (o) => ({ items: o.PolicyNames, next: o.IsTruncated ? o.Marker : undefined }),
  );
  if (!inline.complete) role.unresolved.policies = ctx.reason(inlineWhat);
  for (const policyName of inline.items) {
    const policyWhat = `inline policy ${policyName} of ${what}`;
    const got = await ctx.call('iam', 'GetRolePolicy', policyWhat, () => client.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
    const doc = got ? parse(got.PolicyDocument) : { reason: ctx.reason(policyWhat) };
    addPolicy(role, { name: policyName, type: 'inline' }, doc);
  }

  const attachedWhat = `attached policies of ${what}`;
  const attached = await listAll(
    ctx,
    'iam',
    'ListAttachedRolePolicies',
    attachedWhat,
    (token) => client.send(new ListAttachedRolePoliciesCommand({ RoleName: name, ...(token && { Marker: token }) })),
    (o) => ({ items: o.AttachedPolicies, next: o.IsTruncated ? o.Marker : undefined }),
  );
  if (!attached.complete) role.unresolved.policies ??= ctx.reason(attachedWhat);
  for (const { PolicyArn: policyArn, PolicyName: policyName } of attached.items) {
    if (!policyArn) continue;
    const bundled = isAwsManagedPolicyArn(policyArn) ? awsManagedPolicyDocument(policyArn) : undefined;
    const type = isAwsManagedPolicyArn(policyArn) ? 'awsManaged' : 'managed';
    const read = bundled ? { document: bundled, name: policyName ?? policyArn } : await managedPolicy(client, ctx, policyArn, policies);
    addPolicy(role, { name: policyName ?? read.name, type, arn: policyArn }, read);
  }
  return role;
}

function addPolicy(role: Resource, entry: PolicyEntry, read: { document: PolicyDocument } | { reason: string }): void {
  const list = role.properties.policies as PolicyEntry[];
  if ('document' in read) entry.document = read.document;
  else role.unresolved[`policies[${list.length}].document`] = read.reason;
  list.push(entry);
}

/** The default version of a managed policy (GetPolicy, then GetPolicyVersion), once per ARN. */
function managedPolicy(client: IAMClient, ctx: LiveContext, arn: string, cache: Map<string, Promise<PolicyRead>>): Promise<PolicyRead> {
  let read = cache.get(arn);
  if (!read) {
    read = (async (): Promise<PolicyRead> => {
      const fallbackName = arn.slice(arn.lastIndexOf('/') + 1);
      const what = `managed policy ${arn}`;
      const policy = await ctx.call('iam', 'GetPolicy', what, () => client.send(new GetPolicyCommand({ PolicyArn: arn })));
      const name = policy?.Policy?.PolicyName ?? fallbackName;
      const version = policy?.Policy?.DefaultVersionId;
      if (!version) return { reason: ctx.reason(what), name };
      const versionWhat = `version ${version} of managed policy ${arn}`;
      const got = await ctx.call('iam', 'GetPolicyVersion', versionWhat, () => client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version })));
      if (!got) return { reason: ctx.reason(versionWhat), name };
      const doc = parse(got.PolicyVersion?.Document);
      return { ...doc, name };
    })();
    cache.set(arn, read);
  }
  return read;
}

/** IAM returns policy documents URL-encoded; parsePolicyDocument decodes them. */
function parse(text: string | undefined): { document: PolicyDocument } | { reason: string } {
  if (text === undefined) return { reason: 'the response has no policy document' };
  try {
    return { document: parsePolicyDocument(text) };
  } catch (err) {
    return { reason: (err as Error).message };
  }
}
