import type { PolicyDocument, Statement } from '../iam/policy-document.js';
import { unresolvedAt } from '../rules/paths.js';
import type { Resource } from '../model/resource.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
import { globMatch } from '../util/glob.js';
import { findRole } from './guest-role-scope.js';
import { defineFunction } from './types.js';

export interface CognitoTrustOptions {
  /** Which condition key of the identity pool's web identity token to require. */
  key: 'aud' | 'amr';
}

// The principal identity pools federate as, per partition (aws, aws-cn, aws-us-gov); the
// condition keys of the token are named after it (`cognito-identity.amazonaws.com:aud`).
const COGNITO_IDENTITY = /^cognito-identity(-us-gov)?\.amazonaws\.com(\.cn)?$/i;
const AMR_VALUES = ['authenticated', 'unauthenticated'];

/**
 * The Cognito identity principal (lower case) when the statement lets an identity pool token
 * call `action` (lower case; sts:AssumeRoleWithWebIdentity unless named), else undefined.
 */
export function trustsCognito(s: Statement, action = 'sts:assumerolewithwebidentity'): string | undefined {
  if (s.effect !== 'Allow') return undefined;
  const provider = s.principal?.federated?.find((f) => COGNITO_IDENTITY.test(f));
  if (!provider) return undefined;
  const assumes = s.action
    ? s.action.some((a) => globMatch(a.toLowerCase(), action))
    : !!s.notAction && !s.notAction.some((a) => globMatch(a.toLowerCase(), action));
  return assumes ? provider.toLowerCase() : undefined;
}

/** The values of condition key `key` under operators matching `op` (keys are case-insensitive). */
export function conditionValues(s: Statement, op: RegExp, key: string): string[] | undefined {
  let found: string[] | undefined;
  for (const [operator, keys] of Object.entries(s.condition ?? {})) {
    if (!op.test(operator)) continue;
    for (const [k, values] of Object.entries(keys)) if (k.toLowerCase() === key) found = [...(found ?? []), ...values];
  }
  return found;
}

const placeholder = (v: string): boolean => v.includes('${');

/**
 * What is wrong with the `aud` condition of one statement, or undefined. STS accepts an
 * identity pool token for any role whose trust lets it, so without `aud` pinned with
 * StringEquals any identity pool (of any account, in the classic flow of the same account)
 * can hand its users this role.
 */
function audProblem(s: Statement, provider: string): string | undefined {
  const key = `${provider}:aud`;
  const exact = conditionValues(s, /^StringEquals$/i, key);
  if (exact?.length) return undefined;
  const like = conditionValues(s, /^(ForAnyValue:|ForAllValues:)?String(Equals|Like)(IgnoreCase)?(IfExists)?$/i, key);
  if (like?.length) return `the ${key} condition is not a plain StringEquals of identity pool ids (${JSON.stringify(like)})`;
  return `no StringEquals condition on ${key}: any identity pool can hand out this role`;
}

/**
 * What is wrong with the `amr` condition of one statement, or undefined: it must admit exactly
 * one of `authenticated` and `unauthenticated`, so that a guest's token never buys the
 * authenticated role (the classic flow lets the caller pick the role).
 */
function amrProblem(s: Statement, provider: string, required?: 'authenticated'): string | undefined {
  const key = `${provider}:amr`;
  const values = conditionValues(s, /^ForAnyValue:String(Equals|Like)$/i, key);
  if (!values?.length) return `no ForAnyValue:StringLike condition on ${key}: guests and signed-in users alike can assume the role`;
  const admitted = AMR_VALUES.filter((v) => values.some((pattern) => globMatch(pattern.toLowerCase(), v)));
  if (admitted.length === 1 && required && admitted[0] !== required) return `${key} admits only ${admitted[0]} identities, not ${required} (${JSON.stringify(values)})`;
  if (admitted.length === 1) return undefined;
  if (admitted.length === 2) return `${key} admits both authenticated and unauthenticated identities (${JSON.stringify(values)})`;
  return `${key} admits neither authenticated nor unauthenticated (${JSON.stringify(values)})`;
}

/**
 * Whether every Allow of sts:AssumeRoleWithWebIdentity to an identity pool in the role's trust
 * policy meets the `aud` and/or `amr` condition (with `requiredAmr`, `amr` must admit exactly
 * that state). Not applicable to roles that do not trust identity pools; one evidence per
 * failing statement.
 */
export function trustConditions(role: Resource, keys: ReadonlyArray<'aud' | 'amr'>, requiredAmr?: 'authenticated'): FunctionResult {
  const policyUnknown = unresolvedAt(role, 'assumeRolePolicy').at;
  if (policyUnknown) return { status: 'unknown', reason: policyUnknown, evidence: [{ path: 'assumeRolePolicy' }] };
  const policy = role.properties.assumeRolePolicy as PolicyDocument | undefined;
  const failed: RuleEvidence[] = [];
  const unknown: RuleEvidence[] = [];
  const reasons: string[] = [];
  let applies = false;
  (policy?.statements ?? []).forEach((s, i) => {
    const provider = trustsCognito(s);
    if (!provider) return;
    applies = true;
    const path = `assumeRolePolicy.statements[${i}]`;
    const detail = s.sid ?? `statements[${i}]`;
    const below = unresolvedAt(role, path);
    const problems = keys.flatMap((key) => (key === 'aud' ? audProblem(s, provider) : amrProblem(s, provider, requiredAmr)) ?? []);
    // A value only known at deploy time may be a wildcard: amr cannot be judged from it.
    const values = keys.includes('amr') ? (conditionValues(s, /./, `${provider}:amr`) ?? []) : [];
    if (below.at || below.below || values.some(placeholder)) {
      reasons.push(below.at ?? below.below ?? `${provider}:amr is only known at deploy time (${JSON.stringify(values)})`);
      unknown.push({ path, detail });
    } else if (problems.length) failed.push({ path, actual: problems.join('; '), detail });
  });
  if (!applies) return { status: 'notApplicable' };
  if (failed.length) return { status: 'fail', evidence: failed };
  if (unknown.length) return { status: 'unknown', reason: reasons.join('; '), evidence: unknown };
  return { status: 'pass' };
}

/**
 * A role's trust policy as a Cognito identity pool role: every Allow of
 * sts:AssumeRoleWithWebIdentity to the `cognito-identity.amazonaws.com` federated principal
 * pins the token's `aud` (the identity pool) or `amr` (authenticated or guest).
 */
export const cognitoTrustCondition = defineFunction<CognitoTrustOptions>({
  name: 'cognitoTrustCondition',
  description:
    'Every Allow statement of the role trust policy that lets cognito-identity.amazonaws.com call sts:AssumeRoleWithWebIdentity has the required condition: `aud`, a StringEquals on cognito-identity.amazonaws.com:aud (no StringLike, no ForAnyValue); `amr`, a ForAnyValue:StringLike (or StringEquals) on cognito-identity.amazonaws.com:amr that admits exactly one of authenticated and unauthenticated. Roles that do not trust Cognito identity pools are not applicable; one finding per failing statement.',
  kinds: ['iam.role'],
  reads: ['assumeRolePolicy'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['key'],
    properties: { key: { enum: ['aud', 'amr'], description: 'The condition key to require: aud (identity pool id) or amr (authentication state).' } },
  },
  evaluate: (role, options) => trustConditions(role, [options.key]),
});

/**
 * The trust policy of a user pool group's role. An identity pool with Token role resolution
 * hands a group's members the group's role (the `cognito:preferred_role` claim, or any of
 * `cognito:roles` the caller asks for), so that role must admit only signed-in identities of
 * the pools that may attach it: `aud` pinned and `amr` exactly `authenticated`.
 */
export const groupRoleTrust = defineFunction<Record<string, never>>({
  name: 'groupRoleTrust',
  description:
    "The role of a user pool group (RoleArn) trusts cognito-identity.amazonaws.com only with a StringEquals condition on cognito-identity.amazonaws.com:aud and a ForAnyValue:StringLike condition on cognito-identity.amazonaws.com:amr that admits exactly `authenticated`. A group without a role, or whose role does not trust identity pools, is not applicable; a role that is not among the inputs is unknown. The finding points at the role's trust statement.",
  kinds: ['cognito.userPoolGroup'],
  reads: ['roleArn'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(group, _options, ctx) {
    const refUnknown = unresolvedAt(group, 'roleArn').at;
    if (refUnknown) return { status: 'unknown', reason: `the group's role is not known: ${refUnknown}`, evidence: [{ path: 'roleArn' }] };
    const ref = group.properties.roleArn;
    if (ref === undefined) return { status: 'notApplicable' };
    const role = ctx.graph.related(group, 'role')[0] ?? findRole(ctx.graph, ref, group);
    if (!role) return { status: 'unknown', reason: `the group's role ${String(ref)} is not among the inputs`, evidence: [{ path: 'roleArn' }] };
    const result = trustConditions(role, ['aud', 'amr'], 'authenticated');
    const evidence = result.evidence?.map((e) => ({ ...e, path: 'roleArn', at: { resourceId: role.id, path: e.path ?? 'assumeRolePolicy' } }));
    return { ...result, ...(evidence && { evidence }), ...(result.reason && { reason: `role ${role.name}: ${result.reason}` }) };
  },
});
