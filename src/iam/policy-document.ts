/**
 * IAM policy documents as every source hands them over (objects from templates, JSON strings
 * from Terraform, URL-encoded JSON from the IAM API) turned into one normalized shape: the
 * `definitions/policyDocument` of `schemas/resources/iam.role.schema.json`.
 */

import { PROTO_KEY, parseJsonData } from '../util/prototype-keys.js';

/** A normalized principal block; `"*"` becomes `{ aws: ["*"] }`. */
export interface Principal {
  aws?: string[];
  service?: string[];
  federated?: string[];
  canonicalUser?: string[];
}

/** One statement with every list-valued field as an array of strings. */
export interface Statement {
  sid?: string;
  effect?: 'Allow' | 'Deny';
  principal?: Principal;
  notPrincipal?: Principal;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** operator -> condition key -> values (always strings). */
  condition?: Record<string, Record<string, string[]>>;
}

/** A parsed IAM policy document. */
export interface PolicyDocument {
  version?: string;
  statements: Statement[];
}

const PRINCIPAL_KEYS: Record<string, keyof Principal> = {
  aws: 'aws',
  service: 'service',
  federated: 'federated',
  canonicaluser: 'canonicalUser',
};

const LIST_FIELDS: Array<[string, 'action' | 'notAction' | 'resource' | 'notResource']> = [
  ['Action', 'action'],
  ['NotAction', 'notAction'],
  ['Resource', 'resource'],
  ['NotResource', 'notResource'],
];

/**
 * Parses an IAM policy document given as an object, a JSON string, or a URL-encoded JSON
 * string (GetRolePolicy and GetPolicyVersion return documents URL-encoded). A single statement
 * object is accepted as well as a list. Throws a plain Error with a short reason on anything
 * that is not a policy document; callers turn that into an unresolved path or a diagnostic.
 */
export function parsePolicyDocument(input: unknown): PolicyDocument {
  let value = input;
  if (typeof value === 'string') value = parseJsonText(value);
  if (!isObject(value)) throw new Error(`policy document must be an object, not ${describe(value)}`);
  const doc: PolicyDocument = { statements: [] };
  const version = value.Version;
  if (version !== undefined) {
    if (typeof version !== 'string') throw new Error('policy Version must be a string');
    doc.version = version;
  }
  const raw = value.Statement;
  if (raw === undefined) throw new Error('policy document has no Statement');
  const list = Array.isArray(raw) ? raw : [raw];
  list.forEach((statement, i) => {
    doc.statements.push(parseStatement(statement, i));
  });
  return doc;
}

function parseJsonText(text: string): unknown {
  let source = text.trim();
  // The IAM API URL-encodes documents (RFC 3986); a leading "%7B" is an encoded "{".
  if (/^%7b/i.test(source)) {
    try {
      source = decodeURIComponent(source.replace(/\+/g, '%20'));
    } catch {
      throw new Error('policy document is not valid URL-encoded text');
    }
  }
  try {
    return parseJsonData(source);
  } catch (err) {
    throw new Error(`policy document is not valid JSON${(err as Error).message.includes(PROTO_KEY) ? `: ${(err as Error).message}` : ''}`);
  }
}

function parseStatement(raw: unknown, index: number): Statement {
  if (!isObject(raw)) throw new Error(`Statement[${index}] must be an object, not ${describe(raw)}`);
  const out: Statement = {};
  if (raw.Sid !== undefined) out.sid = scalarString(raw.Sid, `Statement[${index}].Sid`);
  if (raw.Effect !== undefined) {
    const effect = scalarString(raw.Effect, `Statement[${index}].Effect`);
    // IAM rejects any other spelling, so an odd value is a broken document, not a policy to guess at.
    if (effect !== 'Allow' && effect !== 'Deny') throw new Error(`Statement[${index}].Effect must be Allow or Deny`);
    out.effect = effect;
  }
  if (raw.Principal !== undefined) out.principal = parsePrincipal(raw.Principal, `Statement[${index}].Principal`);
  if (raw.NotPrincipal !== undefined) out.notPrincipal = parsePrincipal(raw.NotPrincipal, `Statement[${index}].NotPrincipal`);
  for (const [key, field] of LIST_FIELDS) {
    if (raw[key] !== undefined) out[field] = stringList(raw[key], `Statement[${index}].${key}`);
  }
  if (raw.Condition !== undefined) out.condition = parseCondition(raw.Condition, `Statement[${index}].Condition`);
  return out;
}

function parsePrincipal(raw: unknown, where: string): Principal {
  // "Principal": "*" means everyone, the same as {"AWS": "*"}.
  if (raw === '*') return { aws: ['*'] };
  if (!isObject(raw)) throw new Error(`${where} must be "*" or an object`);
  const out: Principal = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = Object.hasOwn(PRINCIPAL_KEYS, key.toLowerCase()) ? PRINCIPAL_KEYS[key.toLowerCase()] : undefined;
    if (!field) throw new Error(`${where} has an unknown principal type "${key}"`);
    out[field] = [...(out[field] ?? []), ...stringList(value, `${where}.${key}`)];
  }
  return out;
}

function parseCondition(raw: unknown, where: string): Record<string, Record<string, string[]>> {
  if (!isObject(raw)) throw new Error(`${where} must be an object`);
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(raw)) {
    if (!isObject(block)) throw new Error(`${where}.${operator} must be an object`);
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block)) keys[key] = stringList(values, `${where}.${operator}.${key}`);
    out[operator] = keys;
  }
  return out;
}

function stringList(value: unknown, where: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => scalarString(item, where));
}

function scalarString(value: unknown, where: string): string {
  // Condition values such as `"aws:SecureTransport": false` or numeric limits are compared as
  // strings by IAM, so they are kept as their string form.
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where} must be a string or a list of strings, not ${describe(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
