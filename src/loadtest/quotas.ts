/**
 * Cognito user pool request-rate quotas that bound a load test (defaults per account and
 * Region, shared by every pool in it; see loadtests/README.md). Values are the documented
 * defaults; raised quotas are checked in the Service Quotas console, which is why going above
 * them needs an explicit confirmation rather than a lookup.
 */

/** A quota category: all operations in it share one requests-per-second budget. */
export interface QuotaCategory {
  name: string;
  defaultRps: number;
  adjustable: boolean;
}

/** The categories a load test touches. */
export const QUOTA_CATEGORIES = {
  UserAuthentication: { name: 'UserAuthentication', defaultRps: 120, adjustable: true },
  ClientAuthentication: { name: 'ClientAuthentication', defaultRps: 150, adjustable: true },
  UserCreation: { name: 'UserCreation', defaultRps: 50, adjustable: true },
  UserAccountRecovery: { name: 'UserAccountRecovery', defaultRps: 30, adjustable: false },
} as const satisfies Record<string, QuotaCategory>;

/**
 * Cognito throttles one user at 10 requests per second of sign-in class operations, whatever the
 * account quota; it cannot be raised.
 */
export const PER_USER_RPS = 10;

/** Scripts in loadtests/. */
export const SCRIPTS = ['initiate-auth', 'token-refresh', 'token-endpoint'] as const;
/** A script name. */
export type ScriptName = (typeof SCRIPTS)[number];

/** Token endpoint grants token-endpoint.js exercises. */
export const GRANTS = ['client_credentials', 'refresh_token'] as const;
/** A grant. */
export type Grant = (typeof GRANTS)[number];

/**
 * The quota category a script's requests count against. InitiateAuth in any flow (including
 * REFRESH_TOKEN_AUTH) and the refresh_token grant are UserAuthentication; client_credentials is
 * ClientAuthentication.
 */
export function categoryFor(script: ScriptName, grant: Grant): QuotaCategory {
  if (script === 'token-endpoint' && grant === 'client_credentials') return QUOTA_CATEGORIES.ClientAuthentication;
  return QUOTA_CATEGORIES.UserAuthentication;
}

/** Whether a script signs users in (and so is bound by the per-user limit). */
export function usesUsers(script: ScriptName, grant: Grant): boolean {
  return !(script === 'token-endpoint' && grant === 'client_credentials');
}

/** One reason a requested rate is above what Cognito allows by default. */
export interface RateProblem {
  kind: 'category-quota' | 'per-user';
  message: string;
}

/**
 * Problems with running `peakRate` requests per second. The per-user check assumes the script
 * spreads requests evenly over `userCount` users, which is what loadtests/lib/partition.js does.
 */
export function rateProblems(input: {
  script: ScriptName;
  grant: Grant;
  peakRate: number;
  userCount: number | undefined;
}): RateProblem[] {
  const problems: RateProblem[] = [];
  const category = categoryFor(input.script, input.grant);
  if (input.peakRate > category.defaultRps) {
    problems.push({
      kind: 'category-quota',
      message:
        `peak rate ${input.peakRate}/s is above the default ${category.name} quota of ${category.defaultRps}/s ` +
        `(per account and Region, shared by all user pools; the excess is throttled with TooManyRequestsException)`,
    });
  }
  if (usesUsers(input.script, input.grant) && input.userCount !== undefined) {
    const limit = input.userCount * PER_USER_RPS;
    if (input.peakRate > limit) {
      problems.push({
        kind: 'per-user',
        message:
          `peak rate ${input.peakRate}/s needs more than ${input.userCount} users: Cognito allows ${PER_USER_RPS}/s per user, ` +
          `so seed at least ${Math.ceil(input.peakRate / PER_USER_RPS)} (more leaves headroom)`,
      });
    }
  }
  return problems;
}
