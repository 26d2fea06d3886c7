import type { PolicyDocument, Statement } from '../iam/policy-document.js';
import type { Resource } from '../model/resource.js';
import { unresolvedAt } from '../rules/paths.js';
import { globMatch } from '../util/glob.js';
import { defineFunction } from './types.js';

// Condition keys that name the network a call comes from. On a private API every call comes
// through an interface VPC endpoint, so API Gateway always has aws:SourceVpce (and aws:SourceVpc).
const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc']);

// Stand-ins for "any stage" and "any verb": only a `*` in a resource pattern matches them, so a
// pattern that matches the method's invoke ARN with them covers every stage (and every verb of ANY).
const ANY_STAGE = '\u0001';
const ANY_VERB = '\u0002';

/**
 * The part of an execute-api resource pattern after the API id (`stage/VERB/path`), or `*` for
 * a pattern that covers every API. `${...}` placeholders (values known at deploy time) stay as a
 * character no stand-in matches.
 */
export function invokeTail(pattern: string): string {
  const p = pattern.replace(/\$\{[^}]*\}/g, '\u0003');
  if (p === '*') return '*';
  if (p.startsWith('execute-api:/')) return p.slice('execute-api:/'.length);
  if (p.startsWith('arn:')) {
    const tail = p.split(':').slice(5).join(':');
    const slash = tail.indexOf('/');
    return slash < 0 ? (tail.includes('*') ? '*' : tail) : tail.slice(slash + 1);
  }
  return p;
}

/** True when the statement's actions (or the complement of its NotActions) include execute-api:Invoke. */
export function grantsInvoke(s: Statement): boolean {
  if (s.action) return s.action.some((a) => globMatch(a.toLowerCase(), 'execute-api:invoke'));
  if (s.notAction) return !s.notAction.some((a) => globMatch(a.toLowerCase(), 'execute-api:invoke'));
  return false;
}

/** True when every value names a concrete endpoint or VPC (`vpce-*` would admit anyone's). */
const concrete = (values: string[]): boolean => values.length > 0 && values.every((v) => !v.includes('*') && !v.includes('?'));

/**
 * A Deny on everyone for invoking this method in every stage unless the call comes from named
 * VPC endpoints/VPCs: `StringNotEquals`/`StringNotLike` (IfExists too: no key, still denied)
 * on aws:SourceVpce or aws:SourceVpc and nothing else that would narrow the Deny.
 */
function deniesOutsideVpc(s: Statement, invoke: string): boolean {
  if (s.effect !== 'Deny' || s.notPrincipal || !s.principal?.aws?.includes('*') || !grantsInvoke(s)) return false;
  if (!s.resource?.some((r) => globMatch(invokeTail(r), invoke))) return false;
  const entries = Object.entries(s.condition ?? {});
  return (
    entries.length > 0 &&
    entries.every(
      ([op, keys]) =>
        /^String(NotEquals|NotLike)(IfExists)?$/i.test(op) &&
        Object.entries(keys).every(([key, values]) => NETWORK_KEYS.has(key.toLowerCase()) && concrete(values)),
    )
  );
}

/** An Allow that admits calls only from named VPC endpoints/VPCs (`StringEquals`/`StringLike`, no IfExists). */
function allowsOnlyVpc(s: Statement): boolean {
  return Object.entries(s.condition ?? {}).some(
    ([op, keys]) =>
      /^String(Equals|Like)$/i.test(op) && Object.entries(keys).some(([key, values]) => NETWORK_KEYS.has(key.toLowerCase()) && concrete(values)),
  );
}

/**
 * True when the resource policy lets `method` be invoked only from named VPC endpoints or VPCs:
 * a Deny unless from them, or every Allow of execute-api:Invoke conditioned on them (any such
 * Allow counts, whatever its Resource, which can only make this answer stricter).
 */
function vpcOnly(policy: PolicyDocument, method: Resource): boolean {
  const verb = typeof method.properties.httpMethod === 'string' ? method.properties.httpMethod.toUpperCase() : ANY_VERB;
  const path = typeof method.properties.resourcePath === 'string' ? method.properties.resourcePath : '/';
  const invoke = `${ANY_STAGE}/${verb === 'ANY' ? ANY_VERB : verb}${path}`;
  if (policy.statements.some((s) => deniesOutsideVpc(s, invoke))) return true;
  return policy.statements.filter((s) => s.effect === 'Allow' && grantsInvoke(s)).every(allowsOnlyVpc);
}

/**
 * A private REST API is reachable only through interface VPC endpoints, and its resource policy
 * decides which ones. When that policy admits only named endpoints or VPCs, an unauthenticated
 * method is open to those networks, not to the internet.
 */
export const privateApiVpcOnly = defineFunction<Record<string, never>>({
  name: 'privateApiVpcOnly',
  description:
    "Passes when the method's REST API is PRIVATE and its resource policy admits calls only from named VPC endpoints or VPCs (aws:SourceVpce/aws:SourceVpc): a Deny on everyone unless from them, or every Allow of execute-api:Invoke conditioned on them.",
  kinds: ['apigateway.method'],
  reads: ['httpMethod', 'resourcePath'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(method, _options, { graph }) {
    const api = graph.related(method, 'restApi')[0];
    if (!api) return { status: 'fail' };
    const typesUnknown = unresolvedAt(api, 'endpointConfiguration.types').at;
    if (typesUnknown) return { status: 'unknown', reason: `${api.name}: ${typesUnknown}`, evidence: [{ path: 'restApiId', at: { resourceId: api.id, path: 'endpointConfiguration.types' } }] };
    const types = (api.properties.endpointConfiguration as { types?: unknown } | undefined)?.types;
    if (!Array.isArray(types) || !types.some((t) => typeof t === 'string' && t.toUpperCase() === 'PRIVATE')) return { status: 'fail' };
    const policyUnknown = unresolvedAt(api, 'policy').at;
    if (policyUnknown) return { status: 'unknown', reason: `${api.name} is private: ${policyUnknown}`, evidence: [{ path: 'restApiId', at: { resourceId: api.id, path: 'policy' } }] };
    const policy = api.properties.policy as PolicyDocument | undefined;
    return policy && vpcOnly(policy, method) ? { status: 'pass' } : { status: 'fail' };
  },
});
