import { Symbolic, Unknown, isRecord, type Evaluated } from '../../values.js';

type Rec = Record<string, Evaluated>;

/** `statement` block attributes and the IAM JSON keys they become. */
const LISTS: Array<[string, string]> = [
  ['actions', 'Action'],
  ['not_actions', 'NotAction'],
  ['resources', 'Resource'],
  ['not_resources', 'NotResource'],
];

/**
 * The IAM policy JSON a `data "aws_iam_policy_document"` block renders (its `json`), from its
 * evaluated `statement` blocks: `effect` (default Allow), `actions`, `resources` and their
 * `not_` forms, `principals`/`not_principals` blocks (`type = "*"` with `["*"]` is `"*"`), and
 * `condition` blocks (`test`, `variable`, `values`). What the provider merges in from other
 * documents (`source_policy_documents`, `override_policy_documents`, `source_json`) is not
 * rendered here: the result is then Unknown, never a document that may grant less than the real one.
 */
export function policyDocumentJson(values: Rec | Unknown): Evaluated {
  if (values instanceof Unknown) return values;
  for (const key of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    const v = values[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
      return new Unknown(`the policy document merges ${key}, which the scanner does not render`, '${?}');
    }
  }
  const statements = values.statement ?? [];
  if (statements instanceof Unknown) return statements;
  if (!Array.isArray(statements)) return new Unknown('statement is not a list of blocks', '${?}');
  const out: Rec[] = [];
  for (const given of statements) {
    if (given instanceof Unknown) return given;
    if (!isRecord(given)) return new Unknown('a statement block cannot be read', '${?}');
    const st = given as Rec;
    const statement: Rec = {};
    if (typeof st.sid === 'string' && st.sid !== '') statement.Sid = st.sid;
    statement.Effect = st.effect === undefined || st.effect === null ? 'Allow' : st.effect;
    for (const [from, to] of LISTS) {
      const v = st[from];
      if (v !== undefined && v !== null) statement[to] = v;
    }
    for (const [from, to] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']] as const) {
      const v = st[from];
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      const principal = principals(v);
      if (principal instanceof Unknown) return principal;
      statement[to] = principal;
    }
    const conditions = st.condition;
    if (conditions !== undefined && conditions !== null && !(Array.isArray(conditions) && conditions.length === 0)) {
      const condition = conditionsOf(conditions);
      if (condition instanceof Unknown) return condition;
      statement.Condition = condition;
    }
    out.push(statement);
  }
  return { Version: typeof values.version === 'string' ? values.version : '2012-10-17', Statement: out };
}

function principals(v: Evaluated): Evaluated | Unknown {
  if (!Array.isArray(v)) return v instanceof Unknown ? v : new Unknown('principals is not a list of blocks', '${?}');
  const out: Record<string, Evaluated[]> = {};
  for (const block of v) {
    if (!isRecord(block)) return block instanceof Unknown ? block : new Unknown('a principals block cannot be read', '${?}');
    const { type, identifiers } = block as Rec;
    if (typeof type !== 'string') return new Unknown('principals type is not known', '${?}');
    if (!Array.isArray(identifiers)) return identifiers instanceof Unknown ? identifiers : new Unknown(`principals ${type} identifiers are not a list`, '${?}');
    // `type = "*"`, `identifiers = ["*"]` renders as `"Principal": "*"` (anyone).
    if (type === '*') return '*';
    (out[type] ??= []).push(...identifiers);
  }
  return out;
}

function conditionsOf(v: Evaluated): Evaluated | Unknown {
  if (!Array.isArray(v)) return v instanceof Unknown ? v : new Unknown('condition is not a list of blocks', '${?}');
  const out: Record<string, Rec> = {};
  for (const block of v) {
    if (!isRecord(block)) return block instanceof Unknown ? block : new Unknown('a condition block cannot be read', '${?}');
    const { test, variable, values } = block as Rec;
    if (typeof test !== 'string' || !(typeof variable === 'string' || variable instanceof Symbolic)) {
      return new Unknown('a condition test or variable is not known', '${?}');
    }
    const key = typeof variable === 'string' ? variable : variable.text;
    (out[test] ??= {})[key] = values ?? [];
  }
  return out;
}
