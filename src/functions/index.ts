import { cognitoTrustCondition } from './cognito-trust.js';
import { authRoleScope, guestRoleScope, roleScope } from './guest-role-scope.js';
import { privateApiVpcOnly } from './private-api-vpc-only.js';
import { publicClientSecret } from './public-client-secret.js';
import { redirectUrisHttps } from './redirect-uris-https.js';
import { riskOverrideNotWeaker } from './risk-override.js';
import { stageCacheEncrypted } from './stage-cache-encrypted.js';
import type { RuleFunction } from './types.js';

/**
 * Every typed function rules can name with `fn:`. An explicit list, not self-registration, so
 * what a rule can call is visible in one place.
 */
export const FUNCTIONS = {
  authRoleScope,
  cognitoTrustCondition,
  guestRoleScope,
  privateApiVpcOnly,
  publicClientSecret,
  redirectUrisHttps,
  riskOverrideNotWeaker,
  roleScope,
  stageCacheEncrypted,
} as const satisfies Record<string, RuleFunction<never>>;

export type FunctionName = keyof typeof FUNCTIONS;

/** The function a rule names, or undefined. */
export function getFunction(name: string): RuleFunction<Record<string, unknown>> | undefined {
  return Object.hasOwn(FUNCTIONS, name)
    ? (FUNCTIONS[name as FunctionName] as unknown as RuleFunction<Record<string, unknown>>)
    : undefined;
}

export type { RuleFunction } from './types.js';
