/**
 * Terraform's built-in functions the evaluator knows, on evaluated values. A function given an
 * Unknown argument returns it (the result depends on it); one given a deploy-time `Symbolic`
 * string keeps it symbolic where the result is built from the text (join, format, jsonencode)
 * and is Unknown where it would have to look inside it. A call Terraform itself would reject
 * (wrong type, missing key) throws `EvalError`, which `try()` and `can()` catch.
 */

import { Symbolic, Unknown, firstUnknown, isRecord, refsOf, toPlain, type Evaluated } from '../values.js';

/** An evaluation error Terraform would report; `try()`/`can()` recover from it. */
export class EvalError extends Error {}

/** What file functions may touch. */
export interface FunctionContext {
  /** Reads a file the expression names, or returns an Unknown (outside the module, missing). */
  readFile(path: string, fn: string): string | Unknown;
  /** Renders a template file's text with the given variables (templatefile). */
  renderTemplate(text: string, vars: Record<string, Evaluated>, file: string): Evaluated;
}

type Fn = (args: Evaluated[], ctx: FunctionContext) => Evaluated;

/** The first Unknown among the arguments (not inside them). */
function unknownArg(args: readonly Evaluated[]): Unknown | undefined {
  return args.find((a): a is Unknown => a instanceof Unknown);
}

function deployTime(name: string, s: Symbolic): Unknown {
  return new Unknown(`${name}() of ${s.text}, known only at deploy time`, `\${${name}(${s.text})}`);
}

function str(v: Evaluated, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new EvalError(`${fn}() expects a string`);
}

function list(v: Evaluated, fn: string): Evaluated[] {
  if (Array.isArray(v)) return v;
  throw new EvalError(`${fn}() expects a list`);
}

function record(v: Evaluated, fn: string): Record<string, Evaluated> {
  if (isRecord(v)) return v as Record<string, Evaluated>;
  throw new EvalError(`${fn}() expects a map or object`);
}

function num(v: Evaluated, fn: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new EvalError(`${fn}() expects a number`);
}

/** Joins strings, some symbolic, into one string (Symbolic when any piece is). */
export function concatText(pieces: readonly Evaluated[]): Evaluated {
  let text = '';
  const refs: string[] = [];
  let symbolic = false;
  for (const p of pieces) {
    if (p instanceof Unknown) return p;
    if (p instanceof Symbolic) {
      symbolic = true;
      text += p.text;
      for (const r of p.refs) if (!refs.includes(r)) refs.push(r);
    } else if (typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean') text += String(p);
    else if (p === null) throw new EvalError('cannot use a null value in a string');
    else throw new EvalError('cannot use a list or map in a string');
  }
  return symbolic ? new Symbolic(text, refs) : text;
}

/** Deep equality of known values (Terraform `==`); undefined when either side is not known. */
export function equal(a: Evaluated, b: Evaluated): boolean | undefined {
  if (a instanceof Unknown || b instanceof Unknown || a instanceof Symbolic || b instanceof Symbolic) return undefined;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    let all: boolean | undefined = true;
    a.forEach((x, i) => {
      const e = equal(x, b[i]!);
      if (e === false) all = false;
      else if (e === undefined && all) all = undefined;
    });
    return all;
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    let all: boolean | undefined = true;
    for (const k of ka) {
      if (!Object.hasOwn(b, k)) return false;
      const e = equal(a[k] as Evaluated, b[k] as Evaluated);
      if (e === false) return false;
      if (e === undefined) all = undefined;
    }
    return all;
  }
  // Terraform compares a number with its string form as different types: "1" != 1.
  return a === b;
}

/** A value with Unknown or Symbolic inside it, found by a depth-first walk. */
function opaqueInside(v: Evaluated): Unknown | Symbolic | undefined {
  if (v instanceof Unknown || v instanceof Symbolic) return v;
  if (v === null || typeof v !== 'object') return undefined;
  for (const item of Array.isArray(v) ? v : Object.values(v)) {
    const found = opaqueInside(item);
    if (found) return found;
  }
  return undefined;
}

/**
 * `jsonencode`: JSON text; deploy-time strings inside it stay placeholders in a Symbolic result
 * (a policy document naming `aws_s3_bucket.b.arn`), Unknowns make the whole text Unknown.
 */
export function jsonEncode(v: Evaluated): Evaluated {
  // An identifier outside the module (a data source, another stack's output) may stay a
  // placeholder, as for CloudFormation imports; any other unknown makes the text unknown.
  const unknown = firstUnknown(v, true);
  if (unknown) return unknown;
  const text = JSON.stringify(toPlain(v));
  return opaqueInside(v) ? new Symbolic(text, [...new Set(refsOf(v))]) : text;
}

function fromJson(x: unknown): Evaluated {
  if (Array.isArray(x)) return x.map(fromJson);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, Evaluated> = {};
    for (const [k, item] of Object.entries(x)) out[k] = fromJson(item);
    return out;
  }
  return x as Evaluated;
}

function typeConvert(name: string, v: Evaluated): Evaluated {
  switch (name) {
    case 'tostring':
      if (v === null || typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (v instanceof Symbolic) return v;
      throw new EvalError('tostring() expects a primitive value');
    case 'tonumber':
      if (v === null || typeof v === 'number') return v;
      if (v instanceof Symbolic) return deployTime(name, v);
      return num(v, name);
    case 'tobool':
      if (v === null || typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      if (v instanceof Symbolic) return deployTime(name, v);
      throw new EvalError('tobool() expects true or false');
    case 'tolist':
      if (isRecord(v)) throw new EvalError('tolist() expects a list or set');
      return list(v, name);
    case 'toset': {
      // Terraform orders a set of strings lexically.
      const items = distinct(list(v, name));
      return items.every((i) => typeof i === 'string') ? (items as string[]).sort() : items;
    }
    default:
      return record(v, name);
  }
}

function distinct(items: readonly Evaluated[]): Evaluated[] {
  const out: Evaluated[] = [];
  for (const item of items) if (!out.some((o) => equal(o, item) === true)) out.push(item);
  return out;
}

function flatten(items: readonly Evaluated[]): Evaluated[] {
  const out: Evaluated[] = [];
  for (const item of items) {
    if (Array.isArray(item)) out.push(...flatten(item));
    else out.push(item);
  }
  return out;
}

/** Terraform's `format` verbs that matter for configuration text: %s %d %v %q %%. */
function format(args: Evaluated[]): Evaluated {
  const spec = args[0];
  if (spec instanceof Symbolic) return deployTime('format', spec);
  const text = str(spec ?? '', 'format');
  const pieces: Evaluated[] = [];
  let next = 1;
  let last = 0;
  for (const m of text.matchAll(/%(%|[-+ #0]*\d*(?:\.\d+)?([sdvqft]))/g)) {
    pieces.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === '%') {
      pieces.push('%');
      continue;
    }
    if (next >= args.length) throw new EvalError('format() has too few arguments');
    const arg = args[next++]!;
    if (m[2] === 'q') pieces.push(arg instanceof Symbolic ? new Symbolic(`"${arg.text}"`, arg.refs) : JSON.stringify(str(arg, 'format')));
    else if (m[2] === 'd') pieces.push(arg instanceof Symbolic ? arg : String(Math.trunc(num(arg, 'format'))));
    else pieces.push(arg === null ? 'null' : arg);
  }
  pieces.push(text.slice(last));
  return concatText(pieces);
}

function replace(args: Evaluated[]): Evaluated {
  const [s, search, by] = args.map((a) => (a instanceof Symbolic ? a : str(a, 'replace')));
  if (s instanceof Symbolic || search instanceof Symbolic || by instanceof Symbolic) {
    return new Unknown('replace() on a value known only at deploy time', '${replace(...)}');
  }
  const m = /^\/(.*)\/$/s.exec(search!);
  if (m) {
    try {
      // Terraform uses RE2 syntax; the patterns written in configuration are the common subset.
      // Terraform writes captures as `$1`, `${1}` or `${name}`; JavaScript as `$1` and `$<name>`.
      const replacement = by!.replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{(\w+)\}/g, '$$<$1>');
      return s!.replace(new RegExp(m[1]!, 'g'), replacement);
    } catch {
      throw new EvalError('replace() has an invalid regular expression');
    }
  }
  return s!.split(search!).join(by!);
}

function lookup(args: Evaluated[]): Evaluated {
  const map = record(args[0]!, 'lookup');
  const key = str(args[1]!, 'lookup');
  if (Object.hasOwn(map, key)) return map[key]!;
  if (args.length > 2) return args[2]!;
  throw new EvalError(`lookup() found no key "${key}" and has no default`);
}

function element(args: Evaluated[]): Evaluated {
  const items = list(args[0]!, 'element');
  if (items.length === 0) throw new EvalError('element() of an empty list');
  const i = Math.trunc(num(args[1]!, 'element'));
  if (i < 0) throw new EvalError('element() index must not be negative');
  return items[i % items.length]!;
}

function keysOrValues(name: 'keys' | 'values', v: Evaluated): Evaluated {
  const map = record(v, name);
  const sorted = Object.keys(map).sort();
  return name === 'keys' ? sorted : sorted.map((k) => map[k]!);
}

function stringFn(name: string, op: (s: string) => Evaluated): Fn {
  return ([v]) => {
    if (v instanceof Symbolic) return deployTime(name, v);
    return op(str(v ?? null, name));
  };
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: ([v]) => jsonEncode(v ?? null),
  jsondecode: ([v]) => {
    if (v instanceof Symbolic) return deployTime('jsondecode', v);
    try {
      return fromJson(JSON.parse(str(v ?? null, 'jsondecode')));
    } catch (e) {
      if (e instanceof EvalError) throw e;
      throw new EvalError('jsondecode() of text that is not JSON');
    }
  },
  file: ([p], ctx) => (p instanceof Symbolic ? deployTime('file', p) : ctx.readFile(str(p ?? null, 'file'), 'file')),
  templatefile: ([p, vars], ctx) => {
    if (p instanceof Symbolic) return deployTime('templatefile', p);
    const path = str(p ?? null, 'templatefile');
    const text = ctx.readFile(path, 'templatefile');
    if (text instanceof Unknown) return text;
    return ctx.renderTemplate(text, record(vars ?? {}, 'templatefile'), path);
  },
  lookup,
  merge: (args) => {
    const symbolic = args.find((a): a is Symbolic => a instanceof Symbolic);
    if (symbolic) return deployTime('merge', symbolic);
    if (args.every((a) => a === null || isRecord(a))) return Object.assign({}, ...args.filter((a) => a !== null)) as Evaluated;
    throw new EvalError('merge() expects maps or objects');
  },
  concat: (args) => args.flatMap((a) => list(a, 'concat')),
  coalesce: (args) => {
    for (const a of args) {
      if (a instanceof Unknown || a instanceof Symbolic) return a;
      if (a !== null && a !== '') return a;
    }
    throw new EvalError('coalesce() found no non-null, non-empty argument');
  },
  coalescelist: (args) => {
    for (const a of args) if (list(a, 'coalescelist').length > 0) return a;
    throw new EvalError('coalescelist() found no non-empty list');
  },
  // They change only whether Terraform's output shows the value, never the value.
  sensitive: ([v]) => v ?? null,
  nonsensitive: ([v]) => v ?? null,
  tostring: ([v]) => typeConvert('tostring', v ?? null),
  tonumber: ([v]) => typeConvert('tonumber', v ?? null),
  tobool: ([v]) => typeConvert('tobool', v ?? null),
  tolist: ([v]) => typeConvert('tolist', v ?? null),
  toset: ([v]) => typeConvert('toset', v ?? null),
  tomap: ([v]) => typeConvert('tomap', v ?? null),
  format,
  join: ([sep, items]) => {
    const parts = list(items ?? null, 'join');
    const out: Evaluated[] = [];
    parts.forEach((p, i) => {
      if (i > 0) out.push(sep ?? '');
      out.push(p);
    });
    return concatText(out);
  },
  split: ([sep, s]) => {
    if (s instanceof Symbolic) return deployTime('split', s);
    const text = str(s ?? null, 'split');
    return text.split(str(sep ?? null, 'split'));
  },
  lower: stringFn('lower', (s) => s.toLowerCase()),
  upper: stringFn('upper', (s) => s.toUpperCase()),
  trimspace: stringFn('trimspace', (s) => s.trim()),
  chomp: stringFn('chomp', (s) => s.replace(/[\r\n]+$/, '')),
  replace,
  length: ([v]) => {
    if (Array.isArray(v)) return v.length;
    if (isRecord(v)) return Object.keys(v).length;
    if (v instanceof Symbolic) return deployTime('length', v);
    return [...str(v ?? null, 'length')].length;
  },
  contains: ([items, v]) => {
    const found = list(items ?? null, 'contains').map((i) => equal(i, v ?? null));
    if (found.includes(true)) return true;
    if (found.includes(undefined)) return new Unknown('contains() over a list with values known only at deploy time', '${contains(...)}');
    return false;
  },
  keys: ([v]) => keysOrValues('keys', v ?? null),
  values: ([v]) => keysOrValues('values', v ?? null),
  element,
  flatten: ([v]) => flatten(list(v ?? null, 'flatten')),
  distinct: ([v]) => distinct(list(v ?? null, 'distinct')),
  compact: ([v]) => list(v ?? null, 'compact').filter((s) => s !== null && s !== ''),
  startswith: ([s, prefix]) => {
    if (s instanceof Symbolic && typeof prefix === 'string' && !s.text.slice(0, prefix.length).includes('${')) return s.text.startsWith(prefix);
    if (s instanceof Symbolic) return deployTime('startswith', s);
    return str(s ?? null, 'startswith').startsWith(str(prefix ?? null, 'startswith'));
  },
  endswith: ([s, suffix]) => {
    if (s instanceof Symbolic) return deployTime('endswith', s);
    return str(s ?? null, 'endswith').endsWith(str(suffix ?? null, 'endswith'));
  },
  one: ([v]) => {
    const items = list(v ?? null, 'one');
    if (items.length > 1) throw new EvalError('one() of a list with more than one element');
    return items[0] ?? null;
  },
  alltrue: ([v]) => list(v ?? null, 'alltrue').every((x) => x === true || x === 'true'),
  anytrue: ([v]) => list(v ?? null, 'anytrue').some((x) => x === true || x === 'true'),
  min: (args) => Math.min(...args.map((a) => num(a, 'min'))),
  max: (args) => Math.max(...args.map((a) => num(a, 'max'))),
  abs: ([v]) => Math.abs(num(v ?? null, 'abs')),
  basename: stringFn('basename', (s) => s.replace(/\/+$/, '').split('/').pop() ?? ''),
  dirname: stringFn('dirname', (s) => (s.includes('/') ? s.slice(0, s.lastIndexOf('/')) || '/' : '.')),
  trimprefix: ([s, p]) => {
    if (s instanceof Symbolic) return deployTime('trimprefix', s);
    const text = str(s ?? null, 'trimprefix');
    const prefix = str(p ?? null, 'trimprefix');
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  trimsuffix: ([s, x]) => {
    if (s instanceof Symbolic) return deployTime('trimsuffix', s);
    const text = str(s ?? null, 'trimsuffix');
    const suffix = str(x ?? null, 'trimsuffix');
    return suffix !== '' && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  },
  substr: ([s, o, l]) => {
    if (s instanceof Symbolic) return deployTime('substr', s);
    const chars = [...str(s ?? null, 'substr')];
    const offset = num(o ?? null, 'substr');
    const length = num(l ?? null, 'substr');
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join('');
  },
  reverse: ([v]) => [...list(v ?? null, 'reverse')].reverse(),
  sort: ([v]) => list(v ?? null, 'sort').map((x) => str(x, 'sort')).sort(),
  sum: ([v]) => list(v ?? null, 'sum').reduce<number>((acc, x) => acc + num(x, 'sum'), 0),
  slice: ([v, a, b]) => list(v ?? null, 'slice').slice(num(a ?? null, 'slice'), num(b ?? null, 'slice')),
  range: (args) => {
    const [start, end, step] = args.length === 1 ? [0, num(args[0]!, 'range'), 1] : [num(args[0]!, 'range'), num(args[1]!, 'range'), args[2] === undefined ? 1 : num(args[2], 'range')];
    if (step === 0 || Math.abs((end - start) / step) > 1024) throw new EvalError('range() is too long');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  setproduct: (args) => {
    let out: Evaluated[][] = [[]];
    for (const a of args) out = out.flatMap((prefix) => list(a, 'setproduct').map((x) => [...prefix, x]));
    return out;
  },
  zipmap: ([k, v]) => {
    const keys = list(k ?? null, 'zipmap');
    const vals = list(v ?? null, 'zipmap');
    const out: Record<string, Evaluated> = {};
    keys.forEach((key, i) => (out[str(key, 'zipmap')] = vals[i] ?? null));
    return out;
  },
};

/**
 * Calls built-in function `name`. Unknown functions (and provider-defined ones) give an Unknown
 * naming the function; an Unknown argument gives that Unknown.
 */
export function callFunction(name: string, args: Evaluated[], ctx: FunctionContext): Evaluated {
  if (!Object.hasOwn(FUNCTIONS, name)) return new Unknown(`function ${name}() is not evaluated by cognito-guard`, `\${${name}(...)}`);
  const unknown = unknownArg(args);
  // coalesce returns its first usable argument: an Unknown before it makes it unknown (handled inside).
  if (unknown && name !== 'coalesce') return unknown;
  return FUNCTIONS[name]!(args, ctx);
}
