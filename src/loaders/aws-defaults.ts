/**
 * Values Cognito uses when an app client is created without them (CreateUserPoolClient, and so
 * CloudFormation): access and ID tokens valid for one hour, refresh tokens for 30 days, an
 * authentication session of 3 minutes. Every source applies them the same way and records the
 * path in the resource's `defaults`, so a finding reads "1 hour" whatever the source.
 */
export const USER_POOL_CLIENT_DEFAULTS = {
  accessTokenValiditySeconds: 3600,
  idTokenValiditySeconds: 3600,
  refreshTokenValiditySeconds: 30 * 86400,
  authSessionValidityMinutes: 3,
} as const;
