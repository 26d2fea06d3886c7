/**
 * Values AWS uses when a resource is created without them, written once for every source
 * (CloudFormation, Terraform, ...). Each source applies them the same way and records the path
 * in the resource's `defaults`, so a finding reads "1 hour" whatever the source. A default a
 * tool applies on its own (Terraform's `mfa_configuration = "OFF"`) is the same value: the
 * mappers still take it from here.
 */

/**
 * CreateUserPoolClient's token lifetimes: access and ID tokens valid for one hour, refresh
 * tokens for 30 days, an authentication session of 3 minutes. A snapshot client without them
 * gets them too.
 */
export const USER_POOL_CLIENT_DEFAULTS = {
  accessTokenValiditySeconds: 3600,
  idTokenValiditySeconds: 3600,
  refreshTokenValiditySeconds: 30 * 86400,
  authSessionValidityMinutes: 3,
} as const;

/**
 * CreateUserPoolClient's other defaults: SRP, custom and refresh-token sign-in; user existence
 * errors revealed (LEGACY); token revocation on; no client secret.
 */
export const USER_POOL_CLIENT_OPTION_DEFAULTS = {
  explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  preventUserExistenceErrors: 'LEGACY',
  enableTokenRevocation: true,
  generateSecret: false,
} as const;

/**
 * CreateUserPool's defaults: MFA off, self sign-up allowed, threat protection off, deletion
 * protection off, and usernames case sensitive (only the console picks case-insensitive; the API,
 * CloudFormation and Terraform leave UsernameConfiguration out, and it cannot change later),
 * and the Essentials feature plan (UserPoolTier; pools made before feature plans existed may be
 * on Lite, which DescribeUserPool reports).
 * Without a password policy Cognito requires 8 characters of all four classes and temporary
 * passwords valid for 7 days; with a policy, each character class left out is not required (an
 * absent Require* is false).
 */
export const USER_POOL_DEFAULTS = {
  mfaConfiguration: 'OFF',
  allowAdminCreateUserOnly: false,
  advancedSecurityMode: 'OFF',
  deletionProtection: 'INACTIVE',
  caseSensitive: true,
  userPoolTier: 'ESSENTIALS',
  /** Passkey sign-in asks for user verification (biometric or PIN) only when the device offers it. */
  webAuthnUserVerification: 'preferred',
  /** The policy when none is given. */
  passwordPolicy: {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 7,
  },
  /** Fields left out of a policy that is given. */
  passwordPolicyFields: {
    minimumLength: 8,
    requireLowercase: false,
    requireUppercase: false,
    requireNumbers: false,
    requireSymbols: false,
    temporaryPasswordValidityDays: 7,
  },
} as const;

/**
 * CreateIdentityPool: no guest identities, no basic (classic) flow; a user pool provider
 * without ServerSideTokenCheck does not ask Cognito whether its tokens were revoked.
 */
export const IDENTITY_POOL_DEFAULTS = {
  allowUnauthenticatedIdentities: false,
  allowClassicFlow: false,
  serverSideTokenCheck: false,
} as const;

/** CreateRole: sessions of one hour at most. */
export const ROLE_DEFAULTS = { maxSessionDuration: 3600 } as const;

/**
 * API Gateway: a method without authorization is open (NONE), needs no API key, and Lambda
 * authorizer results (REST TOKEN/REQUEST, HTTP API REQUEST) are cached for 300 seconds unless
 * told otherwise. A REST API created without an endpoint configuration is edge-optimized
 * (EDGE), on the internet.
 */
export const API_GATEWAY_DEFAULTS = {
  authorizationType: 'NONE',
  apiKeyRequired: false,
  lambdaAuthorizerResultTtlInSeconds: 300,
  // A REST API stage has no cache cluster unless asked for: no method response is cached.
  cacheClusterEnabled: false,
  // A stage traces with X-Ray only when asked to.
  tracingEnabled: false,
  restApiEndpointTypes: ['EDGE'],
  /** The execute-api endpoint stays on unless disabled. */
  disableExecuteApiEndpoint: false,
  /** CreateDomainName (REST) without securityPolicy keeps the legacy TLS 1.0 policy. */
  domainSecurityPolicy: 'TLS_1_0',
  /**
   * A method without a request validator (RequestValidatorId, request_validator_id, an OpenAPI
   * x-amazon-apigateway-request-validator) validates neither its body nor its parameters; a
   * RequestValidator that leaves a flag out validates neither either.
   */
  validateRequestBody: false,
  validateRequestParameters: false,
} as const;

/**
 * SetRiskConfiguration's defaults: a compromised-credentials configuration without an event
 * filter acts on every event (sign-in, sign-up and password change).
 */
export const RISK_CONFIGURATION_DEFAULTS = {
  compromisedCredentialsEvents: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
} as const;
