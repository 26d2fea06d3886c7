// k6: each virtual user signs in once (USER_PASSWORD_AUTH, paced by the arrival rate because a
// VU signs in on its first iteration), then refreshes with REFRESH_TOKEN_AUTH for the rest of
// the run. Both count against the UserAuthentication quota.

import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { buildRefreshAuthRequest, classifyAuthResponse, secretHash } from './lib/cognito-api.js';
import { configFromEnv, usersFromFile } from './lib/config.js';
import { partitionRange, userIndexForSlot } from './lib/partition.js';
import { buildOptions, currentInstance, hmacSha256Base64, passwordSignIn, send, summaryHandler } from './lib/k6-runtime.js';

var config = configFromEnv(__ENV, { needsUsers: true, needsTokenEndpoint: false });
var users = new SharedArray('users', function () {
  return usersFromFile(open(config.usersFile));
});

export var options = buildOptions(config, JSON.parse(open('./thresholds.json')));

// Per-VU state: module scope is private to each VU in k6.
/** @type {{ refreshToken: string, cognitoUsername: string } | null} */
var session = null;

/**
 * @param {string} username
 * @returns {string | undefined}
 */
function hashFor(username) {
  if (!config.clientSecret) return undefined;
  return secretHash({ username: username, clientId: config.clientId, clientSecret: config.clientSecret }, hmacSha256Base64);
}

export default function () {
  if (!session) {
    var instance = currentInstance();
    var range = partitionRange(users.length, instance.index, instance.count);
    var user = users[userIndexForSlot(range, exec.vu.idInInstance - 1)];
    var signIn = passwordSignIn(config, user);
    if (signIn.tokens && signIn.tokens.refreshToken) {
      session = { refreshToken: signIn.tokens.refreshToken, cognitoUsername: user.cognitoUsername };
    }
    return;
  }
  var refreshed = send(
    buildRefreshAuthRequest({
      endpoint: config.endpoint,
      clientId: config.clientId,
      refreshToken: session.refreshToken,
      // For REFRESH_TOKEN_AUTH the hash is over the Cognito username (the sub in pools that
      // sign in with email), not the sign-in alias.
      secretHash: hashFor(session.cognitoUsername),
    }),
    'InitiateAuth:REFRESH_TOKEN_AUTH',
    classifyAuthResponse,
  );
  // A revoked or expired refresh token: sign in again next iteration.
  if (refreshed.outcome === 'auth_failure') session = null;
  // With refresh token rotation Cognito returns a new refresh token; keep it.
  else if (refreshed.tokens && refreshed.tokens.refreshToken) session.refreshToken = refreshed.tokens.refreshToken;
}

export var handleSummary = summaryHandler(config, 'token-refresh', users.length);
