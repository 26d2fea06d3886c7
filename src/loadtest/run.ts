import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where to get k6 when it is missing. */
export const K6_INSTALL_HINT =
  'install it: https://grafana.com/docs/k6/latest/set-up/install-k6/ (brew install k6, apt, docker grafana/k6)';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The k6 executable: `explicit` when given (it must exist and be executable), else the first
 * `k6` on PATH. Undefined when there is none.
 */
export function findK6(explicit: string | undefined, env: NodeJS.ProcessEnv, platform = process.platform): string | undefined {
  if (explicit) return isExecutableFile(explicit) ? explicit : undefined;
  const names = platform === 'win32' ? ['k6.exe', 'k6.cmd', 'k6'] : ['k6'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Everything `k6 run` needs, already checked. */
export interface K6RunPlan {
  script: string;
  scriptPath: string;
  scenario: string;
  rate: number;
  duration: string;
  ceiling?: number;
  vus?: number;
  maxVus?: number;
  userPoolId: string;
  clientId: string;
  usersPath?: string;
  endpoint?: string;
  tokenEndpoint?: string;
  grant?: string;
  scope?: string;
  /** Name of the environment variable that holds the client secret; the value is never an argument. */
  clientSecretEnv?: string;
  summaryPath: string;
  pointsPath: string;
}

/**
 * `k6 run` arguments. Configuration goes in `-e NAME=value`; the client secret does not: the
 * script reads the variable named by CLIENT_SECRET_ENV from its inherited environment, so the
 * secret never shows in a process list or a CI log.
 */
export function k6Arguments(plan: K6RunPlan): string[] {
  const env: [string, string | number | undefined][] = [
    ['SCENARIO', plan.scenario],
    ['RATE', plan.rate],
    ['DURATION', plan.duration],
    ['CEILING', plan.ceiling],
    ['VUS', plan.vus],
    ['MAX_VUS', plan.maxVus],
    ['USER_POOL_ID', plan.userPoolId],
    ['CLIENT_ID', plan.clientId],
    ['USERS_FILE', plan.usersPath],
    ['COGNITO_ENDPOINT', plan.endpoint],
    ['TOKEN_ENDPOINT', plan.tokenEndpoint],
    ['GRANT', plan.grant],
    ['SCOPE', plan.scope],
    ['CLIENT_SECRET_ENV', plan.clientSecretEnv],
    ['SUMMARY_PATH', plan.summaryPath],
  ];
  const args = ['run'];
  for (const [name, value] of env) if (value !== undefined && value !== '') args.push('-e', `${name}=${value}`);
  args.push('--out', `json=${plan.pointsPath}`, plan.scriptPath);
  return args;
}

/** k6's exit code when thresholds were crossed. */
export const K6_THRESHOLDS_FAILED = 99;

/**
 * Runs k6 with the given arguments, streaming its output, and resolves with its exit code
 * (a signal counts as failure).
 */
export function runK6(
  k6Path: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(k6Path, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (s: string) => io.stdout(s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => io.stderr(s));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
