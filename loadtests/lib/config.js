// Test configuration from environment variables (k6 `__ENV`, set with `-e NAME=value` or
// inherited from the shell). Pure, ES2017.

import { cognitoEndpointForPool } from './cognito-api.js';
import { SCENARIOS, parseDuration } from './scenarios.js';
import { tokenEndpointUrl } from './token-endpoint.js';

/**
 * @typedef {Object} LoadtestConfig
 * @property {string} scenario
 * @property {number} rate
 * @property {number} durationSeconds
 * @property {number} ceiling 0 when not set.
 * @property {number} vus 0 when not set.
 * @property {number} maxVus 0 when not set.
 * @property {string} endpoint Cognito user pool API endpoint.
 * @property {string} userPoolId
 * @property {string} clientId
 * @property {string} clientSecret Empty for public clients. Never logged.
 * @property {string} usersFile
 * @property {string} tokenEndpoint Empty unless TOKEN_ENDPOINT or HOSTED_UI_DOMAIN is set.
 * @property {string} grant `client_credentials` or `refresh_token`.
 * @property {string} scope
 * @property {string} summaryPath
 */

/**
 * @param {Object<string, string | undefined>} env
 * @param {string} name
 * @returns {string}
 */
function text(env, name) {
  var value = env[name];
  return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * @param {Object<string, string | undefined>} env
 * @param {string} name
 * @returns {number}
 */
function number(env, name) {
  var value = text(env, name);
  if (!value) return 0;
  var n = Number(value);
  if (!isFinite(n) || n < 0) throw new Error(name + ' must be a non-negative number, got "' + value + '"');
  return n;
}

/**
 * Reads and checks the configuration. The client secret is read from the variable named by
 * CLIENT_SECRET_ENV, so it never appears on a command line (visible in `ps` and CI logs).
 * @param {Object<string, string | undefined>} env
 * @param {{ needsUsers: boolean, needsTokenEndpoint: boolean }} needs
 * @returns {LoadtestConfig}
 */
export function configFromEnv(env, needs) {
  var scenario = text(env, 'SCENARIO') || 'smoke';
  if (SCENARIOS.indexOf(scenario) < 0) throw new Error('SCENARIO must be one of ' + SCENARIOS.join(', ') + ', got "' + scenario + '"');
  var rate = number(env, 'RATE') || 1;
  var durationSeconds = parseDuration(text(env, 'DURATION') || (scenario === 'soak' ? '1h' : '1m'));
  var userPoolId = text(env, 'USER_POOL_ID');
  var endpoint = text(env, 'COGNITO_ENDPOINT');
  if (!endpoint && userPoolId) endpoint = cognitoEndpointForPool(userPoolId);
  var clientId = text(env, 'CLIENT_ID');
  if (!clientId) throw new Error('set CLIENT_ID');
  var secretVar = text(env, 'CLIENT_SECRET_ENV');
  var clientSecret = '';
  if (secretVar) {
    clientSecret = text(env, secretVar);
    if (!clientSecret) throw new Error('CLIENT_SECRET_ENV names ' + secretVar + ', which is empty or unset');
  }
  var usersFile = text(env, 'USERS_FILE');
  if (needs.needsUsers) {
    if (!usersFile) throw new Error('set USERS_FILE (from `cognito-guard loadtest seed`)');
    if (!endpoint) throw new Error('set COGNITO_ENDPOINT or USER_POOL_ID');
  }
  var domain = text(env, 'TOKEN_ENDPOINT') || text(env, 'HOSTED_UI_DOMAIN');
  var tokenEndpoint = domain ? tokenEndpointUrl(domain) : '';
  if (needs.needsTokenEndpoint && !tokenEndpoint) throw new Error('set TOKEN_ENDPOINT or HOSTED_UI_DOMAIN');
  var grant = text(env, 'GRANT') || 'client_credentials';
  if (grant !== 'client_credentials' && grant !== 'refresh_token') {
    throw new Error('GRANT must be client_credentials or refresh_token, got "' + grant + '"');
  }
  return {
    scenario: scenario,
    rate: rate,
    durationSeconds: durationSeconds,
    ceiling: number(env, 'CEILING'),
    vus: number(env, 'VUS'),
    maxVus: number(env, 'MAX_VUS'),
    endpoint: endpoint,
    userPoolId: userPoolId,
    clientId: clientId,
    clientSecret: clientSecret,
    usersFile: usersFile,
    tokenEndpoint: tokenEndpoint,
    grant: grant,
    scope: text(env, 'SCOPE'),
    summaryPath: text(env, 'SUMMARY_PATH') || 'summary.json',
  };
}

/**
 * The users array of a users file written by `cognito-guard loadtest seed`.
 * @param {string} fileText
 * @returns {Array<{ username: string, password: string, cognitoUsername: string }>}
 */
export function usersFromFile(fileText) {
  /** @type {any} */
  var doc = JSON.parse(fileText);
  if (!doc || !Array.isArray(doc.users)) throw new Error('users file has no "users" array');
  var users = [];
  for (var i = 0; i < doc.users.length; i++) {
    var u = doc.users[i];
    if (!u || typeof u.username !== 'string' || typeof u.password !== 'string') {
      throw new Error('users file entry ' + i + ' needs username and password');
    }
    users.push({
      username: u.username,
      password: u.password,
      cognitoUsername: typeof u.cognitoUsername === 'string' && u.cognitoUsername ? u.cognitoUsername : u.username,
    });
  }
  return users;
}
