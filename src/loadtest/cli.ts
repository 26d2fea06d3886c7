import { existsSync, statSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Log, Progress } from '../cli/log.js';
import { main, type CommandContext } from '../cli/program.js';
import { InputError } from '../util/input-error.js';
import { redactUrlCredentials } from '../util/redact.js';
import { packageRoot } from '../util/package-root.js';
import { TOOL_NAME } from '../version.js';
import { DEFAULT_CLEANUP_RATE, MAX_CLEANUP_RATE, cleanupUsers } from './cleanup.js';
import {
  defaultCognitoClientFactory,
  explicitEndpoint,
  k6Endpoint,
  regionFromPoolId,
  type CognitoClientFactory,
} from './cognito-client.js';
import { systemClock, type Clock } from './pace.js';
import { GRANTS, SCRIPTS, rateProblems, usesUsers, type Grant, type ScriptName } from './quotas.js';
import { readPoints, readSummary, renderHtml, renderTable, type TimeSeries } from './report.js';
import { K6_INSTALL_HINT, K6_THRESHOLDS_FAILED, findK6, k6Arguments, runK6 } from './run.js';
import { DEFAULT_SEED_RATE, MAX_SEED_RATE, seedUsers } from './seed.js';
import { readUsersFile } from './users-file.js';

/** Output streams, environment and working directory of one command. */
export interface LoadtestIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Replaceable edges for tests: the Cognito client, the clock, the platform. */
export interface LoadtestDeps {
  cognitoClientFactory?: CognitoClientFactory;
  clock?: Clock;
  platform?: NodeJS.Platform;
}

/** Scenario names the k6 scripts accept. */
export const SCENARIO_NAMES = ['smoke', 'load', 'stress', 'spike', 'soak'] as const;

type Values = CommandContext['values'];

function required(command: string, values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`loadtest ${command}: --${name} is required`);
  return value.trim();
}

function optional(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function positiveNumber(command: string, name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new InputError(`loadtest ${command}: --${name} is required`);
    return fallback;
  }
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`loadtest ${command}: --${name} must be a positive number, got "${text}"`);
  return n;
}

function positiveInteger(command: string, name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = positiveNumber(command, name, text);
  if (!Number.isInteger(n)) throw new InputError(`loadtest ${command}: --${name} must be a whole number, got "${text}"`);
  return n;
}

function checkPoolId(command: string, id: string): string {
  // `<region>_<suffix>`; emulators use their own prefixes (cognito-local: `local_`).
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(id)) throw new InputError(`loadtest ${command}: "${id}" is not a user pool id (<region>_<id>)`);
  return id;
}

function abs(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Refuses an output path that is a directory before anything runs, naming the path. */
function notADirectory(path: string, what: string): string {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // Missing is fine: it will be created.
  }
  if (isDir) throw new InputError(`cannot write the ${what}: it is a directory`, path);
  return path;
}

function withoutJson(path: string): string {
  return path.endsWith('.json') ? path.slice(0, -'.json'.length) : path;
}

/**
 * `cognito-guard loadtest <seed|run|report|cleanup> ...`, parsed like the rest of the CLI.
 * Returns the exit code: 0 ok, 1 thresholds crossed or a run/AWS call failed, 2 a usage or
 * input error (printed as one line).
 */
export async function runLoadtestCommand(argv: string[], io: LoadtestIO, deps: LoadtestDeps = {}): Promise<number> {
  return main(['loadtest', ...argv], { ...io, isTTY: false }, deps);
}

/**
 * Runs one load-test command body. An AWS call or k6 run that fails is exit 1 with its message
 * on one line; input errors go up to the CLI (exit 2).
 */
async function failing(body: () => Promise<number>, io: LoadtestIO): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof InputError) throw err;
    io.stderr(`${TOOL_NAME}: ${redactUrlCredentials(((err as Error).message ?? String(err)).split('\n')[0]!)}\n`);
    return 1;
  }
}

function client(poolId: string, endpointFlag: string | undefined, io: LoadtestIO, deps: LoadtestDeps) {
  const factory = deps.cognitoClientFactory ?? defaultCognitoClientFactory;
  return factory({ endpoint: explicitEndpoint(endpointFlag, io.env), region: regionFromPoolId(poolId) });
}

async function seed(values: Values, io: LoadtestIO, deps: LoadtestDeps, log: Log): Promise<number> {
  const userPoolId = checkPoolId('seed', required('seed', values, 'user-pool-id'));
  const clientId = required('seed', values, 'client-id');
  const count = positiveInteger('seed', 'count', required('seed', values, 'count'))!;
  if (count > 100_000) throw new InputError('loadtest seed: --count above 100000 is not supported (user pools have a user quota too)');
  const output = abs(io.cwd, required('seed', values, 'output'));
  const rate = positiveNumber('seed', 'rate', optional(values, 'rate'), DEFAULT_SEED_RATE);
  if (rate > MAX_SEED_RATE) {
    throw new InputError(
      `loadtest seed: --rate must be above 0 and at most ${MAX_SEED_RATE} users/s (AdminCreateUser counts against UserCreation, ` +
        'AdminSetUserPassword against UserAccountRecovery at 30/s, not adjustable)',
    );
  }
  if (existsSync(output)) throw new InputError('users file already exists; clean up its users first or choose another --output', output);
  const c = client(userPoolId, optional(values, 'endpoint'), io, deps);
  try {
    log.verbose(`creating ${count} users in ${userPoolId} at ${rate}/s (about ${Math.ceil(count / rate)} s)`);
    const progress = log.progress('seeding users', count);
    const result = await seedUsers(
      c,
      { userPoolId, clientId, count, output, rate, onProgress: (done) => progress.update(done) },
      deps.clock ?? systemClock,
      (line) => log.warn(line.replace(/^warning: /, '')),
    ).finally(() => progress.done());
    io.stdout(`created ${result.created} users in ${userPoolId}; users file (mode 0600, holds passwords): ${output}\n`);
    return 0;
  } finally {
    c.destroy();
  }
}

async function cleanup(values: Values, io: LoadtestIO, deps: LoadtestDeps, log: Log): Promise<number> {
  const userPoolId = checkPoolId('cleanup', required('cleanup', values, 'user-pool-id'));
  const usersPath = abs(io.cwd, required('cleanup', values, 'users'));
  const rate = positiveNumber('cleanup', 'rate', optional(values, 'rate'), DEFAULT_CLEANUP_RATE);
  if (rate > MAX_CLEANUP_RATE) {
    throw new InputError(`loadtest cleanup: --rate must be above 0 and at most ${MAX_CLEANUP_RATE} deletions/s (UserUpdate quota)`);
  }
  const c = client(userPoolId, optional(values, 'endpoint'), io, deps);
  try {
    log.verbose(`deleting the users listed in ${usersPath} from ${userPoolId} at ${rate}/s`);
    let progress: Progress | undefined;
    const result = await cleanupUsers(
      c,
      {
        userPoolId,
        usersPath,
        rate,
        keepUsersFile: values['keep-users-file'] === true,
        onProgress: (done, total) => (progress ??= log.progress('deleting users', total)).update(done),
      },
      deps.clock ?? systemClock,
    ).finally(() => progress?.done());
    io.stdout(
      `deleted ${result.deleted} users from ${userPoolId}` +
        (result.alreadyGone ? ` (${result.alreadyGone} were already gone)` : '') +
        (result.removedUsersFile ? `; removed ${usersPath}` : '') +
        '\n',
    );
    return 0;
  } finally {
    c.destroy();
  }
}

const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** A k6 duration (`1h30m`, `45s`) in seconds; undefined when it is not one. */
function durationSeconds(text: string): number | undefined {
  if (!DURATION_RE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

/** loadtests/lib/scenarios.js: smoke runs at most 1 request/s whatever --rate says. */
const SMOKE_MAX_RATE = 1;

/**
 * Warns when the users file (passwords) can be read by group or others; `seed` writes it 0600.
 * Windows has no such mode bits.
 */
async function warnIfShared(path: string, io: LoadtestIO, platform: NodeJS.Platform): Promise<void> {
  if (platform === 'win32') return;
  const mode = (await stat(path)).mode & 0o777;
  if (mode & 0o044) {
    io.stderr(`${TOOL_NAME}: warning: users file ${path} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}) and holds passwords; chmod 600 it\n`);
  }
}

async function run(values: Values, io: LoadtestIO, deps: LoadtestDeps, log: Log): Promise<number> {
  // k6 first: nothing else matters if the test cannot run.
  const k6Flag = optional(values, 'k6');
  const k6 = findK6(k6Flag ? abs(io.cwd, k6Flag) : undefined, io.env, deps.platform);
  if (!k6) {
    throw new InputError(
      k6Flag ? `loadtest run: --k6 ${k6Flag} is not an executable file; ${K6_INSTALL_HINT}` : `loadtest run: k6 is not on PATH; ${K6_INSTALL_HINT}`,
    );
  }
  const script = required('run', values, 'script') as ScriptName;
  if (!SCRIPTS.includes(script)) throw new InputError(`loadtest run: --script must be one of ${SCRIPTS.join(', ')}, got "${script}"`);
  const scenario = required('run', values, 'scenario');
  if (!(SCENARIO_NAMES as readonly string[]).includes(scenario)) {
    throw new InputError(`loadtest run: --scenario must be one of ${SCENARIO_NAMES.join(', ')}, got "${scenario}"`);
  }
  // Smoke runs a fixed small rate, so --rate may be left out.
  const rate = positiveNumber('run', 'rate', optional(values, 'rate'), scenario === 'smoke' ? SMOKE_MAX_RATE : undefined);
  const duration = required('run', values, 'duration');
  const seconds = /^[0.]+$/.test(duration) ? 0 : durationSeconds(duration);
  if (seconds === undefined) throw new InputError(`loadtest run: --duration must look like 30s, 5m or 1h30m, got "${duration}"`);
  if (seconds <= 0) throw new InputError(`loadtest run: --duration must be longer than zero, got "${duration}"`);
  const ceilingText = optional(values, 'ceiling');
  const ceiling = ceilingText === undefined ? undefined : positiveNumber('run', 'ceiling', ceilingText);
  if (ceiling !== undefined && scenario !== 'stress') throw new InputError('loadtest run: --ceiling only applies to --scenario stress');
  const userPoolId = checkPoolId('run', required('run', values, 'user-pool-id'));
  const clientId = required('run', values, 'client-id');
  const grant = (optional(values, 'grant') ?? (script === 'token-endpoint' ? 'client_credentials' : undefined)) as Grant | undefined;
  if (grant !== undefined && script !== 'token-endpoint') throw new InputError('loadtest run: --grant only applies to --script token-endpoint');
  if (grant !== undefined && !GRANTS.includes(grant)) throw new InputError(`loadtest run: --grant must be one of ${GRANTS.join(', ')}`);
  const tokenEndpoint = optional(values, 'token-endpoint');
  if (script === 'token-endpoint' && !tokenEndpoint) {
    throw new InputError('loadtest run: --token-endpoint (URL or user pool domain) is required for --script token-endpoint');
  }
  const secretEnv = optional(values, 'client-secret-env');
  if (secretEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(secretEnv)) throw new InputError('loadtest run: --client-secret-env takes a variable NAME, not the secret');
    if (!io.env[secretEnv]) throw new InputError(`loadtest run: --client-secret-env ${secretEnv}: that environment variable is empty or unset`);
  } else if (script === 'token-endpoint' && grant === 'client_credentials') {
    throw new InputError('loadtest run: client_credentials needs the app client secret: --client-secret-env NAME');
  }
  const needsUsers = usesUsers(script, grant ?? 'refresh_token');
  let usersPath: string | undefined;
  let userCount: number | undefined;
  if (needsUsers) {
    usersPath = abs(io.cwd, required('run', values, 'users'));
    const file = await readUsersFile(usersPath);
    if (file.userPoolId !== userPoolId) throw new InputError(`users file belongs to pool ${file.userPoolId}, not ${userPoolId}`, usersPath);
    if (file.users.length === 0) throw new InputError('users file lists no users', usersPath);
    userCount = file.users.length;
    await warnIfShared(usersPath, io, deps.platform ?? process.platform);
  }

  const peakRate = scenario === 'stress' ? (ceiling ?? rate * 2) : scenario === 'smoke' ? Math.min(rate, SMOKE_MAX_RATE) : rate;
  const problems = rateProblems({ script, grant: grant ?? 'refresh_token', peakRate, userCount });
  if (problems.length > 0) {
    const allowed = values['allow-above-quota'] === true;
    const confirm = optional(values, 'confirm-pool');
    if (!allowed) {
      throw new InputError(
        `loadtest run: refusing: ${problems.map((p) => p.message).join('; ')}. ` +
          'If the quota was raised for this account (Service Quotas) or throttling is what you want to see, add --allow-above-quota --confirm-pool <user pool id>',
      );
    }
    if (confirm !== userPoolId) {
      throw new InputError(`loadtest run: --allow-above-quota needs --confirm-pool ${userPoolId} (the pool under test), got ${confirm ?? 'nothing'}`);
    }
    for (const p of problems) log.warn(`${p.message} (allowed by --allow-above-quota)`);
  }

  const summaryPath = notADirectory(abs(io.cwd, required('run', values, 'summary')), 'summary');
  const pointsPath = notADirectory(abs(io.cwd, optional(values, 'points') ?? `${withoutJson(summaryPath)}.points.json`), 'points file');
  const htmlPath = notADirectory(abs(io.cwd, optional(values, 'html') ?? `${withoutJson(summaryPath)}.html`), 'HTML report');
  // A summary left from an earlier run must not be reported as this run's.
  await rm(summaryPath, { force: true });
  const args = k6Arguments({
    script,
    scriptPath: join(packageRoot(), 'loadtests', `${script}.js`),
    scenario,
    rate,
    duration,
    ceiling,
    vus: positiveInteger('run', 'vus', optional(values, 'vus')),
    maxVus: positiveInteger('run', 'max-vus', optional(values, 'max-vus')),
    userPoolId,
    clientId,
    usersPath,
    endpoint: k6Endpoint(optional(values, 'endpoint'), io.env),
    tokenEndpoint,
    grant,
    scope: optional(values, 'scope'),
    clientSecretEnv: secretEnv,
    summaryPath,
    pointsPath,
  });
  log.verbose(`running ${k6} ${args.join(' ')}`);
  const code = await runK6(k6, args, io.env, io.cwd, io);
  if (!existsSync(summaryPath)) {
    io.stderr(`${TOOL_NAME}: loadtest run: k6 exited with code ${code} and wrote no summary (${summaryPath})\n`);
    return 1;
  }
  await writeReport(summaryPath, existsSync(pointsPath) ? pointsPath : undefined, htmlPath, io);
  if (code === 0) return 0;
  io.stderr(`${TOOL_NAME}: loadtest run: ${code === K6_THRESHOLDS_FAILED ? 'thresholds crossed (see above)' : `k6 exited with code ${code}`}\n`);
  return 1;
}

async function writeReport(summaryPath: string, pointsPath: string | undefined, htmlPath: string | undefined, io: LoadtestIO) {
  const figures = await readSummary(summaryPath);
  let series: TimeSeries | undefined;
  if (pointsPath) series = await readPoints(pointsPath);
  io.stdout(renderTable(figures));
  if (htmlPath) {
    try {
      await writeFile(htmlPath, renderHtml(figures, series), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(`cannot write the HTML report: ${code === 'EISDIR' ? 'it is a directory' : (code ?? (err as Error).message)}`, htmlPath);
    }
    io.stdout(`HTML report: ${htmlPath}\n`);
  }
  return figures;
}

async function report(values: Values, positionals: string[], io: LoadtestIO): Promise<number> {
  const summary = positionals[0];
  if (!summary) throw new InputError('loadtest report: give the summary file: loadtest report summary.json');
  const points = optional(values, 'points');
  const html = optional(values, 'html');
  if (html) notADirectory(abs(io.cwd, html), 'HTML report');
  const figures = await writeReport(abs(io.cwd, summary), points ? abs(io.cwd, points) : undefined, html ? abs(io.cwd, html) : undefined, io);
  return figures.thresholds.some((t) => !t.ok) ? 1 : 0;
}

/** `loadtest seed`. */
export const seedCommand = (ctx: CommandContext): Promise<number> => failing(() => seed(ctx.values, ctx.io, ctx.deps, ctx.log), ctx.io);
/** `loadtest run`. */
export const runCommand = (ctx: CommandContext): Promise<number> => failing(() => run(ctx.values, ctx.io, ctx.deps, ctx.log), ctx.io);
/** `loadtest report`. */
export const reportCommand = (ctx: CommandContext): Promise<number> => failing(() => report(ctx.values, ctx.args, ctx.io), ctx.io);
/** `loadtest cleanup`. */
export const cleanupCommand = (ctx: CommandContext): Promise<number> => failing(() => cleanup(ctx.values, ctx.io, ctx.deps, ctx.log), ctx.io);
