/**
 * Values as every source's evaluator produces them (CloudFormation intrinsics, Terraform
 * expressions, Serverless variables): plain data, plus two markers. A value only known at deploy
 * time is never guessed: a reference to a resource becomes a `Symbolic` string that keeps its
 * text and the resources it names, and anything that cannot be known at all is `Unknown` with a
 * one-line reason.
 */

import { pushAll } from '../util/arrays.js';

/** A value that cannot be known from the template and its parameters. */
export class Unknown {
  constructor(
    /** One line, safe to show: never contains a parameter's value. */
    readonly reason: string,
    /** Text used in its place inside a partially known string, e.g. `${DomainName}`. */
    readonly placeholder: string,
    /**
     * The value names something outside the template (another stack's export, a resource of
     * another Serverless fragment): unknown, but an identifier rather than an arbitrary value,
     * so a policy document may keep it as its placeholder.
     */
    readonly reference = false,
  ) {}
}

/**
 * A string whose text contains `${...}` placeholders for deploy-time values (resource
 * references, pseudo parameters, unknown pieces after a known start). It is opaque: it may be
 * used as a reference or judged by its known start, but never compared for equality.
 */
export class Symbolic {
  constructor(
    readonly text: string,
    /** Resources of the same input the value refers to (CloudFormation logical ids, Terraform addresses). */
    readonly refs: readonly string[],
  ) {}
}

/** A value after evaluation: plain data with `Unknown` and `Symbolic` markers. */
export type Evaluated = string | number | boolean | null | Unknown | Symbolic | Evaluated[] | { [key: string]: Evaluated };

/**
 * The value at `path` (mapping keys and list indexes) inside an evaluated value: `undefined` when
 * absent, or the first `Unknown` met on the way (what is below an unknown is unknown too).
 */
export function valueAt(root: Evaluated | undefined, path: readonly (string | number)[]): Evaluated | undefined {
  let node = root;
  for (const segment of path) {
    if (node instanceof Unknown) return node;
    if (typeof segment === 'number' ? Array.isArray(node) : isRecord(node)) {
      node = Object.hasOwn(node as object, segment) ? (node as Record<string, Evaluated>)[segment as string] : undefined;
    } else {
      return undefined;
    }
  }
  return node;
}

/** The first Unknown inside a value, if any (references outside the template skipped when asked). */
export function firstUnknown(v: Evaluated, skipReferences = false): Unknown | undefined {
  if (v instanceof Unknown) return skipReferences && v.reference ? undefined : v;
  if (v instanceof Symbolic || v === null || typeof v !== 'object') return undefined;
  for (const item of Array.isArray(v) ? v : Object.values(v)) {
    const u = firstUnknown(item, skipReferences);
    if (u) return u;
  }
  return undefined;
}

/** Logical ids referenced anywhere inside a value. */
export function refsOf(v: Evaluated, out: string[] = []): string[] {
  if (v instanceof Symbolic) pushAll(out, v.refs);
  else if (v !== null && typeof v === 'object' && !(v instanceof Unknown)) {
    for (const item of Array.isArray(v) ? v : Object.values(v)) refsOf(item, out);
  }
  return out;
}

/**
 * Converts an evaluated value to plain JSON: symbolic strings become their text, unknown values
 * their placeholder. Use only where placeholders are acceptable.
 */
export function toPlain(v: Evaluated): unknown {
  if (v instanceof Symbolic) return v.text;
  if (v instanceof Unknown) return v.placeholder;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = toPlain(item);
    return out;
  }
  return v;
}

/** A plain object (not a list, not null, not a marker). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Unknown) &&
    !(value instanceof Symbolic) &&
    !(value instanceof Date)
  );
}
