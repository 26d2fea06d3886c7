// Request building and response handling for the OAuth 2.0 token endpoint of a user pool
// domain (managed login / hosted UI): POST /oauth2/token with a form body.
// Pure: no k6 or Node imports; base64 is injected. ES2017 syntax only.

/** @typedef {import('./cognito-api.js').HttpRequest} HttpRequest */
/** @typedef {import('./cognito-api.js').Classified} Classified */

/**
 * Standard base64 of a UTF-8 string.
 * @callback Base64Encode
 * @param {string} text
 * @returns {string}
 */

/**
 * The token endpoint URL from either a full URL or a user pool domain
 * (`myapp.auth.eu-west-1.amazoncognito.com`, a custom domain, or `http://127.0.0.1:9229` for
 * an emulator). A bare domain gets https.
 * @param {string} domainOrUrl
 * @returns {string}
 */
export function tokenEndpointUrl(domainOrUrl) {
  var value = String(domainOrUrl || '').trim();
  if (!value) throw new Error('set TOKEN_ENDPOINT or HOSTED_UI_DOMAIN');
  if (!/^https?:\/\//.test(value)) value = 'https://' + value;
  value = value.replace(/\/+$/, '');
  if (/\/oauth2\/token$/.test(value)) return value;
  return value + '/oauth2/token';
}

/**
 * application/x-www-form-urlencoded body; keys in the given order.
 * @param {Array<[string, string]>} pairs
 * @returns {string}
 */
export function formEncode(pairs) {
  var parts = [];
  for (var i = 0; i < pairs.length; i++) {
    parts.push(encodeURIComponent(pairs[i][0]) + '=' + encodeURIComponent(pairs[i][1]));
  }
  return parts.join('&').replace(/%20/g, '+');
}

/**
 * HTTP Basic credentials as the token endpoint expects them for confidential clients:
 * base64(client_id:client_secret). RFC 6749 §2.3.1 form-encodes both parts first; Cognito ids
 * and secrets are alphanumeric, so that encoding is the identity for them.
 * @param {string} clientId
 * @param {string} clientSecret
 * @param {Base64Encode} base64
 * @returns {string}
 */
export function basicAuthorization(clientId, clientSecret, base64) {
  return 'Basic ' + base64(clientId + ':' + clientSecret);
}

/**
 * client_credentials grant (machine to machine). Needs an app client with a secret and a
 * resource server scope; counts against the ClientAuthentication quota.
 * @param {{ tokenEndpoint: string, clientId: string, clientSecret: string, scope?: string }} input
 * @param {Base64Encode} base64
 * @returns {HttpRequest}
 */
export function buildClientCredentialsRequest(input, base64) {
  if (!input.clientSecret) throw new Error('client_credentials needs a client secret');
  /** @type {Array<[string, string]>} */
  var pairs = [['grant_type', 'client_credentials']];
  if (input.scope) pairs.push(['scope', input.scope]);
  return {
    method: 'POST',
    url: input.tokenEndpoint,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basicAuthorization(input.clientId, input.clientSecret, base64),
    },
    body: formEncode(pairs),
  };
}

/**
 * refresh_token grant. Public clients send client_id in the body; confidential clients also
 * authenticate with Basic credentials. Counts against UserAuthentication.
 * @param {{ tokenEndpoint: string, clientId: string, refreshToken: string, clientSecret?: string }} input
 * @param {Base64Encode} base64
 * @returns {HttpRequest}
 */
export function buildRefreshTokenGrantRequest(input, base64) {
  /** @type {Object<string, string>} */
  var headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (input.clientSecret) headers.Authorization = basicAuthorization(input.clientId, input.clientSecret, base64);
  return {
    method: 'POST',
    url: input.tokenEndpoint,
    headers: headers,
    body: formEncode([
      ['grant_type', 'refresh_token'],
      ['client_id', input.clientId],
      ['refresh_token', input.refreshToken],
    ]),
  };
}

// OAuth errors (RFC 6749 §5.2) that mean the credentials or the grant were refused.
var AUTH_FAILURE_ERRORS = ['invalid_client', 'invalid_grant', 'unauthorized_client'];

/**
 * Classifies a token endpoint response. The hosted endpoints throttle with HTTP 429 (AWS does
 * not document the body), so the status decides before the body.
 * @param {number} status HTTP status; 0 when the request failed before a response.
 * @param {string} bodyText
 * @returns {Classified}
 */
export function classifyTokenResponse(status, bodyText) {
  if (!status) return { outcome: 'network_error', errorCode: '', tokens: null };
  if (status === 429) return { outcome: 'throttle', errorCode: 'HTTP429', tokens: null };
  if (status >= 500) return { outcome: 'server_error', errorCode: 'HTTP' + status, tokens: null };
  /** @type {any} */
  var body = null;
  try {
    body = bodyText ? JSON.parse(bodyText) : null;
  } catch (err) {
    body = null;
  }
  if (status >= 200 && status < 300) {
    if (body && typeof body.access_token === 'string' && body.access_token) {
      return {
        outcome: 'ok',
        errorCode: '',
        tokens: {
          accessToken: body.access_token,
          idToken: typeof body.id_token === 'string' ? body.id_token : '',
          refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : '',
          expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 0,
        },
      };
    }
    return { outcome: 'server_error', errorCode: 'MalformedResponse', tokens: null };
  }
  var error = body && typeof body.error === 'string' ? body.error : '';
  if (AUTH_FAILURE_ERRORS.indexOf(error) >= 0 || status === 401) {
    return { outcome: 'auth_failure', errorCode: error || 'HTTP' + status, tokens: null };
  }
  return { outcome: 'client_error', errorCode: error || 'HTTP' + status, tokens: null };
}
