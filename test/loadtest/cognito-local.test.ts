import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPasswordAuthRequest, buildRefreshAuthRequest, classifyAuthResponse, secretHash } from '../../loadtests/lib/cognito-api.js';
import { usersFromFile } from '../../loadtests/lib/config.js';
import { partitionUsers } from '../../loadtests/lib/partition.js';
import { buildRefreshTokenGrantRequest, classifyTokenResponse, tokenEndpointUrl } from '../../loadtests/lib/token-endpoint.js';
import { runLoadtestCommand, type LoadtestIO } from '../../src/loadtest/cli.js';
import type { CognitoClientOptions } from '../../src/loadtest/cognito-client.js';

// cognito-local (a Cognito emulator) on 127.0.0.1, in a fresh directory so its data store
// (.cognito/db) starts empty every run.
const require = createRequire(import.meta.url);
const startScript = join(require.resolve('cognito-local/package.json'), '..', 'lib', 'bin', 'start.js');
const dir = mkdtempSync(join(tmpdir(), 'cg-cognito-local-'));
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let server: ChildProcess | undefined;
let endpoint = '';
let admin: CognitoIdentityProviderClient;
let userPoolId = '';
let clientId = '';
const factoryCalls: CognitoClientOptions[] = [];
const factory = (options: CognitoClientOptions) => {
  factoryCalls.push(options);
  return new CognitoIdentityProviderClient({ ...options, region: 'local', credentials });
};

function startServer(): Promise<string> {
  mkdirSync(join(dir, '.cognito'), { recursive: true });
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({ ServerConfig: { hostname: '127.0.0.1', port: 0 }, UserPoolDefaults: { UsernameAttributes: [] } }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [startScript], { cwd: dir, env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let output = '';
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      // eslint-disable-next-line no-control-regex
      output += chunk.toString('utf8').replace(/\u001b\[[0-9;]*m/g, '');
      const m = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}/`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited with ${code}:\n${output}`));
    });
  });
}

async function listUsernames(): Promise<string[]> {
  const res = await admin.send(new ListUsersCommand({ UserPoolId: userPoolId }));
  return (res.Users ?? []).map((u) => u.Username!).sort();
}

async function call(req: { method: string; url: string; headers: Record<string, string>; body: string }) {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
}

function io(env: NodeJS.ProcessEnv = {}): LoadtestIO & { all: () => string } {
  const chunks: string[] = [];
  return { stdout: (s) => chunks.push(s), stderr: (s) => chunks.push(s), env, cwd: dir, all: () => chunks.join('') };
}

beforeAll(async () => {
  endpoint = await startServer();
  admin = new CognitoIdentityProviderClient({ endpoint, region: 'local', credentials });
  userPoolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'cognito-guard-loadtest' }))).UserPool!.Id!;
  clientId = (
    await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'k6',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
  ).UserPoolClient!.ClientId!;
  // A real user who must survive cleanup.
  await admin.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'alice', MessageAction: 'SUPPRESS' }));
}, 60_000);

afterAll(() => {
  admin?.destroy();
  if (server && server.exitCode === null) server.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('seed, sign in and refresh as the k6 scripts do, clean up (cognito-local)', () => {
  const usersPath = join(dir, 'users.json');

  it('runs the whole cycle and leaves the pool as it was', async () => {
    const before = await listUsernames();
    expect(before).toEqual(['alice']);

    const seedIo = io();
    const seeded = await runLoadtestCommand(
      ['seed', '--user-pool-id', userPoolId, '--client-id', clientId, '--count', '10', '--output', 'users.json', '--endpoint', endpoint, '--rate', '30'],
      seedIo,
      { cognitoClientFactory: factory },
    );
    expect(seedIo.all()).toMatch(/created 10 users/);
    expect(seeded).toBe(0);
    expect(factoryCalls.at(-1)).toEqual({ endpoint, region: 'local' });
    expect(statSync(usersPath).mode & 0o777).toBe(0o600);

    const users = usersFromFile(readFileSync(usersPath, 'utf8'));
    expect(users).toHaveLength(10);
    for (const u of users) {
      expect(u.username).toMatch(/^loadtest-[0-9a-f]{6}-\d{2}$/);
      expect(u.password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z0-9]).{24}$/);
      expect(seedIo.all()).not.toContain(u.password);
    }
    expect(new Set(users.map((u) => u.password)).size).toBe(10);
    expect((await listUsernames()).length).toBe(11);

    // Two "instances", as k6-operator would run them: disjoint user ranges.
    const instances = [partitionUsers(users, 0, 2), partitionUsers(users, 1, 2)];
    expect(instances.map((p) => p.length)).toEqual([5, 5]);
    for (const part of instances) {
      for (const user of part) {
        const signIn = classifyAuthResponse(
          ...(Object.values(await call(buildPasswordAuthRequest({ endpoint, clientId, username: user.username, password: user.password }))) as [
            number,
            string,
            Record<string, string>,
          ]),
        );
        expect(signIn.outcome).toBe('ok');
        expect(signIn.tokens!.refreshToken).not.toBe('');
        const refreshed = await call(buildRefreshAuthRequest({ endpoint, clientId, refreshToken: signIn.tokens!.refreshToken }));
        const r = classifyAuthResponse(refreshed.status, refreshed.body, refreshed.headers);
        expect(r.outcome).toBe('ok');
        expect(r.tokens!.accessToken.split('.')).toHaveLength(3);
      }
    }

    // The token endpoint's refresh_token grant, as token-endpoint.js does with GRANT=refresh_token.
    const first = users[0]!;
    const s = await call(buildPasswordAuthRequest({ endpoint, clientId, username: first.username, password: first.password }));
    const token = classifyAuthResponse(s.status, s.body).tokens!.refreshToken;
    const grant = await call(
      buildRefreshTokenGrantRequest({ tokenEndpoint: tokenEndpointUrl(endpoint), clientId, refreshToken: token }, (t) => Buffer.from(t).toString('base64')),
    );
    expect(classifyTokenResponse(grant.status, grant.body).outcome).toBe('ok');

    // Refused credentials are auth failures, not throttles. A SECRET_HASH is sent the way the
    // scripts send it (cognito-local does not verify it).
    const bad = await call(
      buildPasswordAuthRequest({
        endpoint,
        clientId,
        username: 'loadtest-nobody',
        password: 'x',
        secretHash: secretHash({ username: 'loadtest-nobody', clientId, clientSecret: 'unused' }, (k, m) => createHmac('sha256', k).update(m).digest('base64')),
      }),
    );
    expect(classifyAuthResponse(bad.status, bad.body, bad.headers)).toMatchObject({ outcome: 'auth_failure', errorCode: 'NotAuthorizedException' });

    // Cleanup through COGNITO_ENDPOINT (no --endpoint).
    const cleanIo = io({ COGNITO_ENDPOINT: endpoint });
    const cleaned = await runLoadtestCommand(['cleanup', '--user-pool-id', userPoolId, '--users', 'users.json', '--rate', '25'], cleanIo, {
      cognitoClientFactory: factory,
    });
    expect(cleanIo.all()).toMatch(/deleted 10 users/);
    expect(cleaned).toBe(0);
    expect(factoryCalls.at(-1)).toEqual({ endpoint, region: 'local' });
    expect(await listUsernames()).toEqual(before);
    expect(existsSync(usersPath)).toBe(false);
  }, 90_000);

  it('seeds email-address usernames in pools that sign in with email, and keeps the sub for refresh', async () => {
    const emailPool = (await admin.send(new CreateUserPoolCommand({ PoolName: 'email-pool', UsernameAttributes: ['email'] }))).UserPool!.Id!;
    const emailClient = (
      await admin.send(new CreateUserPoolClientCommand({ UserPoolId: emailPool, ClientName: 'k6', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))
    ).UserPoolClient!.ClientId!;
    const t = io();
    expect(
      await runLoadtestCommand(
        ['seed', '--user-pool-id', emailPool, '--client-id', emailClient, '--count', '3', '--output', 'email-users.json', '--endpoint', endpoint, '--rate', '30'],
        t,
        { cognitoClientFactory: factory },
      ),
    ).toBe(0);
    const users = usersFromFile(readFileSync(join(dir, 'email-users.json'), 'utf8'));
    for (const u of users) {
      expect(u.username).toMatch(/^loadtest-[0-9a-f]{6}-\d@loadtest\.invalid$/);
      // The pool's username is the sub; SECRET_HASH for REFRESH_TOKEN_AUTH is computed over it.
      expect(u.cognitoUsername).toMatch(/^[0-9a-f-]{36}$/);
      const res = await call(buildPasswordAuthRequest({ endpoint, clientId: emailClient, username: u.username, password: u.password }));
      expect(classifyAuthResponse(res.status, res.body).outcome).toBe('ok');
    }
    expect(await runLoadtestCommand(['cleanup', '--user-pool-id', emailPool, '--users', 'email-users.json', '--endpoint', endpoint], io(), { cognitoClientFactory: factory })).toBe(0);
    const left = await admin.send(new ListUsersCommand({ UserPoolId: emailPool }));
    expect(left.Users ?? []).toEqual([]);
  }, 60_000);
});
