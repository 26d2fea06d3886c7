import { InputError } from '../util/input-error.js';
import { TOOL_NAME } from '../version.js';
import { COMMANDS, SHELLS, allCommands, longName, optionsOf, shortFlag, takesValue, type CommandSpec, type OptionSpec } from './commands.js';
import type { CommandContext } from './program.js';

/** `cognito-guard completion <shell>`. */
export async function completionCommand({ args, io }: CommandContext): Promise<number> {
  const shell = args[0] ?? '';
  if (!(SHELLS as readonly string[]).includes(shell)) throw new InputError(`completion: shell must be one of: ${SHELLS.join(', ')} (got "${shell}")`);
  io.stdout(completionScript(shell as (typeof SHELLS)[number]));
  return 0;
}

/** The completion script for one shell, generated from the command definitions. */
export function completionScript(shell: (typeof SHELLS)[number]): string {
  return shell === 'bash' ? bashScript() : shell === 'zsh' ? zshScript() : fishScript();
}

const commandPaths = () => allCommands().map(({ path, spec }) => ({ key: path.join(' '), path, spec }));
const flagsOf = (spec: CommandSpec) => optionsOf(spec).flatMap((o) => [shortFlag(o), `--${longName(o)}`].filter((f): f is string => !!f));
const topNames = () => ['help', ...COMMANDS.map((c) => c.name)];
/** Every command path and `help`, `|`-separated, for the scripts to recognise command words. */
const knownPaths = () => ['help', ...commandPaths().map((c) => c.key)].join('|');
/** Flags that take a value anywhere: the word after one is a value, not a command. */
const valueFlags = () => [...new Set(allCommands().flatMap(({ spec }) => optionsOf(spec).filter(takesValue).map((o) => `--${longName(o)}`)))].sort();

function bashScript(): string {
  const lines = [
    `# ${TOOL_NAME} completion for bash. Load it with: source <(${TOOL_NAME} completion bash)`,
    '_cognito_guard() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmdpath="" i w skip=0',
    `  local known="|${knownPaths()}|"`,
    '  [[ $COMP_CWORD -gt 0 ]] && prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  # The command path: the words before the cursor that name a (sub)command; flags, flag values',
    '  # and file arguments are passed over.',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    w="${COMP_WORDS[i]}"',
    '    if [[ $skip -eq 1 ]]; then skip=0; continue; fi',
    `    case "$w" in ${valueFlags().join('|')}) skip=1; continue ;; -*) continue ;; esac`,
    '    [[ $known == *"|${cmdpath:+$cmdpath }$w|"* ]] && cmdpath="${cmdpath:+$cmdpath }$w"',
    '  done',
    '  local values=""',
    '  case "$cmdpath:$prev" in',
  ];
  for (const { key, spec } of commandPaths()) {
    for (const o of optionsOf(spec).filter(takesValue)) {
      const action = o.choices
        ? `values="${o.choices.join(' ')}"`
        : o.valueKind === 'dir'
          ? 'COMPREPLY=($(compgen -d -- "$cur")); return 0'
          : o.valueKind === 'file'
            ? 'COMPREPLY=($(compgen -f -- "$cur")); return 0'
            : 'COMPREPLY=(); return 0';
      lines.push(`    "${key}:--${longName(o)}") ${action} ;;`);
    }
  }
  lines.push('  esac');
  lines.push('  if [[ -n $values ]]; then COMPREPLY=($(compgen -W "$values" -- "$cur")); return 0; fi');
  lines.push('  local words="" files=0');
  lines.push('  case "$cmdpath" in');
  lines.push(`    "") words="${topNames().join(' ')} --help --version" ;;`);
  lines.push(`    help) words="${COMMANDS.map((c) => c.name).join(' ')}" ;;`);
  for (const { key, spec } of commandPaths()) {
    const subs = (spec.subcommands ?? []).map((s) => s.name);
    const words = [...subs, ...(subs.length ? ['help'] : []), ...flagsOf(spec), '--help'];
    const takesFiles = spec.arguments?.valueKind === 'file';
    const extra = spec.name === 'completion' ? ` ${SHELLS.join(' ')}` : '';
    lines.push(`    "${key}") words="${words.join(' ')}${extra}"${takesFiles ? '; files=1' : ''} ;;`);
  }
  lines.push('  esac');
  lines.push('  if [[ $files -eq 1 && $cur != -* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return 0; fi');
  lines.push('  COMPREPLY=($(compgen -W "$words" -- "$cur"))');
  lines.push('}');
  lines.push(`complete -o default -F _cognito_guard ${TOOL_NAME}`);
  return lines.join('\n') + '\n';
}

function zshQuote(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, `'\\''`).replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/:/g, '\\:');
}

/** `_arguments` specs of one option: its long flag and its short alias, if any. */
function zshOption(o: OptionSpec): string[] {
  const star = o.repeatable ? '*' : '';
  const value = !takesValue(o) ? '' : o.choices ? `:value:(${o.choices.join(' ')})` : o.valueKind === 'dir' ? ':dir:_files -/' : o.valueKind === 'file' ? ':file:_files' : ':value: ';
  return [shortFlag(o), `--${longName(o)}`].filter((f): f is string => !!f).map((flag) => `'${star}${flag}[${zshQuote(o.description)}]${value}'`);
}

/** `'name:summary'` elements of a `_describe` array. */
function describeList(specs: ReadonlyArray<Pick<CommandSpec, 'name' | 'summary'>>): string {
  return specs.map((s) => `'${s.name}:${s.summary.replace(/'/g, `'\\''`).replace(/:/g, '\\:')}'`).join(' ');
}

function zshScript(): string {
  const lines = [
    `#compdef ${TOOL_NAME}`,
    `# ${TOOL_NAME} completion for zsh: save as _${TOOL_NAME} in a directory on $fpath.`,
    '_cognito_guard() {',
    '  local cmdpath="" i w skip=0',
    `  local known="|${knownPaths()}|"`,
    '  for ((i = 2; i < CURRENT; i++)); do',
    '    w="${words[i]}"',
    '    if (( skip )); then skip=0; continue; fi',
    `    case "$w" in ${valueFlags().join('|')}) skip=1; continue ;; -*) continue ;; esac`,
    '    [[ $known == *"|${cmdpath:+$cmdpath }$w|"* ]] && cmdpath="${cmdpath:+$cmdpath }$w"',
    '  done',
    '  case "$cmdpath" in',
    `    "") local -a cmds=(${describeList([...COMMANDS, { name: 'help', summary: 'show help for a command' }])}); _describe command cmds ;;`,
    `    help) compadd ${COMMANDS.map((c) => c.name).join(' ')} ;;`,
  ];
  for (const { key, spec } of commandPaths()) {
    const subs = spec.subcommands ?? [];
    if (subs.length) {
      lines.push(`    "${key}") local -a cmds=(${describeList(subs)}); _describe command cmds ;;`);
      continue;
    }
    const rest = spec.name === 'completion' ? `'*:shell:(${SHELLS.join(' ')})'` : spec.arguments?.valueKind === 'file' ? `'*:file:_files'` : `'*: :'`;
    lines.push(`    "${key}") _arguments -s ${optionsOf(spec).flatMap(zshOption).join(' ')} ${rest} ;;`);
  }
  lines.push('  esac', '}', '_cognito_guard "$@"');
  return lines.join('\n') + '\n';
}

function fishScript(): string {
  const c = `complete -c ${TOOL_NAME}`;
  const lines = [`# ${TOOL_NAME} completion for fish: save as ~/.config/fish/completions/${TOOL_NAME}.fish`, `${c} -f`];
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const top = COMMANDS.map((x) => x.name);
  lines.push(`${c} -n '__fish_use_subcommand' -a help -d 'show help for a command'`);
  for (const spec of COMMANDS) lines.push(`${c} -n '__fish_use_subcommand' -a ${spec.name} -d ${quote(spec.summary)}`);
  lines.push(`${c} -n '__fish_seen_subcommand_from help' -a ${quote(top.join(' '))}`);
  for (const { path, spec } of commandPaths()) {
    const seen = path.map((p) => `__fish_seen_subcommand_from ${p}`).join('; and ');
    const subs = spec.subcommands ?? [];
    if (subs.length) {
      const none = `${seen}; and not __fish_seen_subcommand_from ${subs.map((s) => s.name).join(' ')}`;
      for (const s of subs) lines.push(`${c} -n ${quote(none)} -a ${s.name} -d ${quote(s.summary)}`);
    }
    if (spec.name === 'completion') lines.push(`${c} -n ${quote(seen)} -a ${quote(SHELLS.join(' '))}`);
    if (spec.arguments?.valueKind === 'file') lines.push(`${c} -n ${quote(seen)} -F`);
    for (const o of optionsOf(spec)) {
      const short = shortFlag(o);
      const value = !takesValue(o) ? '' : o.choices ? ` -x -a ${quote(o.choices.join(' '))}` : o.valueKind ? ' -r -F' : ' -x';
      lines.push(`${c} -n ${quote(seen)}${short ? ` -s ${short.slice(1)}` : ''} -l ${longName(o)}${value} -d ${quote(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}
