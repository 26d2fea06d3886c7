import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** Where to send user pool API calls. Undefined fields fall back to the SDK's own config. */
export interface CognitoClientOptions {
  endpoint?: string;
  region?: string;
}

/** Builds the Cognito client; injected so tests can point it at an emulator with test credentials. */
export type CognitoClientFactory = (options: CognitoClientOptions) => CognitoIdentityProviderClient;

/** The SDK client with the standard credential chain and, when given, an explicit endpoint. */
export const defaultCognitoClientFactory: CognitoClientFactory = (options) =>
  new CognitoIdentityProviderClient({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
  });

/**
 * `--endpoint`, else COGNITO_ENDPOINT; undefined leaves the choice to the SDK
 * (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL, then the regional endpoint).
 */
export function explicitEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag || env.COGNITO_ENDPOINT || undefined;
}

/**
 * The endpoint the k6 scripts should call: explicit, else the SDK's endpoint variables; else
 * undefined and the script derives the regional endpoint from the pool id.
 */
export function k6Endpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return explicitEndpoint(flag, env) || env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * The Region a user pool lives in: pool ids are `<region>_<suffix>`. The pool is authoritative,
 * so it wins over AWS_REGION (a pool in eu-west-1 cannot be reached through us-east-1).
 */
export function regionFromPoolId(userPoolId: string): string | undefined {
  const underscore = userPoolId.indexOf('_');
  if (underscore <= 0) return undefined;
  const region = userPoolId.slice(0, underscore);
  return /^[a-z0-9-]+$/.test(region) ? region : undefined;
}

/** A user pool API error's name (`TooManyRequestsException`, ...) for one-line messages. */
export function awsErrorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; message?: unknown };
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const message = typeof e.message === 'string' ? e.message.split('\n')[0] : '';
    return message && message !== name ? `${name}: ${message}` : name;
  }
  return String(err);
}
