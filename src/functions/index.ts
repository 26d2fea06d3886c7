import { cognitoRolePrivesc, cognitoTrustAdmins } from './cognito-role-privesc.js';
import { cognitoTrustCondition, groupRoleTrust } from './cognito-trust.js';
import { cognitoTrustAudMatchesAttachment } from './cognito-trust-attachment.js';
import { authRoleScope, guestRoleScope, roleScope } from './guest-role-scope.js';
import { privateApiVpcOnly } from './private-api-vpc-only.js';
import { publicClientSecret } from './public-client-secret.js';
import { resourcePolicyNotPublic } from './resource-policy-public.js';
import { redirectUrisHttps } from './redirect-uris-https.js';
import { riskOverrideNotWeaker } from './risk-override.js';
import { stageCacheEncrypted } from './stage-cache-encrypted.js';
import { smsRoleTrust } from './sms-role-trust.js';
import { authorizerPoolsHardened, restApiHasAuthorizer } from './rest-api-authorizers.js';
import { authorizationAttributesProtected, poolClientsAllowCustomAuth } from './user-pool-clients.js';
import { principalTagClaimsSafe, roleMappingClaimsSafe, tagSessionClaimsSafe, writableClaimReachesRole } from './writable-claims.js';
import type { RuleFunction } from './types.js';

/**
 * Every typed function rules can name with `fn:`. An explicit list, not self-registration, so
 * what a rule can call is visible in one place.
 */
export const FUNCTIONS = {
  authRoleScope,
  authorizerPoolsHardened,
  authorizationAttributesProtected,
  cognitoRolePrivesc,
  cognitoTrustAdmins,
  cognitoTrustAudMatchesAttachment,
  cognitoTrustCondition,
  groupRoleTrust,
  guestRoleScope,
  poolClientsAllowCustomAuth,
  privateApiVpcOnly,
  publicClientSecret,
  redirectUrisHttps,
  riskOverrideNotWeaker,
  roleScope,
  smsRoleTrust,
  stageCacheEncrypted,
  resourcePolicyNotPublic,
  restApiHasAuthorizer,
  principalTagClaimsSafe,
  roleMappingClaimsSafe,
  tagSessionClaimsSafe,
  writableClaimReachesRole,
} as const satisfies Record<string, RuleFunction<never>>;

export type FunctionName = keyof typeof FUNCTIONS;

/** The function a rule names, or undefined. */
export function getFunction(name: string): RuleFunction<Record<string, unknown>> | undefined {
  return Object.hasOwn(FUNCTIONS, name)
    ? (FUNCTIONS[name as FunctionName] as unknown as RuleFunction<Record<string, unknown>>)
    : undefined;
}

export type { RuleFunction } from './types.js';
