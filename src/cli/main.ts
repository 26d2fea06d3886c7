import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runLoadtestCommand } from '../loadtest/cli.js';
import { SEVERITIES } from '../model/severity.js';
import { renderBaseline } from '../baseline.js';
import { summarize, summaryLine } from '../reporters/common.js';
import { reporters, type ReporterName } from '../reporters/index.js';
import { loadRuleFile, loadRules } from '../rules/load.js';
import { scan } from '../scan.js';
import { maxOf } from '../util/arrays.js';
import { writeOutputFile } from '../util/files.js';
import { InputError } from '../util/input-error.js';
import { checkName } from '../util/prototype-keys.js';
import { redactUrlCredentials } from '../util/redact.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { exitCode, type FailOn } from './exit-code.js';
import { discoverRuleFiles } from './rule-files.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
}

const USAGE = `Usage:
  ${TOOL_NAME} scan <files or dirs...> [options]
      --format text|json|sarif|markdown   report format (default: text)
      --output FILE                       write the report to FILE (a summary goes to stderr)
      --fail-on SEVERITY                  critical|high|medium|low|info|none (default: low)
      --config FILE                       config file (default: .cognito-guard.yml if present)
      --rules DIR                         extra rule directory (repeatable)
      --param KEY=VALUE                   template parameter value (repeatable)
      --param-file FILE                   parameter file: CloudFormation CLI, CodePipeline or flat JSON (repeatable)
      --baseline FILE                     findings recorded in FILE are marked suppressed (only new ones fail)
      --write-baseline FILE               record the open findings of this scan in FILE
      --include-suppressed                keep suppressed findings in SARIF (GitHub ignores SARIF suppressions)
      --no-color                          no ANSI colors (NO_COLOR is honored too)
  ${TOOL_NAME} rules list [--rules DIR] [--format text|json]   list the rules
  ${TOOL_NAME} rules validate DIR           check every rule file in DIR
  ${TOOL_NAME} loadtest seed|run|report|cleanup ...   load tests (see loadtests/README.md)
  ${TOOL_NAME} --version | --help

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage, input or load error.
`;

const FORMATS: ReporterName[] = ['text', 'json', 'sarif', 'markdown'];
const LIST_FORMATS = ['text', 'json'];

/** An enumerated option's value, or a one-line InputError naming the choices. */
function oneOf(flag: string, value: string, choices: readonly string[]): string {
  if (!choices.includes(value)) throw new InputError(`${flag} must be one of: ${choices.join(', ')} (got "${value}")`);
  return value;
}

/** Runs the CLI; returns the exit code. Never throws for user mistakes. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io);
      case 'rules':
        return await rulesCommand(rest, io);
      case 'loadtest':
        return await runLoadtestCommand(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env, cwd: io.cwd });
      case '--version':
      case '-v':
        io.stdout(`${TOOL_VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return 0;
      case undefined:
        io.stderr(USAGE);
        return 2;
      default:
        throw new InputError(`unknown command "${command}" (expected scan, rules or loadtest; see --help)`);
    }
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`${TOOL_NAME}: ${redactUrlCredentials(err.toString())}\n`);
      return 2;
    }
    // Argument parsing errors from node:util are user mistakes too.
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      // Some node:util messages run to three lines ("argument is ambiguous. Did you forget…"): keep the first.
      io.stderr(`${TOOL_NAME}: ${redactUrlCredentials(err.message.split('\n')[0]!)} (see --help)\n`);
      return 2;
    }
    throw err;
  }
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'fail-on': { type: 'string' },
    config: { type: 'string' },
    rules: { type: 'string', multiple: true },
    param: { type: 'string', multiple: true },
    'param-file': { type: 'string', multiple: true },
    'no-color': { type: 'boolean', default: false },
    'include-suppressed': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
  });
  if (positionals.length === 0) throw new InputError('scan: name at least one file or directory to scan');
  const format = oneOf('--format', values.format as string, FORMATS);
  const failOnFlag = values['fail-on'] === undefined ? undefined : oneOf('--fail-on', values['fail-on'], [...SEVERITIES, 'none']);
  const parameters: Record<string, string> = {};
  for (const p of values.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InputError(`--param must be KEY=VALUE (got "${p}")`);
    checkName(p.slice(0, eq), '--param name');
    parameters[p.slice(0, eq)] = p.slice(eq + 1);
  }

  const result = await scan({
    inputs: positionals,
    cwd: io.cwd,
    parameters,
    parameterFiles: values['param-file'] ?? [],
    ...(values.config !== undefined && { configFile: values.config }),
    ruleDirs: values.rules ?? [],
    ...(values.baseline !== undefined && { baseline: values.baseline }),
  });
  if (values['write-baseline']) {
    writeOutputFile(resolve(io.cwd, values['write-baseline']), values['write-baseline'], renderBaseline(result.findings));
    io.stderr(`${TOOL_NAME}: baseline of ${result.findings.filter((f) => !f.suppression).length} findings written to ${values['write-baseline']}\n`);
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
    io.stderr(`${summaryLine(result, summarize(result))}; ${format} report written to ${values.output}\n`);
  } else {
    io.stdout(report);
  }
  for (const skipped of result.skipped) io.stderr(`${TOOL_NAME}: skipped ${skipped}: not a CloudFormation template or snapshot\n`);
  return exitCode(result, failOn);
}

/** https://no-color.org: a non-empty NO_COLOR wins; FORCE_COLOR (not "0") colors a pipe too. */
function wantsColor(io: CliIO): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

async function rulesCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parse(rest, { rules: { type: 'string', multiple: true }, format: { type: 'string', default: 'text' } });
    oneOf('--format', values.format as string, LIST_FORMATS);
    const defs = await loadRules((values.rules ?? []).map((d) => resolve(io.cwd, d)));
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
  if (sub === 'validate') {
    const { positionals } = parse(rest, {});
    if (positionals.length === 0) throw new InputError('rules validate: name a rule directory or file');
    let count = 0;
    for (const file of discoverRuleFiles(positionals.map((p) => resolve(io.cwd, p)), io.cwd)) {
      loadRuleFile(file.display, file.text);
      count++;
    }
    if (count === 0) throw new InputError(`rules validate: no rule files (*.yaml) in ${positionals.join(', ')}`);
    io.stdout(`${count} rule file${count === 1 ? '' : 's'} valid\n`);
    return 0;
  }
  throw new InputError(`rules: unknown subcommand "${sub ?? ''}" (expected list or validate)`);
}
