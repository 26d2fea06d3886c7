/**
 * Reads and checks the configuration. The client secret is read from the variable named by
 * CLIENT_SECRET_ENV, so it never appears on a command line (visible in `ps` and CI logs).
 * @param {Object<string, string | undefined>} env
 * @param {{ needsUsers: boolean, needsTokenEndpoint: boolean }} needs
 * @returns {LoadtestConfig}
 */
export function configFromEnv(env: {
    [x: string]: string | undefined;
}, needs: {
    needsUsers: boolean;
    needsTokenEndpoint: boolean;
}): LoadtestConfig;
/**
 * The users array of a users file written by `cognito-guard loadtest seed`.
 * @param {string} fileText
 * @returns {Array<{ username: string, password: string, cognitoUsername: string }>}
 */
export function usersFromFile(fileText: string): Array<{
    username: string;
    password: string;
    cognitoUsername: string;
}>;
export type LoadtestConfig = {
    scenario: string;
    rate: number;
    durationSeconds: number;
    /**
     * 0 when not set.
     */
    ceiling: number;
    /**
     * 0 when not set.
     */
    vus: number;
    /**
     * 0 when not set.
     */
    maxVus: number;
    /**
     * Cognito user pool API endpoint.
     */
    endpoint: string;
    userPoolId: string;
    clientId: string;
    /**
     * Empty for public clients. Never logged.
     */
    clientSecret: string;
    usersFile: string;
    /**
     * Empty unless TOKEN_ENDPOINT or HOSTED_UI_DOMAIN is set.
     */
    tokenEndpoint: string;
    /**
     * `client_credentials` or `refresh_token`.
     */
    grant: string;
    scope: string;
    summaryPath: string;
};
