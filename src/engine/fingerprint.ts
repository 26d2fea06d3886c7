import { createHash } from 'node:crypto';

/**
 * Stable identity of a finding across runs: rule, resource and granular detail. Never the
 * message or the line, so rewording a rule or moving a resource in a file keeps suppressions,
 * baselines and code-scanning alerts attached.
 */
export function fingerprint(ruleId: string, resourceId: string, detail: string | undefined): string {
  return createHash('sha256').update(`${ruleId}|${resourceId}|${detail ?? ''}`).digest('hex');
}
