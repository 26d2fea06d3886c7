// k6-only glue shared by the scripts: metrics, sending a request, options, instance detection
// and handleSummary. Node cannot import this file (it imports k6 modules); everything with
// logic worth testing lives in the pure modules next to it.

import http from 'k6/http';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import { buildPasswordAuthRequest, classifyAuthResponse, secretHash } from './cognito-api.js';
import { buildScenario, buildThresholds, SUMMARY_TREND_STATS } from './scenarios.js';
import { instanceFromSegment } from './partition.js';
import { buildSummary, shortText } from './summary.js';

/** @typedef {import('./cognito-api.js').HttpRequest} HttpRequest */
/** @typedef {import('./cognito-api.js').Classified} Classified */
/** @typedef {import('./config.js').LoadtestConfig} LoadtestConfig */

// One counter per error class so the end-of-test summary separates them without submetric
// thresholds; each sample also carries `op`, `outcome` and `code` tags for `--out json`.
var requests = new Counter('cognito_requests');
var errors = new Rate('cognito_errors');
var throttled = new Rate('cognito_throttled');
var okDuration = new Trend('cognito_ok_duration', true);
/** @type {Object<string, Counter>} */
var byOutcome = {
  throttle: new Counter('cognito_throttles'),
  auth_failure: new Counter('cognito_auth_failures'),
  challenge: new Counter('cognito_challenges'),
  client_error: new Counter('cognito_client_errors'),
  server_error: new Counter('cognito_server_errors'),
  network_error: new Counter('cognito_network_errors'),
};

/**
 * @param {string} key
 * @param {string} message
 * @returns {string}
 */
export function hmacSha256Base64(key, message) {
  return /** @type {string} */ (crypto.hmac('sha256', key, message, 'base64'));
}

/**
 * @param {string} text
 * @returns {string}
 */
export function base64(text) {
  return encoding.b64encode(text, 'std');
}

/**
 * Sends one request and records its outcome. Bodies and tokens are never logged.
 * @param {HttpRequest} request
 * @param {string} op Tag value naming the operation, e.g. `InitiateAuth:USER_PASSWORD_AUTH`.
 * @param {(status: number, body: string, headers: Object<string, string>) => Classified} classify
 * @returns {Classified}
 */
export function send(request, op, classify) {
  var res = http.request(request.method, request.url, request.body, {
    headers: request.headers,
    tags: { op: op, name: op },
  });
  var body = typeof res.body === 'string' ? res.body : '';
  var result = classify(res.status, body, res.headers);
  var tags = { op: op, outcome: result.outcome, code: result.errorCode };
  requests.add(1, tags);
  errors.add(result.outcome !== 'ok', tags);
  throttled.add(result.outcome === 'throttle', tags);
  if (result.outcome === 'ok') okDuration.add(res.timings.duration, tags);
  else byOutcome[result.outcome].add(1, tags);
  return result;
}

/**
 * Signs a user in with USER_PASSWORD_AUTH (with a SECRET_HASH when the client has a secret)
 * and records the outcome like every other request.
 * @param {LoadtestConfig} config
 * @param {{ username: string, password: string }} user
 * @returns {Classified}
 */
export function passwordSignIn(config, user) {
  var hash = config.clientSecret
    ? secretHash({ username: user.username, clientId: config.clientId, clientSecret: config.clientSecret }, hmacSha256Base64)
    : undefined;
  return send(
    buildPasswordAuthRequest({
      endpoint: config.endpoint,
      clientId: config.clientId,
      username: user.username,
      password: user.password,
      secretHash: hash,
    }),
    'InitiateAuth:USER_PASSWORD_AUTH',
    classifyAuthResponse,
  );
}

/**
 * This instance's place in a distributed run: INSTANCE_INDEX/INSTANCE_COUNT when set (several
 * plain `k6 run`s), else k6's execution segment (k6-operator). Call from VU code: the test
 * options are not complete in the init context.
 * @returns {{ index: number, count: number }}
 */
export function currentInstance() {
  if (__ENV.INSTANCE_COUNT) {
    return { index: Number(__ENV.INSTANCE_INDEX || 0), count: Number(__ENV.INSTANCE_COUNT) };
  }
  var options = exec.test.options;
  return instanceFromSegment(options.executionSegment, options.executionSegmentSequence);
}

/**
 * k6 options for a script: one `main` scenario and the shared thresholds.
 * @param {LoadtestConfig} config
 * @param {{ defaults: Object<string, any>, scenarios?: Object<string, any> }} thresholdsFile
 * @returns {import('k6/options').Options}
 */
export function buildOptions(config, thresholdsFile) {
  /** @type {any} */
  var main = buildScenario(config.scenario, {
    rate: config.rate,
    durationSeconds: config.durationSeconds,
    ceiling: config.ceiling,
    vus: config.vus,
    maxVus: config.maxVus,
  });
  return {
    scenarios: { main: main },
    thresholds: buildThresholds(thresholdsFile, config.scenario),
    summaryTrendStats: SUMMARY_TREND_STATS,
    // Cognito answers every sign-in with fresh tokens; no cookies or keep-alive tricks needed,
    // but keep connections so TLS setup does not dominate latency.
    noConnectionReuse: false,
    discardResponseBodies: false,
  };
}

/**
 * handleSummary for a script: writes the JSON summary to SUMMARY_PATH and a short text to
 * stdout.
 * @param {LoadtestConfig} config
 * @param {string} script
 * @param {number} userCount
 * @returns {(data: any) => Object<string, string>}
 */
export function summaryHandler(config, script, userCount) {
  return function (data) {
    var instance = { index: 0, count: 1 };
    try {
      instance = currentInstance();
    } catch (err) {
      // Only the meta block is affected; the metrics are complete.
    }
    var summary = buildSummary(data, {
      script: script,
      scenario: config.scenario,
      targetRate: config.rate,
      ceiling: config.ceiling,
      durationSeconds: config.durationSeconds,
      users: userCount,
      instanceIndex: instance.index,
      instanceCount: instance.count,
      grant: script === 'token-endpoint' ? config.grant : '',
    });
    /** @type {Object<string, string>} */
    var out = { stdout: shortText(summary) };
    out[config.summaryPath] = JSON.stringify(summary, null, 2);
    return out;
  };
}
