import type { Resource } from '../model/resource.js';

/** One step of a property path: a key, one array index, or every array element (or map value). */
export type PathSegment = { key: string } | { index: number } | { each: true };

/**
 * Parses a dotted property path with `[*]` and `[n]` (`callbackURLs[*]`,
 * `policies.passwordPolicy.minimumLength`, `policies[0].document.statements[*].action`).
 * Returns undefined when the path is malformed.
 */
export function parsePath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\*|\d+)\]|\./gy;
  let expectKey = true;
  let last = 0;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    last = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey) return undefined;
      segments.push({ key: m[1] });
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey) return undefined;
      segments.push(m[2] === '*' ? { each: true } : { index: Number(m[2]) });
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
  }
  if (last !== path.length || expectKey || segments.length === 0) return undefined;
  return segments;
}

/** True when the path has a `[*]` step. */
export function hasWildcard(segments: PathSegment[]): boolean {
  return segments.some((s) => 'each' in s);
}

/** A value found at a concrete path (no `[*]`). */
export interface PathValue {
  path: string;
  value: unknown;
  /** `[*]` met no array, or an empty one, here: there are no elements to judge (unless the array is unresolved). */
  noElements?: true;
}

/**
 * Every concrete (path, value) pair a path reaches. `[*]` fans out over array elements; a
 * missing step yields one pair with `value: undefined` at the path reached so far plus the rest.
 */
export function readPath(properties: unknown, segments: PathSegment[]): PathValue[] {
  const out: PathValue[] = [];
  const walk = (node: unknown, i: number, path: string): void => {
    if (i === segments.length) {
      out.push({ path, value: node });
      return;
    }
    const seg = segments[i]!;
    if ('key' in seg) {
      const next = path ? `${path}.${seg.key}` : seg.key;
      const child =
        node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, seg.key)
          ? (node as Record<string, unknown>)[seg.key]
          : undefined;
      walk(child, i + 1, next);
    } else if ('index' in seg) {
      walk(Array.isArray(node) ? node[seg.index] : undefined, i + 1, `${path}[${seg.index}]`);
    } else if (Array.isArray(node)) {
      // An empty array whose elements could not be read (a list from a parameter without a
      // default) must still reach the unresolved check, never count as "no elements, all hold".
      if (node.length === 0) out.push({ path, value: undefined, noElements: true });
      node.forEach((item, n) => walk(item, i + 1, `${path}[${n}]`));
    } else if (isMap(segments, i, node)) {
      // A map keyed by names (role mappings by label): every value, each at its own key.
      const entries = Object.entries(node);
      if (entries.length === 0) out.push({ path, value: undefined, noElements: true });
      for (const [key, item] of entries) walk(item, i + 1, `${path}.${key}`);
    } else if (node !== undefined && node !== null) {
      // A scalar where the schema wants an array: judge it as the only element.
      walk(node, i + 1, `${path}[0]`);
    } else {
      out.push({ path, value: undefined, noElements: true });
    }
  };
  walk(properties, 0, '');
  return out;
}

/**
 * True when `[*]` at step `i` meets a map of named values rather than a single object: the
 * step after it is a key no map would have at its top level but each of its values has. An
 * object that itself has that key is the one element of a list written as a scalar.
 */
function isMap(segments: PathSegment[], i: number, node: unknown): node is Record<string, unknown> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const next = segments[i + 1];
  return next === undefined || !('key' in next) || !Object.hasOwn(node, next.key);
}

/** How a concrete path relates to the resource's unresolved paths. */
export interface Unresolved {
  /** The path itself, or one of its parents, is unresolved: the value is unknown. */
  at?: string;
  /** Something below the path is unresolved: the value is partly known. */
  below?: string;
}

/** Looks up `path` (concrete) in `resource.unresolved`: exact, parent or child entries. */
export function unresolvedAt(resource: Pick<Resource, 'unresolved'>, path: string): Unresolved {
  const result: Unresolved = {};
  for (const [key, reason] of Object.entries(resource.unresolved)) {
    if (key === path || isUnder(path, key)) {
      result.at ??= `${key} is not known: ${reason}`;
    } else if (isUnder(key, path)) {
      result.below ??= `${key} is not known: ${reason}`;
    }
  }
  return result;
}

/** True when `path` is strictly below `parent` (`a.b` under `a`, `a[1]` under `a`). */
export function isUnder(path: string, parent: string): boolean {
  return path.length > parent.length && path.startsWith(parent) && (path[parent.length] === '.' || path[parent.length] === '[');
}

/** The parent of a concrete path (`a.b[2]` -> `a.b`, `a.b` -> `a`, `a` -> undefined). */
export function parentPath(path: string): string | undefined {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : undefined;
}

type JsonSchema = Record<string, unknown>;

/**
 * Checks a parsed path against a kind's JSON Schema, following `properties`, `items`, local
 * `$ref`s and `additionalProperties`. Returns undefined when the path exists, else the first
 * step that does not.
 */
export function checkPathInSchema(schema: JsonSchema, segments: PathSegment[]): string | undefined {
  const root = schema;
  const deref = (node: JsonSchema): JsonSchema => {
    let current = node;
    for (let guard = 0; typeof current.$ref === 'string' && guard < 20; guard++) {
      const ref = current.$ref as string;
      if (!ref.startsWith('#/')) return current;
      let target: unknown = root;
      for (const part of ref.slice(2).split('/')) target = (target as JsonSchema | undefined)?.[part];
      if (!target || typeof target !== 'object') return current;
      current = target as JsonSchema;
    }
    return current;
  };
  let node: JsonSchema | true = deref(root);
  let walked = '';
  for (const seg of segments) {
    if (node === true) return undefined;
    if ('key' in seg) {
      walked = walked ? `${walked}.${seg.key}` : seg.key;
      const props = node.properties as Record<string, JsonSchema> | undefined;
      const additional = node.additionalProperties;
      if (props && Object.hasOwn(props, seg.key)) node = deref(props[seg.key]!);
      else if (additional === true) node = true;
      else if (additional && typeof additional === 'object') node = deref(additional as JsonSchema);
      else return walked;
    } else {
      walked += 'index' in seg ? `[${seg.index}]` : '[*]';
      // `[*]` over a map of named values (additionalProperties) walks its values.
      const values = node.additionalProperties;
      if (!('index' in seg) && node.type === 'object' && values && typeof values === 'object') {
        node = deref(values as JsonSchema);
        continue;
      }
      const items = node.items;
      if (!items || typeof items !== 'object' || Array.isArray(items)) return walked;
      node = deref(items as JsonSchema);
    }
  }
  return undefined;
}
