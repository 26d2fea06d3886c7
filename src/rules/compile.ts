import type { ResourceKind } from '../model/kinds.js';
import type { Resource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';
import { describeError, mostSpecificError } from '../schemas.js';
import { InputError } from '../util/input-error.js';
import { escapePointerSegment } from '../util/pointer.js';
import { unpositionedConfigError, type ConfigErrorAt, type ConfigFile } from './config.js';
import { isParamRef, loadProfile, optionsValidator, paramTypeError, resolveParamRef } from './load.js';
import { applyOperator, compileRegex, describeExpectation, positiveOf, type SafeRegex } from './operators.js';
import { hasWildcard, parsePath, readPath, unresolvedAt, type PathValue } from './paths.js';
import { renderTemplate } from './template.js';
import type { RuleFunction } from '../functions/types.js';
import type {
  ChainStep,
  CompiledRule,
  Condition,
  ConditionResult,
  EvalContext,
  Operator,
  Profile,
  RuleDefinition,
  RuleEvidence,
  RuleOutcome,
  RuleSetting,
  Truth,
} from './types.js';

type Compiled = (resource: Resource, ctx: EvalContext) => ConditionResult;

// With part of a value unresolved, only some answers stand: an array that already contains
// "implicit" contains it whatever the unresolved element is, but it cannot be shown not to.
const RELIABLE_WHEN_TRUE: ReadonlySet<Operator> = new Set(['exists', 'contains', 'intersects']);
const RELIABLE_WHEN_FALSE: ReadonlySet<Operator> = new Set(['empty', 'subsetOf']);

function partialTruth(op: Operator, actual: unknown, expected: unknown, regex: SafeRegex | undefined): Truth {
  const { op: positive, negated } = positiveOf(op);
  let t = applyOperator(positive, actual, expected, regex);
  if (!((t === true && RELIABLE_WHEN_TRUE.has(positive)) || (t === false && RELIABLE_WHEN_FALSE.has(positive)))) t = 'unknown';
  return t === 'unknown' || !negated ? t : !t;
}

function compileLeaf(path: string, op: Operator, expected: unknown): Compiled {
  const segments = parsePath(path);
  if (!segments) throw new Error(`cognito-guard: malformed path ${path}`);
  const each = hasWildcard(segments);
  const regex = op === 'matches' || op === 'notMatches' ? compileRegex(String(expected)) : undefined;
  const expectation = describeExpectation(op, expected);
  return (resource) => {
    const held: RuleEvidence[] = [];
    const failed: RuleEvidence[] = [];
    const reasons: string[] = [];
    const undecided: RuleEvidence[] = [];
    const unknownAt = (at: string, why: string): void => {
      reasons.push(why);
      undecided.push({ path: at, expected: expectation });
    };
    for (const pv of readPath(resource.properties, segments)) {
      const u = unresolvedAt(resource, pv.path);
      if (pv.noElements) {
        if (u.at) unknownAt(pv.path, u.at);
        continue;
      }
      let t: Truth;
      if (u.at) {
        unknownAt(pv.path, u.at);
        continue;
      } else if (pv.value === null) {
        unknownAt(pv.path, `${pv.path} is not resolved`);
        continue;
      } else if (u.below) {
        t = partialTruth(op, pv.value, expected, regex);
        if (t === 'unknown') {
          unknownAt(pv.path, u.below);
          continue;
        }
      } else {
        t = applyOperator(op, pv.value, expected, regex);
        if (t === 'unknown') {
          unknownAt(pv.path, `part of ${pv.path} is not resolved`);
          continue;
        }
      }
      const ev: RuleEvidence = { path: pv.path, actual: pv.value, expected: expectation };
      if (each) ev.detail = pv.path;
      (t ? held : failed).push(ev);
    }
    if (failed.length) return { value: false, evidence: failed, reasons };
    if (reasons.length) return { value: 'unknown', evidence: undecided, reasons };
    return { value: true, evidence: held, reasons };
  };
}

function combineAll(results: ConditionResult[]): ConditionResult {
  const falses = results.filter((r) => r.value === false);
  if (falses.length) return { value: false, evidence: falses.flatMap((r) => r.evidence), reasons: [] };
  const unknowns = results.filter((r) => r.value === 'unknown');
  if (unknowns.length) return { value: 'unknown', evidence: unknowns.flatMap((r) => r.evidence), reasons: unknowns.flatMap((r) => r.reasons) };
  return {
    value: true,
    evidence: results.flatMap((r) => r.evidence),
    reasons: [],
    ...(results.some((r) => r.notApplicable) && { notApplicable: true }),
  };
}

function combineAny(results: ConditionResult[]): ConditionResult {
  const trues = results.filter((r) => r.value === true);
  if (trues.length) {
    return {
      value: true,
      evidence: trues.flatMap((r) => r.evidence),
      reasons: [],
      ...(trues.every((r) => r.notApplicable) && { notApplicable: true }),
    };
  }
  const unknowns = results.filter((r) => r.value === 'unknown');
  if (unknowns.length) return { value: 'unknown', evidence: unknowns.flatMap((r) => r.evidence), reasons: unknowns.flatMap((r) => r.reasons) };
  return { value: false, evidence: results.flatMap((r) => r.evidence), reasons: [] };
}

/** Builds the error for a param value that is wrong, where that value was set. */
type ParamError = (name: string, message: string) => InputError;

/** The typed functions rules may name, passed in by the caller (the scan passes `FUNCTIONS`). */
export type FunctionTable = Readonly<Record<string, RuleFunction<never>>>;

/** Compiles a condition to a closure, with params substituted. */
function compileCondition(c: Condition, params: Record<string, unknown>, ruleId: string, paramError: ParamError, functions: FunctionTable): Compiled {
  if ('all' in c) {
    const parts = c.all.map((x) => compileCondition(x, params, ruleId, paramError, functions));
    return (r, ctx) => combineAll(parts.map((p) => p(r, ctx)));
  }
  if ('any' in c) {
    const parts = c.any.map((x) => compileCondition(x, params, ruleId, paramError, functions));
    return (r, ctx) => combineAny(parts.map((p) => p(r, ctx)));
  }
  if ('not' in c) {
    const inner = compileCondition(c.not, params, ruleId, paramError, functions);
    return (r, ctx) => {
      const res = inner(r, ctx);
      return { value: res.value === 'unknown' ? 'unknown' : !res.value, evidence: res.evidence, reasons: res.reasons };
    };
  }
  if ('fn' in c) {
    // Own keys only: a rule must not reach `constructor` through the table's prototype.
    const fn = Object.hasOwn(functions, c.fn) ? (functions[c.fn] as unknown as RuleFunction) : undefined;
    if (!fn) throw new InputError(`rule ${ruleId}: unknown function "${c.fn}"`);
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(c.options ?? {})) options[key] = isParamRef(value) ? resolveParamRef(value, params) : value;
    const validate = optionsValidator(fn.optionsSchema);
    if (!validate(options)) {
      const error = mostSpecificError(validate.errors);
      const message = `rule ${ruleId}: invalid options for ${c.fn} after applying the config: ${error ? `${error.instancePath || '/'} ${describeError(error)}` : 'rejected'}`;
      // Point at the config entry that set the param the bad option was read from.
      const option = error?.instancePath.split('/')[1];
      const ref = option !== undefined ? c.options?.[option] : undefined;
      throw isParamRef(ref) ? paramError(ref.param, message) : new InputError(message);
    }
    Object.freeze(options);
    return (r, ctx) => {
      const res = fn.evaluate(r, options, { ...ctx, prepared: ctx.graph.prepared(c.fn) });
      const evidence = [...(res.evidence ?? [])];
      for (const detail of res.details ?? []) {
        if (!evidence.some((e) => e.detail === detail)) evidence.push({ path: '', detail });
      }
      switch (res.status) {
        case 'pass':
          return { value: true, evidence, reasons: [] };
        case 'notApplicable':
          return { value: true, evidence: [], reasons: [], notApplicable: true };
        case 'fail':
          return { value: false, evidence, reasons: [] };
        default:
          return { value: 'unknown', evidence, reasons: [res.reason ?? `${c.fn} could not decide`] };
      }
    };
  }
  if ('chain' in c) {
    const steps = c.chain.map((step) => ({ ...step, test: compileCondition(step.holds, params, ruleId, paramError, functions) }));
    return (r, ctx) => walkChain(steps, r, ctx);
  }
  const expected = isParamRef(c.value) ? resolveParamRef(c.value, params) : c.value;
  return compileLeaf(c.path, c.op, expected);
}

type CompiledStep = ChainStep & { test: Compiled };

/** Why a value read at `pv` is not known, in part or in whole; undefined when it is. */
function whyUnresolved(resource: Resource, pv: PathValue): string | undefined {
  const u = unresolvedAt(resource, pv.path);
  return u.at ?? u.below ?? (pv.value === null ? `${pv.path} is not resolved` : undefined);
}

/** Per graph: what each later hop's condition gave on each resource (hops are pure). */
const hopResults = new WeakMap<object, Map<CompiledStep, Map<Resource, ConditionResult>>>();
const holdingCache = new WeakMap<object, Map<CompiledStep, Resource[]>>();

function testOnce(step: CompiledStep, resource: Resource, ctx: EvalContext): ConditionResult {
  let byStep = hopResults.get(ctx.graph);
  if (!byStep) hopResults.set(ctx.graph, (byStep = new Map()));
  let byResource = byStep.get(step);
  if (!byResource) byStep.set(step, (byResource = new Map()));
  let res = byResource.get(resource);
  if (!res) byResource.set(resource, (res = step.test(resource, ctx)));
  return res;
}

/** The resources of the kinds for which the hop's condition is not false. */
function everyHolding(step: CompiledStep, kinds: readonly ResourceKind[], ctx: EvalContext): Resource[] {
  let byStep = holdingCache.get(ctx.graph);
  if (!byStep) holdingCache.set(ctx.graph, (byStep = new Map()));
  let list = byStep.get(step);
  if (!list) byStep.set(step, (list = kinds.flatMap((k) => ctx.graph.ofKind(k)).filter((x) => testOnce(step, x, ctx).value !== false)));
  return list;
}

/** Per graph: the first resource of the kinds whose `from` is unresolved and that has no `relation` link. */
const unlinkedCache = new WeakMap<object, Map<string, { resource: Resource; why: string } | null>>();

function unlinkedUnresolved(graph: EvalContext['graph'], kinds: readonly ResourceKind[], relation: string, from: string): { resource: Resource; why: string } | undefined {
  let cache = unlinkedCache.get(graph);
  if (!cache) unlinkedCache.set(graph, (cache = new Map()));
  const key = `${kinds.join(',')}|${relation}|${from}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = null;
    const segments = parsePath(from)!;
    search: for (const kind of kinds) {
      for (const other of graph.ofKind(kind)) {
        // A loader that linked the resource knew what the value names, even when the value itself
        // is only known at deploy time (a Terraform plan's provider ARNs).
        if (Object.hasOwn(other.relations, relation) && other.relations[relation]!.length > 0) continue;
        for (const pv of readPath(other.properties, segments)) {
          const why = whyUnresolved(other, pv);
          if (why) {
            found = { resource: other, why };
            break search;
          }
        }
      }
    }
    cache.set(key, found);
  }
  return found ?? undefined;
}

/** The resources a hop reaches from `from`, and why the walk cannot be followed completely. */
function reach(step: CompiledStep, from: Resource, ctx: EvalContext): { next: Resource[]; unknown?: string } {
  const kinds = [step.kind!].flat();
  const via = step.via!;
  // Any resource of the kinds among the inputs, related or not (e.g. every identity pool of the
  // account, any of which could present a token to a role that does not pin its aud).
  // Only those the hop can hold for are kept, once per graph, so that a walk over every pool of
  // the account costs what the matches cost, not roles × pools.
  if (via === '*') return { next: everyHolding(step, kinds, ctx).filter((x) => x !== from) };
  if (via.startsWith('~')) {
    // Backwards: resources that name `from`; ones outside the inputs cannot be listed, and need not be.
    const next = ctx.graph.referencedBy(from, via.slice(1)).filter((x) => kinds.includes(x.kind));
    if (step.from === undefined) return { next };
    // A resource of the kind whose naming property (`from`) is not resolved may name `from` too:
    // the walk through it cannot be ruled out. Found once per graph, so the walk stays linear.
    const unlinked = unlinkedUnresolved(ctx.graph, kinds, via.slice(1), step.from);
    if (unlinked) return { next, unknown: `${unlinked.resource.name} may name ${from.name} (${unlinked.why})` };
    return { next };
  }
  const ids = Object.hasOwn(from.relations, via) ? from.relations[via]! : [];
  const next: Resource[] = [];
  const outside: string[] = [];
  for (const id of ids) {
    const target = ctx.graph.get(id);
    if (!target) outside.push(id);
    else if (kinds.includes(target.kind)) next.push(target);
  }
  if (outside.length) return { next, unknown: `${from.name} names ${outside.join(', ')} (${via}), which is not among the inputs` };
  if (step.from !== undefined) {
    const segments = parsePath(step.from)!;
    for (const pv of readPath(from.properties, segments)) {
      const why = whyUnresolved(from, pv);
      if (why) return { next, unknown: `${from.name}: ${why}` };
      // Set, but related to nothing of the inputs: it names a resource defined elsewhere.
      if (next.length === 0 && !pv.noElements && pv.value !== undefined) {
        return { next, unknown: `${from.name}'s ${pv.path} names a resource that is not among the inputs` };
      }
    }
  }
  return { next };
}

/**
 * Walks the hops of a chain depth-first from `start`. Holds (with each complete walk's evidence,
 * keyed by the walk) when some walk satisfies every hop; unknown when no walk is complete but one
 * would be if its undecided hops held; false otherwise. The walk's key (the ids of the resources it
 * passes after the first) becomes the finding's detail, so each walk is its own finding.
 */
function walkChain(steps: readonly CompiledStep[], start: Resource, ctx: EvalContext): ConditionResult {
  const complete: RuleEvidence[] = [];
  const undecided: RuleEvidence[] = [];
  const reasons: string[] = [];
  const trail: Array<{ resource: Resource; hop: string; evidence: RuleEvidence[] }> = [];
  const record = (into: RuleEvidence[]) => {
    const key = [...new Set(trail.slice(1).map((t) => t.resource.id))].join(' > ');
    for (const t of trail) {
      const evidence = t.evidence.length ? t.evidence : [{ path: '' }];
      for (const e of evidence) {
        const { detail: _detail, ...rest } = e;
        into.push({ ...rest, at: e.at ?? { resourceId: t.resource.id, path: e.path }, hop: t.hop, ...(key && { detail: key }) });
      }
    }
  };
  const visit = (i: number, resource: Resource, unsure: string[]): void => {
    const step = steps[i]!;
    const res = i > 0 ? testOnce(step, resource, ctx) : step.test(resource, ctx);
    if (res.value === false) return;
    trail.push({ resource, hop: step.hop, evidence: res.evidence });
    const now = res.value === 'unknown' ? [...unsure, ...res.reasons] : unsure;
    if (i === steps.length - 1) {
      if (now.length) {
        record(undecided);
        reasons.push(...now);
      } else record(complete);
    } else {
      const { next, unknown } = reach(steps[i + 1]!, resource, ctx);
      if (unknown) {
        record(undecided);
        reasons.push(...now, unknown);
      }
      for (const r of next) visit(i + 1, r, now);
    }
    trail.pop();
  };
  visit(0, start, []);
  if (complete.length) return { value: true, evidence: complete, reasons: [] };
  if (reasons.length) return { value: 'unknown', evidence: undecided, reasons: unique(reasons) };
  return { value: false, evidence: [], reasons: [] };
}

const normalizeSetting = (s: RuleSetting | undefined): { enabled?: boolean; severity?: Severity; params?: Record<string, unknown> } =>
  s === undefined ? {} : s === 'on' || s === true ? { enabled: true } : s === 'off' || s === false ? { enabled: false } : s;

const unique = (xs: string[]) => [...new Set(xs)];

/** The named profile; a name that is not a bundled profile is an error at the config's `profile`. */
function configProfile(name: string | undefined, errorAt: ConfigErrorAt): Profile {
  try {
    return loadProfile(name ?? 'recommended');
  } catch (err) {
    // Errors inside a bundled profile name their own file; only "no such profile" is the config's.
    if (err instanceof InputError && err.file === undefined) throw errorAt('/profile', err.message);
    throw err;
  }
}

/**
 * Applies the profile (config `profile`, default `recommended`) and the config to the rule
 * definitions (on/off, severity, params; config wins over the profile, per-rule params over
 * global `params`) and compiles the enabled rules' conditions to closures once. Unknown rule
 * ids in the config or profile and params of the wrong type are InputErrors; problems in the
 * config are built by `errorAt`, so that they name the config file's line.
 */
export function compileRules(
  defs: RuleDefinition[],
  config: ConfigFile = {},
  options: { functions: FunctionTable; profile?: Profile; errorAt?: ConfigErrorAt },
): CompiledRule[] {
  const errorAt = options.errorAt ?? unpositionedConfigError;
  const profile = options.profile ?? configProfile(config.profile, errorAt);
  const known = new Set(defs.map((d) => d.id));
  for (const id of Object.keys(profile.rules)) {
    if (!known.has(id)) throw new InputError(`profile ${profile.name}: unknown rule "${id}"`, profile.file);
  }
  for (const id of Object.keys(config.rules ?? {})) {
    if (!known.has(id)) throw errorAt(`/rules/${escapePointerSegment(id)}`, `unknown rule "${id}"`);
  }
  const compiled: CompiledRule[] = [];
  for (const def of defs) {
    // A rule id (a user's rule file may be `constructor.yaml`) is looked up as an own key only.
    const inProfile = Object.hasOwn(profile.rules, def.id) ? profile.rules[def.id] : undefined;
    const fromProfile = normalizeSetting(inProfile);
    const fromConfig = normalizeSetting(config.rules && Object.hasOwn(config.rules, def.id) ? config.rules[def.id] : undefined);
    // Unlisted rules: their category's setting (review and inventory rules are off in
    // recommended), then the profile's `others`.
    const byCategory = def.category ? profile.categories?.[def.category] : undefined;
    const enabled = fromConfig.enabled ?? fromProfile.enabled ?? (inProfile !== undefined || (byCategory ?? profile.others ?? 'on') !== 'off');
    if (!enabled) continue;
    const severity = fromConfig.severity ?? fromProfile.severity ?? def.severity;
    const params: Record<string, unknown> = {};
    // Where each param's value was set, so that a bad value is reported there.
    const origin: Record<string, ParamError> = {};
    const ruleFileError: ParamError = (_name, message) => new InputError(message, def.file);
    const profileError: ParamError = (_name, message) => new InputError(`profile ${profile.name}: ${message}`, profile.file);
    const configError =
      (base: string): ParamError =>
      (name, message) =>
        errorAt(`${base}/${escapePointerSegment(name)}`, message);
    const ruleConfigPointer = `/rules/${escapePointerSegment(def.id)}/params`;
    for (const [name, p] of Object.entries(def.params ?? {})) {
      params[name] = p.default;
      origin[name] = ruleFileError;
      if (config.params && Object.hasOwn(config.params, name)) {
        params[name] = config.params[name];
        origin[name] = configError('/params');
      }
    }
    for (const [overrides, error] of [
      [fromProfile.params, profileError],
      [fromConfig.params, configError(ruleConfigPointer)],
    ] as const) {
      for (const [name, value] of Object.entries(overrides ?? {})) {
        if (!def.params || !Object.hasOwn(def.params, name)) {
          const message = `rule ${def.id} has no param "${name}" (it has: ${Object.keys(def.params ?? {}).join(', ') || 'none'})`;
          throw error(name, message);
        }
        params[name] = value;
        origin[name] = error;
      }
    }
    const paramError: ParamError = (name, message) => (origin[name] ?? ruleFileError)(name, message);
    for (const [name, p] of Object.entries(def.params ?? {})) {
      const problem = paramTypeError(name, p, params[name]);
      if (problem) throw paramError(name, `rule ${def.id}: ${problem}`);
    }
    Object.freeze(params);
    const where = def.where ? compileCondition(def.where, params, def.id, paramError, options.functions) : undefined;
    const assert = compileCondition(def.assert, params, def.id, paramError, options.functions);
    const kinds: ResourceKind[] = Array.isArray(def.resource) ? [...def.resource] : [def.resource];
    const check = (resource: Resource, ctx: EvalContext): RuleOutcome => {
      const w = where?.(resource, ctx);
      if (w && w.value === false) return { status: 'notApplicable' };
      if (w?.notApplicable) return { status: 'notApplicable' };
      const a = assert(resource, ctx);
      if (a.value === true) return a.notApplicable ? { status: 'notApplicable' } : { status: 'pass', evidence: a.evidence };
      if (w?.value === 'unknown') {
        const why = unique(w.reasons).join('; ');
        return {
          status: 'unknown',
          reason: a.value === false ? `cannot tell whether the rule applies (${why}); if it does, it fails` : unique([...w.reasons, ...a.reasons]).join('; '),
          evidence: a.value === false ? a.evidence : [...w.evidence, ...a.evidence],
        };
      }
      if (a.value === 'unknown') return { status: 'unknown', reason: unique(a.reasons).join('; '), evidence: a.evidence };
      return { status: 'fail', evidence: a.evidence, details: unique(a.evidence.flatMap((e) => (e.detail ? [e.detail] : []))) };
    };
    const template = def.message ?? `{{resource.name}} does not meet "${def.title.replace(/[{}]/g, '')}"`;
    const render = (resource: Resource, ev: RuleEvidence | undefined, detail: string | undefined, hops?: string): string =>
      renderTemplate(template, {
        hops,
        resource: { name: resource.name, id: resource.id, kind: resource.kind, account: resource.account, region: resource.region, arn: resource.arn },
        actual: ev?.actual,
        expected: ev?.expected,
        path: ev?.path,
        detail: detail ?? ev?.detail,
        params,
      });
    compiled.push({ definition: def, id: def.id, kinds, severity, params, check, render });
  }
  return compiled;
}
