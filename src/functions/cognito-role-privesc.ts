import type { ResourceGraph } from '../engine/graph.js';
import { buildActionIndex, type ActionIndex } from '../iam/action-index.js';
import { grantsOf, roleBoundarySource, rolePolicySources, type PolicyDocument } from '../iam/analyze.js';
import { resourceReach } from '../iam/resource-scope.js';
import { isUnder, unresolvedAt } from '../rules/paths.js';
import type { RuleEvidence } from '../rules/types.js';
import { trustsCognito } from './cognito-trust.js';
import { graphPolicyPatterns } from './guest-role-scope.js';
import { defineFunction } from './types.js';

/**
 * What a role handed to app users must not hold (catalogue row cir-no-privesc-actions): every
 * IAM permissions-management action (`iam:*` minus reads) and `iam:PassRole`; `sts:AssumeRole`
 * on every role; re-pointing an identity pool (`SetIdentityPoolRoles`) or adding an IdP to it
 * (`UpdateIdentityPool`); the user pool's admin actions that change users (`Admin*` minus
 * reads such as AdminGetUser) and its reconfiguration; and running code as a Lambda function.
 * Each lets any user of the app (or any guest) become someone stronger: HackTricks'
 * aws-cognito-privesc and Prowler's PassRole+SetIdentityPoolRoles pattern.
 */
const PATTERNS = [
  'iam:*',
  'sts:AssumeRole',
  'cognito-identity:SetIdentityPoolRoles',
  'cognito-identity:UpdateIdentityPool',
  'cognito-idp:Admin*',
  'cognito-idp:UpdateUserPool',
  'cognito-idp:CreateUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
  'cognito-idp:CreateIdentityProvider',
  'cognito-idp:SetRiskConfiguration',
  'cognito-idp:CreateUserImportJob',
  'lambda:UpdateFunctionCode',
  'lambda:CreateFunction',
];

/** The concrete actions of {@link PATTERNS} that change something (reads of the same services are not escalation). */
function dangerousActions(index: ActionIndex): string[] {
  const out = new Set<string>();
  for (const pattern of PATTERNS) {
    for (const action of index.expand(pattern) ?? []) {
      const level = index.accessLevel(action);
      if (action.toLowerCase() === 'iam:passrole' || (pattern === 'iam:*' ? level === 'Permissions management' : level !== 'Read' && level !== 'List')) out.add(action);
    }
  }
  return [...out].sort();
}

/** `sts:AssumeRole` is escalation only on every role; a named role is a deliberate hand-over. */
const onlyOnEveryRole = (action: string): boolean => action.toLowerCase() === 'sts:assumerole';

/**
 * A role that Cognito identity pools can hand out (its trust lets cognito-identity.amazonaws.com
 * call sts:AssumeRoleWithWebIdentity: authenticated, guest, mapped and group roles) holds none
 * of the privilege-escalation actions, judged per concrete action and resource after Deny
 * statements and the permissions boundary.
 */
export const cognitoRolePrivesc = defineFunction<Record<string, never>>({
  name: 'cognitoRolePrivesc',
  description:
    'For a role whose trust lets Cognito identity pools assume it: each privilege-escalation action its policies allow (IAM permissions management and iam:PassRole, sts:AssumeRole on every role, cognito-identity:SetIdentityPoolRoles and UpdateIdentityPool, cognito-idp Admin* changes, UpdateUserPool, Create/UpdateUserPoolClient, CreateIdentityProvider, SetRiskConfiguration, CreateUserImportJob, lambda:CreateFunction and UpdateFunctionCode) after Deny statements and the permissions boundary, one finding per action and resource; conditional grants are reported with their condition keys.',
  kinds: ['iam.role'],
  reads: ['assumeRolePolicy', 'policies', 'permissionsBoundary'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async prepare(graph: ResourceGraph) {
    const { actions, resources } = graphPolicyPatterns(graph);
    return buildActionIndex([...actions, ...PATTERNS], resources);
  },
  evaluate(role, _options, ctx) {
    const trustUnknown = unresolvedAt(role, 'assumeRolePolicy').at;
    if (trustUnknown) return { status: 'unknown', reason: `whether Cognito can assume the role is not known: ${trustUnknown}`, evidence: [{ path: 'assumeRolePolicy' }] };
    const trust = role.properties.assumeRolePolicy as PolicyDocument | undefined;
    if (!(trust?.statements ?? []).some((s) => trustsCognito(s))) return { status: 'notApplicable' };
    const index = ctx.prepared as ActionIndex | undefined;
    if (!index) return { status: 'unknown', reason: 'IAM action data was not prepared (buildGraph was not used)', evidence: [{ path: 'policies' }] };
    const boundary = roleBoundarySource(role, ctx.graph);
    const boundaryRef = role.unresolved.permissionsBoundary ?? role.properties.permissionsBoundary;
    // A boundary only takes permissions away: judged without it, findings may be too many, never too few.
    const boundaryNote = boundaryRef !== undefined && !boundary ? `; the permissions boundary (${String(boundaryRef)}) is not in the inputs and was not applied` : '';
    const sources = rolePolicySources(role, ctx.graph);
    const evidence: RuleEvidence[] = [];
    const seen = new Set<string>();
    for (const grant of grantsOf(sources, dangerousActions(index), boundary)) {
      for (const resource of grant.resources) {
        const reach = resourceReach(resource, index.arnFormats);
        if (onlyOnEveryRole(grant.action) && !reach.all) continue;
        // A deploy-time reference (`${AuthRole.Arn}`, `${aws_iam_role.auth.arn}`) is written
        // differently by each source: the detail (the fingerprint) must not depend on it.
        const detail = `${grant.action} on ${resource.replace(/\$\{[^}]*\}/g, '${ref}')}`;
        if (seen.has(`${detail} ${resource}`)) continue;
        seen.add(`${detail} ${resource}`);
        const on = grant.except ? `every resource except ${grant.except.join(', ')}` : reach.text;
        const condition = grant.conditionKeys.length ? ` (conditional on ${grant.conditionKeys.join(', ')}: reported, a condition is not taken as a limit)` : '';
        evidence.push({
          path: grant.at?.resourceId === role.id ? grant.at.path : 'policies',
          actual: `${grant.action} on ${on} in ${grant.policy}${condition}${boundaryNote}`,
          expected: 'no privilege-escalation action',
          detail,
          ...(grant.at && { at: grant.at }),
        });
      }
    }
    if (evidence.length) return { status: 'fail', evidence };
    const unknowns = [
      ...Object.entries(role.unresolved)
        .filter(([path]) => path === 'policies' || isUnder(path, 'policies'))
        .map(([path, why]) => `${path} is not known: ${why}`),
      ...sources.filter((s) => !s.document).map((s) => `${s.label}: the policy document is not in the inputs`),
    ];
    if (unknowns.length) return { status: 'unknown', reason: unknowns.join('; '), evidence: [{ path: 'policies' }] };
    return { status: 'pass' };
  },
});
