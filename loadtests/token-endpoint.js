// k6: the OAuth 2.0 token endpoint of a user pool domain.
//   GRANT=client_credentials (default): machine-to-machine tokens for SCOPE (a resource server
//     scope such as `orders/read`); the app client needs a secret. ClientAuthentication quota.
//   GRANT=refresh_token: each VU signs in once through InitiateAuth, then exchanges its refresh
//     token at /oauth2/token. UserAuthentication quota.
// TOKEN_ENDPOINT (full URL) or HOSTED_UI_DOMAIN (e.g. myapp.auth.eu-west-1.amazoncognito.com).

import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { configFromEnv, usersFromFile } from './lib/config.js';
import { partitionRange, userIndexForSlot } from './lib/partition.js';
import {
  buildClientCredentialsRequest,
  buildRefreshTokenGrantRequest,
  classifyTokenResponse,
} from './lib/token-endpoint.js';
import { base64, buildOptions, currentInstance, passwordSignIn, send, summaryHandler } from './lib/k6-runtime.js';

var refreshGrant = __ENV.GRANT === 'refresh_token';
var config = configFromEnv(__ENV, { needsUsers: refreshGrant, needsTokenEndpoint: true });
if (!refreshGrant && !config.clientSecret) {
  throw new Error('client_credentials needs the app client secret: set CLIENT_SECRET_ENV to the name of a variable holding it');
}
var users = new SharedArray('users', function () {
  return refreshGrant ? usersFromFile(open(config.usersFile)) : [];
});

export var options = buildOptions(config, JSON.parse(open('./thresholds.json')));

/** @type {string} */
var refreshToken = '';

/** Signs this VU's user in once; the token endpoint then refreshes with its refresh token. */
function signIn() {
  var instance = currentInstance();
  var range = partitionRange(users.length, instance.index, instance.count);
  var user = users[userIndexForSlot(range, exec.vu.idInInstance - 1)];
  var result = passwordSignIn(config, user);
  if (result.tokens && result.tokens.refreshToken) refreshToken = result.tokens.refreshToken;
}

export default function () {
  if (!refreshGrant) {
    send(
      buildClientCredentialsRequest(
        { tokenEndpoint: config.tokenEndpoint, clientId: config.clientId, clientSecret: config.clientSecret, scope: config.scope },
        base64,
      ),
      'oauth2/token:client_credentials',
      classifyTokenResponse,
    );
    return;
  }
  if (!refreshToken) {
    signIn();
    return;
  }
  var result = send(
    buildRefreshTokenGrantRequest(
      { tokenEndpoint: config.tokenEndpoint, clientId: config.clientId, refreshToken: refreshToken, clientSecret: config.clientSecret },
      base64,
    ),
    'oauth2/token:refresh_token',
    classifyTokenResponse,
  );
  if (result.outcome === 'auth_failure') refreshToken = '';
}

export var handleSummary = summaryHandler(config, 'token-endpoint', users.length);
