import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
/** The committed bundle, run as the runner runs it (`runs.main` of action.yml). */
export const bundle = join(root, 'dist/action.js');
export const INSECURE = readFileSync(join(root, 'examples/insecure-app/template.yaml'), 'utf8');

/** A git repository in a temp directory, for base and head commits. */
export interface FixtureRepo {
  dir: string;
  write(file: string, text: string): void;
  commit(message: string): string;
  git(...args: string[]): string;
}

export function fixtureRepo(): FixtureRepo {
  const dir = mkdtempSync(join(tmpdir(), 'cg-action-'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    write: (file, text) => {
      execFileSync('mkdir', ['-p', resolve(dir, file, '..')]);
      writeFileSync(join(dir, file), text);
    },
    commit: (message) => {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
  };
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error …::` / `::warning` / `::notice` lines (not the final setFailed line). */
  annotations: string[];
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/**
 * Runs the bundle with `INPUT_*` variables, an event file and temp GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, in `workspace`. Async so a test's HTTP server keeps serving.
 */
export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  options: { event?: unknown; env?: Record<string, string>; bundle?: string } = {},
): Promise<ActionRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'cg-runner-'));
  const files = { output: join(tmp, 'output'), summary: join(tmp, 'summary'), event: join(tmp, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(options.event ?? {}));
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'SYSTEMROOT']) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: options.event ? 'pull_request' : 'push',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'octo/app',
  });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  Object.assign(env, options.env ?? {});
  const child = spawn(process.execPath, [options.bundle ?? bundle], { cwd: workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    annotations: stdout.split('\n').filter((l) => /^::(error|warning|notice) .*title=/.test(l)),
  };
}

/** A pull_request event payload for the base and head commits. */
export function pullRequestEvent(base: string, head: string, number = 7): unknown {
  return { action: 'synchronize', number, pull_request: { number, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } } };
}
