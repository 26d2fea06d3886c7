/**
 * Paths the user may not read. Tests run as root, which chmod 000 does not stop, so the
 * file system is mocked to refuse the chosen paths with EACCES as it would for any other user.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CLEAN_TEMPLATE, workspace } from './run-cli.js';

const denied = vi.hoisted(() => new Set<string>());

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const refuse = (path: unknown, syscall: string): void => {
    if (denied.has(String(path))) throw Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(path)}'`), { code: 'EACCES', syscall });
  };
  const mocked = {
    ...fs,
    readdirSync: ((path: string, ...rest: unknown[]) => {
      refuse(path, 'scandir');
      return (fs.readdirSync as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readdirSync,
    openSync: ((path: string, ...rest: unknown[]) => {
      refuse(path, 'open');
      return (fs.openSync as (...args: unknown[]) => number)(path, ...rest);
    }) as typeof fs.openSync,
  };
  return { ...mocked, default: mocked };
});

async function cli(args: string[], cwd: string) {
  let stderr = '';
  const code = await main(args, { stdout: () => {}, stderr: (s) => (stderr += s), env: {}, cwd, isTTY: false });
  return { code, stderr };
}

describe('paths that cannot be read (EACCES)', () => {
  it('an unreadable subdirectory of a scanned directory: exit 2 naming it', async () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE });
    mkdirSync(join(dir, 'infra/secret'));
    denied.add(join(dir, 'infra/secret'));
    expect(await cli(['scan', 'infra'], dir)).toEqual({ code: 2, stderr: 'cognito-guard: infra/secret: cannot read directory: permission denied (EACCES)\n' });
  });

  it('an unreadable template in a scanned directory: exit 2 naming it', async () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE, 'infra/locked.yaml': CLEAN_TEMPLATE });
    denied.add(join(dir, 'infra/locked.yaml'));
    expect(await cli(['scan', 'infra'], dir)).toEqual({ code: 2, stderr: 'cognito-guard: infra/locked.yaml: cannot read: permission denied (EACCES)\n' });
  });

  it('an unreadable subdirectory of a rules directory: exit 2 in scan and rules validate', async () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    mkdirSync(join(dir, 'rules/cognito'), { recursive: true });
    denied.add(join(dir, 'rules/cognito'));
    const line = 'cognito-guard: rules/cognito: cannot read directory: permission denied (EACCES)\n';
    // Rule files are shown relative to the process's working directory, as the CLI runs.
    const previous = process.cwd();
    process.chdir(dir);
    try {
      expect(await cli(['scan', 't.yaml', '--rules', 'rules'], dir)).toEqual({ code: 2, stderr: line });
      expect(await cli(['rules', 'validate', 'rules'], dir)).toEqual({ code: 2, stderr: line });
    } finally {
      process.chdir(previous);
    }
  });
});
