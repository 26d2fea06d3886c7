import type { Position } from '../../model/resource.js';
import { pushAll } from '../../util/arrays.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import { parsePositioned, type PositionedDocument } from '../../util/yaml-document.js';
import { IDP_SECRETS } from '../idp-secrets.js';
import type { PathSegment } from '../scope.js';
import type { Source, SourceOutput } from '../source.js';
import { Symbolic, Unknown, isRecord, valueAt, type Evaluated } from '../values.js';
import type { TerraformBlock, TerraformOutput } from './block.js';
import { mapTerraformBlocks } from './map/index.js';

/**
 * Terraform plans as `terraform show -json plan.out` writes them (format 1.x): the values the
 * plan will apply (`planned_values`), what only apply will know (`resource_changes[].change
 * .after_unknown`), what is sensitive (`after_sensitive`) and the configuration's references
 * between resources (`configuration`), mapped like Terraform source. Findings point at the
 * plan file's line of the value, the resource named by its address.
 */

type Json = Record<string, unknown>;

/** One resource of `configuration`: its expressions, found by module path and `type.name`. */
interface ConfigResource {
  expressions: Json;
  /** `module.a.` for a resource of module call `a`, '' at the root. */
  modulePrefix: string;
  variables: Json;
}

const AFTER_APPLY = 'known after apply';

/** Terraform plan JSON (`terraform show -json`). */
export const terraformPlanSource: Source<PositionedDocument> = {
  format: 'terraform-plan',
  label: 'Terraform plan JSON',
  extensions: ['.json'],
  match(c) {
    return c.text.includes('"planned_values"') && c.text.includes('"format_version"') ? 'yes' : 'no';
  },
  claim(c) {
    const doc = parsePositioned(c.text, c.file);
    const plan = doc.value;
    if (!isRecord(plan) || !isRecord(plan.planned_values)) return undefined;
    if (typeof plan.format_version !== 'string' || !/^1\./.test(plan.format_version)) {
      const pos = doc.locate('/format_version');
      throw new InputError(
        `unsupported Terraform plan format_version ${JSON.stringify(plan.format_version)}: expected 1.x (terraform show -json)`,
        c.file,
        pos?.line ?? 1,
        pos?.column ?? 1,
      );
    }
    return doc;
  },
  load(claims) {
    const out: SourceOutput = { resources: [], diagnostics: [], inputs: [] };
    for (const { candidate, data } of claims) {
      const blocks = planBlocks(candidate.file, data);
      const mapped = mapTerraformBlocks(blocks, { format: 'terraform-plan', idPrefix: candidate.file, outputs: planOutputs(candidate.file, data) });
      pushAll(out.resources, mapped.resources);
      pushAll(out.diagnostics, mapped.diagnostics);
      out.inputs.push({ file: candidate.file, format: 'terraform-plan' });
    }
    return out;
  },
};

/** The blocks of a plan: every managed resource of `planned_values` that is not being deleted. */
export function planBlocks(file: string, doc: PositionedDocument): TerraformBlock[] {
  const plan = doc.value as Json;
  const changes = new Map<string, Json>();
  if (Array.isArray(plan.resource_changes)) {
    for (const rc of plan.resource_changes) {
      if (isRecord(rc) && typeof rc.address === 'string' && isRecord(rc.change)) changes.set(rc.address, rc.change);
    }
  }
  const config = configResources(plan.configuration);
  const planned: Array<{ resource: Json; pointer: string }> = [];
  collectModule((plan.planned_values as Json).root_module, '/planned_values/root_module', planned);
  const blocks: TerraformBlock[] = [];
  const knownValues = new Map<string, Json>();
  for (const { resource } of planned) {
    if (typeof resource.address === 'string' && isRecord(resource.values)) knownValues.set(resource.address, resource.values);
  }
  for (const { resource, pointer } of planned) {
    const { address, type, name, mode } = resource;
    if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string') continue;
    const change = changes.get(address);
    // Resources being destroyed are not deployed: nothing to judge.
    const actions = change && Array.isArray(change.actions) ? change.actions : [];
    if (actions.length === 1 && actions[0] === 'delete') continue;
    const cfg = config.get(configKey(address));
    const values = evaluateValues(
      isRecord(resource.values) ? resource.values : {},
      change?.after_unknown,
      resource.sensitive_values ?? change?.after_sensitive,
      cfg,
      knownValues,
    );
    if (type === 'aws_cognito_identity_provider') redactIdpSecrets(values, cfg);
    const valuesPointer = joinPointer(pointer, 'values');
    const position: Position = doc.locate(pointer) ?? { pointer, line: 1, column: 1 };
    blocks.push(planBlock({ mode: mode === 'data' ? 'data' : 'managed', type, name, address, file, values, position }, doc, valuesPointer));
  }
  return blocks;
}

/**
 * The root module's outputs as the configuration writes them: only what matters for where a
 * client secret goes (the value, even when the plan shows it sensitive, is its reference).
 */
export function planOutputs(file: string, doc: PositionedDocument): TerraformOutput[] {
  const plan = doc.value as Json;
  const config = isRecord(plan.configuration) && isRecord(plan.configuration.root_module) ? plan.configuration.root_module.outputs : undefined;
  if (!isRecord(config)) return [];
  const planned = isRecord(plan.planned_values) && isRecord(plan.planned_values.outputs) ? plan.planned_values.outputs : {};
  return Object.entries(config).map(([name, o]) => {
    const p = isRecord(planned) ? planned[name] : undefined;
    const sensitive = (isRecord(o) && o.sensitive === true) || (isRecord(p) && p.sensitive === true);
    const pointer = joinPointer('/configuration/root_module/outputs', name);
    return { name, value: (isRecord(o) && clientSecretReference(o.expression, '')) || null, sensitive, file, position: doc.locate(pointer) };
  });
}

function planBlock(b: Omit<TerraformBlock, 'get' | 'locate'>, doc: PositionedDocument, valuesPointer: string): TerraformBlock {
  return {
    ...b,
    get(path: readonly PathSegment[]): Evaluated | undefined {
      return valueAt(b.values, path);
    },
    locate(path: readonly PathSegment[]): Position | undefined {
      for (let n = path.length; n >= 0; n--) {
        const pos = doc.locate(joinPointer(valuesPointer, ...path.slice(0, n)));
        if (pos) return pos;
      }
      return b.position;
    },
  };
}

/** `planned_values` modules, depth first, with the pointer of each resource. */
function collectModule(module: unknown, pointer: string, out: Array<{ resource: Json; pointer: string }>): void {
  if (!isRecord(module)) return;
  if (Array.isArray(module.resources)) {
    module.resources.forEach((r, i) => {
      if (isRecord(r)) out.push({ resource: r, pointer: joinPointer(pointer, 'resources', i) });
    });
  }
  if (Array.isArray(module.child_modules)) {
    module.child_modules.forEach((m, i) => collectModule(m, joinPointer(pointer, 'child_modules', i), out));
  }
}

/** `module.a["x"].aws_iam_role.r[0]` -> `module.a.aws_iam_role.r`: how `configuration` names it. */
function configKey(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

/** Every resource of `configuration`, by its address without instance keys. */
function configResources(configuration: unknown): Map<string, ConfigResource> {
  const out = new Map<string, ConfigResource>();
  const walk = (module: unknown, prefix: string): void => {
    if (!isRecord(module)) return;
    const variables = isRecord(module.variables) ? module.variables : {};
    if (Array.isArray(module.resources)) {
      for (const r of module.resources) {
        if (!isRecord(r) || typeof r.address !== 'string') continue;
        out.set(prefix + r.address, { expressions: isRecord(r.expressions) ? r.expressions : {}, modulePrefix: prefix, variables });
      }
    }
    if (isRecord(module.module_calls)) {
      for (const [name, call] of Object.entries(module.module_calls)) {
        if (isRecord(call)) walk(call.module, `${prefix}module.${name}.`);
      }
    }
  };
  if (isRecord(configuration)) walk(configuration.root_module, '');
  return out;
}

/** The resource addresses among an expression's references (`aws_iam_role.r.arn` -> `aws_iam_role.r`). */
function referencedAddresses(expression: unknown, prefix: string): string[] {
  if (!isRecord(expression) || !Array.isArray(expression.references)) return [];
  const out: string[] = [];
  for (const ref of expression.references) {
    if (typeof ref !== 'string') continue;
    const m = /^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\[[^\]]*\])?(?:\.|$)/.exec(ref);
    if (!m || /^(var|local|module|each|count|path|terraform|self)\./.test(m[1]!)) continue;
    const address = prefix + m[1]!;
    if (!out.includes(address)) out.push(address);
  }
  return out;
}

/**
 * The app client secrets an expression reads (`aws_cognito_user_pool_client.x.client_secret`),
 * as a reference: the plan only shows the value as sensitive.
 */
function clientSecretReference(expression: unknown, prefix: string): Symbolic | undefined {
  if (!isRecord(expression) || !Array.isArray(expression.references)) return undefined;
  const found = new Set<string>();
  for (const ref of expression.references) {
    const m = typeof ref === 'string' ? /^(aws_cognito_user_pool_client\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.client_secret$/.exec(ref) : null;
    if (m) found.add(prefix + m[1]!);
  }
  // Several secrets in one expression (a map of variables): each sensitive value may be any of them.
  const addresses = [...found];
  return addresses.length > 0 ? new Symbolic(addresses.map((a) => `\${${a}.client_secret}`).join(' '), addresses) : undefined;
}

/** The first reference with an attribute, as `${aws_iam_role.r.arn}`. */
function referenceText(expression: unknown, prefix: string): string | undefined {
  if (!isRecord(expression) || !Array.isArray(expression.references)) return undefined;
  const refs = expression.references.filter((r): r is string => typeof r === 'string');
  const best = refs.find((r) => !/^(var|local|module|each|count|path)\./.test(r) && r.split('.').length >= (r.startsWith('data.') ? 4 : 3)) ?? refs[0];
  return best === undefined ? undefined : `\${${prefix}${best}}`;
}

/**
 * The planned values with the plan's markers applied: a sensitive value is never read (it
 * becomes Unknown); a value known only after apply is Unknown, or absent when the configuration
 * does not set it (AWS then applies its default, which the mappers apply too); an attribute
 * written as a reference to another resource becomes a Symbolic naming it, so relations resolve
 * by address. Nested blocks are followed into the configuration's nested expressions.
 */
function evaluateValues(values: Json, unknown: unknown, sensitive: unknown, cfg: ConfigResource | undefined, known: Map<string, Json>): Record<string, Evaluated> {
  return attributes(values, unknown, sensitive, cfg?.expressions ?? {}, cfg !== undefined, cfg?.modulePrefix ?? '', known, '');
}

/** An expression of `configuration` for one attribute (rather than a nested block). */
const isLeafExpression = (e: unknown): e is Json => isRecord(e) && ('references' in e || 'constant_value' in e);

function attributes(
  values: Json,
  unknown: unknown,
  sensitive: unknown,
  expressions: Json,
  configured: boolean,
  prefix: string,
  known: Map<string, Json>,
  where: string,
): Record<string, Evaluated> {
  const out: Record<string, Evaluated> = {};
  const keys = new Set([...Object.keys(values), ...(isRecord(unknown) ? Object.keys(unknown) : [])]);
  for (const key of keys) {
    const expression = expressions[key];
    const u = isRecord(unknown) ? unknown[key] : undefined;
    const s = isRecord(sensitive) ? sensitive[key] : undefined;
    const at = where ? `${where}.${key}` : key;
    // Without a configuration to tell, a value only apply knows is kept unknown.
    if (u === true && configured && expression === undefined) continue;
    const value = values[key] ?? null;
    if (Array.isArray(expression) && Array.isArray(value) && s !== true && u !== true) {
      // Nested blocks: each item with the expressions of its block (a dynamic block has one).
      out[key] = value.map((item, i) => {
        const e = expression[i] ?? expression[0];
        const ui = Array.isArray(u) ? u[i] : undefined;
        const si = Array.isArray(s) ? s[i] : undefined;
        if (!isRecord(item) || !isRecord(e)) return markers(item, ui, si, `${at}[${i}]`);
        return attributes(item, ui, si, e, configured, prefix, known, `${at}[${i}]`);
      });
      continue;
    }
    let v = markers(value, u, s, at);
    const refs = isLeafExpression(expression) ? referencedAddresses(expression, prefix) : [];
    if (refs.length > 0) v = symbolize(v, refs, referenceText(expression, prefix), known, clientSecretReference(expression, prefix));
    out[key] = v;
  }
  return out;
}

function markers(value: unknown, unknown: unknown, sensitive: unknown, where: string): Evaluated {
  if (sensitive === true) return new Unknown(`${where} is sensitive; the scanner does not read it`, '${sensitive}');
  if (unknown === true) return new Unknown(`${where} is ${AFTER_APPLY}`, '${?}');
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      markers(item, Array.isArray(unknown) ? unknown[i] : undefined, Array.isArray(sensitive) ? sensitive[i] : undefined, `${where}[${i}]`),
    );
  }
  if (isRecord(value) || isRecord(unknown)) {
    const v = isRecord(value) ? value : {};
    const out: Record<string, Evaluated> = {};
    for (const key of new Set([...Object.keys(v), ...(isRecord(unknown) ? Object.keys(unknown) : [])])) {
      out[key] = markers(v[key] ?? null, isRecord(unknown) ? unknown[key] : undefined, isRecord(sensitive) ? sensitive[key] : undefined, `${where}.${key}`);
    }
    return out;
  }
  return value as Evaluated;
}

/**
 * An attribute the configuration writes as a reference: a value known only after apply is the
 * reference itself when it names one resource; a known string is a Symbolic naming the resource
 * whose `arn`, `id` or `name` it is (or `endpoint`: an identity pool names its user pool by the
 * pool's endpoint, `provider_name = aws_cognito_user_pool.main.endpoint`). Lists and maps are
 * treated item by item.
 */
function symbolize(v: Evaluated, refs: string[], text: string | undefined, known: Map<string, Json>, secret?: Symbolic): Evaluated {
  // Terraform marks what is derived from the client secret sensitive: that value is the secret's reference.
  if (v instanceof Unknown && secret && v.reason.includes('sensitive')) return secret;
  if (v instanceof Unknown) {
    return refs.length === 1 && text !== undefined && !v.reason.includes('sensitive') ? new Symbolic(text, refs) : v;
  }
  if (typeof v === 'string') {
    for (const ref of refs) {
      const values = known.get(ref);
      if (!values) continue;
      for (const attr of ['arn', 'id', 'name', 'root_resource_id', 'endpoint']) {
        if (values[attr] === v) return new Symbolic(`\${${ref}.${attr}}`, [ref]);
      }
    }
    return v;
  }
  if (Array.isArray(v)) return v.map((item) => symbolize(item, refs, text, known, secret));
  if (isRecord(v)) {
    const out: Record<string, Evaluated> = {};
    for (const [k, item] of Object.entries(v as Record<string, Evaluated>)) out[k] = symbolize(item, refs, text, known, secret);
    return out;
  }
  return v;
}

/**
 * An identity provider's client secret or private key is in the plan in plain text (the
 * provider does not mark `provider_details` sensitive). It is replaced by where it comes from,
 * read in the configuration, so it reaches no output: written in the configuration (or as a
 * variable's default) is plain text, a variable without a default is supplied at plan time,
 * a data source or resource is a reference.
 */
function redactIdpSecrets(values: Record<string, Evaluated>, cfg: ConfigResource | undefined): void {
  const details = values.provider_details;
  if (!isRecord(details)) return;
  const expression = cfg?.expressions.provider_details;
  const refs = isRecord(expression) && Array.isArray(expression.references) ? expression.references.filter((r): r is string => typeof r === 'string') : [];
  for (const key of IDP_SECRETS) {
    const secret = (details as Record<string, Evaluated>)[key];
    if (secret === undefined || secret === null || secret === '') continue;
    let replacement: Evaluated;
    if (refs.length === 0 || (isRecord(expression) && expression.constant_value !== undefined)) {
      replacement = '(redacted)';
    } else {
      const variable = refs.map((r) => /^var\.([A-Za-z0-9_-]+)/.exec(r)?.[1]).find((n) => n !== undefined);
      const declared = variable !== undefined ? cfg?.variables[variable] : undefined;
      if (variable !== undefined && isRecord(declared) && declared.default !== undefined && declared.default !== '') replacement = '(redacted)';
      else if (variable !== undefined) replacement = new Unknown(`supplied as variable ${variable} when the plan is made`, '${var}');
      else replacement = new Unknown('read from another resource or data source', '${ref}', true);
    }
    (details as Record<string, Evaluated>)[key] = replacement;
  }
}
