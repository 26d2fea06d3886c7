/**
 * Evaluates a Terraform module's expressions offline, the way `terraform plan` would before
 * talking to AWS: variables (given values, then defaults), locals, references between blocks,
 * `count` / `for_each` instances, `dynamic` blocks, local child modules and the built-in
 * functions of functions.ts. Whatever only `apply` can know (ids, ARNs, data sources other than
 * policy documents, remote modules) is a `Symbolic` reference or an `Unknown` with its reason:
 * never a guess, so a rule that needs it reports `unknown`.
 */

import { isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../model/finding.js';
import type { Position } from '../../model/resource.js';
import { joinPointer } from '../../util/pointer.js';
import type { PathSegment } from '../scope.js';
import { Symbolic, Unknown, isRecord, valueAt, type Evaluated } from '../values.js';
import type { TerraformBlock, TerraformOutput } from './block.js';
import { ExpressionSyntaxError, parseExpression, parseTemplate, parseValueString, type Accessor, type Node, type TemplatePart } from './expression.js';
import { EvalError, callFunction, concatText, equal, type FunctionContext } from './functions.js';
import type { ParsedTfFile } from './parsed-file.js';
import { policyDocumentJson } from './policy-document-data.js';

/** How the evaluator reaches variables, files and child modules. */
export interface EvaluateOptions {
  /** The root module's directory. */
  dir: string;
  /** Values of root variables (`-var`, `.tfvars`), by name. */
  variables: Record<string, unknown>;
  readFile(abs: string): string;
  loadModule(absDir: string): Promise<ParsedTfFile[]>;
}

/** A declared `resource`, `data` or `module` block. */
/** A module whose source or name says it manages what the rules read. */
const SIGN_IN_MODULE = /cognito|api-?gateway|apigw|(^|[^a-z])iam([^a-z]|$)|auth|identity|user-?pool/i;

/** One resource type per kind the Terraform mappers produce: the stand-ins of an unread module. */
const STAND_IN_TYPES = [
  'aws_cognito_user_pool',
  'aws_cognito_user_pool_client',
  'aws_cognito_identity_provider',
  'aws_cognito_user_pool_domain',
  'aws_cognito_identity_pool',
  'aws_cognito_user_group',
  'aws_iam_role',
  'aws_iam_policy',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_method',
  'aws_api_gateway_authorizer',
  'aws_api_gateway_stage',
  'aws_api_gateway_domain_name',
  'aws_apigatewayv2_api',
  'aws_apigatewayv2_route',
  'aws_apigatewayv2_authorizer',
  'aws_apigatewayv2_stage',
];

interface Decl {
  mode: 'managed' | 'data' | 'module';
  type: string;
  name: string;
  body: Record<string, unknown>;
  file: ParsedTfFile;
  /** hcl2json path of the block, e.g. `['resource', 'aws_iam_role', 'r', 0]`. */
  path: PathSegment[];
}

type InstanceKey = number | string | undefined;

interface Instance {
  key: InstanceKey;
  each?: { key: Evaluated; value: Value };
}

/**
 * Something a reference names before an attribute is picked: a namespace (`var`, `data`), a
 * resource type, a block with instances, one instance, a child module. Never stored in block
 * values: `finalize` turns what is left into a Symbolic reference.
 */
class Handle {
  constructor(
    readonly h: 'ns' | 'type' | 'block' | 'instance',
    readonly name: string,
    readonly decl?: Decl,
    readonly key?: InstanceKey,
    readonly mode: 'managed' | 'data' = 'managed',
  ) {}
}

type Value = Evaluated | Handle | Value[] | { [key: string]: Value };

/** Local names bound by `for`, `each`, `count` and dynamic-block iterators. */
class Bindings {
  constructor(
    readonly vars: ReadonlyMap<string, Value>,
    readonly parent?: Bindings,
  ) {}

  get(name: string): Value | undefined {
    for (let b: Bindings | undefined = this; b; b = b.parent) if (b.vars.has(name)) return b.vars.get(name);
    return undefined;
  }

  with(entries: Array<[string, Value]>): Bindings {
    return new Bindings(new Map(entries), this);
  }
}

const EMPTY = new Bindings(new Map());

/** Arguments of a block that are Terraform's, not the resource's. */
const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
/** Arguments of a module block that are not input variables. */
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
/** Attributes that identify another resource: kept as references so relations can link by address. */
const IDENTIFYING = /^(id|arn|name)$|_(id|arn|name)$/;
/** `./x` and `../x`: the module sources read from disk; registry and git sources are not. */
const LOCAL_SOURCE = /^\.\.?(\/|$)/;
/** Nested modules deeper than this are not read. */
const MAX_MODULE_DEPTH = 16;

/** Parsed expressions by text: modules repeat the same expressions many times. */
const parsedCache = new Map<string, Node>();

function parseCached(text: string): Node {
  let node = parsedCache.get(text);
  if (!node) {
    node = parseValueString(text);
    if (parsedCache.size > 50_000) parsedCache.clear();
    parsedCache.set(text, node);
  }
  return node;
}

function instanceSuffix(key: InstanceKey): string {
  return key === undefined ? '' : `[${JSON.stringify(key)}]`;
}

function describeError(e: unknown): string {
  if (e instanceof EvalError || e instanceof ExpressionSyntaxError) return e.message;
  if (e instanceof RangeError) return 'the expression is nested too deeply';
  // Anything else is a gap in the evaluator: the value is unknown, the scan goes on.
  return `the expression cannot be evaluated (${e instanceof Error ? e.name : 'error'})`;
}

function plainToEvaluated(v: unknown): Evaluated {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(plainToEvaluated);
  if (v instanceof Unknown || v instanceof Symbolic) return v;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, Evaluated> = {};
    for (const [k, item] of Object.entries(v)) out[k] = plainToEvaluated(item);
    return out;
  }
  return v as Evaluated;
}

function truthy(v: Value, what: string): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  if (v instanceof Symbolic) return new Unknown(`${what} depends on ${v.text}, known only at deploy time`, '${condition}');
  throw new EvalError(`${what} must be true or false`);
}

function number(v: Value, op: string): number | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (v instanceof Symbolic) return new Unknown(`"${op}" on ${v.text}, known only at deploy time`, '${number}');
  throw new EvalError(`"${op}" expects numbers`);
}

/** Where file functions may read: the module's directory or the root module's, and below. */
function inside(dir: string, abs: string): boolean {
  const rel = relative(dir, abs);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** One module (root or child) being evaluated. */
class ModuleEval {
  readonly vars = new Map<string, { decl: Record<string, unknown>; file: ParsedTfFile }>();
  readonly locals = new Map<string, { raw: unknown }>();
  readonly outputs = new Map<string, unknown>();
  readonly managed = new Map<string, Decl>();
  readonly data = new Map<string, Decl>();
  readonly modules = new Map<string, Decl>();
  readonly children = new Map<Decl, Map<InstanceKey, ModuleEval>>();
  readonly resourceTypes = new Set<string>();

  private readonly varMemo = new Map<string, Value>();
  private readonly localMemo = new Map<string, Value>();
  private readonly outputMemo = new Map<string, Value>();
  private readonly instanceMemo = new Map<Decl, Instance[] | Unknown>();
  private readonly valuesMemo = new Map<string, { values: Record<string, Evaluated> | Unknown; remap: Map<string, PathSegment[]> }>();
  private readonly inProgress = new Set<string>();
  readonly fnContext: FunctionContext;

  constructor(
    readonly files: ParsedTfFile[],
    readonly dir: string,
    readonly rootDir: string,
    /** Input variables: given values (root) or the module block's arguments (child). */
    readonly inputs: (name: string) => Value | undefined,
    readonly prefix: string,
    readonly options: EvaluateOptions,
    readonly diagnostics: Diagnostic[],
    /** Directories of this module and the modules that called it, root first. */
    readonly chain: readonly string[],
    /** Files of local modules by directory, read before evaluation starts. */
    readonly loaded: Map<string, ParsedTfFile[]>,
  ) {
    for (const file of files) this.declare(file);
    this.fnContext = {
      readFile: (p, fn) => this.readFile(p, fn),
      renderTemplate: (text, vars, file) => {
        try {
          const bindings = EMPTY.with(Object.entries(vars));
          return this.finalize(this.template(parseTemplate(text), bindings));
        } catch (e) {
          return new Unknown(`template ${file}: ${describeError(e)}`, '${templatefile}');
        }
      },
    };
  }

  private declare(file: ParsedTfFile): void {
    const body = file.body;
    const each = (section: string, fn: (name: string, block: Record<string, unknown>, index: number) => void): void => {
      const s = body[section];
      if (!isRecord(s)) return;
      for (const [name, blocks] of Object.entries(s)) {
        if (!Array.isArray(blocks)) continue;
        blocks.forEach((b, i) => isRecord(b) && fn(name, b, i));
      }
    };
    each('variable', (name, decl) => {
      if (!this.vars.has(name)) this.vars.set(name, { decl, file });
    });
    each('output', (name, decl) => this.outputs.set(name, decl['value']));
    each('module', (name, decl, i) => this.modules.set(name, { mode: 'module', type: 'module', name, body: decl, file, path: ['module', name, i] }));
    const locals = body['locals'];
    if (Array.isArray(locals)) {
      for (const block of locals) if (isRecord(block)) for (const [name, raw] of Object.entries(block)) this.locals.set(name, { raw });
    }
    for (const mode of ['resource', 'data'] as const) {
      const section = body[mode];
      if (!isRecord(section)) continue;
      for (const [type, byName] of Object.entries(section)) {
        if (!isRecord(byName)) continue;
        if (mode === 'resource') this.resourceTypes.add(type);
        for (const [name, blocks] of Object.entries(byName)) {
          if (!Array.isArray(blocks)) continue;
          blocks.forEach((b, i) => {
            if (!isRecord(b)) return;
            const map = mode === 'resource' ? this.managed : this.data;
            const key = `${type}.${name}`;
            if (map.has(key)) {
              this.diagnostics.push({
                severity: 'warning',
                code: 'terraform-duplicate-block',
                message: `${mode} "${type}" "${name}" is declared more than once; the first is scanned`,
                file: file.file,
                ...lineOf(file, [mode, type, name, i]),
              });
              return;
            }
            map.set(key, { mode: mode === 'resource' ? 'managed' : 'data', type, name, body: b, file, path: [mode, type, name, i] });
          });
        }
      }
    }
  }

  /** The directory of a module block's local source, unless reading it would loop. */
  childDir(decl: Decl): string | undefined {
    const source = decl.body['source'];
    if (typeof source !== 'string' || !LOCAL_SOURCE.test(source)) return undefined;
    const abs = resolve(this.dir, source);
    if (this.chain.includes(abs) || this.chain.length > MAX_MODULE_DEPTH) return undefined;
    return abs;
  }

  /** Reads the files of every local child module, recursively, before anything is evaluated. */
  async preload(): Promise<void> {
    for (const decl of this.modules.values()) {
      const abs = this.childDir(decl);
      if (abs === undefined || this.loaded.has(abs)) continue;
      const files = await this.options.loadModule(abs);
      this.loaded.set(abs, files);
      await new ModuleEval(files, abs, this.rootDir, () => undefined, '', this.options, [], [...this.chain, abs], this.loaded).preload();
    }
  }

  private child(decl: Decl, instance: Instance): ModuleEval | undefined {
    const abs = this.childDir(decl);
    const files = abs === undefined ? undefined : this.loaded.get(abs);
    if (!files || abs === undefined) return undefined;
    let byKey = this.children.get(decl);
    if (!byKey) this.children.set(decl, (byKey = new Map()));
    let child = byKey.get(instance.key);
    if (!child) {
      const bindings = this.instanceBindings(instance);
      const argMemo = new Map<string, Value>();
      const inputs = (name: string): Value | undefined => {
        if (MODULE_META.has(name) || !Object.hasOwn(decl.body, name)) return undefined;
        if (!argMemo.has(name)) argMemo.set(name, this.guard(() => this.evalRaw(decl.body[name], bindings)));
        return argMemo.get(name);
      };
      const prefix = `${this.prefix}module.${decl.name}${instanceSuffix(instance.key)}.`;
      child = new ModuleEval(files, abs, this.rootDir, inputs, prefix, this.options, this.diagnostics, [...this.chain, abs], this.loaded);
      byKey.set(instance.key, child);
    }
    return child;
  }

  /** Runs `fn`; an evaluation error becomes an Unknown with its reason. */
  guard(fn: () => Value): Value {
    try {
      return fn();
    } catch (e) {
      return new Unknown(describeError(e), '${error}');
    }
  }

  readFile(path: string, fn: string): string | Unknown {
    // Terraform resolves relative paths from the directory it runs in: the root module's.
    const abs = resolve(this.rootDir, path);
    if (!inside(this.dir, abs) && !inside(this.rootDir, abs)) {
      return new Unknown(`${fn}("${path}") reads a file outside the module, which is not read`, `\${${fn}(...)}`);
    }
    try {
      return this.options.readFile(abs);
    } catch {
      return new Unknown(`${fn}("${path}") cannot be read`, `\${${fn}(...)}`);
    }
  }

  // ---- variables, locals, outputs ------------------------------------------------------------

  variable(name: string): Value {
    if (this.varMemo.has(name)) return this.varMemo.get(name)!;
    const key = `var.${name}`;
    // A module argument may name the module's own output, which may name the variable again.
    if (this.inProgress.has(key)) return new Unknown(`var.${name} depends on itself through the module's outputs`, `\${var.${name}}`);
    this.inProgress.add(key);
    const declared = this.vars.get(name);
    let value: Value;
    if (!declared) {
      // A module whose variables.tf is not among the files read still gets what its caller passes.
      const given = this.inputs(name);
      value = given !== undefined ? given : new Unknown(`var.${name} is not declared in the files read`, `\${var.${name}}`);
    } else {
      const given = this.inputs(name);
      const type = declared.decl['type'];
      if (given !== undefined) value = this.convert(this.varText(given, type), type);
      else if (Object.hasOwn(declared.decl, 'default')) value = this.convert(this.guard(() => this.evalRaw(declared.decl['default'], EMPTY)), type);
      else value = new Unknown(`var.${name} has no value and no default`, `\${var.${name}}`);
    }
    this.inProgress.delete(key);
    this.varMemo.set(name, value);
    return value;
  }

  local(name: string): Value {
    if (this.localMemo.has(name)) return this.localMemo.get(name)!;
    const def = this.locals.get(name);
    if (!def) return new Unknown(`local.${name} is not defined in the files read`, `\${local.${name}}`);
    const key = `local.${name}`;
    if (this.inProgress.has(key)) return new Unknown(`local.${name} refers to itself`, `\${local.${name}}`);
    this.inProgress.add(key);
    const value = this.guard(() => this.evalRaw(def.raw, EMPTY));
    this.inProgress.delete(key);
    this.localMemo.set(name, value);
    return value;
  }

  /** The outputs this module declares, evaluated (the root module's are what `terraform output` shows). */
  declaredOutputs(): TerraformOutput[] {
    const out: TerraformOutput[] = [];
    for (const file of this.files) {
      const section = file.body['output'];
      if (!isRecord(section)) continue;
      for (const [name, blocks] of Object.entries(section)) {
        if (!Array.isArray(blocks) || !isRecord(blocks[0])) continue;
        const flag = blocks[0]['sensitive'];
        const sensitive = flag === undefined || typeof flag === 'boolean' ? flag === true : new Unknown(`output ${name}: sensitive is not written as true or false`, '${sensitive}');
        out.push({ name, value: this.finalize(this.output(name)), sensitive, file: file.file, position: file.locate(['output', name, 0, 'value']) });
      }
    }
    return out;
  }

  output(name: string): Value {
    if (this.outputMemo.has(name)) return this.outputMemo.get(name)!;
    if (!this.outputs.has(name)) return new Unknown(`${this.prefix}output "${name}" is not defined in the files read`, `\${output.${name}}`, true);
    const key = `output.${name}`;
    if (this.inProgress.has(key)) return new Unknown(`output ${name} refers to itself`, '${output}');
    this.inProgress.add(key);
    const value = this.guard(() => this.evalRaw(this.outputs.get(name), EMPTY));
    this.inProgress.delete(key);
    this.outputMemo.set(name, value);
    return value;
  }

  /**
   * A `-var name=value` value is text; Terraform reads it as an expression (`["a","b"]`,
   * `{ k = "v" }`) when the variable's type is a collection or object.
   */
  private varText(given: Value, type: unknown): Value {
    if (typeof given !== 'string' || typeof type !== 'string' || !/^\$\{\s*(list|set|map|object|tuple)\(/.test(type)) return given;
    try {
      return this.evalNode(parseExpression(given), EMPTY);
    } catch {
      return given;
    }
  }

  /** Applies a variable's `type` where the conversion is plain (numbers, bools, optional attributes). */
  convert(value: Value, type: unknown): Value {
    if (typeof type !== 'string') return value;
    try {
      return this.convertTo(value, parseCached(type));
    } catch {
      return value;
    }
  }

  private convertTo(v: Value, t: Node): Value {
    if (v instanceof Unknown || v instanceof Symbolic || v instanceof Handle || v === null) return v;
    if (t.t === 'ref') {
      if (t.name === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
      if (t.name === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      if (t.name === 'bool' && (v === 'true' || v === 'false')) return v === 'true';
      return v;
    }
    if (t.t !== 'call') return v;
    const [inner, fallback] = t.args;
    if ((t.name === 'list' || t.name === 'set') && Array.isArray(v) && inner) return v.map((item) => this.convertTo(item, inner));
    if (t.name === 'map' && isRecord(v) && inner) {
      const out: Record<string, Value> = {};
      for (const [k, item] of Object.entries(v)) out[k] = this.convertTo(item as Value, inner);
      return out;
    }
    if (t.name === 'tuple' && Array.isArray(v) && inner?.t === 'list') return v.map((item, i) => (inner.items[i] ? this.convertTo(item, inner.items[i]!) : item));
    if (t.name === 'object' && isRecord(v) && inner?.t === 'object') {
      // Converting to an object type keeps only its attributes; a missing optional one is null or its default.
      const out: Record<string, Value> = {};
      for (const [keyNode, attrType] of inner.entries) {
        if (keyNode.t !== 'lit' || typeof keyNode.v !== 'string') continue;
        const k = keyNode.v;
        if (Object.hasOwn(v, k) && (v as Record<string, Value>)[k] !== null) out[k] = this.convertTo((v as Record<string, Value>)[k]!, attrType);
        else if (attrType.t === 'call' && attrType.name === 'optional') {
          const def = attrType.args[1] ? this.evalNode(attrType.args[1], EMPTY) : null;
          out[k] = attrType.args[0] ? this.convertTo(def, attrType.args[0]) : def;
        } else if (Object.hasOwn(v, k)) out[k] = null;
      }
      return out;
    }
    if (t.name === 'optional' && inner) return this.convertTo(v, inner);
    void fallback;
    return v;
  }

  // ---- instances (count / for_each) ----------------------------------------------------------

  address(decl: Decl, key: InstanceKey): string {
    const base = decl.mode === 'data' ? `data.${decl.type}.${decl.name}` : decl.mode === 'module' ? `module.${decl.name}` : `${decl.type}.${decl.name}`;
    return `${this.prefix}${base}${instanceSuffix(key)}`;
  }

  instances(decl: Decl): Instance[] | Unknown {
    const memo = this.instanceMemo.get(decl);
    if (memo) return memo;
    const key = `instances.${decl.mode}.${decl.type}.${decl.name}`;
    if (this.inProgress.has(key)) return new Unknown(`the instances of ${this.address(decl, undefined)} depend on themselves`, '${instances}');
    this.inProgress.add(key);
    const result = this.expand(decl);
    this.inProgress.delete(key);
    this.instanceMemo.set(decl, result);
    return result;
  }

  private expand(decl: Decl): Instance[] | Unknown {
    const where = this.address(decl, undefined);
    if (Object.hasOwn(decl.body, 'count')) {
      const n = this.finalize(this.guard(() => this.evalRaw(decl.body['count'], EMPTY)));
      const count = typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : n;
      if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return Array.from({ length: count }, (_, i) => ({ key: i }));
      const why = n instanceof Unknown ? n.reason : n instanceof Symbolic ? `it depends on ${n.text}` : 'it is not a whole number';
      return new Unknown(`count of ${where} cannot be evaluated: ${why}`, '${count}');
    }
    if (Object.hasOwn(decl.body, 'for_each')) {
      const v = this.guard(() => this.evalRaw(decl.body['for_each'], EMPTY));
      const items = this.safeCollection(v);
      if (items instanceof Unknown) return new Unknown(`for_each of ${where} cannot be evaluated: ${items.reason}`, '${for_each}');
      const out: Instance[] = [];
      for (const [k, value] of items) {
        // A set of strings gives each.key = each.value; a map gives its keys.
        const key = Array.isArray(v) ? value : k;
        if (typeof key !== 'string') {
          return new Unknown(`for_each of ${where} cannot be evaluated: ${key instanceof Unknown ? key.reason : 'its keys are not all known strings'}`, '${for_each}');
        }
        out.push({ key, each: { key, value } });
      }
      return out;
    }
    return [{ key: undefined }];
  }

  instanceBindings(instance: Instance): Bindings {
    if (instance.each) return EMPTY.with([['each', { key: instance.each.key, value: instance.each.value }]]);
    if (typeof instance.key === 'number') return EMPTY.with([['count', { index: instance.key }]]);
    return EMPTY;
  }

  /** Key/value pairs of a collection a `for` or `for_each` iterates; Unknown when it is not known. */
  collection(v: Value): Array<[Evaluated, Value]> | Unknown {
    if (v instanceof Unknown) return v;
    if (v instanceof Symbolic) return new Unknown(`it depends on ${v.text}, known only at deploy time`, '${collection}');
    if (v instanceof Handle) {
      if (v.h !== 'block' || !v.decl) return new Unknown(`${v.name} is not a collection`, '${collection}');
      const inst = this.instances(v.decl);
      if (inst instanceof Unknown) return inst;
      return inst.map((i, n) => [i.key ?? n, new Handle('instance', v.name, v.decl, i.key, v.mode)]);
    }
    if (Array.isArray(v)) return v.map((item, i) => [i, item]);
    if (isRecord(v)) {
      // Terraform iterates maps and objects in lexical key order.
      const rec = v as Record<string, Value>;
      return Object.keys(rec)
        .sort()
        .map((k) => [k, rec[k]!]);
    }
    if (v === null) return new Unknown('the collection is null', '${collection}');
    throw new EvalError('a for expression or for_each needs a list, set or map');
  }

  /** `collection`, with an error (a string to iterate) as an Unknown. */
  safeCollection(v: Value): Array<[Evaluated, Value]> | Unknown {
    try {
      return this.collection(v);
    } catch (e) {
      return new Unknown(describeError(e), '${collection}');
    }
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /** Evaluated values of one instance of a block (memoized), and where generated blocks came from. */
  instanceValues(decl: Decl, instance: Instance): { values: Record<string, Evaluated> | Unknown; remap: Map<string, PathSegment[]> } {
    const address = this.address(decl, instance.key);
    const memo = this.valuesMemo.get(address);
    if (memo) return memo;
    if (this.inProgress.has(address)) return { values: new Unknown(`${address} refers to itself`, '${cycle}'), remap: new Map() };
    this.inProgress.add(address);
    const remap = new Map<string, PathSegment[]>();
    const values = this.body(decl.body, this.instanceBindings(instance), decl.path, [], remap, true);
    this.inProgress.delete(address);
    const result = { values, remap };
    this.valuesMemo.set(address, result);
    return result;
  }

  /**
   * One block body: attributes evaluated, nested blocks as lists of mappings, `dynamic` blocks
   * expanded over their collection. `src` is the body's hcl2json path and `at` its path within
   * the values; generated blocks record their source path in `remap`.
   */
  body(raw: Record<string, unknown>, b: Bindings, src: PathSegment[], at: PathSegment[], remap: Map<string, PathSegment[]>, top: boolean): Record<string, Evaluated> {
    const out: Record<string, Evaluated> = {};
    let dynamic: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(raw)) {
      if (top && META.has(key)) continue;
      if (key === 'dynamic' && isRecord(value)) {
        dynamic = value;
        continue;
      }
      if (Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v))) {
        out[key] = value.map((item, i) => this.body(item as Record<string, unknown>, b, [...src, key, i], [...at, key, i], remap, false));
      } else {
        out[key] = this.finalize(this.guard(() => this.evalRaw(value, b)));
      }
    }
    if (dynamic) {
      for (const [name, specs] of Object.entries(dynamic)) {
        if (!Array.isArray(specs)) continue;
        specs.forEach((spec, si) => {
          if (!isRecord(spec)) return;
          const generated = this.dynamicBlocks(name, spec, b, [...src, 'dynamic', name, si], at, out, remap);
          if (generated instanceof Unknown) out[name] = generated;
        });
      }
    }
    return out;
  }

  private dynamicBlocks(
    name: string,
    spec: Record<string, unknown>,
    b: Bindings,
    src: PathSegment[],
    at: PathSegment[],
    out: Record<string, Evaluated>,
    remap: Map<string, PathSegment[]>,
  ): Unknown | undefined {
    const items = this.safeCollection(this.guard(() => this.evalRaw(spec['for_each'], b)));
    if (items instanceof Unknown) return new Unknown(`dynamic "${name}" cannot be expanded: ${items.reason}`, `\${${name}}`);
    const existing = out[name];
    if (existing instanceof Unknown) return existing;
    const list: Evaluated[] = Array.isArray(existing) ? existing : [];
    out[name] = list;
    const iteratorRaw = spec['iterator'];
    const iterator = typeof iteratorRaw === 'string' ? iteratorRaw.replace(/^\$\{\s*|\s*\}$/g, '') : name;
    const contents = Array.isArray(spec['content']) && isRecord(spec['content'][0]) ? (spec['content'][0] as Record<string, unknown>) : {};
    for (const [key, value] of items) {
      const index = list.length;
      remap.set(JSON.stringify([...at, name, index]), [...src, 'content', 0]);
      list.push(this.body(contents, b.with([[iterator, { key, value }]]), [...src, 'content', 0], [...at, name, index], remap, false));
    }
    return undefined;
  }

  // ---- expressions ----------------------------------------------------------------------------

  evalRaw(raw: unknown, b: Bindings): Value {
    if (typeof raw === 'string') return this.evalNode(parseCached(raw), b);
    if (raw === undefined) return null;
    if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') return raw;
    if (Array.isArray(raw)) return raw.map((item) => this.evalRaw(item, b));
    if (isRecord(raw)) {
      const out: Record<string, Value> = {};
      for (const [k, item] of Object.entries(raw)) {
        const key = k.includes('${') ? this.finalize(this.evalRaw(k, b)) : k;
        if (typeof key !== 'string') {
          return key instanceof Unknown ? key : new Unknown('a map key is known only at deploy time', '${key}');
        }
        out[key] = this.evalRaw(item, b);
      }
      return out;
    }
    return new Unknown('an unexpected value in the parsed file', '${value}');
  }

  evalNode(n: Node, b: Bindings): Value {
    switch (n.t) {
      case 'lit':
        return n.v;
      case 'tpl':
        return this.template(n.parts, b);
      case 'ref':
        return this.root(n.name, b);
      case 'attr':
        return this.attr(this.evalNode(n.obj, b), n.name);
      case 'index': {
        const obj = this.evalNode(n.obj, b);
        return this.index(obj, this.finalize(this.evalNode(n.index, b)));
      }
      case 'splat':
        return this.splat(this.evalNode(n.obj, b), n.rest, b);
      case 'call':
        return this.call(n, b);
      case 'list':
        return n.items.map((item) => this.evalNode(item, b));
      case 'object': {
        const out: Record<string, Value> = {};
        for (const [k, v] of n.entries) {
          const key = this.finalize(this.evalNode(k, b));
          if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
            if (key instanceof Unknown) return key;
            return new Unknown('an object key is known only at deploy time', '${key}');
          }
          out[String(key)] = this.evalNode(v, b);
        }
        return out;
      }
      case 'cond': {
        const c = truthy(this.finalize(this.evalNode(n.cond, b)), 'a condition');
        if (c instanceof Unknown) return new Unknown(`a condition cannot be evaluated: ${c.reason}`, c.placeholder, c.reference);
        return this.evalNode(c ? n.then : n.else, b);
      }
      case 'unary': {
        const v = this.finalize(this.evalNode(n.operand, b));
        if (n.op === '!') {
          const t = truthy(v, '"!"');
          return t instanceof Unknown ? t : !t;
        }
        const x = number(v, '-');
        return x instanceof Unknown ? x : -x;
      }
      case 'binary':
        return this.binary(n.op, n.left, n.right, b);
      case 'for':
        return this.forExpr(n, b);
    }
  }

  private root(name: string, b: Bindings): Value {
    const bound = b.get(name);
    if (bound !== undefined) return bound;
    switch (name) {
      case 'var':
      case 'local':
      case 'module':
      case 'data':
        return new Handle('ns', name);
      case 'path':
        // As Terraform gives them: module and root relative to the directory it runs in (the
        // root module's), cwd absolute. Relative paths keep reasons the same on every machine.
        return { module: relative(this.rootDir, this.dir) || '.', root: '.', cwd: this.rootDir };
      case 'terraform':
        return { workspace: 'default' };
      case 'count':
      case 'each':
      case 'self':
        throw new EvalError(`"${name}" is used outside a block that defines it`);
    }
    if (this.resourceTypes.has(name)) return new Handle('type', name);
    return new Unknown(`"${name}" is not something cognito-guard can evaluate`, `\${${name}}`);
  }

  private blockHandle(decl: Decl): Value {
    const multi = Object.hasOwn(decl.body, 'count') || Object.hasOwn(decl.body, 'for_each');
    const name = this.address(decl, undefined);
    return new Handle(multi ? 'block' : 'instance', name, decl, undefined, decl.mode === 'data' ? 'data' : 'managed');
  }

  attr(obj: Value, name: string): Value {
    if (obj instanceof Handle) return this.handleAttr(obj, name);
    if (obj instanceof Unknown) return obj;
    if (obj instanceof Symbolic) return extendSymbolic(obj, `.${name}`);
    if (isRecord(obj)) {
      const rec = obj as Record<string, Value>;
      if (Object.hasOwn(rec, name)) return rec[name]!;
      throw new EvalError(`no attribute "${name}"`);
    }
    if (obj === null) throw new EvalError(`attribute "${name}" of a null value`);
    throw new EvalError(`attribute "${name}" of a value that has none`);
  }

  private handleAttr(h: Handle, name: string): Value {
    if (h.h === 'ns') {
      if (h.name === 'var') return this.variable(name);
      if (h.name === 'local') return this.local(name);
      if (h.name === 'data') return new Handle('type', name, undefined, undefined, 'data');
      const decl = this.modules.get(name);
      if (!decl) return new Unknown(`module.${name} is not declared`, `\${module.${name}}`, true);
      return this.blockHandle(decl);
    }
    if (h.h === 'type') {
      const decl = (h.mode === 'data' ? this.data : this.managed).get(`${h.name}.${name}`);
      if (!decl) {
        const what = h.mode === 'data' ? `data.${h.name}.${name}` : `${h.name}.${name}`;
        return new Unknown(`${what} is not declared in the files read`, `\${${this.prefix}${what}}`, true);
      }
      return this.blockHandle(decl);
    }
    if (h.h === 'block') throw new EvalError(`${h.name} has several instances: pick one with [key]`);
    return this.instanceAttr(h.decl!, h.key, name);
  }

  private instanceAttr(decl: Decl, key: InstanceKey, name: string): Value {
    const address = this.address(decl, key);
    if (decl.mode === 'module') {
      const inst = this.findInstance(decl, key);
      if (inst instanceof Unknown) return inst;
      const child = this.child(decl, inst);
      if (!child) return new Unknown(`module.${decl.name} comes from a source cognito-guard does not read`, `\${${address}.${name}}`, true);
      return child.output(name);
    }
    if (decl.mode === 'data') {
      if (decl.type === 'aws_iam_policy_document' && (name === 'json' || name === 'minified_json')) {
        const inst = this.findInstance(decl, key);
        if (inst instanceof Unknown) return inst;
        return policyDocumentJson(this.instanceValues(decl, inst).values);
      }
      if (decl.type === 'template_file' && name === 'rendered') {
        // The template provider renders offline, with the same template language as templatefile().
        const inst = this.findInstance(decl, key);
        if (inst instanceof Unknown) return inst;
        return this.renderTemplateFile(this.instanceValues(decl, inst).values, address);
      }
      return new Unknown(`${address}.${name} is read from AWS at plan time`, `\${${address}.${name}}`, true);
    }
    if (!IDENTIFYING.test(name) && Object.hasOwn(decl.body, name)) {
      const inst = this.findInstance(decl, key);
      if (!(inst instanceof Unknown)) {
        const values = this.instanceValues(decl, inst).values;
        if (!(values instanceof Unknown) && Object.hasOwn(values, name) && !(values[name] instanceof Unknown)) return values[name]!;
      }
    }
    return new Symbolic(`\${${address}.${name}}`, [address]);
  }

  private renderTemplateFile(values: Record<string, Evaluated> | Unknown, address: string): Value {
    if (values instanceof Unknown) return values;
    const template = values['template'];
    if (template instanceof Unknown) return template;
    if (typeof template !== 'string') return new Unknown(`the template of ${address} is not known`, `\${${address}.rendered}`);
    const vars = values['vars'] ?? {};
    if (vars instanceof Unknown) return vars;
    if (!isRecord(vars)) return new Unknown(`the vars of ${address} are not a map`, `\${${address}.rendered}`);
    return this.fnContext.renderTemplate(template, vars as Record<string, Evaluated>, address);
  }

  private findInstance(decl: Decl, key: InstanceKey): Instance | Unknown {
    const inst = this.instances(decl);
    if (inst instanceof Unknown) return inst;
    const found = inst.find((i) => i.key === key);
    if (!found) throw new EvalError(`${this.address(decl, key)} does not exist`);
    return found;
  }

  index(obj: Value, key: Evaluated): Value {
    if (key instanceof Unknown) return key;
    if (key instanceof Symbolic) return new Unknown(`an index known only at deploy time (${key.text})`, '${index}');
    if (obj instanceof Handle) {
      if (obj.h !== 'block') return this.attr(obj, String(key));
      const decl = obj.decl!;
      const inst = this.instances(decl);
      if (inst instanceof Unknown) return inst;
      const k = typeof inst[0]?.key === 'number' ? Number(key) : String(key);
      if (!inst.some((i) => i.key === k)) throw new EvalError(`${this.address(decl, k)} does not exist`);
      return new Handle('instance', obj.name, decl, k, obj.mode);
    }
    if (obj instanceof Unknown) return obj;
    if (obj instanceof Symbolic) return extendSymbolic(obj, `[${JSON.stringify(key)}]`);
    if (Array.isArray(obj)) {
      const i = typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : NaN;
      if (!Number.isInteger(i) || i < 0 || i >= obj.length) throw new EvalError(`index ${String(key)} is out of range`);
      return obj[i]!;
    }
    if (isRecord(obj)) {
      const rec = obj as Record<string, Value>;
      const k = String(key);
      if (Object.hasOwn(rec, k)) return rec[k]!;
      throw new EvalError(`no key "${k}"`);
    }
    throw new EvalError('index of a value that has no elements');
  }

  private splat(obj: Value, rest: Accessor[], b: Bindings): Value {
    let items: Value[];
    if (obj instanceof Unknown) return obj;
    if (obj instanceof Handle && obj.h === 'block') {
      const pairs = this.collection(obj);
      if (pairs instanceof Unknown) return pairs;
      items = pairs.map(([, v]) => v);
    } else if (Array.isArray(obj)) items = obj;
    else if (obj === null) items = [];
    else items = [obj];
    return items.map((item) => {
      let v = item;
      for (const acc of rest) v = acc.t === 'attr' ? this.attr(v, acc.name) : this.index(v, this.finalize(this.evalNode(acc.index, b)));
      return v;
    });
  }

  private call(n: Extract<Node, { t: 'call' }>, b: Bindings): Value {
    if (n.name === 'try') {
      for (const arg of n.args) {
        try {
          return this.evalNode(arg, b);
        } catch (e) {
          describeError(e);
        }
      }
      throw new EvalError('no argument of try() could be evaluated');
    }
    if (n.name === 'can') {
      try {
        const v = this.finalize(this.evalNode(n.args[0] ?? { t: 'lit', v: null }, b));
        return v instanceof Unknown ? v : true;
      } catch (e) {
        describeError(e);
        return false;
      }
    }
    let args = n.args.map((a) => this.finalize(this.evalNode(a, b)));
    if (n.expand && args.length > 0) {
      const last = args[args.length - 1]!;
      if (last instanceof Unknown) return last;
      if (!Array.isArray(last)) throw new EvalError(`the last argument of ${n.name}(...) must be a list`);
      args = [...args.slice(0, -1), ...last];
    }
    return callFunction(n.name, args, this.fnContext);
  }

  private binary(op: string, l: Node, r: Node, b: Bindings): Value {
    const left = this.finalize(this.evalNode(l, b));
    if (op === '&&' || op === '||') {
      const lt = truthy(left, `"${op}"`);
      // A decided left side settles the result, as it does in Terraform 1.x's logical operators.
      if (lt === (op === '||')) return lt;
      const rt = truthy(this.finalize(this.evalNode(r, b)), `"${op}"`);
      if (rt instanceof Unknown) return rt;
      if (lt instanceof Unknown) return rt === (op === '||') ? rt : lt;
      return rt;
    }
    const right = this.finalize(this.evalNode(r, b));
    if (op === '==' || op === '!=') {
      if (left instanceof Unknown) return left;
      if (right instanceof Unknown) return right;
      // A deploy-time value is never null: comparing it with null is decided.
      let same = equal(left, right);
      if (same === undefined && (left === null || right === null)) same = false;
      if (same === undefined) return new Unknown(`"${op}" compares a value known only at deploy time`, '${comparison}');
      return op === '==' ? same : !same;
    }
    const x = number(left, op);
    if (x instanceof Unknown) return x;
    const y = number(right, op);
    if (y instanceof Unknown) return y;
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0) throw new EvalError('division by zero');
        return x / y;
      case '%':
        if (y === 0) throw new EvalError('modulo by zero');
        return x % y;
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      default:
        return x >= y;
    }
  }

  private forExpr(n: Extract<Node, { t: 'for' }>, b: Bindings): Value {
    const items = this.collection(this.evalNode(n.coll, b));
    if (items instanceof Unknown) return new Unknown(`a for expression cannot be evaluated: ${items.reason}`, '${for}');
    const list: Value[] = [];
    const obj: Record<string, Value> = {};
    for (const [k, v] of items) {
      const inner = b.with(n.key !== undefined ? [[n.key, k], [n.value, v]] : [[n.value, v]]);
      if (n.cond) {
        const keep = truthy(this.finalize(this.evalNode(n.cond, inner)), 'a for condition');
        if (keep instanceof Unknown) return keep;
        if (!keep) continue;
      }
      const value = this.evalNode(n.valueExpr, inner);
      if (!n.object) {
        list.push(value);
        continue;
      }
      const key = this.finalize(this.evalNode(n.keyExpr!, inner));
      if (key instanceof Unknown) return key;
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') return new Unknown('a for expression key is known only at deploy time', '${key}');
      const text = String(key);
      if (n.group) ((obj[text] ??= []) as Value[]).push(value);
      else if (Object.hasOwn(obj, text)) throw new EvalError(`a for expression produces the key "${text}" twice`);
      else obj[text] = value;
    }
    return n.object ? obj : list;
  }

  template(parts: readonly TemplatePart[], b: Bindings): Value {
    const pieces: Evaluated[] = [];
    for (const part of parts) {
      if (typeof part === 'string') pieces.push(part);
      else if (part.t === 'interp') pieces.push(this.finalize(this.evalNode(part.expr, b)));
      else if (part.t === 'if') {
        const c = truthy(this.finalize(this.evalNode(part.cond, b)), 'a template condition');
        if (c instanceof Unknown) return c;
        pieces.push(this.finalize(this.template(c ? part.then : part.else, b)));
      } else {
        const items = this.collection(this.evalNode(part.coll, b));
        if (items instanceof Unknown) return items;
        for (const [k, v] of items) {
          const inner = b.with(part.key !== undefined ? [[part.key, k], [part.value, v]] : [[part.value, v]]);
          pieces.push(this.finalize(this.template(part.body, inner)));
        }
      }
    }
    return concatText(pieces);
  }

  /** A value as stored in block values: references left as handles become Symbolic. */
  finalize(v: Value): Evaluated {
    if (v instanceof Handle) {
      if (v.h === 'block' && v.decl) {
        // A block with count or for_each is a list or map of its instances.
        const inst = this.instances(v.decl);
        if (inst instanceof Unknown) return inst;
        const refs = inst.map((i) => this.finalize(new Handle('instance', v.name, v.decl, i.key, v.mode)));
        if (!Object.hasOwn(v.decl.body, 'for_each')) return refs;
        return Object.fromEntries(inst.map((i, n) => [String(i.key), refs[n]!]));
      }
      if (v.h === 'instance' || v.h === 'block') {
        const address = v.decl ? this.address(v.decl, v.key) : v.name;
        return v.decl?.mode === 'managed' ? new Symbolic(`\${${address}}`, [address]) : new Unknown(`${address} is only known at plan time`, `\${${address}}`, true);
      }
      return new Unknown(`"${v.name}" is not a value`, `\${${v.name}}`);
    }
    if (Array.isArray(v)) {
      let copy: Evaluated[] | undefined;
      v.forEach((item, i) => {
        const f = this.finalize(item);
        if (f !== item) (copy ??= v.slice(0, i) as Evaluated[]).push(f);
        else copy?.push(f);
      });
      return copy ?? (v as Evaluated[]);
    }
    if (isRecord(v)) {
      let copy: Record<string, Evaluated> | undefined;
      for (const [k, item] of Object.entries(v as Record<string, Value>)) {
        const f = this.finalize(item);
        if (f !== item && !copy) copy = { ...(v as Record<string, Evaluated>) };
        if (copy) copy[k] = f;
      }
      return copy ?? (v as Record<string, Evaluated>);
    }
    return v as Evaluated;
  }

  // ---- output ---------------------------------------------------------------------------------

  blocks(out: TerraformBlock[]): void {
    for (const decl of [...this.managed.values(), ...this.data.values()]) {
      const inst = this.instances(decl);
      if (inst instanceof Unknown) out.push(this.block(decl, undefined, inst, new Map()));
      else for (const i of inst) {
        const { values, remap } = this.instanceValues(decl, i);
        out.push(this.block(decl, i.key, values, remap));
      }
    }
    for (const decl of this.modules.values()) {
      const abs = this.childDir(decl);
      if (abs === undefined || !this.loaded.has(abs)) {
        const source = decl.body['source'];
        const why = typeof source === 'string' && LOCAL_SOURCE.test(source) ? `"${source}" is a module already being read` : `"${String(source)}" is not a local directory`;
        this.unreadModule(decl, 'terraform-module-not-read', `${why}; its resources are not scanned and its outputs are unknown`, out);
        continue;
      }
      const inst = this.instances(decl);
      if (inst instanceof Unknown) {
        this.unreadModule(decl, 'terraform-module-instances', `${inst.reason}; its resources are not scanned`, out);
        continue;
      }
      for (const i of inst) this.child(decl, i)?.blocks(out);
    }
  }

  /**
   * A module call whose resources cannot be read (a registry or git source, a count that cannot
   * be evaluated): a warning, and when the module looks like it manages sign-in (its source or
   * name mentions Cognito, API Gateway, IAM or auth), one stand-in per resource type the rules
   * read, every property unknown, so the scan reports unknown at the call rather than "clean".
   */
  private unreadModule(decl: Decl, code: string, why: string, out: TerraformBlock[]): void {
    const address = this.address(decl, undefined);
    this.diagnostics.push({ severity: 'warning', code, message: `${address}: ${why}`, file: decl.file.file, ...lineOf(decl.file, decl.path) });
    const source = typeof decl.body['source'] === 'string' ? decl.body['source'] : '';
    if (!SIGN_IN_MODULE.test(`${source} ${decl.name}`)) return;
    const found = decl.file.locate(decl.path);
    const position: Position = { ...(found ?? { line: 1, column: 1 }), pointer: joinPointer('', ...decl.path) };
    const values = new Unknown(`${address} is a module the scanner cannot read (${source || 'no source'})`, '${module}');
    for (const type of STAND_IN_TYPES) {
      out.push({ mode: 'managed', type, name: '*', address: `${address}.${type}.*`, file: decl.file.file, values, position, get: () => values, locate: () => position });
    }
  }

  private block(decl: Decl, key: InstanceKey, values: Record<string, Evaluated> | Unknown, remap: Map<string, PathSegment[]>): TerraformBlock {
    const file = decl.file;
    const pointer = joinPointer('', ...decl.path);
    const found = file.locate(decl.path);
    const position: Position = { ...(found ?? { line: 1, column: 1 }), pointer };
    return {
      mode: decl.mode === 'data' ? 'data' : 'managed',
      type: decl.type,
      name: decl.name,
      address: this.address(decl, key),
      file: file.file,
      values,
      position,
      get(path) {
        return valueAt(values, path);
      },
      locate(path) {
        let src: PathSegment[] = [...decl.path, ...path];
        for (let n = path.length; n > 0 && remap.size > 0; n--) {
          const to = remap.get(JSON.stringify(path.slice(0, n)));
          if (to) {
            src = [...to, ...path.slice(n)];
            break;
          }
        }
        for (let n = src.length; n > decl.path.length; n--) {
          const pos = file.locate(src.slice(0, n));
          if (pos) return pos;
        }
        return position;
      },
    };
  }
}

function extendSymbolic(s: Symbolic, accessor: string): Value {
  const m = /^\$\{(.*)\}$/s.exec(s.text);
  if (m && !m[1]!.includes('${')) return new Symbolic(`\${${m[1]}${accessor}}`, s.refs);
  return new Unknown(`a part of ${s.text}, known only at deploy time`, '${value}');
}

function lineOf(file: ParsedTfFile, path: PathSegment[]): { line?: number; column?: number } {
  const pos = file.locate(path);
  return pos ? { line: pos.line, column: pos.column } : {};
}

/**
 * Evaluates one Terraform module (the `.tf` files of a directory) and the local modules it
 * calls: every `resource` and `data` block instance with its arguments evaluated, addressed as
 * Terraform addresses it. Never throws on odd configuration: what cannot be evaluated is an
 * `Unknown` with its reason. (Reading a child module's files may throw the reader's InputError.)
 */
export async function evaluateModule(
  files: ParsedTfFile[],
  options: EvaluateOptions,
): Promise<{ blocks: TerraformBlock[]; outputs: TerraformOutput[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const dir = resolve(options.dir);
  const given = new Map(Object.entries(options.variables).map(([k, v]) => [k, plainToEvaluated(v)]));
  const root = new ModuleEval(files, dir, dir, (name) => given.get(name), '', options, diagnostics, [dir], new Map());
  await root.preload();
  const blocks: TerraformBlock[] = [];
  root.blocks(blocks);
  return { blocks, outputs: root.declaredOutputs(), diagnostics };
}
