import type { Resource } from '../model/resource.js';
import { parsePath, readPath, unresolvedAt } from '../rules/paths.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
import { defineFunction } from './types.js';

/** Why `path` of `resource` cannot be read, with the resource named, or undefined when it can. */
function unknownAt(resource: Resource, path: string): string | undefined {
  const at = unresolvedAt(resource, path).at;
  return at === undefined ? undefined : `${resource.name}: ${at}`;
}

/**
 * A REST API has an authorizer when one names it (CloudFormation, Terraform, an OpenAPI
 * security scheme, SAM or Serverless authorizers), or when it needs none because every method
 * is signed with IAM credentials (AWS_IAM).
 */
export const restApiHasAuthorizer = defineFunction<Record<string, never>>({
  name: 'restApiHasAuthorizer',
  description:
    'Passes when an apigateway.authorizer of the scan names the REST API (its restApi relation), or when the API has methods and every one uses AWS_IAM; unknown when a method\'s authorization type is not known.',
  kinds: ['apigateway.restApi'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(api, _options, { graph }) {
    const children = graph.referencedBy(api, 'restApi');
    if (children.some((r) => r.kind === 'apigateway.authorizer')) return { status: 'pass' };
    const methods = children.filter((r) => r.kind === 'apigateway.method');
    const notIam = methods.filter((m) => m.properties.authorizationType !== 'AWS_IAM');
    const unknown = notIam.map((m) => unknownAt(m, 'authorizationType')).find((r) => r !== undefined);
    if (methods.length > 0 && notIam.length === 0) return { status: 'pass' };
    if (unknown && notIam.every((m) => unknownAt(m, 'authorizationType'))) return { status: 'unknown', reason: unknown };
    return { status: 'fail', evidence: [{ path: 'name', actual: api.properties.name, expected: 'an authorizer, or AWS_IAM on every method' }] };
  },
});

/** The user pool settings an authorizer's pools must have, as the user pool rules check them. */
const POOL_BASICS: ReadonlyArray<{ path: string; expected: unknown; rule: string }> = [
  { path: 'adminCreateUserConfig.allowAdminCreateUserOnly', expected: true, rule: 'cognito-user-pool-self-signup-disabled' },
  { path: 'mfaConfiguration', expected: 'ON', rule: 'cognito-user-pool-mfa-required' },
  { path: 'userPoolAddOns.advancedSecurityMode', expected: 'ENFORCED', rule: 'cognito-user-pool-threat-protection-enforced' },
];

/**
 * The user pools behind a COGNITO_USER_POOLS authorizer decide who holds a token it accepts: a
 * pool anyone can sign up to, without MFA or threat protection, hands API access to anyone. The
 * API narrows that when every method using the authorizer requires OAuth scopes (an access
 * token only the app clients allowed those scopes can obtain).
 */
export const authorizerPoolsHardened = defineFunction<Record<string, never>>({
  name: 'authorizerPoolsHardened',
  description:
    "Passes when every user pool of the authorizer's userPools relation has self sign-up off (AllowAdminCreateUserOnly), MFA ON and threat protection ENFORCED, or when every method using the authorizer requires OAuth scopes; unknown when a pool is not in the inputs or a setting is not known.",
  kinds: ['apigateway.authorizer'],
  reads: ['providerARNs'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(authorizer, _options, { graph }): FunctionResult {
    const methods = graph.referencedBy(authorizer, 'authorizer');
    const scoped = (m: Resource) => Array.isArray(m.properties.authorizationScopes) && m.properties.authorizationScopes.length > 0;
    if (methods.length > 0 && methods.every(scoped)) return { status: 'pass' };
    const pools = graph.related(authorizer, 'userPools');
    const named = authorizer.relations.userPools ?? [];
    const evidence: RuleEvidence[] = [];
    const unknown: string[] = [];
    // A plan knows the ARNs only after apply, but names the pools they come from (the relation):
    // the list is judged through them when every reference it is waiting for is one of them.
    const arnsUnknown = unknownAt(authorizer, 'providerARNs');
    const waitingFor = [...(authorizer.unresolved.providerARNs ?? '').matchAll(/\$\{([^}]+)\.[^.}]+\}/g)].map((m) => m[1]);
    if (arnsUnknown && (waitingFor.length === 0 || !waitingFor.every((ref) => pools.some((p) => p.name === ref)))) unknown.push(arnsUnknown);
    if (pools.length < named.length || named.length === 0) unknown.push(`${authorizer.name}: a user pool of ProviderARNs is not in the inputs`);
    for (const pool of pools) {
      for (const basic of POOL_BASICS) {
        const reason = unknownAt(pool, basic.path);
        if (reason) {
          unknown.push(reason);
          continue;
        }
        const actual = readPath(pool.properties, parsePath(basic.path)!)[0]?.value;
        if (actual !== basic.expected) {
          evidence.push({ path: 'providerARNs', actual, expected: basic.expected, detail: `providerARNs[${named.indexOf(pool.id)}]::${basic.path}`, at: { resourceId: pool.id, path: basic.path } });
        }
      }
    }
    if (evidence.length > 0) return { status: 'fail', evidence };
    if (unknown.length > 0) return { status: 'unknown', reason: unknown[0] };
    return { status: 'pass' };
  },
});
