import { Command, CommanderError, Option } from 'commander';
import type { LoadtestDeps } from '../loadtest/cli.js';
import { InputError } from '../util/input-error.js';
import { redactUrlCredentials } from '../util/redact.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { COMMANDS, allCommands, longName, optionsOf, takesValue, type CommandSpec, type OptionSpec } from './commands.js';
import { createLog, type Log } from './log.js';

/** Streams, environment and terminal facts of one CLI run (injected: tests run it in-process). */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout is a terminal (colors). */
  isTTY: boolean;
  /** stderr is a terminal (progress). */
  stderrIsTTY?: boolean;
}

/** Parsed option values by long flag name (`fail-on`, `no-color`); repeatable options are arrays. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command handler gets. */
export interface CommandContext {
  values: OptionValues;
  args: string[];
  io: CliIO;
  log: Log;
  deps: LoadtestDeps;
}

type Handler = (ctx: CommandContext) => Promise<number>;

// Handlers load their code on demand: `--help`, completion and usage errors never load the
// scanner, the AWS SDK or the load-test code.
const HANDLERS: Record<string, Handler> = {
  scan: async (ctx) => (await import('./main.js')).scanCommand(ctx),
  'rules list': async (ctx) => (await import('./main.js')).rulesList(ctx),
  'rules validate': async (ctx) => (await import('./main.js')).rulesValidate(ctx),
  'rules explain': async (ctx) => (await import('./main.js')).rulesExplain(ctx),
  export: async (ctx) => (await import('./live.js')).exportCommand(ctx.values, ctx.args, ctx.io),
  'loadtest seed': async (ctx) => (await import('../loadtest/cli.js')).seedCommand(ctx),
  'loadtest run': async (ctx) => (await import('../loadtest/cli.js')).runCommand(ctx),
  'loadtest report': async (ctx) => (await import('../loadtest/cli.js')).reportCommand(ctx),
  'loadtest cleanup': async (ctx) => (await import('../loadtest/cli.js')).cleanupCommand(ctx),
  completion: async (ctx) => (await import('./completion.js')).completionCommand(ctx),
};

/** Help text lines wrap at this width whatever the terminal, so help is the same everywhere. */
const HELP_WIDTH = 100;

/**
 * Runs the CLI; returns the exit code: 0 ok, 1 findings (scan) or a failed run (loadtest), 2 a
 * usage or input error, printed as one line `cognito-guard: ...`. Never throws for user mistakes.
 */
export async function main(argv: string[], io: CliIO, deps: LoadtestDeps = {}): Promise<number> {
  let code = 0;
  const program = buildProgram(io, deps, (c) => (code = c));
  try {
    await program.parseAsync(helpArgs(argv), { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err, io);
    if (err instanceof InputError) {
      io.stderr(`${TOOL_NAME}: ${redactUrlCredentials(err.toString())}\n`);
      return 2;
    }
    // A bug, not a user mistake. Still one line and exit 2: an uncaught throw would print a stack
    // trace and leave Node's exit code 1, which reads as "findings" to a CI job. The stack is
    // there for whoever asks (COGNITO_GUARD_DEBUG=1).
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`${TOOL_NAME}: internal error: ${redactUrlCredentials(message.split('\n')[0] ?? '')} (a bug: please report it; COGNITO_GUARD_DEBUG=1 prints the stack)\n`);
    if (io.env.COGNITO_GUARD_DEBUG && err instanceof Error && err.stack) io.stderr(`${redactUrlCredentials(err.stack)}\n`);
    return 2;
  }
}

/**
 * `help loadtest run` and `loadtest help run` are `loadtest run --help` when that command exists;
 * an unknown name is parsed as a command, so it gets the usual one-line error with a suggestion.
 */
function helpArgs(argv: string[]): string[] {
  const paths = new Set(allCommands().map((c) => c.path.join(' ')));
  // Only right after the program or a group: `scan help` scans a directory named help.
  const groups = new Set(['', ...allCommands().filter((c) => c.spec.subcommands).map((c) => c.path.join(' '))]);
  const at = argv.indexOf('help');
  if (at < 0 || at === argv.length - 1 || !groups.has(argv.slice(0, at).join(' '))) return argv;
  const target = [...argv.slice(0, at), ...argv.slice(at + 1)];
  return paths.has(target.join(' ')) ? [...target, '--help'] : target;
}

function commanderExit(err: CommanderError & { commandPath?: string[] }, io: CliIO): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
  // A group named without its subcommand: commander printed the group's help on stderr.
  if (err.code === 'commander.help') return 2;
  const path = err.commandPath ?? [];
  let message = err.message.replace(/^error: /, '');
  const suggestion = /\n\(Did you mean (.+)\?\)$/.exec(message);
  message = message.replace(/\n[\s\S]*$/, '');
  const hint = suggestion ? ` (did you mean ${suggestion[1]}?)` : ` (see ${[TOOL_NAME, ...path].join(' ')} --help)`;
  io.stderr(`${TOOL_NAME}: ${path.length ? `${path.join(' ')}: ` : ''}${redactUrlCredentials(message)}${hint}\n`);
  return 2;
}

function buildProgram(io: CliIO, deps: LoadtestDeps, setCode: (code: number) => void): Command {
  const program = new Command(TOOL_NAME)
    .description('Policy-as-code security analyzer for AWS Cognito, IAM and API Gateway, with k6 load tests for Cognito sign-in.')
    .version(TOOL_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command...]', 'show help for a command')
    .configureHelp({ helpWidth: HELP_WIDTH })
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Errors are printed once, as one line, by main().
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  program.exitOverride(rethrowWithPath([]));
  program.addHelpText(
    'after',
    [
      '',
      'Exit codes: 0 ok, 1 findings at or above --fail-on (scan) or a failed run (loadtest), 2 usage, input or load error.',
      '',
      'Examples:',
      `  $ ${TOOL_NAME} scan infra/  # every template under infra/`,
      `  $ ${TOOL_NAME} help scan  # the options of a command, with examples (or: scan --help)`,
      `  $ source <(${TOOL_NAME} completion bash)  # tab completion`,
    ].join('\n'),
  );
  for (const spec of COMMANDS) addCommand(program, spec, [], io, deps, setCode);
  return program;
}

function rethrowWithPath(path: string[]) {
  return (err: CommanderError): never => {
    throw Object.assign(err, { commandPath: path });
  };
}

function addCommand(parent: Command, spec: CommandSpec, parentPath: string[], io: CliIO, deps: LoadtestDeps, setCode: (code: number) => void): void {
  const path = [...parentPath, spec.name];
  const cmd = parent.command(spec.name).summary(spec.summary).description(spec.description ?? spec.summary);
  cmd.exitOverride(rethrowWithPath(path));
  if (spec.arguments) cmd.argument(spec.arguments.syntax, spec.arguments.description);
  const options = optionsOf(spec).map((o) => [o, toCommanderOption(o)] as const);
  for (const [, option] of options) cmd.addOption(option);
  const after = helpFooter(spec);
  if (after) cmd.addHelpText('after', after);
  if (spec.subcommands) {
    cmd.helpCommand('help [command]', 'show help for a subcommand');
    for (const sub of spec.subcommands) addCommand(cmd, sub, path, io, deps, setCode);
    return;
  }
  const handler = HANDLERS[path.join(' ')];
  if (!handler) throw new Error(`no handler for ${path.join(' ')}`);
  cmd.action(async () => {
    const values = optionValues(cmd, options, io.env);
    const log = createLog({
      stderr: io.stderr,
      stderrIsTTY: io.stderrIsTTY ?? false,
      quiet: values.quiet === true,
      verbose: values.verbose === true,
    });
    const args = cmd.processedArgs.flat().map(String);
    setCode(await handler({ values, args, io, log, deps }));
  });
}

function toCommanderOption(spec: OptionSpec): Option {
  const extras = [
    spec.choices && `one of ${spec.choices.join(', ')}`,
    spec.defaultValue && `default: ${spec.defaultValue}`,
    spec.env && `env ${spec.env}`,
    spec.repeatable && 'repeatable',
    spec.required && 'required',
  ].filter(Boolean);
  const option = new Option(spec.flags, extras.length ? `${spec.description} (${extras.join('; ')})` : spec.description);
  if (spec.repeatable) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return option;
}

/**
 * Values by long name: the flag, else the environment variable the spec names (so CI can set
 * `COGNITO_GUARD_FAIL_ON` once and a flag still wins), checked against the spec's choices.
 */
function optionValues(cmd: Command, options: ReadonlyArray<readonly [OptionSpec, Option]>, env: NodeJS.ProcessEnv): OptionValues {
  const values: OptionValues = {};
  for (const [spec, option] of options) {
    const name = longName(spec);
    const raw = cmd.getOptionValue(option.attributeName()) as string | boolean | string[] | undefined;
    let value = option.negate ? raw === false : raw;
    let from = `--${name}`;
    if (value === undefined && spec.env && env[spec.env]) {
      value = env[spec.env];
      from = spec.env;
    }
    if (spec.choices && takesValue(spec) && typeof value === 'string' && !spec.choices.includes(value)) {
      throw new InputError(`${from} must be one of: ${spec.choices.join(', ')} (got "${value}")`);
    }
    values[name] = value;
  }
  return values;
}

function helpFooter(spec: CommandSpec): string {
  const env = (spec.options ?? []).filter((o) => o.env);
  const lines: string[] = [];
  if (env.length) {
    lines.push('', 'Environment (a flag wins over its variable):');
    const width = Math.max(...env.map((o) => o.env!.length));
    for (const o of env) lines.push(`  ${o.env!.padEnd(width)}  same as --${longName(o)}`);
  }
  if (spec.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  $ ${e}`);
  }
  return lines.join('\n');
}
