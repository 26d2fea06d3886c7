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
export function tokenEndpointUrl(domainOrUrl: string): string;
/**
 * application/x-www-form-urlencoded body; keys in the given order.
 * @param {Array<[string, string]>} pairs
 * @returns {string}
 */
export function formEncode(pairs: Array<[string, string]>): string;
/**
 * HTTP Basic credentials as the token endpoint expects them for confidential clients:
 * base64(client_id:client_secret). RFC 6749 §2.3.1 form-encodes both parts first; Cognito ids
 * and secrets are alphanumeric, so that encoding is the identity for them.
 * @param {string} clientId
 * @param {string} clientSecret
 * @param {Base64Encode} base64
 * @returns {string}
 */
export function basicAuthorization(clientId: string, clientSecret: string, base64: Base64Encode): string;
/**
 * client_credentials grant (machine to machine). Needs an app client with a secret and a
 * resource server scope; counts against the ClientAuthentication quota.
 * @param {{ tokenEndpoint: string, clientId: string, clientSecret: string, scope?: string }} input
 * @param {Base64Encode} base64
 * @returns {HttpRequest}
 */
export function buildClientCredentialsRequest(input: {
    tokenEndpoint: string;
    clientId: string;
    clientSecret: string;
    scope?: string;
}, base64: Base64Encode): HttpRequest;
/**
 * refresh_token grant. Public clients send client_id in the body; confidential clients also
 * authenticate with Basic credentials. Counts against UserAuthentication.
 * @param {{ tokenEndpoint: string, clientId: string, refreshToken: string, clientSecret?: string }} input
 * @param {Base64Encode} base64
 * @returns {HttpRequest}
 */
export function buildRefreshTokenGrantRequest(input: {
    tokenEndpoint: string;
    clientId: string;
    refreshToken: string;
    clientSecret?: string;
}, base64: Base64Encode): HttpRequest;
/**
 * Classifies a token endpoint response. The hosted endpoints throttle with HTTP 429 (AWS does
 * not document the body), so the status decides before the body.
 * @param {number} status HTTP status; 0 when the request failed before a response.
 * @param {string} bodyText
 * @returns {Classified}
 */
export function classifyTokenResponse(status: number, bodyText: string): Classified;
export type HttpRequest = import("./cognito-api.js").HttpRequest;
export type Classified = import("./cognito-api.js").Classified;
/**
 * Standard base64 of a UTF-8 string.
 */
export type Base64Encode = (text: string) => string;
