import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  apiErrorCode,
  buildPasswordAuthRequest,
  buildRefreshAuthRequest,
  classifyAuthResponse,
  cognitoEndpointForPool,
  secretHash,
} from '../../loadtests/lib/cognito-api.js';
import { configFromEnv, usersFromFile } from '../../loadtests/lib/config.js';
import { instanceFromSegment, partitionRange, partitionUsers, userIndexForSlot } from '../../loadtests/lib/partition.js';
import { buildScenario, buildThresholds, parseDuration } from '../../loadtests/lib/scenarios.js';
import { buildSummary, shortText } from '../../loadtests/lib/summary.js';
import {
  buildClientCredentialsRequest,
  buildRefreshTokenGrantRequest,
  classifyTokenResponse,
  formEncode,
  tokenEndpointUrl,
} from '../../loadtests/lib/token-endpoint.js';

const thresholdsFile = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'loadtests', 'thresholds.json'), 'utf8'));
const nodeHmac = (key: string, message: string): string => createHmac('sha256', key).update(message, 'utf8').digest('base64');
const nodeBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('SECRET_HASH', () => {
  it('is base64(HMAC-SHA256(key = secret, message = username + clientId))', () => {
    // Vector computed here, independently of the helper: the helper must put the secret in the
    // key and username-then-client-id in the message.
    const secret = '1example23456789abcdefghijklmnopqrstuvwxyz0123456789ab';
    const username = 'loadtest-abc123-0001';
    const clientId = '4exampleclientid5678';
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(username + clientId, 'utf8')).digest('base64');
    expect(secretHash({ username, clientId, clientSecret: secret }, nodeHmac)).toBe(expected);
    // Swapping key and message, or the order of username and client id, gives other values.
    expect(expected).not.toBe(createHmac('sha256', username + clientId).update(secret).digest('base64'));
    expect(expected).not.toBe(createHmac('sha256', secret).update(clientId + username).digest('base64'));
  });

  it('matches a fixed vector', () => {
    // From OpenSSL: printf 'userclient' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(secretHash({ username: 'user', clientId: 'client', clientSecret: 'secret' }, nodeHmac)).toBe(
      createHmac('sha256', 'secret').update('userclient').digest('base64'),
    );
    expect(secretHash({ username: 'user', clientId: 'client', clientSecret: 'secret' }, nodeHmac)).toBe(
      'wvW87lzZoI+qQCVGmWVBJLlucdJ65huAVP1z+0MgA6E=',
    );
  });
});

describe('InitiateAuth requests', () => {
  it('builds USER_PASSWORD_AUTH over the JSON protocol', () => {
    const req = buildPasswordAuthRequest({ endpoint: 'http://127.0.0.1:9229/', clientId: 'c1', username: 'u', password: 'p', secretHash: 'h' });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://127.0.0.1:9229/');
    expect(req.headers).toEqual({
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    });
    expect(JSON.parse(req.body)).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'c1',
      AuthParameters: { USERNAME: 'u', PASSWORD: 'p', SECRET_HASH: 'h' },
    });
  });

  it('omits SECRET_HASH for public clients', () => {
    const req = buildPasswordAuthRequest({ endpoint: 'e', clientId: 'c1', username: 'u', password: 'p' });
    expect(JSON.parse(req.body).AuthParameters).toEqual({ USERNAME: 'u', PASSWORD: 'p' });
  });

  it('builds REFRESH_TOKEN_AUTH', () => {
    const req = buildRefreshAuthRequest({ endpoint: 'e', clientId: 'c1', refreshToken: 'r', secretHash: 'h' });
    expect(JSON.parse(req.body)).toEqual({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'c1', AuthParameters: { REFRESH_TOKEN: 'r', SECRET_HASH: 'h' } });
  });

  it('derives the regional endpoint from the pool id', () => {
    expect(cognitoEndpointForPool('eu-west-1_AbC123')).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(cognitoEndpointForPool('us-gov-west-1_x1')).toBe('https://cognito-idp.us-gov-west-1.amazonaws.com/');
    expect(() => cognitoEndpointForPool('local_abc')).toThrow(/COGNITO_ENDPOINT/);
  });
});

describe('classifyAuthResponse', () => {
  const ok = JSON.stringify({ AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 } });
  it('returns tokens on success', () => {
    expect(classifyAuthResponse(200, ok)).toEqual({
      outcome: 'ok',
      errorCode: '',
      tokens: { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresIn: 3600 },
    });
  });
  it('treats throttling (HTTP 400 TooManyRequestsException, or 429) as throttle', () => {
    expect(classifyAuthResponse(400, '{"__type":"TooManyRequestsException","message":"Rate exceeded"}').outcome).toBe('throttle');
    expect(classifyAuthResponse(400, '{"__type":"com.amazonaws.cognito#TooManyRequestsException"}').outcome).toBe('throttle');
    expect(classifyAuthResponse(400, '', { 'X-Amzn-ErrorType': 'TooManyRequestsException:http://internal' }).outcome).toBe('throttle');
    expect(classifyAuthResponse(429, '').outcome).toBe('throttle');
  });
  it('separates auth failures, challenges, client and server errors', () => {
    expect(classifyAuthResponse(400, '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}')).toEqual({
      outcome: 'auth_failure',
      errorCode: 'NotAuthorizedException',
      tokens: null,
    });
    expect(classifyAuthResponse(400, '{"__type":"UserNotFoundException"}').outcome).toBe('auth_failure');
    expect(classifyAuthResponse(400, '{"__type":"LimitExceededException"}').outcome).toBe('client_error');
    expect(classifyAuthResponse(400, '{"__type":"InvalidParameterException"}').errorCode).toBe('InvalidParameterException');
    expect(classifyAuthResponse(500, '{"__type":"InternalErrorException"}').outcome).toBe('server_error');
    expect(classifyAuthResponse(503, '<html>').errorCode).toBe('HTTP503');
    expect(classifyAuthResponse(200, '{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s"}')).toMatchObject({
      outcome: 'challenge',
      errorCode: 'NEW_PASSWORD_REQUIRED',
    });
    expect(classifyAuthResponse(0, '').outcome).toBe('network_error');
  });
  it('never counts a 200 without tokens as success', () => {
    expect(classifyAuthResponse(200, 'not json').outcome).toBe('server_error');
    expect(classifyAuthResponse(200, '{"AuthenticationResult":{}}').outcome).toBe('server_error');
  });
  it('reads error codes', () => {
    expect(apiErrorCode('{"__type":"a.b#Foo:bar"}')).toBe('Foo');
    expect(apiErrorCode('{}')).toBe('');
  });
});

describe('token endpoint', () => {
  it('builds the URL from a domain or URL', () => {
    expect(tokenEndpointUrl('myapp.auth.eu-west-1.amazoncognito.com')).toBe('https://myapp.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(tokenEndpointUrl('http://127.0.0.1:9229/')).toBe('http://127.0.0.1:9229/oauth2/token');
    expect(tokenEndpointUrl('https://auth.example.com/oauth2/token')).toBe('https://auth.example.com/oauth2/token');
  });
  it('builds client_credentials with Basic auth and a form body', () => {
    const req = buildClientCredentialsRequest({ tokenEndpoint: 'https://d/oauth2/token', clientId: 'cid', clientSecret: 'sec', scope: 'orders/read orders/write' }, nodeBase64);
    expect(req.headers).toEqual({
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from('cid:sec').toString('base64')}`,
    });
    expect(req.body).toBe('grant_type=client_credentials&scope=orders%2Fread+orders%2Fwrite');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ grant_type: 'client_credentials', scope: 'orders/read orders/write' });
    expect(() => buildClientCredentialsRequest({ tokenEndpoint: 't', clientId: 'c', clientSecret: '' }, nodeBase64)).toThrow(/secret/);
  });
  it('builds the refresh_token grant for public and confidential clients', () => {
    const pub = buildRefreshTokenGrantRequest({ tokenEndpoint: 't', clientId: 'c', refreshToken: 'r+/=' }, nodeBase64);
    expect(pub.headers.Authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(pub.body))).toEqual({ grant_type: 'refresh_token', client_id: 'c', refresh_token: 'r+/=' });
    const conf = buildRefreshTokenGrantRequest({ tokenEndpoint: 't', clientId: 'c', refreshToken: 'r', clientSecret: 's' }, nodeBase64);
    expect(conf.headers.Authorization).toBe(`Basic ${Buffer.from('c:s').toString('base64')}`);
  });
  it('encodes forms', () => {
    expect(formEncode([['a b', 'c&d=e']])).toBe('a+b=c%26d%3De');
  });
  it('classifies responses', () => {
    expect(classifyTokenResponse(200, '{"access_token":"a","expires_in":3600,"token_type":"Bearer"}')).toMatchObject({ outcome: 'ok', tokens: { accessToken: 'a', expiresIn: 3600 } });
    expect(classifyTokenResponse(429, '').outcome).toBe('throttle');
    expect(classifyTokenResponse(400, '{"error":"invalid_grant"}')).toMatchObject({ outcome: 'auth_failure', errorCode: 'invalid_grant' });
    expect(classifyTokenResponse(400, '{"error":"invalid_client"}').outcome).toBe('auth_failure');
    expect(classifyTokenResponse(401, '').outcome).toBe('auth_failure');
    expect(classifyTokenResponse(400, '{"error":"invalid_scope"}')).toMatchObject({ outcome: 'client_error', errorCode: 'invalid_scope' });
    expect(classifyTokenResponse(502, '').outcome).toBe('server_error');
    expect(classifyTokenResponse(200, '{}').outcome).toBe('server_error');
    expect(classifyTokenResponse(0, '').outcome).toBe('network_error');
  });
});

describe('user partitioning', () => {
  const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
  it('gives every user to exactly one instance, balanced', () => {
    for (const count of [1, 2, 3, 4, 7, 10]) {
      const parts = Array.from({ length: count }, (_, i) => partitionUsers(users, i, count));
      expect(parts.flat()).toEqual(users);
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(partitionUsers(users, 1, 3)).toEqual(['u3', 'u4', 'u5']);
  });
  it('leaves an instance empty when there are fewer users than instances, and then refuses to pick', () => {
    const range = partitionRange(2, 0, 3);
    expect(range).toEqual({ start: 0, end: 0 });
    expect(() => userIndexForSlot(range, 0)).toThrow(/seed at least as many users/);
  });
  it('rejects bad indexes', () => {
    expect(() => partitionUsers(users, 3, 3)).toThrow();
    expect(() => partitionUsers(users, 0, 0)).toThrow();
    expect(() => partitionUsers(users, 0.5, 2)).toThrow();
  });
  it('wraps slots within the range', () => {
    const range = partitionRange(10, 1, 2); // users 5..9
    expect([0, 1, 4, 5, 6].map((s) => userIndexForSlot(range, s))).toEqual([5, 6, 9, 5, 6]);
  });
  it('reads the instance from k6 execution segments', () => {
    expect(instanceFromSegment(undefined)).toEqual({ index: 0, count: 1 });
    expect(instanceFromSegment('0:1')).toEqual({ index: 0, count: 1 });
    expect(instanceFromSegment('0:1/4')).toEqual({ index: 0, count: 4 });
    expect(instanceFromSegment('2/4:3/4')).toEqual({ index: 2, count: 4 });
    expect(instanceFromSegment('0.5:0.75')).toEqual({ index: 2, count: 4 });
    expect(instanceFromSegment('1/3:2/3', '0,1/3,2/3,1')).toEqual({ index: 1, count: 3 });
    expect(instanceFromSegment('1/2:1', '0,1/4,1/2,1')).toEqual({ index: 2, count: 3 });
    expect(() => instanceFromSegment('1/2:1/4')).toThrow();
    expect(() => instanceFromSegment('0:1/3', '0,1/2,1')).toThrow(/not in sequence/);
  });
});

describe('scenarios and thresholds', () => {
  it('parses durations', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(() => parseDuration('5 minutes')).toThrow();
    expect(() => parseDuration('')).toThrow();
  });
  it('uses an arrival-rate executor at the target rate for load', () => {
    expect(buildScenario('load', { rate: 40, durationSeconds: 300 }, 'main')).toEqual({
      executor: 'constant-arrival-rate',
      rate: 40,
      timeUnit: '1s',
      duration: '300s',
      preAllocatedVUs: 20,
      maxVUs: 80,
      exec: 'main',
    });
  });
  it('ramps stress up to the ceiling', () => {
    const s = buildScenario('stress', { rate: 20, durationSeconds: 400, ceiling: 100 }) as { executor: string; stages: { target: number; duration: string }[] };
    expect(s.executor).toBe('ramping-arrival-rate');
    expect(s.stages.map((x) => x.target)).toEqual([25, 25, 50, 50, 75, 75, 100, 100]);
    expect(Math.max(...s.stages.map((x) => x.target))).toBe(100);
    expect(s.stages.reduce((t, x) => t + parseDuration(x.duration), 0)).toBe(400);
  });
  it('spikes from a tenth of the rate to the rate', () => {
    const s = buildScenario('spike', { rate: 100, durationSeconds: 120 }) as { startRate: number; stages: { target: number }[] };
    expect(s.startRate).toBe(10);
    expect(Math.max(...s.stages.map((x) => x.target))).toBe(100);
  });
  it('caps smoke at 1/s and rejects unknown scenarios', () => {
    expect(buildScenario('smoke', { rate: 50, durationSeconds: 600 })).toMatchObject({ rate: 1, duration: '60s' });
    expect(() => buildScenario('chaos', { rate: 1, durationSeconds: 1 })).toThrow(/unknown SCENARIO/);
  });
  it('builds thresholds from the shared thresholds file', () => {
    const d = thresholdsFile.defaults;
    expect(buildThresholds(thresholdsFile, 'load')).toEqual({
      http_req_duration: [`p(95)<${d.latencyP95Ms}`, `p(99)<${d.latencyP99Ms}`],
      cognito_errors: [`rate<=${d.errorRate}`],
      cognito_throttled: [`rate<=${d.throttleRate}`],
    });
    // stress switches the error limits off: it exists to find them.
    expect(buildThresholds(thresholdsFile, 'stress')).toEqual({ http_req_duration: [`p(95)<${d.latencyP95Ms}`] });
    expect(buildThresholds(thresholdsFile, 'smoke').cognito_errors).toEqual(['rate<=0']);
  });
});

describe('config from env', () => {
  it('reads the secret from the variable CLIENT_SECRET_ENV names', () => {
    const c = configFromEnv(
      { SCENARIO: 'load', RATE: '12', DURATION: '2m', USER_POOL_ID: 'eu-west-1_abc', CLIENT_ID: 'cid', CLIENT_SECRET_ENV: 'MY_SECRET', MY_SECRET: 's3', USERS_FILE: '/u.json' },
      { needsUsers: true, needsTokenEndpoint: false },
    );
    expect(c).toMatchObject({ scenario: 'load', rate: 12, durationSeconds: 120, clientSecret: 's3', endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/' });
    expect(() => configFromEnv({ CLIENT_ID: 'c', CLIENT_SECRET_ENV: 'NOPE' }, { needsUsers: false, needsTokenEndpoint: false })).toThrow(/NOPE/);
  });
  it('prefers COGNITO_ENDPOINT and checks what a script needs', () => {
    expect(configFromEnv({ CLIENT_ID: 'c', COGNITO_ENDPOINT: 'http://127.0.0.1:1/', USER_POOL_ID: 'local_x', USERS_FILE: 'u' }, { needsUsers: true, needsTokenEndpoint: false }).endpoint).toBe('http://127.0.0.1:1/');
    expect(() => configFromEnv({ CLIENT_ID: 'c' }, { needsUsers: true, needsTokenEndpoint: false })).toThrow(/USERS_FILE/);
    expect(() => configFromEnv({ CLIENT_ID: 'c' }, { needsUsers: false, needsTokenEndpoint: true })).toThrow(/TOKEN_ENDPOINT/);
    expect(() => configFromEnv({ CLIENT_ID: 'c', SCENARIO: 'x' }, { needsUsers: false, needsTokenEndpoint: false })).toThrow(/SCENARIO/);
    expect(configFromEnv({ CLIENT_ID: 'c', HOSTED_UI_DOMAIN: 'd.auth.us-east-1.amazoncognito.com' }, { needsUsers: false, needsTokenEndpoint: true }).tokenEndpoint).toBe(
      'https://d.auth.us-east-1.amazoncognito.com/oauth2/token',
    );
  });
  it('reads users files', () => {
    expect(usersFromFile('{"users":[{"username":"a","password":"p"}]}')).toEqual([{ username: 'a', password: 'p', cognitoUsername: 'a' }]);
    expect(() => usersFromFile('{"users":[{"username":"a"}]}')).toThrow(/entry 0/);
  });
});

describe('summary', () => {
  it('keeps metrics and meta, and leaves options out', () => {
    const data = { metrics: { http_reqs: { type: 'counter', values: { count: 10, rate: 2 } } }, state: { testRunDurationMs: 5000 }, options: { secret: 'x' } };
    const meta = { script: 'initiate-auth', scenario: 'load', targetRate: 2, ceiling: 0, durationSeconds: 5, users: 10, instanceIndex: 0, instanceCount: 1, grant: '' };
    const s = buildSummary(data, meta);
    expect(s).toEqual({ format: 'cognito-guard-k6-summary', version: 1, meta, state: data.state, metrics: data.metrics });
    expect(shortText(s)).toContain('achieved 2.0/s over 10 requests');
  });
});
