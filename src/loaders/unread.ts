import type { ResourceKind } from '../model/kinds.js';
import type { Resource } from '../model/resource.js';
import { schemaFor } from '../schemas.js';

const topLevelCache = new Map<ResourceKind, string[]>();

/** Every top-level property the kind's schema declares (what a rule of that kind may read). */
function topLevelProperties(kind: ResourceKind): string[] {
  let keys = topLevelCache.get(kind);
  if (!keys) {
    const properties = schemaFor(`resources/${kind}.schema.json`).properties;
    keys = properties !== null && typeof properties === 'object' ? Object.keys(properties) : [];
    topLevelCache.set(kind, keys);
  }
  return keys;
}

/**
 * Nothing about a resource is known (a template loop over an unknown collection, a live call that
 * was denied): every property of its kind is unresolved with `reason`, so every rule of the kind
 * reports unknown. Derived from the kind's schema, so a property added for a new rule is covered.
 */
export function unresolveAll(unresolved: Record<string, string>, kind: ResourceKind, reason: string): void {
  for (const key of topLevelProperties(kind)) unresolved[key] = reason;
}

/**
 * Why nothing about the resource is known, when every property of its kind is unresolved (what
 * {@link unresolveAll} makes: a stand-in for an include, a loop, a module or a denied call).
 */
export function unreadReason(resource: Resource): string | undefined {
  const keys = topLevelProperties(resource.kind);
  if (keys.length === 0) return undefined;
  for (const key of keys) if (!Object.hasOwn(resource.unresolved, key)) return undefined;
  return resource.unresolved[keys[0]!];
}
