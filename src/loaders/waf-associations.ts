import type { ResourceKind } from '../model/kinds.js';
import { Scope, type PropertyReader, type Target } from './scope.js';
import { Symbolic, Unknown, type Evaluated } from './values.js';

/**
 * Web ACL associations. A WAF web ACL protects an API Gateway REST API stage or a Cognito user
 * pool through a resource of its own (AWS::WAFv2::WebACLAssociation, aws_wafv2_web_acl_association,
 * and for stages the classic AWS::WAFRegional::WebACLAssociation / aws_wafregional_web_acl_association)
 * that names the protected resource by ARN. The stage or pool gets the ACL as `webAclArn`. An
 * association whose ResourceArn cannot be told makes `webAclArn` unknown for every resource it
 * might protect, so that no rule calls them unprotected (or protected) on a guess.
 */

/** The model's kinds a web ACL can protect. */
const PROTECTED: readonly ResourceKind[] = ['apigateway.stage', 'cognito.userPool'];

/** One association: its properties, and the keys of its ResourceArn and of its web ACL. */
export interface WafAssociation {
  name: string;
  reader: PropertyReader;
  resourceArnKey: string;
  webAclKey: string;
}

/** A resource a web ACL may protect. */
export interface WafCandidate {
  kind: ResourceKind;
  target: Target;
}

/** The association resource types of one source, with the keys of their ResourceArn and web ACL. */
export const WAF_ASSOCIATION_KEYS = {
  'AWS::WAFv2::WebACLAssociation': { resourceArnKey: 'ResourceArn', webAclKey: 'WebACLArn' },
  'AWS::WAFRegional::WebACLAssociation': { resourceArnKey: 'ResourceArn', webAclKey: 'WebACLId' },
  aws_wafv2_web_acl_association: { resourceArnKey: 'resource_arn', webAclKey: 'web_acl_arn' },
  aws_wafregional_web_acl_association: { resourceArnKey: 'resource_arn', webAclKey: 'web_acl_id' },
} as const;

/** Which kinds a ResourceArn that names nothing in the inputs may still be. */
function kindsNamed(arn: Evaluated | undefined): readonly ResourceKind[] {
  const text = typeof arn === 'string' ? arn : arn instanceof Symbolic ? arn.text : undefined;
  if (text === undefined) return PROTECTED;
  if (/:apigateway:|\/restapis\//.test(text)) return ['apigateway.stage'];
  if (/:cognito-idp:|:userpool\//.test(text)) return ['cognito.userPool'];
  // A load balancer, AppSync API, App Runner service or Verified Access instance: none of ours.
  if (/^arn:[^:]*:[^:]+:/.test(text)) return [];
  return PROTECTED;
}

/**
 * Gives each resource an association names its `webAclArn` (positioned at the association);
 * `resolve` finds the stage or user pool a ResourceArn names among the inputs.
 */
export function applyWafAssociations(
  associations: readonly WafAssociation[],
  candidates: readonly WafCandidate[],
  resolve: (arn: Evaluated | undefined) => WafCandidate | undefined,
): void {
  const undecided = new Map<ResourceKind, string>();
  for (const a of associations) {
    const arn = a.reader.get([a.resourceArnKey]);
    const protectedResource = arn instanceof Unknown ? undefined : resolve(arn);
    if (!protectedResource) {
      const why = arn instanceof Unknown ? arn.reason : `it names ${arn instanceof Symbolic ? arn.text : String(arn)}, which is not in the inputs`;
      for (const kind of kindsNamed(arn)) undecided.set(kind, `web ACL association ${a.name} may protect it: ${why}`);
      continue;
    }
    const s = new Scope(a.reader, protectedResource.target);
    const acl = a.reader.get([a.webAclKey]);
    if (acl instanceof Unknown || acl === undefined || acl === null) s.unknown('webAclArn', acl instanceof Unknown ? acl.reason : `${a.name} names no web ACL`, a.webAclKey);
    else s.set('webAclArn', acl instanceof Symbolic ? acl.text : String(acl), a.webAclKey);
  }
  for (const c of candidates) {
    const reason = undecided.get(c.kind);
    if (reason !== undefined && c.target.properties.webAclArn === undefined && c.target.unresolved.webAclArn === undefined) c.target.unresolved.webAclArn = reason;
  }
}
