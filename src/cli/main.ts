import { resolve } from 'node:path';
import { isSeverity, SEVERITIES } from '../model/severity.js';
import { renderBaseline } from '../baseline.js';
import { summarize, summaryLine } from '../reporters/common.js';
import { reporters, type ReporterName } from '../reporters/index.js';
import { renderRuleExplanation } from '../rules/docs.js';
import { loadRuleFile, loadRules } from '../rules/load.js';
import { scan } from '../scan.js';
import { maxOf } from '../util/arrays.js';
import { writeOutputFile } from '../util/files.js';
import { InputError } from '../util/input-error.js';
import { parseParameterAssignments } from '../loaders/cloudformation/parameters.js';
import { TOOL_VERSION } from '../version.js';
import type { Diagnostic } from '../model/finding.js';
import { exitCode, type FailOn } from './exit-code.js';
import { checkLiveOptions, snapshotPathFor, writeLiveSnapshot, type LiveValues } from './live.js';
import type { Progress } from './log.js';
import type { CliIO, CommandContext } from './program.js';
import { discoverRuleFiles } from './rule-files.js';

export { main, type CliIO } from './program.js';

const FORMATS: ReporterName[] = ['text', 'json', 'sarif', 'markdown'];

interface ScanValues {
  format?: string;
  output?: string;
  'fail-on'?: string;
  config?: string;
  rules?: string[];
  param?: string[];
  'param-file'?: string[];
  var?: string[];
  'var-file'?: string[];
  'no-color'?: boolean;
  'include-suppressed'?: boolean;
  baseline?: string;
  'write-baseline'?: string;
}

/** `cognito-guard scan`: a thin layer over `scan()` and the reporters. */
export async function scanCommand({ values: v, args, io, log }: CommandContext): Promise<number> {
  const values = v as ScanValues & LiveValues;
  const positionals = [...args];
  // A live scan reads the account(s) into a snapshot first and scans that file, so findings
  // point at lines of it and `scan snapshot.json` later gives the same findings.
  checkLiveOptions(values);
  if (values.live) {
    if (positionals.length) throw new InputError(`scan --live takes no files (got "${positionals[0]}")`);
    positionals.push(snapshotPathFor(values));
  }
  if (positionals.length === 0) throw new InputError('scan: name at least one file or directory to scan');
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format as ReporterName)) throw new InputError(`--format must be one of: ${FORMATS.join(', ')} (got "${format}")`);
  const failOnFlag = values['fail-on'];
  if (failOnFlag !== undefined && failOnFlag !== 'none' && !isSeverity(failOnFlag)) {
    throw new InputError(`--fail-on must be one of: ${[...SEVERITIES, 'none'].join(', ')} (got "${failOnFlag}")`);
  }
  const parameters = parseParameterAssignments(values.param ?? [], '--param');
  const variables = parseParameterAssignments(values.var ?? [], '--var');

  const liveDiagnostics: Diagnostic[] = values.live ? await writeLiveSnapshot(values, io, positionals[0]!) : [];
  const started = performance.now();
  let loading: Progress | undefined;
  const result = await scan({
    inputs: positionals,
    onLoad: (done, total) => {
      loading ??= log.progress('loading', total);
      loading.update(done);
    },
    cwd: io.cwd,
    parameters,
    parameterFiles: values['param-file'] ?? [],
    variables,
    varFiles: values['var-file'] ?? [],
    ...(values.config !== undefined && { configFile: values.config }),
    ruleDirs: values.rules ?? [],
    ...(values.baseline !== undefined && { baseline: values.baseline }),
  }).finally(() => loading?.done());
  result.diagnostics.unshift(...liveDiagnostics);
  log.verbose(
    `loaded ${result.inputs.length} input${result.inputs.length === 1 ? '' : 's'} (${result.resources.length} resources), ` +
      `${result.rules.length} rules, in ${Math.round(performance.now() - started)} ms`,
  );
  if (values['write-baseline']) {
    writeOutputFile(resolve(io.cwd, values['write-baseline']), values['write-baseline'], renderBaseline(result.findings));
    log.note(`baseline of ${result.findings.filter((f) => !f.suppression).length} findings written to ${values['write-baseline']}`);
  }
  const failOn: FailOn = (failOnFlag as FailOn | undefined) ?? result.config.failOn ?? 'low';
  const color = format === 'text' && !values.output && !values['no-color'] && wantsColor(io);
  const report = reporters[format as ReporterName](result, {
    cwd: io.cwd,
    color,
    sourceText: (file) => result.sources.get(file),
    toolVersion: TOOL_VERSION,
    includeSuppressed: values['include-suppressed'] as boolean,
  });
  if (values.output) {
    writeOutputFile(resolve(io.cwd, values.output), values.output, report);
    log.note(`${summaryLine(result, summarize(result))}; ${format} report written to ${values.output}`);
  } else {
    io.stdout(report);
  }
  for (const skipped of result.skipped) log.note(`skipped ${skipped.path}: ${skipped.reason}`);
  return exitCode(result, failOn);
}

/** https://no-color.org: a non-empty NO_COLOR wins; FORCE_COLOR (not "0") colors a pipe too. */
function wantsColor(io: CliIO): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

/** `cognito-guard rules list`. */
export async function rulesList({ values, io }: CommandContext): Promise<number> {
  const defs = await loadRules(((values.rules as string[] | undefined) ?? []).map((d) => resolve(io.cwd, d)));
  if (values.format === 'json') {
    io.stdout(JSON.stringify(defs.map((d) => ({ id: d.id, severity: d.severity, resource: d.resource, title: d.title })), null, 2) + '\n');
    return 0;
  }
  const width = maxOf(defs.map((d) => d.id.length));
  for (const d of [...defs].sort((a, b) => a.id.localeCompare(b.id))) {
    io.stdout(`${d.id.padEnd(width)}  ${d.severity.padEnd(8)}  ${d.title}\n`);
  }
  return 0;
}

/** `cognito-guard rules explain ID`: one rule's reference section; an unknown id gets the closest ids. */
export async function rulesExplain({ values, args, io }: CommandContext): Promise<number> {
  const defs = await loadRules(((values.rules as string[] | undefined) ?? []).map((d) => resolve(io.cwd, d)));
  const id = args[0] ?? '';
  const rule = defs.find((d) => d.id === id);
  if (!rule) {
    const close = defs.map((d) => d.id).filter((other) => other.includes(id) || id.includes(other) || editDistance(other, id) <= 3);
    throw new InputError(`rules explain: no rule "${id}"` + (close.length ? ` (did you mean ${close.slice(0, 3).join(', ')}?)` : ' (see cognito-guard rules list)'));
  }
  io.stdout(renderRuleExplanation(rule));
  return 0;
}

/** Levenshtein distance, for suggesting a rule id. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** `cognito-guard rules validate`. */
export async function rulesValidate({ args: positionals, io, log }: CommandContext): Promise<number> {
  if (positionals.length === 0) throw new InputError('rules validate: name a rule directory or file');
  let count = 0;
  for (const file of discoverRuleFiles(positionals.map((p) => resolve(io.cwd, p)), io.cwd)) {
    log.verbose(`validating ${file.display}`);
    loadRuleFile(file.display, file.text);
    count++;
  }
  if (count === 0) throw new InputError(`rules validate: no rule files (*.yaml) in ${positionals.join(', ')}`);
  io.stdout(`${count} rule file${count === 1 ? '' : 's'} valid\n`);
  return 0;
}
