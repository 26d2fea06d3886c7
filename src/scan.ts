import { lstatSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildGraph } from './engine/graph.js';
import { evaluate } from './engine/evaluate.js';
import { applyInlineSuppressions, applySuppressions, suppressionDiagnostics } from './engine/suppress.js';
import { loadCloudFormation, looksLikeCloudFormation, parseCloudFormation, readParameterFile } from './loaders/cloudformation/index.js';
import { loadSnapshot, looksLikeSnapshot } from './loaders/snapshot.js';
import type { Diagnostic } from './model/finding.js';
import type { Resource } from './model/resource.js';
import type { ScanResult } from './model/scan-result.js';
import { compileRules } from './rules/compile.js';
import { parseConfigFile, unpositionedConfigError, type ConfigErrorAt, type ConfigFile } from './rules/config.js';
import { loadRules } from './rules/load.js';
import { ruleMeta } from './rules/meta.js';
import { applyBaseline, parseBaseline } from './baseline.js';
import { discoverFiles } from './discover.js';
import { pushAll } from './util/arrays.js';
import { readRegularFile } from './util/files.js';
import { InputError } from './util/input-error.js';
import { redactUrlCredentials } from './util/redact.js';
import { parsePositioned, type PositionedDocument } from './util/yaml-document.js';
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
  /** Candidate files in directories that were neither templates nor snapshots. */
  skipped: string[];
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
  const rules = compileRules(definitions, config, { errorAt });

  const parameters = { ...readParameterFiles(cwd, options.parameterFiles ?? []), ...(options.parameters ?? {}) };
  const { resources, diagnostics, skipped, sources, inputs } = loadInputs(cwd, options.inputs, parameters, options.onLoad);
  if (inputs.length === 0) {
    throw new InputError(
      `no CloudFormation templates or cognito-guard snapshots found in ${options.inputs.join(', ')}` +
        (skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''),
    );
  }

  const graph = await buildGraph(resources);
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

interface Loaded {
  resources: Resource[];
  diagnostics: Diagnostic[];
  skipped: string[];
  sources: Map<string, string>;
  inputs: string[];
}

function loadInputs(
  cwd: string,
  inputs: string[],
  parameters: Record<string, string | undefined>,
  onLoad: (done: number, total: number) => void = () => {},
): Loaded {
  const { files, explicit } = discoverFiles(
    inputs.map((i) => resolve(cwd, i)),
    (abs) => displayPath(cwd, abs),
  );
  const out: Loaded = { resources: [], diagnostics: [], skipped: [], sources: new Map(), inputs: [] };
  for (const [index, abs] of files.entries()) {
    onLoad(index, files.length);
    const file = displayPath(cwd, abs);
    const text = readRegularFile(abs, file);
    const input = classify(file, text, explicit.has(abs));
    if (input === undefined) {
      out.skipped.push(file);
      continue;
    }
    const loaded =
      input.kind === 'snapshot' ? loadSnapshot(file, text, input.doc) : loadCloudFormation(file, text, { parameters, document: input.doc });
    // Not push(...): a spread passes every element as an argument and overflows the call stack
    // beyond about 100,000 resources.
    pushAll(out.resources, loaded.resources);
    pushAll(out.diagnostics, loaded.diagnostics);
    out.sources.set(file, text);
    out.inputs.push(file);
  }
  return out;
}

/**
 * Decides which loader a file belongs to. A cheap text test first, so that a directory full of
 * unrelated JSON (package-lock.json, tsconfig.json) is not parsed with positions; then the
 * parsed document decides. A file that matches the text test but does not parse is an error:
 * it may well be a broken template, and skipping it would report "clean" for it. A file the
 * user named (`explicit`) is always parsed, and is an error unless it is a template or snapshot.
 */
function classify(file: string, text: string, explicit: boolean): { kind: 'snapshot' | 'cloudformation'; doc: PositionedDocument } | undefined {
  const maybeTemplate = /(^|[\s{,"'])Resources["']?\s*:/m.test(text);
  const maybeSnapshot = /(^|[\s{,"'])resources["']?\s*:/m.test(text) && /(^|[\s{,"'])version["']?\s*:/m.test(text);
  const mustParse = explicit || maybeTemplate || maybeSnapshot;
  // JSON and double-quoted YAML keys may be spelled with escapes ("\u0052esources"), which the
  // text test cannot see: such a file is parsed too, and skipped (listed) if it does not parse.
  if (!mustParse && !text.includes('\\')) return undefined;
  // Snapshots have no tags; templates are read with CloudFormation's short forms.
  const tagsFirst = !(maybeSnapshot && !maybeTemplate);
  let doc: PositionedDocument;
  try {
    doc = tagsFirst ? parseCloudFormation(file, text) : parsePositioned(text, file);
  } catch (err) {
    if (mustParse || !(err instanceof InputError)) throw err;
    return undefined;
  }
  if (looksLikeCloudFormation(doc.value)) return { kind: 'cloudformation', doc: tagsFirst ? doc : parseCloudFormation(file, text) };
  if (looksLikeSnapshot(doc.value)) return { kind: 'snapshot', doc: tagsFirst ? parsePositioned(text, file) : doc };
  if (explicit) throw new InputError('not a CloudFormation template (no Resources with AWS:: types) or a cognito-guard snapshot (version and resources)', file);
  return undefined;
}

/** Path relative to cwd with forward slashes when inside it; absolute otherwise. */
export function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return abs.split(sep).join('/');
  return rel.split(sep).join('/');
}
