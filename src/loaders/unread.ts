import type { ResourceKind } from '../model/kinds.js';
import type { Target } from './scope.js';
import { topLevelProperties } from '../model/unread.js';

/**
 * Nothing about a resource is known (a template loop over an unknown collection, a live call that
 * was denied): every property of its kind is unresolved with `reason`, so every rule of the kind
 * reports unknown. Derived from the kind's schema, so a property added for a new rule is covered.
 */
export function unresolveAll(unresolved: Record<string, string>, kind: ResourceKind, reason: string): void {
  for (const key of topLevelProperties(kind)) unresolved[key] = reason;
}


/**
 * Properties that other resources set (a web ACL association, a custom domain mapping, a
 * principal tag map, an output or variable that carries a client secret): where they are absent,
 * rules read "none". Content the scanner cannot read (an include, a loop over an unknown
 * collection, a module it cannot load) may hold such a resource, so next to it the absence says
 * nothing.
 */
const COMPANION_PROPERTIES: Partial<Record<ResourceKind, readonly string[]>> = {
  'cognito.userPool': ['webAclArn'],
  'apigateway.stage': ['webAclArn'],
  'apigateway.restApi': ['customDomains'],
  'apigatewayv2.api': ['customDomains'],
  'cognito.identityPool': ['principalTags'],
  'cognito.userPoolClient': ['secretExposedTo'],
};

/** Leaves every companion-set property the resources do not have unresolved, with `why`. */
export function unresolveCompanions(resources: Iterable<{ kind: ResourceKind; target: Target }>, why: string): void {
  for (const { kind, target } of resources) {
    for (const key of COMPANION_PROPERTIES[kind] ?? []) {
      if (target.properties[key] === undefined && target.unresolved[key] === undefined) target.unresolved[key] = why;
    }
  }
}
