/**
 * `data "aws_iam_policy_document"`: the AWS provider renders its blocks into a JSON policy
 * offline (no API call), so its `json` attribute is known from configuration and the trust or
 * permission policy that names it can be judged.
 */

import { isRecord, Symbolic, Unknown, type Evaluated } from '../values.js';
import { jsonEncode } from './functions.js';

type Doc = Record<string, Evaluated>;

/** A block attribute that may hold one string or a list of them; absent or empty lists are left out. */
function listValue(v: Evaluated | undefined): Evaluated | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  return v;
}

function blocks(v: Evaluated | undefined): Evaluated[] {
  if (v instanceof Unknown) return [v];
  return Array.isArray(v) ? v : [];
}

function principals(list: Evaluated[]): Evaluated | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, Evaluated> = {};
  for (const p of list) {
    if (!isRecord(p)) return p instanceof Unknown ? p : new Unknown('a principals block is not readable', '${principals}');
    const type = p['type'];
    const ids = p['identifiers'] as Evaluated;
    if (typeof type !== 'string') return type instanceof Unknown ? type : new Unknown('a principals type is not known', '${principals}');
    // `type = "*"` with `identifiers = ["*"]` renders as `"Principal": "*"`: everyone.
    if (type === '*') return '*';
    const existing = out[type];
    out[type] = Array.isArray(existing) && Array.isArray(ids) ? [...existing, ...ids] : ids;
  }
  return out;
}

function conditions(list: Evaluated[]): Evaluated | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, Record<string, Evaluated>> = {};
  for (const c of list) {
    if (!isRecord(c)) return c instanceof Unknown ? c : new Unknown('a condition block is not readable', '${condition}');
    const test = c['test'];
    const variable = c['variable'];
    if (typeof test !== 'string') return test instanceof Unknown ? test : new Unknown('a condition test is not known', '${condition}');
    if (typeof variable !== 'string') return variable instanceof Unknown ? variable : new Unknown('a condition variable is not known', '${condition}');
    (out[test] ??= {})[variable] = c['values'] as Evaluated;
  }
  return out;
}

function statement(s: Evaluated): Evaluated {
  if (!isRecord(s)) return s;
  const out: Doc = {};
  const put = (key: string, v: Evaluated | undefined): void => {
    if (v !== undefined) out[key] = v;
  };
  if (typeof s['sid'] === 'string' && s['sid'] !== '') out['Sid'] = s['sid'];
  // The provider's default effect is Allow.
  out['Effect'] = (s['effect'] as Evaluated | undefined) ?? 'Allow';
  if (out['Effect'] === null) out['Effect'] = 'Allow';
  put('Action', listValue(s['actions'] as Evaluated));
  put('NotAction', listValue(s['not_actions'] as Evaluated));
  put('Resource', listValue(s['resources'] as Evaluated));
  put('NotResource', listValue(s['not_resources'] as Evaluated));
  put('Principal', principals(blocks(s['principals'] as Evaluated)));
  put('NotPrincipal', principals(blocks(s['not_principals'] as Evaluated)));
  put('Condition', conditions(blocks(s['condition'] as Evaluated)));
  return out;
}

function sidOf(s: Evaluated): string | undefined {
  return isRecord(s) && typeof s['Sid'] === 'string' && s['Sid'] !== '' ? s['Sid'] : undefined;
}

/** Statements of a rendered JSON document given to source/override_policy_documents. */
function statementsOf(text: Evaluated): Evaluated[] | Unknown {
  if (text instanceof Unknown) return text;
  if (text instanceof Symbolic || typeof text !== 'string') return new Unknown('a source or override policy document is known only at deploy time', '${policy}');
  try {
    const doc = JSON.parse(text) as unknown;
    if (!isRecord(doc)) return new Unknown('a source or override policy document is not a JSON object', '${policy}');
    const st = doc['Statement'];
    return (Array.isArray(st) ? st : st === undefined ? [] : [st]) as Evaluated[];
  } catch {
    return new Unknown('a source or override policy document is not JSON', '${policy}');
  }
}

/** Merges statements: one with the Sid of an existing statement replaces it, others are appended. */
function mergeBySid(base: Evaluated[], extra: Evaluated[]): Evaluated[] {
  const out = [...base];
  for (const s of extra) {
    const sid = sidOf(s);
    const at = sid === undefined ? -1 : out.findIndex((o) => sidOf(o) === sid);
    if (at >= 0) out[at] = s;
    else out.push(s);
  }
  return out;
}

/**
 * The `json` attribute of an evaluated `aws_iam_policy_document` block: the policy text, a
 * Symbolic text when it names deploy-time values, or Unknown when part of it cannot be known.
 */
export function policyDocumentJson(values: Record<string, Evaluated> | Unknown): Evaluated {
  if (values instanceof Unknown) return values;
  let statements: Evaluated[] = [];
  for (const source of blocks(values['source_policy_documents'] as Evaluated)) {
    const st = statementsOf(source);
    if (st instanceof Unknown) return st;
    statements = mergeBySid(statements, st);
  }
  const own = blocks(values['statement'] as Evaluated);
  const unknownBlock = own.find((s): s is Unknown => s instanceof Unknown);
  if (unknownBlock) return unknownBlock;
  statements = mergeBySid(statements, own.map(statement));
  for (const override of blocks(values['override_policy_documents'] as Evaluated)) {
    const st = statementsOf(override);
    if (st instanceof Unknown) return st;
    statements = mergeBySid(statements, st);
  }
  const doc: Doc = { Version: (values['version'] as Evaluated | undefined) ?? '2012-10-17' };
  if (doc['Version'] === null) doc['Version'] = '2012-10-17';
  if (typeof values['policy_id'] === 'string') doc['Id'] = values['policy_id'];
  doc['Statement'] = statements;
  return jsonEncode(doc);
}
