/**
 * Static evaluation of CloudFormation intrinsic functions. Values that are only known at deploy
 * time are never guessed: a reference to a resource or a pseudo parameter becomes a `Symbolic`
 * string (`${UserPool.Arn}`) that keeps its text and the logical ids it names, and anything
 * that cannot be known at all becomes `Unknown` with a one-line reason.
 */

import { pushAll } from '../../util/arrays.js';
import { MAX_NESTING_DEPTH } from '../../util/limits.js';

import { Symbolic, Unknown, isRecord, type Evaluated } from '../values.js';

export { Symbolic, Unknown, firstUnknown, isRecord, refsOf, toPlain, type Evaluated } from '../values.js';

/** `Ref: AWS::NoValue`: the property or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');


/** A declared template parameter. */
export interface ParameterInfo {
  type: string;
  noEcho: boolean;
  /** The Default as a string (CloudFormation passes every parameter as a string). */
  default?: string;
}

/** Everything evaluation needs from a template. Build it once with `createEvalContext`. */
export interface EvalContext {
  parameters: Map<string, ParameterInfo>;
  /** User-supplied values; `undefined` means present but unreadable (e.g. an object in a parameter file). */
  values: Record<string, ParameterValue>;
  mappings: Record<string, unknown>;
  conditions: Record<string, unknown>;
  /** Logical ids of every resource in the template. */
  resources: Set<string>;
  /** Memo of evaluated conditions: true, false, or an Unknown with the reason. */
  conditionCache: Map<string, boolean | Unknown>;
}

/**
 * A value given to a template parameter: a string (what CloudFormation passes), `undefined` when
 * it is set but cannot be read, or, for a nested stack, what its parent passes as evaluated
 * there: a deploy-time reference (`Symbolic`) or an `Unknown` with the parent's reason.
 */
export type ParameterValue = string | undefined | Symbolic | Unknown;

/** Template sections the evaluator reads. */
export interface TemplateSections {
  Parameters?: unknown;
  Mappings?: unknown;
  Conditions?: unknown;
  Resources?: unknown;
}

// Pseudo parameters whose value is the same in every stack of the commercial partition are
// given; the rest are account/region/stack specific and stay symbolic.
const LITERAL_PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
const SYMBOLIC_PSEUDO = new Set(['AWS::Region', 'AWS::AccountId', 'AWS::StackName', 'AWS::StackId']);

/** Builds the evaluation context of a template with user-supplied parameter values. */
export function createEvalContext(template: TemplateSections, values: Record<string, ParameterValue> = {}): EvalContext {
  const parameters = new Map<string, ParameterInfo>();
  if (isRecord(template.Parameters)) {
    for (const [name, decl] of Object.entries(template.Parameters)) {
      if (!isRecord(decl)) continue;
      const info: ParameterInfo = {
        type: typeof decl.Type === 'string' ? decl.Type : 'String',
        noEcho: decl.NoEcho === true || String(decl.NoEcho).toLowerCase() === 'true',
      };
      const def = defaultString(decl.Default);
      if (def !== undefined) info.default = def;
      parameters.set(name, info);
    }
  }
  return {
    parameters,
    values,
    mappings: isRecord(template.Mappings) ? template.Mappings : {},
    conditions: isRecord(template.Conditions) ? template.Conditions : {},
    resources: new Set(isRecord(template.Resources) ? Object.keys(template.Resources) : []),
    conditionCache: new Map(),
  };
}

function defaultString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A list Default is not valid CloudFormation, but its meaning is clear.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(',');
  return undefined;
}

/** Evaluates a template value: intrinsic functions resolved where their inputs are known. */
export function evaluate(node: unknown, ctx: EvalContext): Evaluated | typeof NO_VALUE {
  if (Array.isArray(node)) {
    const out: Evaluated[] = [];
    for (const item of node) {
      const v = evaluate(item, ctx);
      if (v !== NO_VALUE) out.push(v);
    }
    return out;
  }
  if (isRecord(node)) {
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const key = keys[0]!;
      if (key === 'Ref') return evaluateRef(node.Ref, ctx);
      if (key.startsWith('Fn::')) return evaluateFunction(key, node[key], ctx);
    }
    const out: { [key: string]: Evaluated } = {};
    for (const key of keys) {
      // A loop inside properties (AWS::LanguageExtensions) adds keys that are not expanded here:
      // the mapping is unknown rather than silently missing them. (Resources-level loops are
      // expanded by language-extensions.ts.)
      if (key.startsWith('Fn::ForEach::')) return new Unknown(`${key} inside properties is not expanded`, '${Fn::ForEach}');
      // So does an AWS::Include (or another macro) next to other keys: it merges its content here.
      if (key === 'Fn::Transform') return new Unknown('Fn::Transform (a macro) next to other keys adds what is not in the template', '${Fn::Transform}');
      const v = evaluate(node[key], ctx);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }
  if (node === undefined) return null;
  if (node instanceof Date) return node.toISOString().slice(0, 10);
  return node as string | number | boolean | null;
}

/** The value of `Ref: name`. */
export function evaluateRef(name: unknown, ctx: EvalContext): Evaluated | typeof NO_VALUE {
  if (typeof name !== 'string') return new Unknown('Ref must name a parameter or resource', '${Ref}');
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (Object.hasOwn(LITERAL_PSEUDO, name)) return LITERAL_PSEUDO[name]!;
  if (SYMBOLIC_PSEUDO.has(name)) return new Symbolic(`\${${name}}`, []);
  const param = ctx.parameters.get(name);
  if (param) return parameterValue(name, param, ctx);
  if (ctx.resources.has(name)) return new Symbolic(`\${${name}}`, [name]);
  if (name.startsWith('AWS::')) return new Unknown(`pseudo parameter ${name} is only known at deploy time`, `\${${name}}`);
  return new Unknown(`Ref ${name} names neither a parameter nor a resource of this template`, `\${${name}}`, true);
}

function parameterValue(name: string, param: ParameterInfo, ctx: EvalContext): Evaluated {
  const placeholder = `\${${name}}`;
  // SSM parameter types hold the name of an SSM parameter; its value is read at deploy time.
  if (param.type.startsWith('AWS::SSM::Parameter::Value')) {
    return new Unknown(`parameter ${name} is read from SSM Parameter Store at deploy time`, placeholder);
  }
  let raw: string | undefined;
  if (Object.prototype.hasOwnProperty.call(ctx.values, name)) {
    const given = ctx.values[name];
    if (given instanceof Symbolic || given instanceof Unknown) return given;
    raw = given;
    if (raw === undefined) return new Unknown(`parameter ${name} is given a value that cannot be read statically`, placeholder);
  } else if (param.default !== undefined) {
    raw = param.default;
  } else {
    return new Unknown(`parameter ${name} has no Default; pass --param ${name}=...`, placeholder);
  }
  if (param.type === 'CommaDelimitedList' || param.type.startsWith('List<')) {
    return raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim());
  }
  return raw;
}

function evaluateFunction(fn: string, arg: unknown, ctx: EvalContext): Evaluated | typeof NO_VALUE {
  switch (fn) {
    case 'Fn::GetAtt':
      return getAtt(arg, ctx);
    case 'Fn::Sub':
      return sub(arg, ctx);
    case 'Fn::Join':
      return join(arg, ctx);
    case 'Fn::If':
      return fnIf(arg, ctx);
    case 'Fn::Select':
      return select(arg, ctx);
    case 'Fn::Split':
      return split(arg, ctx);
    case 'Fn::FindInMap':
      return findInMap(arg, ctx);
    case 'Fn::Base64': {
      const v = evaluate(arg, ctx);
      if (typeof v === 'string') return Buffer.from(v, 'utf8').toString('base64');
      return new Unknown('Fn::Base64 of a value known only at deploy time', '${Fn::Base64}');
    }
    case 'Fn::Length': {
      const v = evaluate(arg, ctx);
      if (Array.isArray(v)) return v.length;
      return unknownFrom(v, 'Fn::Length of a value that is not a known list', '${Fn::Length}');
    }
    case 'Fn::ToJsonString': {
      const v = evaluate(arg, ctx);
      if (v !== NO_VALUE && isFullyKnown(v)) return JSON.stringify(v);
      return new Unknown('Fn::ToJsonString of a value known only at deploy time', '${Fn::ToJsonString}');
    }
    case 'Fn::ImportValue': {
      const v = evaluate(arg, ctx);
      const name = typeof v === 'string' ? v : v instanceof Symbolic ? v.text : '?';
      return new Unknown(`Fn::ImportValue ${name} is an export of another stack`, `\${ImportValue:${name}}`, true);
    }
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not': {
      const c = conditionValue({ [fn]: arg }, ctx);
      return c;
    }
    case 'Fn::GetAZs':
      return new Unknown('Fn::GetAZs is only known at deploy time', '${Fn::GetAZs}');
    case 'Fn::Cidr':
      return new Unknown('Fn::Cidr is not evaluated', '${Fn::Cidr}');
    case 'Fn::Transform':
      return new Unknown('Fn::Transform (a macro) runs at deploy time', '${Fn::Transform}');
    default:
      return new Unknown(`${fn} is not supported`, `\${${fn}}`);
  }
}

function getAtt(arg: unknown, ctx: EvalContext): Evaluated {
  let resource: unknown;
  let attribute: unknown;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    resource = dot < 0 ? arg : arg.slice(0, dot);
    attribute = dot < 0 ? '' : arg.slice(dot + 1);
  } else if (Array.isArray(arg) && arg.length === 2) {
    resource = arg[0];
    const a = evaluate(arg[1], ctx);
    attribute = typeof a === 'string' ? a : undefined;
  }
  if (typeof resource !== 'string' || typeof attribute !== 'string' || attribute === '') {
    return new Unknown('Fn::GetAtt must name a resource and an attribute', '${Fn::GetAtt}');
  }
  const text = `\${${resource}.${attribute}}`;
  // A resource outside the template (Serverless merges several fragments) still yields an
  // opaque reference, never a guess.
  return new Symbolic(text, ctx.resources.has(resource) ? [resource] : []);
}

/** A piece of a string being built by Fn::Sub or Fn::Join. */
type Piece = string | Symbolic | Unknown;

/**
 * Joins pieces into one value. Known text stays text; references stay as placeholders. A string
 * that starts with an unknown piece is unknown as a whole: nothing about it can be judged.
 */
function concat(pieces: Piece[]): Evaluated {
  let text = '';
  const refs: string[] = [];
  let symbolic = false;
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      text += piece;
    } else if (piece instanceof Symbolic) {
      text += piece.text;
      pushAll(refs, piece.refs);
      symbolic = true;
    } else {
      if (text === '') return piece;
      text += piece.placeholder;
      symbolic = true;
    }
  }
  return symbolic ? new Symbolic(text, [...new Set(refs)]) : text;
}

function toPiece(v: Evaluated | typeof NO_VALUE, what: string): Piece {
  if (v === NO_VALUE) return '';
  if (typeof v === 'string' || v instanceof Symbolic || v instanceof Unknown) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return new Unknown(`${what} is not a string`, '${?}');
}

function sub(arg: unknown, ctx: EvalContext): Evaluated {
  let template: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    template = arg[0];
    if (arg.length !== 2 || !isRecord(arg[1])) return new Unknown('Fn::Sub takes a string or [string, {variables}]', '${Fn::Sub}');
    variables = arg[1];
  }
  if (typeof template !== 'string') return new Unknown('Fn::Sub takes a string or [string, {variables}]', '${Fn::Sub}');
  const pieces: Piece[] = [];
  const pattern = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = pattern.exec(template); m; m = pattern.exec(template)) {
    pieces.push(template.slice(last, m.index));
    last = m.index + m[0].length;
    const name = (m[1] ?? '').trim();
    // `${!Literal}` is an escape: the text `${Literal}` is kept as is (e.g. IAM policy variables).
    if (name.startsWith('!')) {
      pieces.push(`\${${name.slice(1)}}`);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(variables, name)) {
      pieces.push(toPiece(evaluate(variables[name], ctx), `Fn::Sub variable ${name}`));
    } else if (name.includes('.') && !ctx.parameters.has(name)) {
      pieces.push(toPiece(getAtt(name, ctx), `Fn::Sub variable ${name}`));
    } else {
      pieces.push(toPiece(evaluateRef(name, ctx), `Fn::Sub variable ${name}`));
    }
  }
  pieces.push(template.slice(last));
  return concat(pieces);
}

function join(arg: unknown, ctx: EvalContext): Evaluated {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Join takes [delimiter, [values]]', '${Fn::Join}');
  const delimiter = evaluate(arg[0], ctx);
  if (typeof delimiter !== 'string') return new Unknown('Fn::Join delimiter must be a string', '${Fn::Join}');
  const list = evaluate(arg[1], ctx);
  if (!Array.isArray(list)) return unknownFrom(list, 'Fn::Join of a value that is not a known list', '${Fn::Join}');
  const pieces: Piece[] = [];
  list.forEach((item, i) => {
    if (i > 0) pieces.push(delimiter);
    pieces.push(toPiece(item, 'Fn::Join item'));
  });
  return concat(pieces);
}

function fnIf(arg: unknown, ctx: EvalContext): Evaluated | typeof NO_VALUE {
  if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
    return new Unknown('Fn::If takes [condition, valueIfTrue, valueIfFalse]', '${Fn::If}');
  }
  const c = evaluateCondition(arg[0], ctx);
  if (c instanceof Unknown) return new Unknown(c.reason, '${Fn::If}');
  return evaluate(c ? arg[1] : arg[2], ctx);
}

function select(arg: unknown, ctx: EvalContext): Evaluated {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Select takes [index, list]', '${Fn::Select}');
  const index = evaluate(arg[0], ctx);
  const n = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : NaN;
  if (!Number.isInteger(n)) return unknownFrom(index, 'Fn::Select index is not a known number', '${Fn::Select}');
  const list = evaluate(arg[1], ctx);
  if (!Array.isArray(list)) return unknownFrom(list, 'Fn::Select from a value that is not a known list', '${Fn::Select}');
  const item = list[n];
  if (item === undefined) return new Unknown(`Fn::Select index ${n} is out of range`, '${Fn::Select}');
  return item;
}

function split(arg: unknown, ctx: EvalContext): Evaluated {
  if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Split takes [delimiter, string]', '${Fn::Split}');
  const delimiter = evaluate(arg[0], ctx);
  const source = evaluate(arg[1], ctx);
  if (typeof delimiter !== 'string' || delimiter === '') return new Unknown('Fn::Split delimiter must be a string', '${Fn::Split}');
  if (typeof source !== 'string') return unknownFrom(source, 'Fn::Split of a value known only at deploy time', '${Fn::Split}');
  return source.split(delimiter);
}

function findInMap(arg: unknown, ctx: EvalContext): Evaluated {
  if (!Array.isArray(arg) || arg.length < 3) return new Unknown('Fn::FindInMap takes [map, key, key]', '${Fn::FindInMap}');
  const keys: string[] = [];
  for (const k of arg.slice(0, 3)) {
    const v = evaluate(k, ctx);
    if (typeof v === 'string' || typeof v === 'number') keys.push(String(v));
    else return unknownFrom(v, 'Fn::FindInMap key is only known at deploy time', '${Fn::FindInMap}');
  }
  const [map, top, second] = keys as [string, string, string];
  // Names come from the template: a lookup must never find a value on Object.prototype.
  const table = Object.hasOwn(ctx.mappings, map) ? ctx.mappings[map] : undefined;
  const row = isRecord(table) && Object.hasOwn(table, top) ? table[top] : undefined;
  const value = isRecord(row) && Object.hasOwn(row, second) ? row[second] : undefined;
  if (value === undefined) {
    // The language extension's 4th argument: { DefaultValue: x }.
    const fallback = arg[3];
    if (isRecord(fallback) && 'DefaultValue' in fallback) {
      const d = evaluate(fallback.DefaultValue, ctx);
      return d === NO_VALUE ? null : d;
    }
    return new Unknown(`Fn::FindInMap: mapping ${map} has no entry ${top}/${second}`, '${Fn::FindInMap}');
  }
  const v = evaluate(value, ctx);
  return v === NO_VALUE ? null : v;
}

/**
 * Evaluates a named condition of the template's `Conditions`: true, false, or an Unknown
 * saying why it cannot be decided (e.g. a parameter without a Default).
 */
export function evaluateCondition(name: string, ctx: EvalContext): boolean | Unknown {
  const cached = ctx.conditionCache.get(name);
  if (cached !== undefined) return cached;
  if (!Object.prototype.hasOwnProperty.call(ctx.conditions, name)) {
    return new Unknown(`condition ${name} is not defined in Conditions`, '${?}');
  }
  // A chain of conditions naming each other is not nesting the parser can limit: 20,000 of them
  // would overflow the stack here, so the chain is cut (as unknown) at MAX_NESTING_DEPTH.
  if (conditionsInProgress >= MAX_NESTING_DEPTH) return new Unknown(`condition ${name} is more than ${MAX_NESTING_DEPTH} conditions deep`, '${?}');
  // Guards against a cycle of conditions naming each other.
  ctx.conditionCache.set(name, new Unknown(`condition ${name} refers to itself`, '${?}'));
  conditionsInProgress++;
  let value: boolean | Unknown;
  try {
    value = conditionValue(ctx.conditions[name], ctx);
  } finally {
    conditionsInProgress--;
  }
  ctx.conditionCache.set(name, value);
  return value;
}

/** How many named conditions are being evaluated, one inside the other (evaluation is synchronous). */
let conditionsInProgress = 0;

function conditionValue(node: unknown, ctx: EvalContext): boolean | Unknown {
  if (typeof node === 'boolean') return node;
  if (typeof node === 'string') return evaluateCondition(node, ctx);
  if (!isRecord(node)) return new Unknown('a condition must be a condition function', '${?}');
  const keys = Object.keys(node);
  if (keys.length !== 1) return new Unknown('a condition must be a condition function', '${?}');
  const fn = keys[0]!;
  const arg = node[fn];
  switch (fn) {
    case 'Condition':
      return typeof arg === 'string' ? evaluateCondition(arg, ctx) : new Unknown('Condition must name a condition', '${?}');
    case 'Fn::Equals': {
      if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Equals takes two values', '${?}');
      return equals(evaluate(arg[0], ctx), evaluate(arg[1], ctx));
    }
    case 'Fn::Not': {
      const list = Array.isArray(arg) ? arg : [arg];
      if (list.length !== 1) return new Unknown('Fn::Not takes one condition', '${?}');
      const v = conditionValue(list[0], ctx);
      return v instanceof Unknown ? v : !v;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(arg)) return new Unknown(`${fn} takes a list of conditions`, '${?}');
      const decisive = fn === 'Fn::Or';
      let unknown: Unknown | undefined;
      for (const item of arg) {
        const v = conditionValue(item, ctx);
        if (v instanceof Unknown) unknown ??= v;
        else if (v === decisive) return decisive;
      }
      return unknown ?? !decisive;
    }
    default: {
      const v = evaluate(node, ctx);
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      return unknownFrom(v, `${fn} is not a condition function`, '${?}');
    }
  }
}

function equals(a: Evaluated | typeof NO_VALUE, b: Evaluated | typeof NO_VALUE): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (a instanceof Symbolic || b instanceof Symbolic) {
    if (a instanceof Symbolic && b instanceof Symbolic && a.text === b.text) return true;
    const s = (a instanceof Symbolic ? a : b) as Symbolic;
    return new Unknown(`Fn::Equals compares ${s.text}, known only at deploy time`, '${?}');
  }
  // CloudFormation compares the string forms: `true` equals "true", 8 equals "8".
  const norm = (v: Evaluated | typeof NO_VALUE): string | undefined =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  const x = norm(a);
  const y = norm(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (isFullyKnown(a) && isFullyKnown(b)) return JSON.stringify(a) === JSON.stringify(b);
  return new Unknown('Fn::Equals compares values known only at deploy time', '${?}');
}

function unknownFrom(v: Evaluated | typeof NO_VALUE, reason: string, placeholder: string): Unknown {
  return v instanceof Unknown ? v : new Unknown(reason, placeholder);
}

/** True when a value holds no Unknown and no Symbolic anywhere. */
export function isFullyKnown(v: Evaluated | typeof NO_VALUE): boolean {
  if (v === NO_VALUE || v instanceof Unknown || v instanceof Symbolic) return false;
  if (Array.isArray(v)) return v.every(isFullyKnown);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isFullyKnown);
  return true;
}

