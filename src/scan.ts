import { lstatSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildGraph } from './engine/graph.js';
import { FUNCTIONS } from './functions/index.js';
import { evaluate } from './engine/evaluate.js';
import { applyInlineSuppressions, applySuppressions, suppressionDiagnostics } from './engine/suppress.js';
import { readParameterFile } from './loaders/cloudformation/index.js';
import type { Candidate, Claim, InputFile, LoadContext, Source } from './loaders/source.js';
import { SOURCES } from './loaders/sources.js';
import { parseVarFile } from './loaders/terraform/tfvars.js';
import type { Diagnostic } from './model/finding.js';
import type { Resource } from './model/resource.js';
import type { ScanResult } from './model/scan-result.js';
import { compileRules } from './rules/compile.js';
import { parseConfigFile, unpositionedConfigError, type ConfigErrorAt, type ConfigFile } from './rules/config.js';
import { loadRules } from './rules/load.js';
import { ruleMeta } from './rules/meta.js';
import { applyBaseline, parseBaseline } from './baseline.js';
import { discoverFiles, type Skipped } from './discover.js';
import { pushAll } from './util/arrays.js';
import { readRegularFile } from './util/files.js';
import { InputError } from './util/input-error.js';
import { redactUrlCredentials } from './util/redact.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

/** Config file names looked up in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILES = ['.cognito-guard.yml', '.cognito-guard.yaml'];

export interface ScanOptions {
  /** Files and directories to scan (templates and snapshots). */
  inputs: string[];
  /** Directory that file paths in findings are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Template parameter values (`--param K=V`); they win over parameter files and Defaults. */
  parameters?: Record<string, string>;
  /** Parameter files (CloudFormation CLI, CodePipeline or flat JSON). */
  parameterFiles?: string[];
  /** Terraform input variables (`--var NAME=VALUE`); they win over `varFiles`, `*.auto.tfvars` and defaults. */
  variables?: Record<string, unknown>;
  /** Terraform variable files (`--var-file`, `.tfvars` or `.tfvars.json`), later files winning. */
  varFiles?: string[];
  /** Config file; default: `.cognito-guard.yml` in cwd when present. */
  configFile?: string;
  /** Config given as an object (the action and tests); merged over the config file. */
  config?: ConfigFile;
  /** Extra rule directories, added to the bundled rules. */
  ruleDirs?: string[];
  /** Time used for suppression expiry. */
  now?: Date;
  /** Baseline file: findings recorded in it are marked suppressed (`--baseline`). */
  baseline?: string;
  /** Called after directory discovery and after each candidate file is loaded (the CLI's progress). */
  onLoad?: (done: number, total: number) => void;
}

export interface ScanOutput extends ScanResult {
  /** Candidate files in directories that no source claimed, and directories not descended into (`node_modules/`). */
  skipped: Skipped[];
  /** Text of every loaded input, by the path used in findings (for SARIF line hashes). */
  sources: Map<string, string>;
  /** The effective config (for the exit code's failOn). */
  config: ConfigFile;
  /** The normalized resources that were evaluated. */
  resources: Resource[];
}

/**
 * Scans templates and snapshots: load → graph → evaluate → suppress. Throws InputError for
 * anything the user must fix (unreadable or unparseable input, invalid rule or config).
 */
export async function scan(options: ScanOptions): Promise<ScanOutput> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const now = options.now ?? new Date();
  const { config, errorAt, configRuleDirs } = loadConfig(cwd, options);

  const ruleDirs = [...configRuleDirs, ...(options.ruleDirs ?? []).map((d) => resolve(cwd, d))];
  const definitions = await loadRules(ruleDirs);
  const rules = compileRules(definitions, config, { errorAt, functions: FUNCTIONS });

  const parameters = { ...readParameterFiles(cwd, options.parameterFiles ?? []), ...(options.parameters ?? {}) };
  const variables = { ...(await readVarFiles(cwd, options.varFiles ?? [])), ...(options.variables ?? {}) };
  const { resources, diagnostics, skipped, sources, inputs } = await loadInputs(cwd, options.inputs, parameters, variables, options.onLoad);
  if (inputs.length === 0) {
    throw new InputError(
      `nothing to scan in ${options.inputs.join(', ')}: ${notAnInput().replace(/^not a /, 'no ')} found` +
        (skipped.length ? ` (skipped: ${skipped.map((s) => s.path).join(', ')})` : ''),
    );
  }

  const graph = await buildGraph(resources, FUNCTIONS);
  const evaluated = evaluate(graph, rules, { now });
  let findings = applySuppressions(applyInlineSuppressions(evaluated.findings, resources, now), config.suppressions ?? [], now);
  if (options.baseline) {
    const display = displayPath(cwd, resolve(cwd, options.baseline));
    findings = applyBaseline(findings, parseBaseline(display, readRegularFile(resolve(cwd, options.baseline), display)), display);
  }
  pushAll(diagnostics, suppressionDiagnostics(config.suppressions ?? [], resources, new Set(definitions.map((d) => d.id)), now));
  const suppressed = findings.filter((f) => f.suppression).length;
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    rules: rules.map(ruleMeta),
    findings,
    diagnostics: diagnostics.map((d) => ({ ...d, message: redactUrlCredentials(d.message) })),
    stats: { ...evaluated.stats, suppressed },
    inputs,
    skipped,
    sources,
    config,
    resources,
  };
}

/**
 * The config file merged with `options.config`, how to report a config problem at its line, and
 * the config's rule directories: relative to the config file (as its schema says), so a config
 * works from any working directory; `options.config`'s are relative to cwd.
 */
function loadConfig(cwd: string, options: ScanOptions): { config: ConfigFile; errorAt: ConfigErrorAt; configRuleDirs: string[] } {
  let file = options.configFile ? resolve(cwd, options.configFile) : undefined;
  // lstat, not exists: a config that is a broken link must be an error, not silently absent.
  if (!file) file = DEFAULT_CONFIG_FILES.map((name) => join(cwd, name)).find((path) => lstatSync(path, { throwIfNoEntry: false }));
  let fromFile: ConfigFile = {};
  let errorAt = unpositionedConfigError;
  if (file) {
    const display = displayPath(cwd, file);
    ({ config: fromFile, errorAt } = parseConfigFile(display, readRegularFile(file, display)));
  }
  const config = { ...fromFile, ...(options.config ?? {}) };
  let configRuleDirs: string[];
  if (options.config?.ruleDirs) {
    configRuleDirs = options.config.ruleDirs.map((d) => resolve(cwd, d));
  } else {
    const base = file ? dirname(file) : cwd;
    configRuleDirs = (fromFile.ruleDirs ?? []).map((d, i) => {
      const dir = resolve(base, d);
      if (!isDirectory(dir)) throw errorAt(`/ruleDirs/${i}`, `rule directory ${displayPath(cwd, dir)} does not exist or is not a directory`);
      return dir;
    });
  }
  return { config, errorAt, configRuleDirs };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Later files win. An entry whose value is `undefined` is kept: the file sets the parameter to
 * something that cannot be read here (an Amplify `Fn::GetAtt` object), so the template's Default
 * must not be used in its place.
 */
function readParameterFiles(cwd: string, files: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const f of files) {
    const display = displayPath(cwd, resolve(cwd, f));
    Object.assign(out, readParameterFile(display, readRegularFile(resolve(cwd, f), display)));
  }
  return out;
}

/** Terraform `--var-file`s, later files winning. */
async function readVarFiles(cwd: string, files: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of files) {
    const display = displayPath(cwd, resolve(cwd, f));
    Object.assign(out, await parseVarFile(display, readRegularFile(resolve(cwd, f), display)));
  }
  return out;
}

interface Loaded {
  resources: Resource[];
  diagnostics: Diagnostic[];
  skipped: Skipped[];
  sources: Map<string, string>;
  inputs: InputFile[];
}

/**
 * Offers every candidate file to the sources in order (most specific first) and lets each
 * source load what it claimed. A file that a source's text test says is its format but that
 * does not parse is an error: skipping it would report "clean" for a broken template. A file
 * the user named must be claimed by some source.
 */
async function loadInputs(
  cwd: string,
  inputs: string[],
  parameters: Record<string, string | undefined>,
  variables: Record<string, unknown>,
  onLoad: (done: number, total: number) => void = () => {},
): Promise<Loaded> {
  const display = (abs: string): string => displayPath(cwd, abs);
  const extensions = [...new Set(SOURCES.flatMap((s) => s.extensions))];
  const { files, explicit, skippedDirs } = discoverFiles(inputs.map((i) => resolve(cwd, i)), display, extensions);
  const out: Loaded = { resources: [], diagnostics: [], skipped: [...skippedDirs], sources: new Map(), inputs: [] };
  const claims = new Map<Source<unknown>, Array<Claim<unknown>>>(SOURCES.map((s) => [s, []]));
  for (const [index, abs] of files.entries()) {
    onLoad(index, files.length);
    const file = display(abs);
    const candidate: Candidate = { abs, file, text: readRegularFile(abs, file), explicit: explicit.has(abs) };
    const claimed = await claimFile(candidate);
    if (claimed) {
      claims.get(claimed.source)!.push({ candidate, data: claimed.data });
      out.sources.set(file, candidate.text);
    } else if (candidate.explicit) {
      throw new InputError(notAnInput(), file);
    } else {
      out.skipped.push({ path: file, reason: notAnInput() });
    }
  }
  const ctx: LoadContext = {
    cwd,
    parameters,
    variables,
    display,
    read: (abs) => {
      const file = display(abs);
      const text = out.sources.get(file) ?? readRegularFile(abs, file);
      out.sources.set(file, text);
      return text;
    },
  };
  const consumed = new Set<string>();
  for (const source of SOURCES) {
    const mine = claims.get(source)!.filter((c) => !consumed.has(c.candidate.abs));
    if (mine.length === 0) continue;
    const loaded = await source.load(mine, ctx);
    // Not push(...): a spread passes every element as an argument and overflows the call stack
    // beyond about 100,000 resources.
    pushAll(out.resources, loaded.resources);
    pushAll(out.diagnostics, loaded.diagnostics);
    pushAll(out.inputs, loaded.inputs);
    for (const abs of loaded.consumed ?? []) consumed.add(abs);
  }
  return out;
}

/** Why a file no source claimed is not read: "not a CloudFormation template, ... or cognito-guard snapshot". */
export function notAnInput(): string {
  const labels = [...new Set(SOURCES.map((s) => s.label))];
  return `not a ${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : labels[0]}`;
}

/** The first source that claims the file, and what it parsed; undefined when none does. */
async function claimFile(candidate: Candidate): Promise<{ source: Source<unknown>; data: unknown } | undefined> {
  for (const source of SOURCES) {
    const match = source.match(candidate);
    if (match === 'no') continue;
    let data: unknown;
    try {
      data = await source.claim(candidate);
    } catch (err) {
      if (match === 'yes' || !(err instanceof InputError)) throw err;
      continue;
    }
    if (data !== undefined) return { source, data };
  }
  return undefined;
}

/** Path relative to cwd with forward slashes when inside it; absolute otherwise. */
export function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return abs.split(sep).join('/');
  return rel.split(sep).join('/');
}
