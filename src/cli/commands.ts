/**
 * What every command accepts, declared once. The parser (program.ts), `--help`, the shell
 * completion scripts (completion.ts), docs/cli.md and the README's usage block (docs.ts) are all
 * generated from this list, so they cannot disagree. Data only: no imports that load the scanner,
 * the AWS SDK or the load-test code, so `--help` and completion stay fast.
 */

/** What an option's value is, for completion: a file, a directory, or free text. */
export type ValueKind = 'file' | 'dir' | 'text';

/** One option of one command. */
export interface OptionSpec {
  /** Commander flags, e.g. `--format <format>`, `--no-color`, `-q, --quiet`. */
  flags: string;
  description: string;
  /** The only values accepted (checked by the CLI with one message for every command). */
  choices?: readonly string[];
  /** Default shown in help; the handler applies it. */
  defaultValue?: string;
  /** Environment variable read when the flag is absent (the flag wins). */
  env?: string;
  /** May be given more than once; the values are collected in order. */
  repeatable?: boolean;
  /** Shown in help; checked by the handler with its own message. */
  required?: boolean;
  valueKind?: ValueKind;
}

/** A command (a leaf with a handler) or a group of subcommands. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Longer text shown under the usage line of `--help`. */
  description?: string;
  /** Positional arguments in commander syntax, e.g. `<paths...>`. */
  arguments?: { syntax: string; description: string; valueKind?: ValueKind };
  options?: readonly OptionSpec[];
  /** Shell lines with a trailing `# comment`, shown in help and docs. */
  examples?: readonly string[];
  subcommands?: readonly CommandSpec[];
}

/** `--quiet` and `--verbose` are accepted by every command. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { flags: '-q, --quiet', description: 'print only the result, warnings and errors: no progress, notes or summaries on stderr' },
  { flags: '--verbose', description: 'explain on stderr what is being done (files loaded, rules, timings, the k6 command)' },
];

/** Report formats of `scan`. */
export const SCAN_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
/** `--fail-on` values. */
export const FAIL_ON_VALUES = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;
/** Shells `completion` writes scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** The options `scan --live` and `export --live` share (read by src/cli/live.ts). */
export const LIVE_OPTIONS: readonly OptionSpec[] = [
  { flags: '--live', description: "read the AWS account(s) the SDK's credentials reach instead of files (read-only)" },
  { flags: '--region <region>', description: 'Region to read (default: AWS_REGION or the profile\'s Region)', repeatable: true },
  { flags: '--all-regions', description: 'read every Region Cognito is offered in' },
  { flags: '--profile <profile>', description: 'named profile of ~/.aws/config' },
  { flags: '--role-arn <arn>', description: 'assume this role (STS) and read its account', repeatable: true },
  { flags: '--external-id <id>', description: 'external id for --role-arn' },
  { flags: '--max-rps <n>', description: 'requests per second per quota category', defaultValue: 'a fifth of each default quota' },
  {
    flags: '--snapshot <file>',
    description: 'where the snapshot the findings point at is written',
    defaultValue: 'beside --output, else cognito-guard-snapshot.json',
    valueKind: 'file',
  },
];

const endpoint: OptionSpec = {
  flags: '--endpoint <url>',
  description: 'Cognito API endpoint (an emulator such as cognito-local); env COGNITO_ENDPOINT',
};

/** Every command of the CLI, in the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'scan',
    summary: 'scan CloudFormation templates and snapshots for Cognito, IAM and API Gateway problems',
    description:
      'Directories are searched recursively for CloudFormation templates and cognito-guard snapshots; other files are ' +
      'skipped and listed on stderr. Exit 0: no open finding at or above --fail-on; 1: findings (failed or unknown); ' +
      '2: usage, input or load error.',
    arguments: { syntax: '[paths...]', description: 'templates, snapshots or directories to scan (none with --live)', valueKind: 'file' },
    options: [
      { flags: '--format <format>', description: 'report format', choices: SCAN_FORMATS, defaultValue: 'text', env: 'COGNITO_GUARD_FORMAT' },
      { flags: '--output <file>', description: 'write the report to FILE (a summary goes to stderr)', valueKind: 'file' },
      {
        flags: '--fail-on <severity>',
        description: 'lowest severity that fails the scan (none: never fail on findings)',
        choices: FAIL_ON_VALUES,
        defaultValue: 'low, or failOn from the config file',
        env: 'COGNITO_GUARD_FAIL_ON',
      },
      {
        flags: '--config <file>',
        description: 'config file (default: .cognito-guard.yml if present)',
        env: 'COGNITO_GUARD_CONFIG',
        valueKind: 'file',
      },
      { flags: '--rules <dir>', description: 'extra rule directory', repeatable: true, valueKind: 'dir' },
      { flags: '--param <key=value>', description: 'template parameter value; wins over parameter files and Defaults', repeatable: true },
      {
        flags: '--param-file <file>',
        description: 'parameter file: CloudFormation CLI, CodePipeline or flat JSON',
        repeatable: true,
        valueKind: 'file',
      },
      { flags: '--var <name=value>', description: 'Terraform input variable; wins over --var-file, *.auto.tfvars and defaults', repeatable: true },
      {
        flags: '--var-file <file>',
        description: 'Terraform variable file (.tfvars or .tfvars.json), after the module\'s terraform.tfvars',
        repeatable: true,
        valueKind: 'file',
      },
      { flags: '--baseline <file>', description: 'findings recorded in FILE are marked suppressed (only new ones fail)', valueKind: 'file' },
      { flags: '--write-baseline <file>', description: 'record the open findings of this scan in FILE', valueKind: 'file' },
      { flags: '--include-suppressed', description: 'keep suppressed findings in SARIF (GitHub ignores SARIF suppressions)' },
      { flags: '--no-color', description: 'no ANSI colors (NO_COLOR is honored too)' },
      ...LIVE_OPTIONS,
    ],
    examples: [
      'cognito-guard scan infra/  # every template under infra/',
      'cognito-guard scan template.yaml --param Stage=prod --fail-on high',
      'cognito-guard scan infra/auth --var-file prod.tfvars --var env=prod  # a Terraform module',
      'cognito-guard scan . --format sarif --output cognito-guard.sarif  # for GitHub code scanning',
      'COGNITO_GUARD_FAIL_ON=critical cognito-guard scan infra/  # CI: the flag wins over the variable',
      'cognito-guard scan --live --all-regions --format sarif --output live.sarif  # findings point at live.snapshot.json',
    ],
  },
  {
    name: 'export',
    summary: 'write what a live scan reads as a snapshot file',
    options: [
      ...LIVE_OPTIONS.filter((o) => o.flags !== '--snapshot <file>'),
      { flags: '--output <file>', description: 'snapshot file to write', required: true, valueKind: 'file' },
    ],
    examples: ['cognito-guard export --live --region eu-west-1 --output snapshot.json  # then: cognito-guard scan snapshot.json'],
  },
  {
    name: 'rules',
    summary: 'list, explain and validate rules',
    examples: ['cognito-guard rules list', 'cognito-guard rules explain cognito-user-pool-mfa-enabled', 'cognito-guard rules validate my-rules/'],
    subcommands: [
      {
        name: 'list',
        summary: 'list the rules (bundled and from --rules directories)',
        options: [
          { flags: '--rules <dir>', description: 'extra rule directory', repeatable: true, valueKind: 'dir' },
          { flags: '--format <format>', description: 'output format', choices: ['text', 'json'], defaultValue: 'text' },
        ],
        examples: ['cognito-guard rules list', 'cognito-guard rules list --rules my-rules --format json'],
      },
      {
        name: 'validate',
        summary: 'check every rule file in the given directories or files',
        arguments: { syntax: '<paths...>', description: 'rule directories or files', valueKind: 'file' },
        examples: ['cognito-guard rules validate my-rules/  # exit 2 with file:line:col on the first bad rule'],
      },
      {
        name: 'explain',
        summary: "print one rule's reference: what it checks, why, its parameters, the fix and the same check elsewhere",
        arguments: { syntax: '<rule-id>', description: 'a rule id, as `rules list` prints it' },
        options: [{ flags: '--rules <dir>', description: 'extra rule directory', repeatable: true, valueKind: 'dir' }],
        examples: ['cognito-guard rules explain cognito-guest-role-least-privilege'],
      },
    ],
  },
  {
    name: 'loadtest',
    summary: 'load-test Cognito sign-in with the bundled k6 scripts (see loadtests/README.md)',
    description:
      'Load-test Cognito sign-in with the bundled k6 scripts: seed test users, run a scenario against the pool, ' +
      'read the report, clean the users up. Rates above the default Cognito quotas are refused. See loadtests/README.md.',
    examples: [
      'cognito-guard loadtest seed --user-pool-id eu-west-1_AbC123 --client-id 1example --count 50 --output users.json',
      'cognito-guard loadtest run --script initiate-auth --scenario spike --rate 20 --duration 2m --user-pool-id eu-west-1_AbC123 \\\n' +
        '    --client-id 1example --users users.json --summary out/summary.json',
      'cognito-guard loadtest cleanup --user-pool-id eu-west-1_AbC123 --users users.json',
    ],
    subcommands: [
      {
        name: 'seed',
        summary: 'create test users with random passwords and write them to a users file (mode 0600)',
        options: [
          { flags: '--user-pool-id <id>', description: 'user pool to seed (<region>_<id>)', required: true },
          { flags: '--client-id <id>', description: 'app client the load test signs in with', required: true },
          { flags: '--count <n>', description: 'number of users (at most 100000)', required: true },
          { flags: '--output <file>', description: 'users file to write; must not exist', required: true, valueKind: 'file' },
          { flags: '--rate <users-per-s>', description: 'users created per second (at most 30)', defaultValue: '10' },
          endpoint,
        ],
        examples: ['cognito-guard loadtest seed --user-pool-id eu-west-1_AbC123 --client-id 1example --count 50 --output users.json'],
      },
      {
        name: 'run',
        summary: 'run a k6 script against a user pool and report latency, throughput, throttling and errors',
        description: 'Real runs need k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/). Rates above the default Cognito quotas are refused.',
        options: [
          { flags: '--script <name>', description: 'k6 script', choices: ['initiate-auth', 'token-refresh', 'token-endpoint'], required: true },
          { flags: '--scenario <name>', description: 'load shape', choices: ['smoke', 'load', 'stress', 'spike', 'soak'], required: true },
          { flags: '--rate <r>', description: 'requests per second (the peak of a spike, the start of a stress ramp); required except for smoke, which runs 1/s' },
          { flags: '--duration <d>', description: 'run time, e.g. 30s, 5m, 1h30m', required: true },
          { flags: '--user-pool-id <id>', description: 'user pool under test', required: true },
          { flags: '--client-id <id>', description: 'app client', required: true },
          { flags: '--users <file>', description: 'users file from `loadtest seed` (scripts that sign users in)', valueKind: 'file' },
          { flags: '--summary <file>', description: 'where to write the k6 summary', required: true, valueKind: 'file' },
          { flags: '--ceiling <r>', description: 'highest rate of a stress ramp', defaultValue: '2 × --rate' },
          { flags: '--vus <n>', description: 'pre-allocated k6 VUs' },
          { flags: '--max-vus <n>', description: 'most k6 VUs' },
          { flags: '--points <file>', description: 'k6 JSON points output', defaultValue: 'SUMMARY.points.json', valueKind: 'file' },
          { flags: '--html <file>', description: 'HTML report with charts', defaultValue: 'SUMMARY.html', valueKind: 'file' },
          endpoint,
          { flags: '--token-endpoint <url-or-domain>', description: 'OAuth token endpoint or user pool domain (--script token-endpoint)' },
          { flags: '--grant <grant>', description: 'token endpoint grant', choices: ['client_credentials', 'refresh_token'], defaultValue: 'client_credentials' },
          { flags: '--scope <scope>', description: 'OAuth scope for client_credentials' },
          { flags: '--client-secret-env <name>', description: 'NAME of the environment variable holding the app client secret (never the secret)' },
          { flags: '--allow-above-quota', description: 'run above the default quotas (needs --confirm-pool)' },
          { flags: '--confirm-pool <id>', description: 'the pool under test, repeated to confirm --allow-above-quota' },
          { flags: '--k6 <path>', description: 'k6 binary (default: k6 on PATH)', valueKind: 'file' },
        ],
        examples: [
          'cognito-guard loadtest run --script initiate-auth --scenario load --rate 20 --duration 5m \\\n' +
            '    --user-pool-id eu-west-1_AbC123 --client-id 1example --users users.json --summary out/summary.json',
        ],
      },
      {
        name: 'report',
        summary: 'print (and chart) the report of an earlier run from its summary file',
        arguments: { syntax: '<summary>', description: 'summary file written by `loadtest run` or k6', valueKind: 'file' },
        options: [
          { flags: '--points <file>', description: 'k6 JSON points output (for the charts)', valueKind: 'file' },
          { flags: '--html <file>', description: 'write an HTML report with charts', valueKind: 'file' },
        ],
        examples: ['cognito-guard loadtest report out/summary.json --points out/summary.points.json --html out/report.html'],
      },
      {
        name: 'cleanup',
        summary: 'delete exactly the users a users file lists, then the file',
        options: [
          { flags: '--user-pool-id <id>', description: 'user pool the users were seeded in', required: true },
          { flags: '--users <file>', description: 'users file from `loadtest seed`', required: true, valueKind: 'file' },
          { flags: '--rate <deletions-per-s>', description: 'deletions per second (at most 25)', defaultValue: '10' },
          endpoint,
          { flags: '--keep-users-file', description: 'keep the users file after deleting its users' },
        ],
        examples: ['cognito-guard loadtest cleanup --user-pool-id eu-west-1_AbC123 --users users.json'],
      },
    ],
  },
  {
    name: 'completion',
    summary: 'print a shell completion script',
    arguments: { syntax: '<shell>', description: `one of ${SHELLS.join(', ')}` },
    examples: [
      'source <(cognito-guard completion bash)  # in ~/.bashrc',
      'cognito-guard completion zsh > "${fpath[1]}/_cognito-guard"',
      'cognito-guard completion fish > ~/.config/fish/completions/cognito-guard.fish',
    ],
  },
];

/** Every command with its path (`['loadtest', 'run']`), groups included, depth first. */
export function allCommands(specs: readonly CommandSpec[] = COMMANDS, parent: string[] = []): Array<{ path: string[]; spec: CommandSpec }> {
  return specs.flatMap((spec) => [{ path: [...parent, spec.name], spec }, ...allCommands(spec.subcommands ?? [], [...parent, spec.name])]);
}

/**
 * The options a command accepts: its own and the common ones. Groups (`rules`, `loadtest`) take
 * none: commander would give a group's `--verbose` the value typed after its subcommand.
 */
export function optionsOf(spec: CommandSpec): readonly OptionSpec[] {
  return spec.subcommands ? (spec.options ?? []) : [...(spec.options ?? []), ...COMMON_OPTIONS];
}

/** `--format <format>` → `format`; `--no-color` → `no-color`; `-q, --quiet` → `quiet`. */
export function longName(option: OptionSpec): string {
  return /--([\w-]+)/.exec(option.flags)![1]!;
}

/** Whether the option takes a value. */
export function takesValue(option: OptionSpec): boolean {
  return /[<[]/.test(option.flags);
}

/** `--format <format>` → `-q`, for the short alias if any. */
export function shortFlag(option: OptionSpec): string | undefined {
  return /^(-\w),/.exec(option.flags)?.[1];
}
