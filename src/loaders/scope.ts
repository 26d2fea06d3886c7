import type { ResourceKind } from '../model/kinds.js';
import type { Position } from '../model/resource.js';
import { parsePolicyDocument, type PolicyDocument } from '../iam/policy-document.js';
import { PROTO_KEY, protoKeyMessage } from '../util/prototype-keys.js';
import { Symbolic, Unknown, firstUnknown, isRecord, refsOf, toPlain, type Evaluated } from './values.js';

/**
 * The declarative mapping every file source shares: a `Scope` reads a source's evaluated
 * properties (CloudFormation `Properties`, a Terraform block's attributes) through a
 * `PropertyReader` and writes the normalized resource model into a `Target`, recording where
 * each value came from, the AWS default applied when the input leaves a property out, and why a
 * value is unknown. Mapping a Terraform attribute reads like mapping a CloudFormation property:
 * `s.enum('mfa_configuration', 'mfaConfiguration', MFA, { fallback: 'OFF' })`.
 */

export type PathSegment = string | number;

/** The evaluated properties of one input resource, and where each came from. */
export interface PropertyReader {
  /** The evaluated value at `path`; an Unknown met on the way is returned. */
  get(path: readonly PathSegment[]): Evaluated | undefined;
  /** Position of the property at `path`, or of its nearest enclosing entry, or of the resource. */
  locate(path: readonly PathSegment[]): Position | undefined;
}

/** A relation to fill in once every resource of the template is known. */
export interface Link {
  relation: string;
  refs: string[];
  kinds: readonly ResourceKind[];
}

/** The normalized state of one resource being built. */
export class Target {
  readonly properties: Record<string, unknown> = {};
  readonly unresolved: Record<string, string> = {};
  readonly defaults: string[] = [];
  readonly positions: Record<string, Position> = {};
  readonly links: Link[] = [];

  link(relation: string, value: Evaluated | undefined, kinds: readonly ResourceKind[]): void {
    if (value === undefined) return;
    const refs = refsOf(value);
    if (refs.length > 0) this.links.push({ relation, refs, kinds });
  }
}

type Conversion<T> = { value: T } | { reason: string };

/** Why a value a scalar was expected for cannot be used. Never quotes secrets: callers skip those. */
function notKnown(v: Evaluated, expected: string): string {
  if (v instanceof Unknown) return v.reason;
  if (v instanceof Symbolic) return `${v.text} is only known at deploy time`;
  if (typeof v === 'string' && v.includes('{{resolve:')) return 'a dynamic reference is resolved at deploy time';
  return `expected ${expected}, found ${short(v)}`;
}

function short(v: Evaluated): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
}

/** `true`/`false` of any case, and YAML booleans. */
export function asBool(v: Evaluated): Conversion<boolean> {
  if (typeof v === 'boolean') return { value: v };
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return { value: v.trim().toLowerCase() === 'true' };
  return { reason: notKnown(v, 'true or false') };
}

/** Integers and integer strings. */
export function asInt(v: Evaluated): Conversion<number> {
  if (typeof v === 'number' && Number.isInteger(v)) return { value: v };
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return { value: Number(v) };
  return { reason: notKnown(v, 'an integer') };
}

/** Numbers and numeric strings. */
export function asNumber(v: Evaluated): Conversion<number> {
  if (typeof v === 'number') return { value: v };
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return { value: Number(v) };
  return { reason: notKnown(v, 'a number') };
}

/** Strings; numbers and booleans as their text; symbolic strings as their text with placeholders. */
export function asString(v: Evaluated): Conversion<string> {
  if (typeof v === 'string') return { value: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { value: String(v) };
  if (v instanceof Symbolic) return { value: v.text };
  return { reason: notKnown(v, 'a string') };
}

export interface EnumOptions {
  /** Value for YAML `true`/`false` (`MfaConfiguration: ON` read by a YAML 1.1 parser). */
  booleans?: [whenTrue: string, whenFalse: string];
  /** Compare and store lower-case instead of upper-case. */
  lower?: boolean;
}

/** A case-insensitive enum, stored in the schema's case. */
export function asEnum(v: Evaluated, allowed: readonly string[], options: EnumOptions = {}): Conversion<string> {
  if (typeof v === 'boolean' && options.booleans) return { value: v ? options.booleans[0] : options.booleans[1] };
  if (typeof v === 'string') {
    const folded = options.lower ? v.trim().toLowerCase() : v.trim().toUpperCase();
    const match = allowed.find((a) => (options.lower ? a.toLowerCase() : a.toUpperCase()) === folded);
    if (match !== undefined) return { value: match };
    if (!v.includes('{{resolve:')) return { reason: `expected one of ${allowed.join(', ')}, found ${short(v)}` };
  }
  return { reason: notKnown(v, `one of ${allowed.join(', ')}`) };
}

function joinOut(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  return prefix ? `${prefix}.${key}` : key;
}

function splitOut(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = splitOut(path);
  let node: Record<string | number, unknown> = root;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    const next = segments[i + 1];
    let child = node[segment];
    if (child === null || typeof child !== 'object') {
      child = typeof next === 'number' ? [] : {};
      node[segment] = child;
    }
    node = child as Record<string | number, unknown>;
  });
}

function inPath(path: string | readonly PathSegment[]): PathSegment[] {
  return typeof path === 'string' ? path.split('.') : [...path];
}

/** Scalar converters the field helpers accept. */
export type Converter<T> = (v: Evaluated) => Conversion<T>;

/**
 * Maps a source's properties (read through a PropertyReader) to normalized properties (written to a
 * Target), recording positions, AWS defaults and unresolved values. A scope may be narrowed to
 * a list item (`Schema[2]` -> `schema[2]`; `from` paths are in the source's own names).
 */
export class Scope {
  constructor(
    readonly reader: PropertyReader,
    readonly target: Target,
    readonly inPrefix: readonly PathSegment[] = [],
    readonly outPrefix: string = '',
  ) {}

  /** A scope below this one. */
  at(from: string | readonly PathSegment[], out: string | number): Scope {
    return new Scope(this.reader, this.target, [...this.inPrefix, ...inPath(from)], joinOut(this.outPrefix, out));
  }

  out(key: string | number): string {
    return joinOut(this.outPrefix, key);
  }

  /** The evaluated value of a source property relative to this scope. */
  get(from: string | readonly PathSegment[]): Evaluated | undefined {
    const v = this.reader.get([...this.inPrefix, ...inPath(from)]);
    return v === null ? undefined : v;
  }

  locate(from: string | readonly PathSegment[]): Position | undefined {
    return this.reader.locate([...this.inPrefix, ...inPath(from)]);
  }

  /** Sets a normalized value taken from the source property `from`. */
  set(out: string, value: unknown, from: string | readonly PathSegment[]): void {
    const path = this.out(out);
    setPath(this.target.properties, path, value);
    this.position(path, from);
  }

  position(outPath: string, from: string | readonly PathSegment[]): void {
    const pos = this.locate(from);
    if (pos) this.target.positions[outPath] = pos;
  }

  /** Records an AWS default for a property the template leaves out. */
  default(out: string, value: unknown): void {
    const path = this.out(out);
    setPath(this.target.properties, path, value);
    this.target.defaults.push(path);
  }

  unknown(out: string, reason: string, from?: string | readonly PathSegment[]): void {
    const path = this.out(out);
    this.target.unresolved[path] = reason;
    if (from !== undefined) this.position(path, from);
  }

  /** Converts and sets one scalar; returns the value set, if any. */
  scalar<T>(from: string, out: string, convert: Converter<T>, fallback?: T): T | undefined {
    const v = this.get(from);
    if (v === undefined) {
      if (fallback !== undefined) this.default(out, fallback);
      return fallback;
    }
    const c = convert(v);
    if ('reason' in c) {
      this.unknown(out, c.reason, from);
      return undefined;
    }
    this.set(out, c.value, from);
    return c.value;
  }

  string(from: string, out: string, fallback?: string): string | undefined {
    return this.scalar(from, out, asString, fallback);
  }

  bool(from: string, out: string, fallback?: boolean): boolean | undefined {
    return this.scalar(from, out, asBool, fallback);
  }

  int(from: string, out: string, fallback?: number): number | undefined {
    return this.scalar(from, out, asInt, fallback);
  }

  enum(from: string, out: string, allowed: readonly string[], options: EnumOptions & { fallback?: string } = {}): string | undefined {
    return this.scalar(from, out, (v) => asEnum(v, allowed, options), options.fallback);
  }

  /**
   * A list of scalars. An item that cannot be known becomes `null` when `nullItems` (the schema
   * allows it) and is otherwise left out; either way its path is unresolved.
   */
  list(from: string, out: string, options: { nullItems?: boolean; convert?: Converter<string>; fallback?: string[] } = {}): string[] | undefined {
    const v = this.get(from);
    if (v === undefined) {
      if (options.fallback) this.default(out, options.fallback);
      return options.fallback;
    }
    if (!Array.isArray(v)) {
      this.unknown(out, notKnown(v, 'a list'), from);
      return undefined;
    }
    const convert = options.convert ?? asString;
    const items: Array<string | null> = [];
    const path = this.out(out);
    v.forEach((item, i) => {
      const c = convert(item);
      const itemPath = `${path}[${items.length}]`;
      if ('reason' in c) {
        if (options.nullItems) {
          this.target.unresolved[itemPath] = c.reason;
          this.position(itemPath, [...inPath(from), i]);
          items.push(null);
        } else {
          this.target.unresolved[path] = c.reason;
        }
        return;
      }
      this.position(itemPath, [...inPath(from), i]);
      items.push(c.value);
    });
    this.set(out, items, from);
    return items.filter((s): s is string => s !== null);
  }

  /** A single scalar stored as a one-item list (AWS::IAM::RolePolicy's RoleName -> roles). */
  scalarList(from: string, out: string): void {
    const v = this.get(from);
    if (v === undefined) return;
    const c = asString(v);
    if ('reason' in c) this.unknown(out, c.reason, from);
    else this.set(out, [c.value], from);
  }

  /** A mapping of strings (tags, attribute mappings). Unknown values are left out and unresolved. */
  stringMap(from: string, out: string): Record<string, string> | undefined {
    const v = this.get(from);
    if (v === undefined) return undefined;
    if (!isRecord(v)) {
      this.unknown(out, notKnown(v as Evaluated, 'a mapping'), from);
      return undefined;
    }
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(v as Record<string, Evaluated>)) {
      const c = asString(item);
      const path = `${this.out(out)}.${key}`;
      if ('reason' in c) this.target.unresolved[path] = c.reason;
      else result[key] = c.value;
      this.position(path, [...inPath(from), key]);
    }
    this.set(out, result, from);
    return result;
  }

  /** CloudFormation `Tags: [{Key, Value}]` as a mapping. */
  tagList(from: string, out: string): void {
    const v = this.get(from);
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      this.unknown(out, notKnown(v, 'a list of tags'), from);
      return;
    }
    const result: Record<string, string> = {};
    v.forEach((tag, i) => {
      const key = isRecord(tag) ? asString((tag as Record<string, Evaluated>).Key ?? null) : { reason: 'a tag must have Key and Value' };
      const value = isRecord(tag) ? asString((tag as Record<string, Evaluated>).Value ?? null) : key;
      if ('value' in key) {
        const path = `${this.out(out)}.${key.value}`;
        // A tag Key is a value that becomes a key: `__proto__` would set the map's prototype.
        if (key.value === PROTO_KEY) this.target.unresolved[path] = protoKeyMessage('');
        else if ('value' in value) result[key.value] = value.value;
        else this.target.unresolved[path] = value.reason;
        this.position(path, [...inPath(from), i]);
      }
    });
    this.set(out, result, from);
  }

  /** A list of objects, each item mapped by `each` in its own scope. */
  objects(from: string, out: string, each: (item: Scope) => void): void {
    const v = this.get(from);
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      this.unknown(out, notKnown(v, 'a list'), from);
      return;
    }
    const path = this.out(out);
    const items: unknown[] = [];
    this.set(out, items, from);
    let j = 0;
    v.forEach((item, i) => {
      if (!isRecord(item)) {
        this.target.unresolved[path] = notKnown(item, 'a mapping');
        return;
      }
      items.push({});
      const scope = this.at([...inPath(from), i], out).atIndex(j);
      scope.position(scope.outPrefix, []);
      each(scope);
      j++;
    });
  }

  private atIndex(index: number): Scope {
    return new Scope(this.reader, this.target, this.inPrefix, `${this.outPrefix}[${index}]`);
  }

  /** An IAM policy document. Any unknown part makes the whole document unresolved: no guessing at permissions. */
  policy(from: string, out: string): PolicyDocument | undefined {
    const v = this.get(from);
    if (v === undefined) return undefined;
    const result = policyFrom(v);
    if ('reason' in result) {
      this.unknown(out, result.reason, from);
      return undefined;
    }
    this.set(out, result.value, from);
    this.statementPositions(from, out);
    return result.value;
  }

  /**
   * Positions of each statement and of each Action/Resource item, so that a finding about one
   * grant points at its line. `Statement` and the list fields may be a single value or a list.
   */
  private statementPositions(from: string, out: string): void {
    const statements = this.get([from, 'Statement']);
    const list = Array.isArray(statements) ? statements.map((_, j) => [from, 'Statement', j]) : [[from, 'Statement']];
    list.forEach((at, j) => {
      const statement = this.out(`${out}.statements[${j}]`);
      this.position(statement, at);
      for (const [field, key] of [['Action', 'action'], ['NotAction', 'notAction'], ['Resource', 'resource'], ['NotResource', 'notResource']] as const) {
        const value = this.get([...at, field]);
        if (value === undefined) continue;
        if (Array.isArray(value)) value.forEach((_, k) => this.position(`${statement}.${key}[${k}]`, [...at, field, k]));
        else this.position(`${statement}.${key}[0]`, [...at, field]);
      }
    });
  }
}

/** Parses an evaluated policy document; unknown parts make it unresolved. */
export function policyFrom(v: Evaluated): Conversion<PolicyDocument> {
  // A reference to something outside the template (an export, another fragment's resource) is
  // kept as its placeholder: it names a resource, it is not a wildcard.
  const unknown = firstUnknown(v, true);
  if (unknown) return { reason: `policy document: ${unknown.reason}` };
  // A policy written as JSON text with deploy-time values inside its strings (Terraform's
  // `jsonencode` or `aws_iam_policy_document` naming a role's ARN, CloudFormation's `Fn::Sub`)
  // is read from its text: each `${...}` stays as a placeholder, which names a resource.
  if (v instanceof Symbolic && !v.text.trimStart().startsWith('{')) return { reason: 'the policy document is only known at deploy time' };
  try {
    return { value: parsePolicyDocument(v instanceof Symbolic ? v.text : toPlain(v)) };
  } catch (err) {
    return { reason: `policy document: ${(err as Error).message}` };
  }
}

/**
 * A free-form evaluated value as plain data with camelCased keys (CORS settings, role
 * mappings): values known only at deploy time keep their `${...}` text, unknown ones become null.
 */
export function camelCasedPlain(v: Evaluated): unknown {
  if (v instanceof Symbolic) return v.text;
  if (v instanceof Unknown) return null;
  if (Array.isArray(v)) return v.map(camelCasedPlain);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, Evaluated>)) out[k.charAt(0).toLowerCase() + k.slice(1)] = camelCasedPlain(item);
    return out;
  }
  return v;
}
