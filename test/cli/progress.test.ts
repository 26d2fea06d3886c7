/**
 * Progress on stderr: drawn in place with counts and an ETA when stderr is a terminal, never
 * in CI logs or pipes, never with --quiet; for scan loading, seeding and cleanup.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLog, progressLine } from '../../src/cli/log.js';
import { main, type CliIO } from '../../src/cli/program.js';
import { writeUsersFile } from '../../src/loadtest/users-file.js';

const root = resolve(import.meta.dirname, '../..');
const POOL = 'eu-west-1_Test123';

function io(stderrIsTTY: boolean, cwd = root): CliIO & { err: () => string } {
  const err: string[] = [];
  return { stdout: () => {}, stderr: (s) => err.push(s), env: {}, cwd, isTTY: false, stderrIsTTY, err: () => err.join('') };
}

describe('progress lines', () => {
  it('counts, percentage and an ETA from the pace so far', () => {
    expect(progressLine('seeding users', 0, 100, 0)).toBe('seeding users 0/100 (0%)');
    expect(progressLine('seeding users', 40, 100, 4000)).toBe('seeding users 40/100 (40%, ETA 6s)');
    expect(progressLine('deleting users', 10, 1000, 10_000)).toBe('deleting users 10/1000 (1%, ETA 16m30s)');
    expect(progressLine('loading', 3, 3, 100)).toBe('loading 3/3 (100%)');
  });

  it('is drawn in place on a terminal and cleared when done', () => {
    const out: string[] = [];
    let now = 0;
    const p = createLog({ stderr: (s) => out.push(s), stderrIsTTY: true, quiet: false, verbose: false, now: () => now }).progress('loading', 4);
    for (let i = 0; i <= 4; i++) {
      p.update(i);
      now += 1000;
    }
    p.done();
    expect(out[0]).toBe('\r\u001b[Kloading 0/4 (0%)');
    expect(out).toContain('\r\u001b[Kloading 2/4 (50%, ETA 2s)');
    expect(out.at(-1)).toBe('\r\u001b[K');
  });

  it('redraws at most every 100 ms, but always the last step', () => {
    const out: string[] = [];
    const p = createLog({ stderr: (s) => out.push(s), stderrIsTTY: true, quiet: false, verbose: false, now: () => 0 }).progress('loading', 1000);
    for (let i = 0; i <= 1000; i++) p.update(i);
    expect(out).toEqual(['\r\u001b[Kloading 0/1000 (0%)', '\r\u001b[Kloading 1000/1000 (100%)']);
  });

  it('draws nothing when stderr is not a terminal, or with --quiet', () => {
    const out: string[] = [];
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const p = createLog({ stderr: (s) => out.push(s), stderrIsTTY: tty, quiet, verbose: false }).progress('loading', 4);
      p.update(1);
      p.done();
    }
    expect(out).toEqual([]);
  });
});

describe('commands show progress on a terminal', () => {
  it('scan of a directory shows loading with counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-progress-'));
    copyFileSync(join(root, 'examples/insecure-app/template.yaml'), join(dir, 'a.yaml'));
    copyFileSync(join(root, 'examples/fixed-app/template.yaml'), join(dir, 'b.yaml'));
    const t = io(true, dir);
    expect(await main(['scan', '.', '--format', 'json'], t)).toBe(1);
    expect(t.err()).toContain('\r\u001b[Kloading 0/2 (0%)');
    expect(t.err().endsWith('\r\u001b[K')).toBe(true);
    const piped = io(false, dir);
    await main(['scan', '.', '--format', 'json'], piped);
    expect(piped.err()).toBe('');
  });

  it('loadtest cleanup shows deletions with counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-progress-'));
    const users = join(dir, 'users.json');
    await writeUsersFile(users, {
      format: 'cognito-guard-loadtest-users',
      version: 1,
      userPoolId: POOL,
      clientId: 'c',
      createdAt: '2025-01-01T00:00:00.000Z',
      complete: true,
      users: Array.from({ length: 3 }, (_, i) => ({ username: `loadtest-p-${i}`, password: 'x', cognitoUsername: `loadtest-p-${i}` })),
    });
    const t = io(true, dir);
    const deps = {
      cognitoClientFactory: () => ({ send: async () => ({}), destroy: () => {} }) as never,
      clock: { now: () => 0, sleep: async () => {} },
    };
    expect(await main(['loadtest', 'cleanup', '--user-pool-id', POOL, '--users', users, '--rate', '25'], t, deps)).toBe(0);
    expect(t.err()).toContain('\r\u001b[Kdeleting users 0/3 (0%)');
    expect(t.err()).toContain('deleting users 3/3 (100%)');
  });

  it('loadtest seed shows users created with counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-progress-'));
    const t = io(true, dir);
    const deps = {
      cognitoClientFactory: () =>
        ({
          send: async (c: { constructor: { name: string } }) =>
            c.constructor.name === 'DescribeUserPoolClientCommand' ? { UserPoolClient: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] } } : {},
          destroy: () => {},
        }) as never,
      clock: { now: () => 0, sleep: async () => {} },
    };
    const out = join(dir, 'users.json');
    expect(await main(['loadtest', 'seed', '--user-pool-id', POOL, '--client-id', 'c', '--count', '4', '--output', out], t, deps)).toBe(0);
    expect(t.err()).toContain('seeding users 4/4 (100%)');
    const verbose = io(false, dir);
    expect(await main(['loadtest', 'seed', '--user-pool-id', POOL, '--client-id', 'c', '--count', '4', '--output', join(dir, 'v.json'), '--verbose'], verbose, deps)).toBe(0);
    expect(verbose.err()).toBe(`cognito-guard: creating 4 users in ${POOL} at 10/s (about 1 s)\n`);
    expect(t.err()).not.toContain(JSON.parse(readFileSync(out, 'utf8')).users[0].password);
  });
});
