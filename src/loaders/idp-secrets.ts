/**
 * ProviderDetails keys of a Cognito identity provider that hold secrets: client_secret (OIDC
 * and social providers), private_key (Sign in with Apple) and anything else named like a
 * secret or password. Loaders never copy their values into a resource.
 */
export const SECRET_KEY = /secret|password|private_key/i;

/**
 * The keys whose value is the provider's own secret, in the order a resource reports them:
 * Cognito signs Sign in with Apple's client secret with its private key.
 */
export const IDP_SECRETS: readonly string[] = ['client_secret', 'private_key'];
