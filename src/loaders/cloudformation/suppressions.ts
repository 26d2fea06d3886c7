import type { InlineSuppression } from '../../model/resource.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import type { PositionedDocument } from '../../util/yaml-document.js';

/** A rule id as a suppression names it (exact, kebab-case). */
export const SUPPRESSION_RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A suppression's reason must say why: at least this many characters. */
export const MIN_REASON_LENGTH = 10;

/** The key under a resource's `Metadata` that cognito-guard reads. */
export const METADATA_KEY = 'cognito-guard';

/**
 * Reads `Metadata.cognito-guard.suppressions` of one template resource:
 *
 * ```yaml
 * Metadata:
 *   cognito-guard:
 *     suppressions:
 *       - rule: cognito-identity-pool-guest-access-disabled
 *         reason: Guest access serves the public gallery (SEC-142)
 *         expires: 2027-03-31
 * ```
 *
 * A malformed entry is the user's mistake and stops the scan with its line: a suppression that
 * silently does not apply would be as bad as one that silently applies to too much.
 */
export function readInlineSuppressions(raw: unknown, resourcePointer: string, doc: PositionedDocument, file: string): InlineSuppression[] | undefined {
  if (!isRecord(raw) || !isRecord(raw.Metadata) || raw.Metadata[METADATA_KEY] === undefined) return undefined;
  const base = joinPointer(resourcePointer, 'Metadata', METADATA_KEY);
  const fail = (pointer: string, message: string): never => {
    const pos = doc.locate(pointer) ?? doc.locate(base);
    throw new InputError(`Metadata.${METADATA_KEY}: ${message}`, file, pos?.line, pos?.column);
  };
  const block = raw.Metadata[METADATA_KEY];
  if (!isRecord(block)) return fail(base, 'must be a mapping with a `suppressions` list');
  for (const key of Object.keys(block)) if (key !== 'suppressions') fail(joinPointer(base, key), `unknown key "${key}" (expected suppressions)`);
  const list = block.suppressions;
  if (!Array.isArray(list)) return fail(joinPointer(base, 'suppressions'), '`suppressions` must be a list');
  return list.map((entry, i): InlineSuppression => {
    const at = joinPointer(base, 'suppressions', i);
    if (!isRecord(entry)) return fail(at, 'each suppression must be a mapping with rule and reason');
    for (const key of Object.keys(entry)) {
      if (!['rule', 'reason', 'expires', 'appliesTo'].includes(key)) fail(joinPointer(at, key), `unknown key "${key}" (expected rule, reason, expires, appliesTo)`);
    }
    const { rule, reason, expires, appliesTo } = entry;
    if (typeof rule !== 'string' || !SUPPRESSION_RULE_ID.test(rule)) fail(joinPointer(at, 'rule'), 'rule must be a rule id such as cognito-user-pool-mfa-enabled');
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) fail(joinPointer(at, 'reason'), `reason is required and must say why (at least ${MIN_REASON_LENGTH} characters)`);
    const when = expires instanceof Date ? expires.toISOString().slice(0, 10) : expires;
    if (when !== undefined && (typeof when !== 'string' || Number.isNaN(Date.parse(when)))) fail(joinPointer(at, 'expires'), 'expires must be a date (YYYY-MM-DD)');
    if (appliesTo !== undefined && (!Array.isArray(appliesTo) || !appliesTo.every((a) => typeof a === 'string'))) {
      fail(joinPointer(at, 'appliesTo'), 'appliesTo must be a list of finding details');
    }
    return {
      rule: rule as string,
      reason: (reason as string).trim(),
      ...(when !== undefined && { expires: when as string }),
      ...(appliesTo !== undefined && { appliesTo: appliesTo as string[] }),
    };
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
