/**
 * The regional Cognito user pool endpoint. A user pool id is `<region>_<suffix>`, so the pool
 * names its own Region.
 * @param {string} userPoolId
 * @returns {string}
 */
export function cognitoEndpointForPool(userPoolId: string): string;
/**
 * SECRET_HASH for app clients with a secret: base64(HMAC-SHA256(key = client secret,
 * message = username + client id)). For USER_PASSWORD_AUTH the username is the name the user
 * signs in with; for REFRESH_TOKEN_AUTH Cognito expects the user's Cognito username (the `sub`
 * in pools that sign in with email or phone number).
 * @param {{ username: string, clientId: string, clientSecret: string }} input
 * @param {HmacSha256Base64} hmacSha256Base64
 * @returns {string}
 */
export function secretHash(input: {
    username: string;
    clientId: string;
    clientSecret: string;
}, hmacSha256Base64: HmacSha256Base64): string;
/**
 * InitiateAuth with USER_PASSWORD_AUTH. This flow is unauthenticated (no SigV4): the client id,
 * and for confidential clients the SECRET_HASH, identify the caller.
 * @param {{ endpoint: string, clientId: string, username: string, password: string, secretHash?: string }} input
 * @returns {HttpRequest}
 */
export function buildPasswordAuthRequest(input: {
    endpoint: string;
    clientId: string;
    username: string;
    password: string;
    secretHash?: string;
}): HttpRequest;
/**
 * InitiateAuth with REFRESH_TOKEN_AUTH. Counts against the UserAuthentication quota like a
 * sign-in.
 * @param {{ endpoint: string, clientId: string, refreshToken: string, secretHash?: string }} input
 * @returns {HttpRequest}
 */
export function buildRefreshAuthRequest(input: {
    endpoint: string;
    clientId: string;
    refreshToken: string;
    secretHash?: string;
}): HttpRequest;
/**
 * The AWS error code of a JSON-protocol error response. `__type` may carry a namespace
 * (`com.amazonaws...#NotAuthorizedException`) or a `:`-suffix; the `x-amzn-ErrorType` header
 * has the same form.
 * @param {string} bodyText
 * @param {Object<string, string>} [headers]
 * @returns {string} Empty when the response names no error.
 */
export function apiErrorCode(bodyText: string, headers?: {
    [x: string]: string;
}): string;
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
export function classifyAuthResponse(status: number, bodyText: string, headers?: {
    [x: string]: string;
}): Classified;
/**
 * Error classes. `throttle` is Cognito saying "slow down" (a quota); `auth_failure` is the
 * credentials being refused; `challenge` is a sign-in that needs another step (MFA, a new
 * password) and so did not produce tokens; `network_error` is no HTTP response at all.
 */
export const OUTCOMES: string[];
export type Classified = {
    /**
     * One of OUTCOMES.
     */
    outcome: string;
    /**
     * The AWS error code or OAuth `error`, empty when none.
     */
    errorCode: string;
    /**
     * Present only when outcome is `ok`.
     */
    tokens: AuthTokens | null;
};
export type HttpRequest = {
    method: string;
    url: string;
    headers: {
        [x: string]: string;
    };
    body: string;
};
export type AuthTokens = {
    accessToken: string;
    idToken: string;
    /**
     * Empty when the flow does not return one (REFRESH_TOKEN_AUTH without rotation).
     */
    refreshToken: string;
    /**
     * Seconds; 0 when absent.
     */
    expiresIn: number;
};
/**
 * HMAC-SHA256 of `message` keyed by `key`, base64 (standard alphabet, padded).
 */
export type HmacSha256Base64 = (key: string, message: string) => string;
