import type { PolicyDocument } from '../iam/policy-document.js';
import type { ResourceGraph } from '../engine/graph.js';
import type { Resource } from '../model/resource.js';
import { unresolvedAt } from '../rules/paths.js';
import type { RuleEvidence } from '../rules/types.js';
import { conditionValues, trustsCognito } from './cognito-trust.js';
import { defineFunction } from './types.js';

// The identity pool relations that hand out a role: the pool's default roles and the roles of
// its role-mapping rules (see the role attachment mappers).
const ATTACHING = ['authenticatedRole', 'unauthenticatedRole', 'mappedRoles'] as const;

/** The identity pools of the inputs that hand out the role. */
export function attachingPools(role: Resource, graph: ResourceGraph): Resource[] {
  return [...new Set(ATTACHING.flatMap((relation) => graph.referencedBy(role, relation)))].filter((r) => r.kind === 'cognito.identityPool');
}

/**
 * The texts an `aud` value may have when it names this pool: its id when known, else the
 * placeholder a reference to it leaves in a policy (CloudFormation `!Ref Pool` is `${Pool}`,
 * `!GetAtt Pool.Id` is `${Pool.Id}`; Terraform `aws_cognito_identity_pool.p.id` keeps its address).
 */
function namesOf(pool: Resource): string[] {
  const id = pool.properties.identityPoolId;
  const handles = [pool.name, pool.path, pool.id.slice(pool.id.indexOf('#') + 1)].filter((h): h is string => !!h);
  return [
    ...(typeof id === 'string' && !id.includes('${') ? [id] : []),
    ...handles.flatMap((h) => [`\${${h}}`, `\${${h}.Id}`, `\${${h}.id}`]),
  ];
}

const known = (value: string): boolean => !value.includes('${');

/**
 * A role that trusts Cognito identity pools names in its `aud` condition only the pools that
 * attach it, and is attached by one pool. Every pool named in `aud` can buy the role for its
 * users, so an `aud` value for a pool that does not use the role, or a role shared by several
 * pools, lets users of one pool act with permissions meant for another's.
 */
export const cognitoTrustAudMatchesAttachment = defineFunction<Record<string, never>>({
  name: 'cognitoTrustAudMatchesAttachment',
  description:
    'For a role whose trust policy lets cognito-identity.amazonaws.com call sts:AssumeRoleWithWebIdentity with a StringEquals on cognito-identity.amazonaws.com:aud, and that identity pools of the inputs attach (default roles or role-mapping rules): fails when more than one pool attaches it, or when an aud value names a pool of the inputs that does not attach it, or an identity pool id that none of the attaching pools has (when all their ids are known). An aud value that may or may not name an attaching pool (a deploy-time value) is unknown. Roles without a Cognito trust, without an aud condition (see cognitoTrustCondition) or that no pool of the inputs attaches are not applicable.',
  kinds: ['iam.role'],
  reads: ['assumeRolePolicy'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(role, _options, { graph }) {
    // A trust policy that cannot be read may trust any pool: unknown, whoever attaches the role.
    const policyUnknown = unresolvedAt(role, 'assumeRolePolicy').at;
    if (policyUnknown) return { status: 'unknown', reason: policyUnknown, evidence: [{ path: 'assumeRolePolicy' }] };
    const pools = attachingPools(role, graph);
    if (!pools.length) return { status: 'notApplicable' };
    const policy = role.properties.assumeRolePolicy as PolicyDocument | undefined;
    const auds: { path: string; value: string }[] = [];
    const below: string[] = [];
    (policy?.statements ?? []).forEach((s, i) => {
      const provider = trustsCognito(s);
      if (!provider) return;
      const path = `assumeRolePolicy.statements[${i}]`;
      const u = unresolvedAt(role, path);
      if (u.at || u.below) below.push(u.at ?? u.below!);
      for (const value of conditionValues(s, /^StringEquals$/i, `${provider}:aud`) ?? []) auds.push({ path, value });
    });
    if (!auds.length && !below.length) return { status: 'notApplicable' };
    const failed: RuleEvidence[] = [];
    const undecided: RuleEvidence[] = [];
    const reasons = [...below];
    const poolNames = pools.map((p) => p.name).join(', ');
    if (pools.length > 1) {
      failed.push({ path: 'assumeRolePolicy', actual: `the role is shared by identity pools ${poolNames}`, expected: 'one identity pool per role', detail: 'shared' });
    }
    const others = graph.ofKind('cognito.identityPool').filter((p) => !pools.includes(p));
    const attachingIds = pools.map((p) => p.properties.identityPoolId);
    const allIdsKnown = attachingIds.every((id) => typeof id === 'string' && known(id));
    for (const { path, value } of auds) {
      if (pools.some((p) => namesOf(p).includes(value))) continue;
      const other = others.find((p) => namesOf(p).includes(value));
      if (other || (known(value) && allIdsKnown)) {
        failed.push({
          path,
          actual: `aud names ${other ? `identity pool ${other.name}` : `identity pool id ${value}`}, which does not attach the role (attached by ${poolNames})`,
          expected: 'aud names only the identity pools that attach the role',
          detail: value,
        });
      } else {
        reasons.push(`whether aud value ${value} names ${poolNames} is only known at deploy time`);
        undecided.push({ path, actual: value });
      }
    }
    if (failed.length) return { status: 'fail', evidence: failed };
    if (reasons.length) return { status: 'unknown', reason: reasons.join('; '), evidence: undecided.length ? undecided : [{ path: 'assumeRolePolicy' }] };
    return { status: 'pass' };
  },
});
