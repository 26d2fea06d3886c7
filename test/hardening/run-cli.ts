import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, expect } from 'vitest';

const bin = resolve(import.meta.dirname, '../../dist/cli/bin.js');

/**
 * Runs the built CLI in `cwd`. The timeout turns a hang (a read that blocks on a named pipe)
 * into a failed test instead of a stuck suite.
 */
export function runCli(args: string[], cwd: string, timeout = 30_000) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env, timeout });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, timedOut: res.error !== undefined };
}

const workspaces: string[] = [];
// Some inputs are large (a 7 MB template); none outlives its test file.
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory with `files` (relative path -> text) written into it. */
export function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-hardening-'));
  workspaces.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A template with no resource the scanner maps: scanning it alone is clean (exit 0). */
export const CLEAN_TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n';

/** A user pool with MFA off (Cognito's default): at least the MFA rule fails (exit 1). */
export const INSECURE_TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n';

/** Runs the CLI and expects the run to stop with exit 2 and exactly `cognito-guard: <line>`. */
export function expectInputError(args: string[], cwd: string, line: string, timeout?: number): void {
  const { code, stderr, timedOut } = runCli(args, cwd, timeout);
  expect(timedOut, args.join(' ')).toBe(false);
  expect(stderr, args.join(' ')).toBe(`cognito-guard: ${line}\n`);
  expect(code, args.join(' ')).toBe(2);
}
