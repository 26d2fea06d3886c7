import { RE2JS } from 're2js';
import type { Operator, Truth } from './types.js';

/** Operators that take no `value`. */
export const UNARY_OPERATORS: ReadonlySet<Operator> = new Set(['exists', 'absent', 'empty', 'notEmpty']);

/** Operators whose `value` must be a list. */
export const LIST_OPERATORS: ReadonlySet<Operator> = new Set(['in', 'notIn', 'subsetOf', 'intersects']);

/** Operators whose `value` must be a number. */
export const NUMERIC_OPERATORS: ReadonlySet<Operator> = new Set(['gt', 'gte', 'lt', 'lte']);

/** Operators whose `value` is a regular expression. */
export const REGEX_OPERATORS: ReadonlySet<Operator> = new Set(['matches', 'notMatches']);

const NEGATION: Partial<Record<Operator, Operator>> = {
  ne: 'eq',
  notIn: 'in',
  absent: 'exists',
  notEmpty: 'empty',
  notMatches: 'matches',
  notContains: 'contains',
};

/** The positive form of an operator and whether `op` negates it (`notIn` -> `in`, negated). */
export function positiveOf(op: Operator): { op: Operator; negated: boolean } {
  const positive = NEGATION[op];
  return positive ? { op: positive, negated: true } : { op, negated: false };
}

/** A regular expression on RE2 semantics (linear time), so no rule can hang the scanner. */
export interface SafeRegex {
  test(text: string): boolean;
}

/** Compiles a rule regex with re2js; throws the re2js syntax error for invalid patterns. */
export function compileRegex(pattern: string): SafeRegex {
  const re = RE2JS.compile(pattern);
  return { test: (text) => re.test(text) };
}

/** Structural equality for the JSON values resource properties hold. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(b, k) && deepEqual((a as never)[k], (b as never)[k]));
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const listOf = (value: unknown): unknown[] | undefined =>
  Array.isArray(value) ? value : value === undefined || value === null ? undefined : [value];

/**
 * Applies one operator. `null` elements in an array stand for unresolved values: an answer that
 * does not depend on them is given, otherwise `'unknown'`. Negated operators are exactly the
 * negation of their positive form (`ne` is `not eq`, so an absent value is `ne` anything).
 */
export function applyOperator(op: Operator, actual: unknown, expected: unknown, regex?: SafeRegex): Truth {
  const positive = NEGATION[op];
  if (positive) {
    const t = applyOperator(positive, actual, expected, regex);
    return t === 'unknown' ? t : !t;
  }
  const hasNull = Array.isArray(actual) && actual.some((x) => x === null);
  switch (op) {
    case 'eq':
      return hasNull ? 'unknown' : deepEqual(actual, expected);
    case 'ieq':
      return typeof actual === 'string' && typeof expected === 'string'
        ? actual.toLowerCase() === expected.toLowerCase()
        : deepEqual(actual, expected);
    case 'in':
      return hasNull ? 'unknown' : (expected as unknown[]).some((e) => deepEqual(actual, e));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (op === 'gt') return actual > expected;
      if (op === 'gte') return actual >= expected;
      if (op === 'lt') return actual < expected;
      return actual <= expected;
    }
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'empty':
      return isEmpty(actual);
    case 'matches':
      return typeof actual === 'string' && regex !== undefined && regex.test(actual);
    case 'contains': {
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
      if (!Array.isArray(actual)) return false;
      if (actual.some((x) => deepEqual(x, expected))) return true;
      return hasNull ? 'unknown' : false;
    }
    case 'subsetOf': {
      const items = listOf(actual) ?? [];
      const allowed = expected as unknown[];
      const known = items.filter((x) => x !== null);
      if (!known.every((x) => allowed.some((a) => deepEqual(x, a)))) return false;
      return hasNull ? 'unknown' : true;
    }
    case 'intersects': {
      const items = listOf(actual) ?? [];
      const wanted = expected as unknown[];
      if (items.some((x) => x !== null && wanted.some((w) => deepEqual(x, w)))) return true;
      return hasNull ? 'unknown' : false;
    }
    default:
      return false;
  }
}

/** How an operator and its value read in evidence, e.g. `lte 3600`, `in [code]`. */
export function describeExpectation(op: Operator, expected: unknown): string {
  if (UNARY_OPERATORS.has(op)) return op;
  return `${op} ${typeof expected === 'string' ? expected : JSON.stringify(expected)}`;
}
