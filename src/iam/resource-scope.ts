import { globMatch } from '../util/glob.js';
import type { ArnFormat } from './action-index.js';

/** What a `Resource` pattern of a policy can match. */
export interface ResourceReach {
  /** True when the pattern matches every resource of some type (or of every type). */
  all: boolean;
  /** For messages: `every resource ("*")`, `every dynamodb table (arn:aws:dynamodb:*:*:table/*)`, or the pattern. */
  text: string;
}

const ONLY_WILDCARDS = /^[*?/:]*\*[*?/:]*$/;

/**
 * Judges an ARN pattern by what it can match, not by equality with `*`. It reaches "all" when
 * the resource part is only wildcards (`arn:aws:s3:::*`, `arn:aws:*:*:*:*`), or when it fits one
 * of the service's documented ARN formats with a wildcard in place of the resource's own name
 * (the first identifier after the type: an S3 object ARN whose bucket is `*` is every object of
 * every bucket, `arn:aws:dynamodb:*:*:table/*` every table, `...:secret:*` every secret). A named resource
 * with a wildcard below it is scoped: `arn:aws:s3:::my-bucket/*` is every object of one bucket,
 * a bucket the policy names. Region and account wildcards alone do not widen a named resource.
 * `formats` are the service's ARN formats; without them only the first test applies.
 */
export function resourceReach(pattern: string, formats: (service: string) => readonly ArnFormat[] | undefined): ResourceReach {
  if (pattern === '*') return { all: true, text: 'every resource ("*")' };
  // A deploy-time value (`${AWS::Region}`, `${BucketName}` from a template) is one concrete
  // value, never a wildcard; its own colons must not split the ARN.
  const fields = splitArn(pattern.replace(/\$\{[^}]*\}/g, '${}'));
  if (!fields) return { all: false, text: pattern };
  const [, , service, , , rest] = fields;
  const generic = { all: true, text: `every ${/[*?]/.test(service) ? '' : `${service} `}resource (${pattern})` };
  if (/[*?]/.test(service) || /^[*?]+$/.test(rest)) return generic;
  // The most specific documented format the pattern fills with a wildcard name, to say what it reaches.
  let best: { type: string; names: number } | undefined;
  for (const format of formats(service) ?? []) {
    const f = splitArn(format.arn);
    if (!f || f[2] !== service) continue;
    const names = matchFormat(f[5], rest);
    if (!names) continue;
    // A format with no variable (`apps/*`) names a fixed set: all of it when it has a wildcard.
    const first = names[0];
    const all = first === undefined ? format.arn.includes('*') : ONLY_WILDCARDS.test(first);
    if (all && (!best || names.length > best.names)) best = { type: format.type.toLowerCase(), names: names.length };
  }
  if (best) return { all: true, text: `every ${service} ${best.type} (${pattern})` };
  if (ONLY_WILDCARDS.test(rest)) return generic;
  return { all: false, text: pattern };
}

/** The six fields of an ARN; the last keeps its colons (`secret:name`, `parameter/a/b`). */
function splitArn(arn: string): [string, string, string, string, string, string] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [parts[0], parts[1]!, parts[2]!, parts[3]!, parts[4]!, parts.slice(5).join(':')];
}

/** The values a policy's resource part gives the format's variables, or undefined when it does not fit. */
function matchFormat(format: string, rest: string): string[] | undefined {
  let source = '^';
  let last = 0;
  for (const m of format.matchAll(/\$\{[^}]+\}/g)) {
    source += escape(format.slice(last, m.index)) + '(.*?)';
    last = m.index + m[0].length;
  }
  source += `${escape(format.slice(last))}$`;
  const match = new RegExp(source).exec(rest);
  return match ? match.slice(1) : undefined;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True when every resource `inner` can match is also matched by `outer` (both IAM resource
 * patterns with `*` and `?`). Sound but not complete: when unsure, false.
 */
export function covers(outer: string, inner: string): boolean {
  if (outer === inner || outer === '*') return true;
  // A `?` of `outer` could stand against a `*` of `inner`, which matches more than one character.
  if (outer.includes('?') && /[*?]/.test(inner)) return false;
  return globMatch(outer, inner);
}

/**
 * True when no resource can match both patterns: their literal beginnings (up to the first
 * wildcard) differ. Sound but not complete: when unsure, false.
 */
export function disjoint(a: string, b: string): boolean {
  const head = (p: string) => p.slice(0, p.search(/[*?]|$/));
  const [x, y] = [head(a), head(b)];
  return !x.startsWith(y) && !y.startsWith(x);
}
