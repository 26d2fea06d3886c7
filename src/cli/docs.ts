import { TOOL_NAME } from '../version.js';
import { COMMON_OPTIONS, allCommands, longName, optionsOf, shortFlag, takesValue, type CommandSpec, type OptionSpec } from './commands.js';

const WIDTH = 100;

/** `--format text|json` for options with choices, else the flags as declared (without a short alias). */
function synopsisOf(o: OptionSpec): string {
  const flag = `--${longName(o)}`;
  if (!takesValue(o)) return flag;
  const value = o.choices ? o.choices.join('|') : /<([^>]+)>/.exec(o.flags)![1]!.toUpperCase();
  return `${flag} ${value}${o.repeatable ? '...' : ''}`;
}

const leaves = () => allCommands().filter(({ spec }) => !spec.subcommands);

function usageLines(path: string[], spec: CommandSpec): string[] {
  const head = [TOOL_NAME, ...path, ...(spec.arguments ? [spec.arguments.syntax] : [])].join(' ');
  const parts = (spec.options ?? []).map((o) => (o.required ? synopsisOf(o) : `[${synopsisOf(o)}]`));
  // Continuation lines start under the first option, like the README always had it.
  const indent = ' '.repeat([TOOL_NAME, ...path].join(' ').length);
  const lines: string[] = [];
  let line = head;
  for (const part of parts) {
    if (line.length + 1 + part.length > WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += ` ${part}`;
  }
  lines.push(line);
  return lines;
}

/**
 * The README's usage block (between `<!-- cli-usage:start -->` and `<!-- cli-usage:end -->`),
 * generated from the command definitions; `test/cli/docs.test.ts` keeps the README in step.
 */
export function renderUsageBlock(): string {
  const lines = leaves().flatMap(({ path, spec }) => usageLines(path, spec));
  return ['```sh', ...lines, `${TOOL_NAME} help COMMAND          # or COMMAND --help: options and examples of any command`, '```'].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * `docs/cli.md`, generated from the command definitions so it cannot drift
 * (regenerate with `UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts`).
 */
export function renderCliDoc(): string {
  const out: string[] = [
    `# ${TOOL_NAME} command line`,
    '',
    '<!-- Generated from src/cli/commands.ts by src/cli/docs.ts. Do not edit by hand:',
    '     UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts -->',
    '',
    `Every command explains itself: \`${TOOL_NAME} COMMAND --help\` or \`${TOOL_NAME} help COMMAND\`.`,
    'A mistyped command or option gets a suggestion. Every command accepts',
    COMMON_OPTIONS.map((o) => `\`${[shortFlag(o), `--${longName(o)}`].filter(Boolean).join('`/`')}\``).join(' and ') +
      '; progress (with counts and an ETA) is drawn on stderr only when it is a terminal, never in CI logs or pipes.',
    '',
    '## Exit codes and errors',
    '',
    '| code | meaning |',
    '| --- | --- |',
    '| 0 | success; for `scan`, no open finding at or above `--fail-on` |',
    '| 1 | `scan`: open findings (failed **or unknown**) at or above `--fail-on`; `loadtest`: thresholds crossed or an AWS call or k6 run failed |',
    '| 2 | usage error (unknown command or option, bad value), unreadable or invalid input, rule or config file |',
    '',
    `Errors are one line on stderr, \`${TOOL_NAME}: FILE:LINE:COL: message\` when a file is to blame, or`,
    `\`${TOOL_NAME}: COMMAND: message\`, e.g. \`${TOOL_NAME}: scan: unknown option '--fail-onn' (did you mean --fail-on?)\`.`,
    '',
    '## Environment',
    '',
    '| variable | same as | command |',
    '| --- | --- | --- |',
    ...allCommands().flatMap(({ path, spec }) =>
      (spec.options ?? []).filter((o) => o.env).map((o) => `| \`${o.env}\` | \`--${longName(o)}\` | \`${path.join(' ')}\` |`),
    ),
    '',
    'A flag given on the command line wins over its variable. `NO_COLOR` turns colors off; `FORCE_COLOR` colors a pipe.',
    '',
    '## Commands',
    '',
  ];
  for (const { path, spec } of allCommands()) {
    out.push(`${'#'.repeat(Math.min(2 + path.length, 4))} \`${TOOL_NAME} ${path.join(' ')}\``, '', spec.summary + '.', '');
    if (spec.description) out.push(spec.description, '');
    if (spec.subcommands) {
      out.push('| subcommand | what it does |', '| --- | --- |');
      for (const sub of spec.subcommands) out.push(`| \`${sub.name}\` | ${cell(sub.summary)} |`);
      out.push('');
    } else {
      out.push('```sh', ...usageLines(path, spec), '```', '');
      if (spec.arguments) out.push(`\`${spec.arguments.syntax}\`: ${spec.arguments.description}.`, '');
      out.push('| option | description | default | env |', '| --- | --- | --- | --- |');
      for (const o of optionsOf(spec)) {
        const flags = [shortFlag(o), synopsisOf(o)].filter(Boolean).join(', ');
        const notes = [o.required && 'required', o.repeatable && 'repeatable'].filter(Boolean).join(', ');
        out.push(`| \`${cell(flags)}\` | ${cell(o.description)}${notes ? ` (${notes})` : ''} | ${o.defaultValue ? cell(o.defaultValue) : ''} | ${o.env ? `\`${o.env}\`` : ''} |`);
      }
      out.push('');
    }
    if (spec.examples?.length) out.push('Examples:', '', '```sh', ...spec.examples, '```', '');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
