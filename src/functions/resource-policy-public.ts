import type { PolicyDocument, Statement } from '../iam/policy-document.js';
import { unresolvedAt } from '../rules/paths.js';
import { grantsInvoke, invokeTail } from './private-api-vpc-only.js';
import { defineFunction } from './types.js';

// Condition keys that pin the caller's network or organization: a Deny on everyone unless one
// of them matches turns the API's open Allow into an allow for that network or organization.
const BOUNDARY_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:principalorgid']);

/** Anyone: `Principal: "*"` (normalized to `{ AWS: ["*"] }`), or a NotPrincipal, which allows everyone it does not name. */
const everyone = (s: Statement): boolean => s.notPrincipal !== undefined || (s.principal?.aws?.includes('*') ?? false);

/** An Allow of execute-api:Invoke to everyone with no Condition at all. */
const openAllow = (s: Statement): boolean =>
  s.effect === 'Allow' && everyone(s) && grantsInvoke(s) && Object.keys(s.condition ?? {}).length === 0;

/**
 * AWS's documented restriction pattern: Deny everyone execute-api:Invoke on the whole API unless
 * the call comes from a named VPC endpoint, VPC, IP range or organization (a negated operator on
 * those keys only); the open Allow then admits only what the Deny lets through.
 */
function denyOutsideBoundary(s: Statement): boolean {
  if (s.effect !== 'Deny' || s.notPrincipal || !s.principal?.aws?.includes('*') || !grantsInvoke(s)) return false;
  if (!s.resource?.some((r) => ['*', '*/*'].includes(invokeTail(r)))) return false;
  const entries = Object.entries(s.condition ?? {});
  return (
    entries.length > 0 &&
    entries.every(([op, keys]) => /^(StringNot(Equals|Like)|NotIpAddress)(IfExists)?$/i.test(op) && Object.keys(keys).every((key) => BOUNDARY_KEYS.has(key.toLowerCase())))
  );
}

/**
 * A REST API resource policy that allows execute-api:Invoke to everyone without a Condition
 * makes the API callable by any AWS principal and, without IAM authorization on the methods, by
 * anyone on the internet.
 */
export const resourcePolicyNotPublic = defineFunction<Record<string, never>>({
  name: 'resourcePolicyNotPublic',
  description:
    'Fails when the REST API resource policy has an Allow of execute-api:Invoke for Principal "*" (or a NotPrincipal) without a Condition, unless a Deny on everyone for the whole API admits only named VPC endpoints, VPCs, IP ranges or an organization. No policy passes; a policy that cannot be read is unknown.',
  kinds: ['apigateway.restApi'],
  reads: ['policy'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(api) {
    const unread = unresolvedAt(api, 'policy');
    const reason = unread.at ?? unread.below;
    if (reason) return { status: 'unknown', reason, evidence: [{ path: 'policy' }] };
    const policy = api.properties.policy as PolicyDocument | undefined;
    if (!policy) return { status: 'pass' };
    if (policy.statements.some(denyOutsideBoundary)) return { status: 'pass' };
    const open = policy.statements.flatMap((s, i) => (openAllow(s) ? [i] : []));
    if (!open.length) return { status: 'pass' };
    return {
      status: 'fail',
      evidence: open.map((i) => ({ path: `policy.statements[${i}]`, detail: policy.statements[i]!.sid ?? `statement ${i + 1}` })),
    };
  },
});
