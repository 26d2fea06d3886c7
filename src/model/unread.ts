import type { ResourceKind } from './kinds.js';
import type { Resource } from './resource.js';
import { schemaFor } from '../schemas.js';

const topLevelCache = new Map<ResourceKind, string[]>();

/** Every top-level property the kind's schema declares (what a rule of that kind may read). */
export function topLevelProperties(kind: ResourceKind): string[] {
  let keys = topLevelCache.get(kind);
  if (!keys) {
    const properties = schemaFor(`resources/${kind}.schema.json`).properties;
    keys = properties !== null && typeof properties === 'object' ? Object.keys(properties) : [];
    topLevelCache.set(kind, keys);
  }
  return keys;
}

/**
 * Why nothing about the resource is known, when every property of its kind is unresolved (what
 * `unresolveAll` in src/loaders/unread.ts makes: a stand-in for an include, a loop, a module or a denied call).
 */
export function unreadReason(resource: Resource): string | undefined {
  const keys = topLevelProperties(resource.kind);
  if (keys.length === 0) return undefined;
  for (const key of keys) if (!Object.hasOwn(resource.unresolved, key)) return undefined;
  return resource.unresolved[keys[0]!];
}
