import type { ResourceGraph } from '../engine/graph.js';
import { buildActionIndex, type ActionIndex } from '../iam/action-index.js';
import { grantsOf, roleBoundarySource, rolePolicySources, type Grant, type PolicyDocument } from '../iam/analyze.js';
import { resourceReach } from '../iam/resource-scope.js';
import { isUnder, unresolvedAt } from '../rules/paths.js';
import type { Resource } from '../model/resource.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
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
    return judgeGrants(role, ctx.graph, dangerousActions(index), (grants) =>
      grants.flatMap((grant) =>
        grant.resources.flatMap((resource) => {
          const reach = resourceReach(resource, index.arnFormats);
          if (onlyOnEveryRole(grant.action) && !reach.all) return [];
          // A deploy-time reference (`${AuthRole.Arn}`, `${aws_iam_role.auth.arn}`) is written
          // differently by each source: the detail (the fingerprint) must not depend on it.
          const on = grant.except ? `every resource except ${grant.except.join(', ')}` : reach.text;
          return [{ grant, detail: `${grant.action} on ${resource.replace(/\$\{[^}]*\}/g, '${ref}')}`, text: `${grant.action} on ${on}`, expected: 'no privilege-escalation action' }];
        }),
      ),
    );
  },
});

/** One thing a finding reports about a role's grants. */
interface Reported {
  grant: Grant;
  detail: string;
  /** What the role can do, e.g. `iam:PassRole on every resource ("*")`. */
  text: string;
  expected: string;
}

/**
 * The grants of `actions` in the role's policies (after Deny statements and its boundary), as
 * `report` words them: a fail with one evidence per distinct detail (pointing at the grant);
 * else unknown when a policy could not be read; else a pass.
 */
function judgeGrants(role: Resource, graph: ResourceGraph, actions: readonly string[], report: (grants: Grant[]) => Reported[]): FunctionResult {
  const boundary = roleBoundarySource(role, graph);
  const boundaryRef = role.unresolved.permissionsBoundary ?? role.properties.permissionsBoundary;
  // A boundary only takes permissions away: judged without it, findings may be too many, never too few.
  const boundaryNote = boundaryRef !== undefined && !boundary ? `; the permissions boundary (${String(boundaryRef)}) is not in the inputs and was not applied` : '';
  const sources = rolePolicySources(role, graph);
  const evidence: RuleEvidence[] = [];
  const seen = new Set<string>();
  for (const { grant, detail, text, expected } of report(grantsOf(sources, actions, boundary))) {
    if (seen.has(`${detail} ${text}`)) continue;
    seen.add(`${detail} ${text}`);
    const condition = grant.conditionKeys.length ? ` (conditional on ${grant.conditionKeys.join(', ')}: reported, a condition is not taken as a limit)` : '';
    evidence.push({
      path: grant.at?.resourceId === role.id ? grant.at.path : 'policies',
      actual: `${text} in ${grant.policy}${condition}${boundaryNote}`,
      expected,
      detail,
      ...(grant.at && { at: grant.at }),
    });
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
}


/**
 * The calls that change who Cognito trusts (catalogue row cir-cognito-admin-principals):
 * re-pointing an identity pool at a role needs SetIdentityPoolRoles and PassRole together;
 * each other call is enough on its own.
 */
const TRUST_CHANGES: ReadonlyArray<readonly string[]> = [
  ['cognito-identity:SetIdentityPoolRoles', 'iam:PassRole'],
  ['cognito-identity:UpdateIdentityPool'],
  ['cognito-idp:AdminSetUserPassword'],
  ['cognito-idp:AdminUpdateUserAttributes'],
  ['cognito-idp:AdminAddUserToGroup'],
  ['cognito-idp:UpdateUserPool'],
  ['cognito-idp:UpdateUserPoolClient'],
  ['cognito-idp:CreateIdentityProvider'],
  ['cognito-idp:SetRiskConfiguration'],
];

/**
 * Inventory of the roles of the inputs (whoever may assume them) that can change Cognito trust,
 * one finding per capability, so that each holder is reviewed. A capability needing two actions
 * is listed only when the role holds both.
 */
export const cognitoTrustAdmins = defineFunction<Record<string, never>>({
  name: 'cognitoTrustAdmins',
  description:
    'Lists, for any IAM role, each call its policies allow (after Deny statements and the permissions boundary) that changes who Cognito trusts: cognito-identity:SetIdentityPoolRoles together with iam:PassRole, cognito-identity:UpdateIdentityPool, cognito-idp:AdminSetUserPassword, AdminUpdateUserAttributes, AdminAddUserToGroup, UpdateUserPool, UpdateUserPoolClient, CreateIdentityProvider and SetRiskConfiguration; one finding per capability.',
  kinds: ['iam.role'],
  reads: ['policies', 'permissionsBoundary'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate: (role, _options, ctx) =>
    judgeGrants(role, ctx.graph, TRUST_CHANGES.flat(), (grants) =>
      TRUST_CHANGES.flatMap((needs) => {
        const held = needs.map((action) => grants.filter((g) => g.action === action));
        if (held.some((h) => h.length === 0)) return [];
        const first = held[0]![0]!;
        const text = held.map((h) => `${h[0]!.action} on ${h.flatMap((g) => g.resources).join(', ')}`).join(' with ');
        return [{ grant: first, detail: needs.join('+'), text, expected: 'only administrators change Cognito trust' }];
      }),
    ),
});
