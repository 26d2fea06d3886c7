// Request building and response handling for the Cognito user pool JSON API (InitiateAuth).
// Pure: no k6 or Node imports. Crypto is injected so k6 (k6/crypto) and Node tests
// (node:crypto) run the same code. Keep the syntax at ES2017: k6 0.45 and newer run this file.

/**
 * @typedef {Object} HttpRequest
 * @property {string} method
 * @property {string} url
 * @property {Object<string, string>} headers
 * @property {string} body
 */

/**
 * @typedef {Object} AuthTokens
 * @property {string} accessToken
 * @property {string} idToken
 * @property {string} refreshToken Empty when the flow does not return one (REFRESH_TOKEN_AUTH without rotation).
 * @property {number} expiresIn Seconds; 0 when absent.
 */

/**
 * HMAC-SHA256 of `message` keyed by `key`, base64 (standard alphabet, padded).
 * @callback HmacSha256Base64
 * @param {string} key
 * @param {string} message
 * @returns {string}
 */

var TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/**
 * The regional Cognito user pool endpoint. A user pool id is `<region>_<suffix>`, so the pool
 * names its own Region.
 * @param {string} userPoolId
 * @returns {string}
 */
export function cognitoEndpointForPool(userPoolId) {
  var match = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/.exec(userPoolId);
  if (!match) {
    throw new Error('cannot derive a Region from user pool id "' + userPoolId + '"; set COGNITO_ENDPOINT');
  }
  return 'https://cognito-idp.' + match[1] + '.amazonaws.com/';
}

/**
 * SECRET_HASH for app clients with a secret: base64(HMAC-SHA256(key = client secret,
 * message = username + client id)). For USER_PASSWORD_AUTH the username is the name the user
 * signs in with; for REFRESH_TOKEN_AUTH Cognito expects the user's Cognito username (the `sub`
 * in pools that sign in with email or phone number).
 * @param {{ username: string, clientId: string, clientSecret: string }} input
 * @param {HmacSha256Base64} hmacSha256Base64
 * @returns {string}
 */
export function secretHash(input, hmacSha256Base64) {
  return hmacSha256Base64(input.clientSecret, input.username + input.clientId);
}

/**
 * @param {string} endpoint
 * @param {string} operation
 * @param {Object} payload
 * @returns {HttpRequest}
 */
function jsonApiRequest(endpoint, operation, payload) {
  return {
    method: 'POST',
    url: endpoint,
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': TARGET_PREFIX + operation,
    },
    body: JSON.stringify(payload),
  };
}

/**
 * InitiateAuth with USER_PASSWORD_AUTH. This flow is unauthenticated (no SigV4): the client id,
 * and for confidential clients the SECRET_HASH, identify the caller.
 * @param {{ endpoint: string, clientId: string, username: string, password: string, secretHash?: string }} input
 * @returns {HttpRequest}
 */
export function buildPasswordAuthRequest(input) {
  /** @type {Object<string, string>} */
  var params = { USERNAME: input.username, PASSWORD: input.password };
  if (input.secretHash) params.SECRET_HASH = input.secretHash;
  return jsonApiRequest(input.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: input.clientId,
    AuthParameters: params,
  });
}

/**
 * InitiateAuth with REFRESH_TOKEN_AUTH. Counts against the UserAuthentication quota like a
 * sign-in.
 * @param {{ endpoint: string, clientId: string, refreshToken: string, secretHash?: string }} input
 * @returns {HttpRequest}
 */
export function buildRefreshAuthRequest(input) {
  /** @type {Object<string, string>} */
  var params = { REFRESH_TOKEN: input.refreshToken };
  if (input.secretHash) params.SECRET_HASH = input.secretHash;
  return jsonApiRequest(input.endpoint, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: input.clientId,
    AuthParameters: params,
  });
}

/**
 * @param {string} text
 * @returns {any}
 */
function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    return null;
  }
}

/**
 * The AWS error code of a JSON-protocol error response. `__type` may carry a namespace
 * (`com.amazonaws...#NotAuthorizedException`) or a `:`-suffix; the `x-amzn-ErrorType` header
 * has the same form.
 * @param {string} bodyText
 * @param {Object<string, string>} [headers]
 * @returns {string} Empty when the response names no error.
 */
export function apiErrorCode(bodyText, headers) {
  var raw = '';
  var body = parseJson(bodyText);
  if (body && typeof body === 'object' && typeof body.__type === 'string') raw = body.__type;
  if (!raw && headers) {
    var names = Object.keys(headers);
    for (var i = 0; i < names.length; i++) {
      if (names[i].toLowerCase() === 'x-amzn-errortype') raw = String(headers[names[i]]);
    }
  }
  var hash = raw.lastIndexOf('#');
  if (hash >= 0) raw = raw.slice(hash + 1);
  var colon = raw.indexOf(':');
  if (colon >= 0) raw = raw.slice(0, colon);
  return raw;
}

/**
 * Error classes. `throttle` is Cognito saying "slow down" (a quota); `auth_failure` is the
 * credentials being refused; `challenge` is a sign-in that needs another step (MFA, a new
 * password) and so did not produce tokens; `network_error` is no HTTP response at all.
 */
export var OUTCOMES = ['ok', 'throttle', 'auth_failure', 'challenge', 'client_error', 'server_error', 'network_error'];

// Per-user sign-in lockouts and unknown users are credential problems, not quota problems.
var AUTH_FAILURE_CODES = [
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
  'TooManyFailedAttemptsException',
];

/**
 * @typedef {Object} Classified
 * @property {string} outcome One of OUTCOMES.
 * @property {string} errorCode The AWS error code or OAuth `error`, empty when none.
 * @property {AuthTokens | null} tokens Present only when outcome is `ok`.
 */

/**
 * Classifies an InitiateAuth response. User pool API throttling is `TooManyRequestsException`
 * with HTTP 400 (not 429), so the code in the body decides; a 429 from a proxy counts too.
 * A 200 without tokens is never a success.
 * @param {number} status HTTP status; 0 when the request failed before a response.
 * @param {string} bodyText
 * @param {Object<string, string>} [headers]
 * @returns {Classified}
 */
export function classifyAuthResponse(status, bodyText, headers) {
  if (!status) return { outcome: 'network_error', errorCode: '', tokens: null };
  if (status >= 200 && status < 300) {
    var body = parseJson(bodyText);
    var result = body && body.AuthenticationResult;
    if (result && typeof result.AccessToken === 'string' && result.AccessToken) {
      return {
        outcome: 'ok',
        errorCode: '',
        tokens: {
          accessToken: result.AccessToken,
          idToken: typeof result.IdToken === 'string' ? result.IdToken : '',
          refreshToken: typeof result.RefreshToken === 'string' ? result.RefreshToken : '',
          expiresIn: typeof result.ExpiresIn === 'number' ? result.ExpiresIn : 0,
        },
      };
    }
    if (body && typeof body.ChallengeName === 'string') {
      return { outcome: 'challenge', errorCode: body.ChallengeName, tokens: null };
    }
    return { outcome: 'server_error', errorCode: 'MalformedResponse', tokens: null };
  }
  var code = apiErrorCode(bodyText, headers);
  if (code === 'TooManyRequestsException' || status === 429) {
    return { outcome: 'throttle', errorCode: code || 'HTTP429', tokens: null };
  }
  if (status >= 500) return { outcome: 'server_error', errorCode: code || 'HTTP' + status, tokens: null };
  if (AUTH_FAILURE_CODES.indexOf(code) >= 0) return { outcome: 'auth_failure', errorCode: code, tokens: null };
  return { outcome: 'client_error', errorCode: code || 'HTTP' + status, tokens: null };
}
