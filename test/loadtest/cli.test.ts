import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadtestCommand, type LoadtestIO } from '../../src/loadtest/cli.js';
import { pacer } from '../../src/loadtest/pace.js';
import { randomPassword } from '../../src/loadtest/password.js';
import { rateProblems } from '../../src/loadtest/quotas.js';
import { k6Arguments } from '../../src/loadtest/run.js';
import { writeUsersFile } from '../../src/loadtest/users-file.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'cg-cli-'));
const emptyBin = join(tmp, 'empty-bin');
const fakeBin = join(tmp, 'fake-bin');
const POOL = 'eu-west-1_Test123';
const usersPath = join(tmp, 'users.json');

function io(env: NodeJS.ProcessEnv = {}): LoadtestIO & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env, cwd: tmp, out: () => out.join(''), err: () => err.join('') };
}

beforeAll(async () => {
  mkdirSync(emptyBin);
  mkdirSync(fakeBin);
  // A stand-in for k6: records its arguments and what it could see, then writes a recorded
  // summary and points file where the real k6's handleSummary and --out json would.
  writeFileSync(
    join(fakeBin, 'k6'),
    `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
const e = {};
for (let i = 0; i < args.length; i++) if (args[i] === '-e') { const kv = args[++i]; e[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1); }
const out = args[args.indexOf('--out') + 1].replace(/^json=/, '');
fs.writeFileSync(process.env.FAKE_K6_RECORD, JSON.stringify({ args, secret: e.CLIENT_SECRET_ENV ? process.env[e.CLIENT_SECRET_ENV] : null }));
fs.copyFileSync(process.env.FAKE_K6_SUMMARY, e.SUMMARY_PATH);
fs.copyFileSync(process.env.FAKE_K6_POINTS, out);
process.stdout.write('fake k6: done\\n');
process.exit(Number(process.env.FAKE_K6_EXIT || 0));
`,
  );
  chmodSync(join(fakeBin, 'k6'), 0o755);
  await writeUsersFile(usersPath, {
    format: 'cognito-guard-loadtest-users',
    version: 1,
    userPoolId: POOL,
    clientId: 'client1',
    createdAt: '2025-01-01T00:00:00.000Z',
    complete: true,
    users: Array.from({ length: 10 }, (_, i) => ({ username: `loadtest-aaa-${i}`, password: `Pw-${i}-secret-Aa1!xyz`, cognitoUsername: `loadtest-aaa-${i}` })),
  });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const baseRun = ['run', '--script', 'initiate-auth', '--scenario', 'load', '--duration', '1m', '--user-pool-id', POOL, '--client-id', 'client1', '--users', usersPath, '--summary', 'out/summary.json'];

describe('loadtest run', () => {
  it('exits 2 with an install hint when k6 is not on PATH', async () => {
    const t = io({ PATH: emptyBin });
    expect(await runLoadtestCommand([...baseRun, '--rate', '5'], t)).toBe(2);
    expect(t.err()).toBe(
      'cognito-guard: loadtest run: k6 is not on PATH; install it: https://grafana.com/docs/k6/latest/set-up/install-k6/ (brew install k6, apt, docker grafana/k6)\n',
    );
    expect(t.err().split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('exits 2 when --k6 does not point at an executable', async () => {
    const t = io({ PATH: fakeBin });
    expect(await runLoadtestCommand([...baseRun, '--rate', '5', '--k6', join(emptyBin, 'k6')], t)).toBe(2);
    expect(t.err()).toMatch(/is not an executable file; install it/);
  });

  it('refuses a rate above the UserAuthentication quota', async () => {
    const t = io({ PATH: fakeBin });
    expect(await runLoadtestCommand([...baseRun, '--rate', '121'], t)).toBe(2);
    expect(t.err()).toMatch(/refusing: peak rate 121\/s is above the default UserAuthentication quota of 120\/s/);
    expect(t.err()).toMatch(/--allow-above-quota --confirm-pool/);
  });

  it('refuses a rate above 10 per user', async () => {
    const t = io({ PATH: fakeBin });
    expect(await runLoadtestCommand([...baseRun, '--rate', '101'], t)).toBe(2);
    expect(t.err()).toMatch(/needs more than 10 users: Cognito allows 10\/s per user, so seed at least 11/);
  });

  it('counts the stress ceiling as the peak', async () => {
    const t = io({ PATH: fakeBin });
    const args = [...baseRun, '--rate', '50', '--ceiling', '130'];
    args[args.indexOf('load')] = 'stress';
    expect(await runLoadtestCommand(args, t)).toBe(2);
    expect(t.err()).toMatch(/peak rate 130\/s/);
  });

  it('uses the ClientAuthentication quota for client_credentials', () => {
    expect(rateProblems({ script: 'token-endpoint', grant: 'client_credentials', peakRate: 150, userCount: undefined })).toEqual([]);
    expect(rateProblems({ script: 'token-endpoint', grant: 'client_credentials', peakRate: 151, userCount: undefined })[0]!.message).toMatch(/ClientAuthentication quota of 150/);
    expect(rateProblems({ script: 'token-endpoint', grant: 'refresh_token', peakRate: 121, userCount: 100 })[0]!.message).toMatch(/UserAuthentication/);
  });

  it('needs --confirm-pool equal to the pool to go above quota', async () => {
    const t = io({ PATH: fakeBin });
    expect(await runLoadtestCommand([...baseRun, '--rate', '121', '--allow-above-quota', '--confirm-pool', 'eu-west-1_Other'], t)).toBe(2);
    expect(t.err()).toMatch(/--allow-above-quota needs --confirm-pool eu-west-1_Test123/);
  });

  it('rejects bad flags with one line', async () => {
    for (const [args, message] of [
      [[...baseRun, '--rate', '5', '--bogus'], /unknown option '--bogus'/],
      [[...baseRun, '--rate', 'fast'], /--rate must be a positive number/],
      [[...baseRun.map((a) => (a === '1m' ? 'one minute' : a)), '--rate', '5'], /--duration must look like/],
      [[...baseRun.map((a) => (a === 'initiate-auth' ? 'signup' : a)), '--rate', '5'], /--script must be one of/],
      [[...baseRun, '--rate', '5', '--client-secret-env', 'UNSET_SECRET_VAR'], /UNSET_SECRET_VAR: that environment variable is empty or unset/],
    ] as [string[], RegExp][]) {
      const t = io({ PATH: fakeBin });
      expect(await runLoadtestCommand(args, t)).toBe(2);
      expect(t.err()).toMatch(message);
      expect(t.err().trim().split('\n')).toHaveLength(1);
    }
  });

  it('runs k6 with configuration in -e, the secret only in the environment, and renders the report', async () => {
    const record = join(tmp, 'record.json');
    const secret = 'S3cr3t-client-secret-value';
    const t = io({
      PATH: `${fakeBin}${delimiter}${emptyBin}`,
      FAKE_K6_RECORD: record,
      FAKE_K6_SUMMARY: join(fixtures, 'summary-initiate-auth-load.json'),
      FAKE_K6_POINTS: join(fixtures, 'points-initiate-auth-load.json'),
      MY_CLIENT_SECRET: secret,
    });
    mkdirSync(join(tmp, 'out'), { recursive: true });
    const code = await runLoadtestCommand([...baseRun, '--rate', '20', '--client-secret-env', 'MY_CLIENT_SECRET', '--endpoint', 'http://127.0.0.1:9/'], t);
    const seen = JSON.parse(readFileSync(record, 'utf8')) as { args: string[]; secret: string };
    expect(seen.secret).toBe(secret);
    expect(seen.args.join(' ')).not.toContain(secret);
    expect(seen.args[0]).toBe('run');
    expect(seen.args).toContain('SCENARIO=load');
    expect(seen.args).toContain('RATE=20');
    expect(seen.args).toContain('DURATION=1m');
    expect(seen.args).toContain('CLIENT_SECRET_ENV=MY_CLIENT_SECRET');
    expect(seen.args).toContain(`USERS_FILE=${usersPath}`);
    expect(seen.args).toContain('COGNITO_ENDPOINT=http://127.0.0.1:9/');
    expect(seen.args).toContain(`SUMMARY_PATH=${join(tmp, 'out', 'summary.json')}`);
    expect(seen.args.slice(-3)).toEqual(['--out', `json=${join(tmp, 'out', 'summary.points.json')}`, expect.stringMatching(/loadtests[/\\]initiate-auth\.js$/)]);
    expect(existsSync(seen.args.at(-1)!)).toBe(true);
    expect(t.out()).toContain('fake k6: done');
    expect(t.out()).toContain('118.4 / 298.6 / 811.3 ms');
    expect(readFileSync(join(tmp, 'out', 'summary.html'), 'utf8').match(/<svg /g)).toHaveLength(2);
    expect(code).toBe(0);
    expect(t.out() + t.err()).not.toContain(secret);
    expect(t.out() + t.err()).not.toContain('Pw-0-secret');
  });

  it('exits 1 when k6 reports crossed thresholds (exit 99)', async () => {
    const t = io({
      PATH: fakeBin,
      FAKE_K6_RECORD: join(tmp, 'record2.json'),
      FAKE_K6_SUMMARY: join(fixtures, 'summary-initiate-auth-load.json'),
      FAKE_K6_POINTS: join(fixtures, 'points-initiate-auth-load.json'),
      FAKE_K6_EXIT: '99',
    });
    expect(await runLoadtestCommand([...baseRun, '--rate', '20', '--summary', 's2.json'], t)).toBe(1);
    expect(t.err()).toContain('thresholds crossed');
    expect(t.out()).toContain('FAILED  cognito_throttled');
  });

  it('allows above-quota rates with confirmation, with a warning', async () => {
    const t = io({
      PATH: fakeBin,
      FAKE_K6_RECORD: join(tmp, 'record3.json'),
      FAKE_K6_SUMMARY: join(fixtures, 'summary-initiate-auth-load.json'),
      FAKE_K6_POINTS: join(fixtures, 'points-initiate-auth-load.json'),
    });
    expect(await runLoadtestCommand([...baseRun, '--rate', '110', '--summary', 's3.json', '--allow-above-quota', '--confirm-pool', POOL], t)).toBe(0);
    expect(t.err()).toMatch(/warning: peak rate 110\/s needs more than 10 users/);
  });

  it('--quiet keeps the above-quota warning and --verbose shows the k6 command', async () => {
    const env = {
      PATH: fakeBin,
      FAKE_K6_RECORD: join(tmp, 'record4.json'),
      FAKE_K6_SUMMARY: join(fixtures, 'summary-initiate-auth-load.json'),
      FAKE_K6_POINTS: join(fixtures, 'points-initiate-auth-load.json'),
    };
    const quiet = io(env);
    expect(await runLoadtestCommand([...baseRun, '--rate', '110', '--summary', 's4.json', '--allow-above-quota', '--confirm-pool', POOL, '--quiet'], quiet)).toBe(0);
    expect(quiet.err()).toBe('cognito-guard: warning: peak rate 110/s needs more than 10 users: Cognito allows 10/s per user, so seed at least 11 (more leaves headroom) (allowed by --allow-above-quota)\n');
    const verbose = io(env);
    expect(await runLoadtestCommand([...baseRun, '--rate', '5', '--summary', 's5.json', '--verbose'], verbose)).toBe(0);
    expect(verbose.err()).toMatch(/^cognito-guard: running \S*k6 run -e SCENARIO=load -e RATE=5 /m);
  });

  it('builds k6 arguments without empty values', () => {
    expect(
      k6Arguments({ script: 'x', scriptPath: '/s.js', scenario: 'smoke', rate: 1, duration: '1m', userPoolId: 'p_1', clientId: 'c', summaryPath: '/o.json', pointsPath: '/p.json' }),
    ).toEqual(['run', '-e', 'SCENARIO=smoke', '-e', 'RATE=1', '-e', 'DURATION=1m', '-e', 'USER_POOL_ID=p_1', '-e', 'CLIENT_ID=c', '-e', 'SUMMARY_PATH=/o.json', '--out', 'json=/p.json', '/s.js']);
  });
});

describe('loadtest run rails', () => {
  const fakeK6Env = (name: string) => ({
    PATH: fakeBin,
    FAKE_K6_RECORD: join(tmp, `${name}.record.json`),
    FAKE_K6_SUMMARY: join(fixtures, 'summary-initiate-auth-load.json'),
    FAKE_K6_POINTS: join(fixtures, 'points-initiate-auth-load.json'),
  });
  const recordedArgs = (name: string) => (JSON.parse(readFileSync(join(tmp, `${name}.record.json`), 'utf8')) as { args: string[] }).args;

  for (const [flag, value] of [
    ['--rate', '-5'],
    ['--vus', '-3'],
    ['--max-vus', '-1'],
  ]) {
    it(`${flag} ${value}: one line, exit 2`, async () => {
      const t = io({ PATH: fakeBin });
      const args = flag === '--rate' ? [...baseRun, '--rate', value!] : [...baseRun, '--rate', '5', flag!, value!];
      expect(await runLoadtestCommand(args, t)).toBe(2);
      expect(t.err()).toBe(`cognito-guard: loadtest run: ${flag} must be a positive number, got "${value}"\n`);
    });
  }

  for (const duration of ['0', '0s', '0m0s', '0.0h']) {
    it(`--duration ${duration}: exit 2`, async () => {
      const t = io({ PATH: fakeBin });
      const args = [...baseRun.map((a) => (a === '1m' ? duration : a)), '--rate', '5'];
      expect(await runLoadtestCommand(args, t)).toBe(2);
      expect(t.err()).toBe(`cognito-guard: loadtest run: --duration must be longer than zero, got "${duration}"\n`);
    });
  }

  it('--scenario smoke --rate 1000 is not refused: smoke runs at 1 request/s', async () => {
    const t = io(fakeK6Env('smoke'));
    const args = [...baseRun.map((a) => (a === 'load' ? 'smoke' : a)), '--rate', '1000', '--summary', 'smoke.json'];
    expect(await runLoadtestCommand(args, t)).toBe(0);
    expect(t.err()).toBe('');
    expect(recordedArgs('smoke')).toContain('SCENARIO=smoke');
  });

  it('--scenario smoke without --rate runs', async () => {
    const t = io(fakeK6Env('smoke-no-rate'));
    const args = [...baseRun.map((a) => (a === 'load' ? 'smoke' : a)), '--summary', 'smoke2.json'];
    expect(await runLoadtestCommand(args, t)).toBe(0);
    expect(recordedArgs('smoke-no-rate')).toContain('RATE=1');
  });

  it('--scenario load --rate 1000 is still refused', async () => {
    const t = io({ PATH: fakeBin });
    expect(await runLoadtestCommand([...baseRun, '--rate', '1000'], t)).toBe(2);
    expect(t.err()).toMatch(/^cognito-guard: loadtest run: refusing: peak rate 1000\/s/);
  });

  it('a users file readable by group and others: one warning line, the run goes on', async () => {
    const shared = join(tmp, 'shared-users.json');
    writeFileSync(shared, readFileSync(usersPath));
    chmodSync(shared, 0o644);
    const t = io(fakeK6Env('shared'));
    const args = [...baseRun.map((a) => (a === usersPath ? shared : a)), '--rate', '5', '--summary', 'shared.json'];
    expect(await runLoadtestCommand(args, t, { platform: 'linux' })).toBe(0);
    expect(t.err()).toBe(`cognito-guard: warning: users file ${shared} is readable by group or others (mode 0644) and holds passwords; chmod 600 it\n`);
  });

  it('a users file of mode 0600: no warning', async () => {
    const t = io(fakeK6Env('private'));
    expect(await runLoadtestCommand([...baseRun, '--rate', '5', '--summary', 'private.json'], t, { platform: 'linux' })).toBe(0);
    expect(t.err()).toBe('');
  });

  it('--html naming a directory: one line, exit 2, before k6 runs', async () => {
    const t = io(fakeK6Env('html-dir'));
    mkdirSync(join(tmp, 'html-dir'), { recursive: true });
    expect(await runLoadtestCommand([...baseRun, '--rate', '5', '--html', 'html-dir'], t)).toBe(2);
    expect(t.err()).toBe(`cognito-guard: ${join(tmp, 'html-dir')}: cannot write the HTML report: it is a directory\n`);
    expect(existsSync(join(tmp, 'html-dir.record.json'))).toBe(false);
  });

  it('report --html naming a directory: one line, exit 2, nothing printed', async () => {
    const t = io();
    mkdirSync(join(tmp, 'report-dir'), { recursive: true });
    expect(await runLoadtestCommand(['report', join(fixtures, 'summary-initiate-auth-load.json'), '--html', 'report-dir'], t)).toBe(2);
    expect(t.err()).toBe(`cognito-guard: ${join(tmp, 'report-dir')}: cannot write the HTML report: it is a directory\n`);
    expect(t.out()).toBe('');
  });
});

describe('seed and cleanup input checks', () => {
  it('refuses a seeding rate above the quota before calling AWS', async () => {
    const t = io();
    const code = await runLoadtestCommand(['seed', '--user-pool-id', POOL, '--client-id', 'c', '--count', '5', '--output', 'u2.json', '--rate', '60'], t, {
      cognitoClientFactory: () => {
        throw new Error('must not build a client');
      },
    });
    expect(code).toBe(2);
    expect(t.err()).toMatch(/--rate must be above 0 and at most 30 users\/s/);
  });

  it('refuses to overwrite a users file', async () => {
    const t = io();
    expect(await runLoadtestCommand(['seed', '--user-pool-id', POOL, '--client-id', 'c', '--count', '5', '--output', usersPath], t)).toBe(2);
    expect(t.err()).toMatch(/users file already exists/);
  });

  it('refuses cleanup for another pool or of users without the prefix, before deleting anything', async () => {
    const calls: unknown[] = [];
    const factory = () => ({ send: async (c: unknown) => calls.push(c), destroy: () => {} }) as never;
    const t = io();
    expect(await runLoadtestCommand(['cleanup', '--user-pool-id', 'eu-west-1_Other', '--users', usersPath], t, { cognitoClientFactory: factory })).toBe(2);
    expect(t.err()).toMatch(/belongs to pool eu-west-1_Test123/);
    const foreign = join(tmp, 'foreign.json');
    const doc = JSON.parse(readFileSync(usersPath, 'utf8'));
    doc.users.push({ username: 'alice', password: 'x', cognitoUsername: 'alice' });
    writeFileSync(foreign, JSON.stringify(doc));
    const t2 = io();
    expect(await runLoadtestCommand(['cleanup', '--user-pool-id', POOL, '--users', foreign], t2, { cognitoClientFactory: factory })).toBe(2);
    expect(t2.err()).toMatch(/refusing to delete "alice"/);
    expect(calls).toEqual([]);
  });

  it('keeps the users it created when seeding fails part-way, so cleanup can remove them', async () => {
    let creates = 0;
    const factory = () =>
      ({
        destroy: () => {},
        send: async (command: { constructor: { name: string }; input: { Username?: string } }) => {
          const name = command.constructor.name;
          if (name === 'DescribeUserPoolCommand') return { UserPool: {} };
          if (name === 'DescribeUserPoolClientCommand') return { UserPoolClient: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] } };
          if (name === 'AdminCreateUserCommand' && ++creates === 3) {
            throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
          }
          if (name === 'AdminCreateUserCommand') return { User: { Username: command.input.Username } };
          return {};
        },
      }) as never;
    const t = io();
    const out = join(tmp, 'partial.json');
    const code = await runLoadtestCommand(['seed', '--user-pool-id', POOL, '--client-id', 'c', '--count', '5', '--output', out, '--rate', '30'], t, {
      cognitoClientFactory: factory,
    });
    expect(code).toBe(1);
    expect(t.err()).toMatch(/stopped after 2 of 5 users: TooManyRequestsException: Rate exceeded; the 2 users created are listed in/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.complete).toBe(false);
    expect(doc.users).toHaveLength(2);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    for (const u of doc.users) expect(t.out() + t.err()).not.toContain(u.password);
  });

  it('writes users files with mode 0600', () => {
    expect(statSync(usersPath).mode & 0o777).toBe(0o600);
  });
});

describe('helpers', () => {
  it('makes strong random passwords', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = randomPassword();
      expect(p).toHaveLength(24);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[!#%*+\-.=?@^_~]/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(() => randomPassword(8)).toThrow();
  });

  it('paces requests evenly', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const wait = pacer(4, { now: () => now, sleep: async (ms) => { sleeps.push(ms); now += ms; } });
    for (let i = 0; i < 5; i++) await wait();
    expect(sleeps).toEqual([250, 250, 250, 250]);
    expect(now).toBe(1000);
  });
});
