import type { PolicyDocument, Statement } from '../iam/policy-document.js';
import type { Resource } from '../model/resource.js';
import { unresolvedAt } from '../rules/paths.js';
import type { RuleEvidence } from '../rules/types.js';
import { globMatch } from '../util/glob.js';
import { findRole } from './guest-role-scope.js';
import { defineFunction } from './types.js';

// The service principal Cognito user pools assume the SMS role as (aws, aws-cn, aws-us-gov).
const COGNITO_IDP = /^cognito-idp\.amazonaws\.com(\.cn)?$/i;
// Keys that bind the assumption to one account's or one pool's request.
const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn'];

function trustsCognitoIdp(s: Statement): boolean {
  if (s.effect !== 'Allow' || !s.principal?.service?.some((p) => COGNITO_IDP.test(p))) return false;
  return s.action
    ? s.action.some((a) => globMatch(a.toLowerCase(), 'sts:assumerole'))
    : !!s.notAction && !s.notAction.some((a) => globMatch(a.toLowerCase(), 'sts:assumerole'));
}

/** Condition values of `key` (case-insensitive) under operators matching `op`. */
function values(s: Statement, op: RegExp, key: string): string[] {
  return Object.entries(s.condition ?? {}).flatMap(([operator, keys]) =>
    op.test(operator) ? Object.entries(keys).flatMap(([k, v]) => (k.toLowerCase() === key ? v : [])) : [],
  );
}

const placeholder = (v: string): boolean => v.includes('${');

/**
 * What is wrong with one trust statement for `externalId`, or undefined; `unknown` when a value
 * only known at deploy time (a Terraform reference, `${AWS::StackName}`) decides it.
 */
function problem(s: Statement, externalId: string): string | 'unknown' | undefined {
  const external = values(s, /^StringEquals$/i, 'sts:externalid');
  if (external.length > 0 && external.every((v) => v === externalId)) return undefined;
  if (SOURCE_KEYS.some((key) => values(s, /^(StringEquals|StringLike|ArnEquals|ArnLike)$/i, key).length > 0)) return undefined;
  if (external.length === 0) return 'no StringEquals condition on sts:ExternalId (nor aws:SourceAccount/aws:SourceArn)';
  if (placeholder(externalId) || external.some(placeholder)) return 'unknown';
  return `sts:ExternalId is ${JSON.stringify(external)}, not the pool's ExternalId`;
}

/**
 * The SMS role of a user pool resists the confused deputy: the pool sets an ExternalId and every
 * Allow of sts:AssumeRole to cognito-idp.amazonaws.com in the role's trust policy requires
 * sts:ExternalId equal to it, or pins aws:SourceAccount/aws:SourceArn.
 */
export const smsRoleTrust = defineFunction<Record<string, never>>({
  name: 'smsRoleTrust',
  description:
    "The user pool's SmsConfiguration has an ExternalId, and every statement of the trust policy of the SnsCallerArn role that lets cognito-idp.amazonaws.com call sts:AssumeRole has StringEquals sts:ExternalId equal to it, or a condition on aws:SourceAccount or aws:SourceArn. A role that is not among the inputs, or a value only known at deploy time, is unknown; the finding points at the pool's SnsCallerArn or the role's trust statement.",
  kinds: ['cognito.userPool'],
  reads: ['smsConfiguration'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(pool, _options, ctx) {
    for (const path of ['smsConfiguration.snsCallerArn', 'smsConfiguration.externalId']) {
      const why = unresolvedAt(pool, path).at;
      if (why) return { status: 'unknown', reason: why, evidence: [{ path }] };
    }
    const sms = pool.properties.smsConfiguration as { snsCallerArn?: string; externalId?: string } | undefined;
    if (sms?.snsCallerArn === undefined) return { status: 'notApplicable' };
    if (sms.externalId === undefined) return { status: 'fail', evidence: [{ path: 'smsConfiguration', actual: 'no ExternalId' }] };
    const role: Resource | undefined = ctx.graph.related(pool, 'smsRole')[0] ?? findRole(ctx.graph, sms.snsCallerArn, pool);
    const at = 'smsConfiguration.snsCallerArn';
    if (!role) return { status: 'unknown', reason: `the SMS role ${sms.snsCallerArn} is not among the inputs`, evidence: [{ path: at }] };
    const policyUnknown = unresolvedAt(role, 'assumeRolePolicy').at;
    if (policyUnknown) return { status: 'unknown', reason: `role ${role.name}: ${policyUnknown}`, evidence: [{ path: at, at: { resourceId: role.id, path: 'assumeRolePolicy' } }] };
    const failed: RuleEvidence[] = [];
    const unknown: string[] = [];
    let trusts = false;
    ((role.properties.assumeRolePolicy as PolicyDocument | undefined)?.statements ?? []).forEach((s, i) => {
      if (!trustsCognitoIdp(s)) return;
      trusts = true;
      const path = `assumeRolePolicy.statements[${i}]`;
      const below = unresolvedAt(role, path);
      if (below.at || below.below) unknown.push(`role ${role.name}: ${below.at ?? below.below}`);
      else {
        const p = problem(s, sms.externalId!);
        if (p === 'unknown') unknown.push(`the ExternalId ${sms.externalId!} or the role's sts:ExternalId condition is only known at deploy time`);
        else if (p) failed.push({ path: at, actual: p, detail: s.sid ?? `statements[${i}]`, at: { resourceId: role.id, path } });
      }
    });
    if (!trusts) return { status: 'fail', evidence: [{ path: at, actual: `role ${role.name} does not let cognito-idp.amazonaws.com assume it`, at: { resourceId: role.id, path: 'assumeRolePolicy' } }] };
    if (failed.length) return { status: 'fail', evidence: failed };
    if (unknown.length) return { status: 'unknown', reason: unknown.join('; '), evidence: [{ path: at }] };
    return { status: 'pass' };
  },
});
