import { lstatSync, readdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ResourceKind } from '../model/kinds.js';
import { describeError, mostSpecificError, schemaFor, schemaRegistry, validatorFor } from '../schemas.js';
import { getFunction } from '../functions/index.js';
import { readRegularFile, walkFiles } from '../util/files.js';
import { InputError } from '../util/input-error.js';
import { packageRoot } from '../util/package-root.js';
import { escapePointerSegment, splitPointer } from '../util/pointer.js';
import { parsePositioned, type PositionedDocument } from '../util/yaml-document.js';
import { LIST_OPERATORS, NUMERIC_OPERATORS, REGEX_OPERATORS, UNARY_OPERATORS, compileRegex } from './operators.js';
import { checkPathInSchema, parsePath } from './paths.js';
import { templateNames, unknownFilters } from './template.js';
import { OPERATORS, type Condition, type ParamDefinition, type Profile, type RuleDefinition } from './types.js';

/** The bundled rules directory. */
export function bundledRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/** Where in a YAML document an error is; falls back to the nearest parent that has a position. */
function locateNearest(doc: PositionedDocument, pointer: string): { line?: number; column?: number } {
  const segments = splitPointer(pointer);
  for (let n = segments.length; n >= 0; n--) {
    const p = segments
      .slice(0, n)
      .map((s) => '/' + escapePointerSegment(s))
      .join('');
    const pos = doc.locate(p);
    if (pos) return { line: pos.line, column: pos.column };
  }
  return {};
}

/** An InputError at a JSON pointer of a rule or config file. */
export function errorAt(doc: PositionedDocument, file: string, pointer: string, message: string): InputError {
  const { line, column } = locateNearest(doc, pointer);
  return new InputError(message, file, line, column);
}

/**
 * Turns ajv's most specific error into one line at the offending key, with friendlier words for
 * the mistakes rule authors make (an unknown operator, a condition with no known key).
 */
export function schemaError(doc: PositionedDocument, file: string, errors: ErrorObject[] | null | undefined, what: string): InputError {
  const error = mostSpecificError(errors);
  if (!error) return new InputError(`invalid ${what}`, file);
  const params = error.params as Record<string, unknown>;
  let pointer = error.instancePath;
  let message = `${pointer || '/'}: ${describeError(error)}`;
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    pointer = `${pointer}/${escapePointerSegment(params.additionalProperty)}`;
    message = `unknown property "${params.additionalProperty}" at ${error.instancePath || '/'}`;
  } else if (error.keyword === 'enum' && pointer.endsWith('/op')) {
    const actual = valueAt(doc.value, pointer);
    message = `unknown operator ${JSON.stringify(actual)} (expected one of: ${OPERATORS.join(', ')})`;
  } else if (error.keyword === 'required' && params.missingProperty === 'path' && error.schemaPath.includes('/else/')) {
    message = `${pointer || '/'}: a condition needs one of: path (with op), all, any, not, fn, chain`;
  } else if (error.keyword === 'enum') {
    message = `${pointer}: ${JSON.stringify(valueAt(doc.value, pointer))} ${describeError(error)}`;
  }
  return errorAt(doc, file, pointer, `invalid ${what}: ${message}`);
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const seg of splitPointer(pointer)) node = (node as Record<string, unknown> | undefined)?.[seg];
  return node;
}

const optionValidators = new WeakMap<object, ValidateFunction>();

/** The compiled validator of a function's options schema (compiled once per schema). */
export function optionsValidator(schema: Record<string, unknown>): ValidateFunction {
  let v = optionValidators.get(schema);
  if (!v) optionValidators.set(schema, (v = schemaRegistry().compile(schema)));
  return v;
}

/** True for `{ param: name }` (optionally `times: n`), how conditions and options refer to a rule param. */
export const isParamRef = (v: unknown): v is { param: string; times?: number } =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  typeof (v as { param?: unknown }).param === 'string' &&
  Object.keys(v).every((k) => k === 'param' || (k === 'times' && typeof (v as { times?: unknown }).times === 'number'));

/**
 * The value a param reference stands for: the param's value, multiplied by `times` when given
 * (so a rule can compare seconds with a param in minutes: `{ param: maxMinutes, times: 60 }`).
 */
export function resolveParamRef(ref: { param: string; times?: number }, params: Record<string, unknown>): unknown {
  const value = Object.hasOwn(params, ref.param) ? params[ref.param] : undefined;
  return ref.times !== undefined && typeof value === 'number' ? value * ref.times : value;
}

function checkParamType(name: string, def: ParamDefinition, value: unknown): string | undefined {
  const ok =
    def.type === 'number'
      ? typeof value === 'number' && Number.isFinite(value)
      : def.type === 'integer'
        ? Number.isInteger(value)
        : def.type === 'array'
          ? Array.isArray(value)
          : typeof value === def.type;
  return ok ? undefined : `param "${name}" must be ${def.type === 'integer' || def.type === 'array' ? 'an' : 'a'} ${def.type}, got ${JSON.stringify(value)}`;
}

/** Validates a param value against its declared type; returns an error message or undefined. */
export function paramTypeError(name: string, def: ParamDefinition, value: unknown): string | undefined {
  return checkParamType(name, def, value);
}

/**
 * Parses and validates one rule file: the rule schema, then what a schema cannot say (id equals
 * the file name, paths exist in the kind's schema, regexes compile on RE2, functions exist and
 * their options are valid, parameters are declared and their defaults have the declared type).
 * Every problem is an InputError at the file, line and column of the offending key.
 */
export function loadRuleFile(file: string, text: string): RuleDefinition {
  const doc = parsePositioned(text, file);
  const validate = validatorFor('rule.schema.json');
  if (!validate(doc.value)) throw schemaError(doc, file, validate.errors, 'rule');
  const rule = doc.value as RuleDefinition;
  const fail = (pointer: string, message: string): never => {
    throw errorAt(doc, file, pointer, `rule ${rule.id}: ${message}`);
  };

  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (stem !== rule.id) fail('/id', `id must equal the file name "${stem}"`);

  // Review and inventory rules report things to look at, not faults: a finding of theirs must
  // not fail a build that gates on low or above. Opt-in rules are faults some teams choose to
  // check, at their own severity.
  if ((rule.category === 'review' || rule.category === 'inventory') && rule.severity !== 'info') fail('/severity', `a ${rule.category} rule has severity info (not ${rule.severity})`);

  const kinds: ResourceKind[] = Array.isArray(rule.resource) ? rule.resource : [rule.resource];
  const params = rule.params ?? {};
  for (const [name, def] of Object.entries(params)) {
    const problem = checkParamType(name, def, def.default);
    if (problem) fail(`/params/${escapePointerSegment(name)}/default`, `default of ${problem}`);
  }

  // `kinds` are the kinds the condition is evaluated on: the rule's, or a chain hop's.
  const checkCondition = (c: Condition, pointer: string, kinds: readonly ResourceKind[]): void => {
    if ('all' in c) c.all.forEach((child, i) => checkCondition(child, `${pointer}/all/${i}`, kinds));
    else if ('any' in c) c.any.forEach((child, i) => checkCondition(child, `${pointer}/any/${i}`, kinds));
    else if ('not' in c) checkCondition(c.not, `${pointer}/not`, kinds);
    else if ('chain' in c) {
      let previous = kinds;
      c.chain.forEach((step, i) => {
        const at = `${pointer}/chain/${i}`;
        if (i === 0 && (step.via !== undefined || step.kind !== undefined || step.from !== undefined)) {
          fail(at, 'the first hop is the rule\'s own resource: it takes no via, kind or from');
        }
        if (i > 0 && step.via === undefined) fail(at, 'a hop after the first needs via (the relation that leads to it)');
        if (i > 0 && step.kind === undefined) fail(at, 'a hop with via needs kind (the kinds of resource it reaches)');
        if (step.from !== undefined) {
          const segments = parsePath(step.from);
          if (!segments) fail(`${at}/from`, `malformed path "${step.from}"`);
          // Forwards, `from` is the previous hop's property that names this hop's resources;
          // backwards (~relation), it is this hop's property that names the previous hop's.
          const owners = step.via?.startsWith('~') ? [step.kind ?? []].flat() : previous;
          for (const kind of owners) {
            const missing = checkPathInSchema(schemaFor(`resources/${kind}.schema.json`), segments!);
            if (missing !== undefined) fail(`${at}/from`, `path "${step.from}" does not exist in ${kind} (no "${missing}" in schemas/resources/${kind}.schema.json)`);
          }
        }
        const here: readonly ResourceKind[] = i === 0 ? kinds : [step.kind!].flat();
        checkCondition(step.holds, `${at}/holds`, here);
        previous = here;
      });
    } else if ('fn' in c) {
      const fn = getFunction(c.fn);
      if (!fn) fail(`${pointer}/fn`, `unknown function "${c.fn}"`);
      const bad = kinds.find((k) => !fn!.kinds.includes(k));
      if (bad) fail(`${pointer}/fn`, `function ${c.fn} does not apply to ${bad} (it takes ${fn!.kinds.join(', ')})`);
      const options: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(c.options ?? {})) {
        if (isParamRef(value)) {
          const def = Object.hasOwn(params, value.param) ? params[value.param] : undefined;
          if (!def) fail(`${pointer}/options/${escapePointerSegment(key)}`, `param "${value.param}" is not declared in params`);
          options[key] = resolveParamRef(value, { [value.param]: def!.default });
        } else options[key] = value;
      }
      const validateOptions = optionsValidator(fn!.optionsSchema);
      if (!validateOptions(options)) {
        const error = mostSpecificError(validateOptions.errors);
        const where = error ? `${pointer}/options${error.instancePath}` : `${pointer}/options`;
        const extra = error?.keyword === 'additionalProperties' ? `/${String((error.params as Record<string, unknown>).additionalProperty)}` : '';
        fail(where + extra, `invalid options for ${c.fn}: ${error ? `${error.instancePath || '/'} ${describeError(error)}` : 'rejected'}`);
      }
    } else {
      const segments = parsePath(c.path);
      if (!segments) fail(`${pointer}/path`, `malformed path "${c.path}" (use dotted keys, [*] and [n])`);
      for (const kind of kinds) {
        const missing = checkPathInSchema(schemaFor(`resources/${kind}.schema.json`), segments!);
        if (missing !== undefined) fail(`${pointer}/path`, `path "${c.path}" does not exist in ${kind} (no "${missing}" in schemas/resources/${kind}.schema.json)`);
      }
      let value = c.value;
      if (isParamRef(value)) {
        const def = Object.hasOwn(params, value.param) ? params[value.param] : undefined;
        if (!def) fail(`${pointer}/value`, `param "${value.param}" is not declared in params`);
        if (value.times !== undefined && def!.type !== 'number' && def!.type !== 'integer') {
          fail(`${pointer}/value/times`, `times needs a numeric param; "${value.param}" is ${def!.type}`);
        }
        value = resolveParamRef(value, { [value.param]: def!.default });
      }
      if (UNARY_OPERATORS.has(c.op)) {
        if (c.value !== undefined) fail(`${pointer}/value`, `operator ${c.op} takes no value`);
      } else if (c.value === undefined) {
        fail(pointer, `operator ${c.op} needs a value`);
      } else if (LIST_OPERATORS.has(c.op) && !Array.isArray(value)) {
        fail(`${pointer}/value`, `operator ${c.op} needs a list value`);
      } else if (NUMERIC_OPERATORS.has(c.op) && typeof value !== 'number') {
        fail(`${pointer}/value`, `operator ${c.op} needs a number`);
      } else if (REGEX_OPERATORS.has(c.op)) {
        if (typeof value !== 'string') fail(`${pointer}/value`, `operator ${c.op} needs a regular expression string`);
        try {
          compileRegex(value as string);
        } catch (err) {
          fail(`${pointer}/value`, `invalid regular expression (RE2 syntax): ${(err as Error).message}`);
        }
      }
    }
  };
  if (rule.where) checkCondition(rule.where, '/where', kinds);
  checkCondition(rule.assert, '/assert', kinds);

  if (rule.message) {
    const allowed = /^(resource\.(name|id|kind|account|region|arn)|actual|expected|path|detail|reason|hops|params\.[A-Za-z0-9]+)$/;
    for (const name of templateNames(rule.message)) {
      if (!allowed.test(name)) fail('/message', `unknown template name {{${name}}}`);
      if (name.startsWith('params.') && !Object.hasOwn(params, name.slice(7))) fail('/message', `{{${name}}} names an undeclared param`);
    }
    const filters = unknownFilters(rule.message);
    if (filters.length) fail('/message', `unknown template filter "${filters[0]}" (expected duration or json)`);
  }
  return { ...rule, file };
}

/** Shows a rule file path relative to the working directory when it is inside it. */
function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : file.split(sep).join('/');
}

/**
 * Loads the bundled rules (`rules/**` except `profiles/`) and every `*.yaml` under `dirs`.
 * Two rules with one id are an error naming both files.
 */
export async function loadRules(dirs: string[] = [], options: { bundled?: boolean } = {}): Promise<RuleDefinition[]> {
  const roots = [...(options.bundled === false ? [] : [bundledRulesDir()]), ...dirs];
  const rules: RuleDefinition[] = [];
  const byId = new Map<string, string>();
  for (const root of roots) {
    const files = walkFiles(root, { skipDir: (_name, rel) => rel === 'profiles', accept: (name) => /\.ya?ml$/.test(name), display });
    for (const file of files) {
      const shown = display(file);
      const rule = loadRuleFile(shown, readRegularFile(file, shown));
      const previous = byId.get(rule.id);
      if (previous) throw new InputError(`rule id "${rule.id}" is also defined in ${previous}`, shown);
      byId.set(rule.id, shown);
      rules.push(rule);
    }
  }
  return rules;
}

/** Parses and validates a profile file against `schemas/profile.schema.json`. */
export function loadProfileFile(file: string, text: string): Profile {
  const doc = parsePositioned(text, file);
  const validate = validatorFor('profile.schema.json');
  if (!validate(doc.value)) throw schemaError(doc, file, validate.errors, 'profile');
  const profile = doc.value as Profile;
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (profile.name !== stem) throw errorAt(doc, file, '/name', `profile name must equal the file name "${stem}"`);
  return { ...profile, file };
}

/**
 * Loads `rules/profiles/<name>.yaml` with its `extends` chain folded in (the base first, then
 * this profile's settings on top). Default: `recommended`.
 */
export function loadProfile(name = 'recommended', dir = join(bundledRulesDir(), 'profiles')): Profile {
  const chain: Profile[] = [];
  const seen = new Set<string>();
  for (let next: string | undefined = name; next !== undefined; ) {
    if (seen.has(next)) throw new InputError(`profile "${next}" extends itself`);
    seen.add(next);
    const file = join(dir, `${next}.yaml`);
    if (!lstatSync(file, { throwIfNoEntry: false })) {
      const known = safeList(dir).join(', ');
      throw new InputError(`unknown profile "${next}" (expected one of: ${known})`);
    }
    const profile = loadProfileFile(display(file), readRegularFile(file, display(file)));
    chain.unshift(profile);
    next = profile.extends;
  }
  const top = chain[chain.length - 1]!;
  const controls = Object.assign({}, ...chain.map((p) => p.controls)) as NonNullable<Profile['controls']>;
  // A control's rules are on unless the profile says more about them in `rules`.
  const byControl = Object.fromEntries(Object.values(controls).flat().map((id) => [id, 'on' as const]));
  return {
    ...top,
    others: top.others ?? chain.find((p) => p.others)?.others ?? 'on',
    categories: Object.assign({}, ...chain.map((p) => p.categories)) as NonNullable<Profile['categories']>,
    controls,
    rules: Object.assign(byControl, ...chain.map((p) => p.rules)) as Profile['rules'],
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.yaml'))
      .map((n) => n.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}
