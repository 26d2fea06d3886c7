import { pushAll } from '../../util/arrays.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import { PROTO_KEY, protoKeyMessage } from '../../util/prototype-keys.js';
import type { PositionedDocument } from '../../util/yaml-document.js';
import { Symbolic, Unknown, evaluate, isRecord, type EvalContext } from './intrinsics.js';

/** One entry of the `Resources` section after `Fn::ForEach` loops are expanded. */
export interface ResourceEntry {
  logicalId: string;
  /** The resource's definition, identifiers substituted. */
  raw: unknown;
  /** Where it is written: the resource, or the loop body that generated it. */
  pointer: string;
}

/**
 * Resources the template declares but cognito-guard cannot read: a loop over a collection known
 * only at deploy time, or an `AWS::Include` (or other macro) whose content is in S3. They must
 * not pass for "no such resource": the loader turns each into resources with every property
 * unresolved, so every rule of their kinds reports `unknown`.
 */
export interface UnreadResource {
  /** The logical id as written, e.g. `Pool${Name}` or `Fn::Transform`. */
  name: string;
  pointer: string;
  /** The resource `Type` when it is known, so that only rules of that kind are involved. */
  type?: string;
  reason: string;
}

const FOR_EACH = 'Fn::ForEach::';
const TRANSFORM = 'Fn::Transform';
const INCLUDE = 'AWS::Include';
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/**
 * Expands the `Resources` section as the `AWS::LanguageExtensions` transform does:
 * `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` makes one copy of each
 * OutputKey/OutputValue per item of the collection, with `${Identifier}` replaced by the item,
 * `&{Identifier}` by the item without its non-alphanumeric characters, and `Ref: Identifier` by
 * the item; loops nest. The collection is a literal list or anything that evaluates to one (a
 * `CommaDelimitedList` parameter). A malformed loop or a generated logical id CloudFormation
 * would reject is an InputError at its line.
 */
export function expandResources(
  resources: Record<string, unknown>,
  ctx: EvalContext,
  file: string,
  doc: PositionedDocument,
): { entries: Map<string, ResourceEntry>; unread: UnreadResource[] } {
  const entries = new Map<string, ResourceEntry>();
  const unread: UnreadResource[] = [];
  const fail = (pointer: string, message: string): never => {
    const pos = doc.locate(pointer);
    throw new InputError(message, file, pos?.line, pos?.column);
  };
  const add = (logicalId: string, raw: unknown, pointer: string): void => {
    if (entries.has(logicalId)) fail(pointer, `resource ${logicalId} is defined twice (once by Fn::ForEach)`);
    // AWS::Include works anywhere: a resource whose definition (or part of it, Properties
    // included) comes from S3 cannot be judged from what the template shows.
    if (isRecord(raw) && Object.hasOwn(raw, TRANSFORM)) {
      const type = typeof raw.Type === 'string' && !/[$&]\{/.test(raw.Type) ? raw.Type : undefined;
      unread.push({ name: logicalId, pointer, ...(type !== undefined && { type }), reason: `${transformName(raw[TRANSFORM])} adds to resource ${logicalId} what is not in the template` });
      return;
    }
    entries.set(logicalId, { logicalId, raw, pointer });
  };

  const loop = (key: string, value: unknown, pointer: string, env: Map<string, string>): void => {
    if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || !isRecord(value[2])) {
      fail(pointer, `${key} takes [Identifier, Collection, {OutputKey: OutputValue}]`);
    }
    const [identifier, collection, body] = value as [string, unknown, Record<string, unknown>];
    const bodyPointer = joinPointer(pointer, 2);
    const guard = (): never => fail(pointer, `${key}: ${protoKeyMessage('')}`);
    const items = evaluate(substitute(collection, env, guard), ctx);
    if (!Array.isArray(items) || !items.every((i) => typeof i === 'string' || typeof i === 'number')) {
      const why = items instanceof Unknown ? items.reason : items instanceof Symbolic ? `${items.text} is known only at deploy time` : 'its collection is not a list of strings';
      for (const u of templatesOf(body, bodyPointer)) unread.push({ ...u, reason: `${key} cannot be expanded: ${why}` });
      return;
    }
    for (const item of items) {
      const inner = new Map(env).set(identifier, String(item));
      for (const [outKey, outValue] of Object.entries(body)) {
        const at = joinPointer(bodyPointer, outKey);
        if (outKey.startsWith(FOR_EACH)) {
          loop(outKey, outValue, at, inner);
          continue;
        }
        const logicalId = substituteText(outKey, inner);
        if (!LOGICAL_ID.test(logicalId)) {
          fail(at, `${key}: logical id "${logicalId}" made from "${outKey}" is not alphanumeric (CloudFormation rejects it; &{${identifier}} drops other characters)`);
        }
        add(logicalId, substitute(outValue, inner, guard), at);
      }
    }
  };

  for (const [key, value] of Object.entries(resources)) {
    const pointer = joinPointer('/Resources', key);
    if (key.startsWith(FOR_EACH)) loop(key, value, pointer, new Map());
    else if (key === TRANSFORM) unread.push({ name: key, pointer, reason: `${transformName(value)} adds resources that are not in the template` });
    else add(key, value, pointer);
  }
  return { entries, unread };
}

/** The resource templates of a loop body whose collection is unknown (nested loops included). */
function templatesOf(body: Record<string, unknown>, pointer: string): Array<Omit<UnreadResource, 'reason'>> {
  const out: Array<Omit<UnreadResource, 'reason'>> = [];
  for (const [key, value] of Object.entries(body)) {
    const at = joinPointer(pointer, key);
    if (key.startsWith(FOR_EACH)) {
      if (Array.isArray(value) && isRecord(value[2])) pushAll(out, templatesOf(value[2], joinPointer(at, 2)));
      continue;
    }
    const type = isRecord(value) && typeof value.Type === 'string' && !/[$&]\{/.test(value.Type) ? value.Type : undefined;
    out.push({ name: key, pointer: at, ...(type !== undefined && { type }) });
  }
  return out;
}

/**
 * `AWS::Include` declared in the template's `Transform` section: the included file is merged at
 * the top level and can add whole resources (or a Resources section), so every kind is unread.
 * Named transforms (`AWS::Serverless-2016-10-31`, `AWS::LanguageExtensions`) are strings and
 * are not includes.
 */
export function topLevelIncludes(transform: unknown): UnreadResource[] {
  const list = Array.isArray(transform) ? transform : [transform];
  const out: UnreadResource[] = [];
  list.forEach((t, i) => {
    if (!isRecord(t) || t.Name !== INCLUDE) return;
    const pointer = Array.isArray(transform) ? joinPointer('/Transform', i) : '/Transform';
    out.push({ name: 'Transform', pointer, reason: `${transformName(t, 'Transform')} adds template content that is not in the template` });
  });
  return out;
}

function transformName(value: unknown, keyword = TRANSFORM): string {
  const name = isRecord(value) ? value.Name : undefined;
  const location = isRecord(value) && isRecord(value.Parameters) ? value.Parameters.Location : undefined;
  const what = typeof name === 'string' ? `${keyword} ${name}` : keyword;
  return typeof location === 'string' ? `${what} (${location})` : what;
}

/** `${Identifier}` -> item, `&{Identifier}` -> item without non-alphanumeric characters. */
function substituteText(text: string, env: Map<string, string>): string {
  if (env.size === 0 || !/[$&]\{/.test(text)) return text;
  return text.replace(/([$&])\{([^}]*)\}/g, (whole, sigil: string, name: string) => {
    const item = env.get(name.trim());
    if (item === undefined) return whole;
    return sigil === '&' ? item.replace(/[^A-Za-z0-9]/g, '') : item;
  });
}

/**
 * A copy of a loop body with the loop identifiers replaced in keys, strings and `Ref`s. A key
 * that becomes `__proto__` calls `guard` (it throws): later copies would set the prototype.
 */
function substitute(node: unknown, env: Map<string, string>, guard: () => never): unknown {
  if (env.size === 0) return node;
  if (typeof node === 'string') return substituteText(node, env);
  if (Array.isArray(node)) return node.map((item) => substitute(item, env, guard));
  if (isRecord(node)) {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof node.Ref === 'string' && env.has(node.Ref)) return env.get(node.Ref);
    return Object.fromEntries(
      keys.map((k) => {
        const key = substituteText(k, env);
        if (key === PROTO_KEY) guard();
        return [key, substitute(node[k], env, guard)];
      }),
    );
  }
  return node;
}
