import type { Finding } from '../model/finding.js';
import { atOrAbove, type Severity } from '../model/severity.js';
import type { ScanResult } from '../model/scan-result.js';

/** `none` reports without ever failing on findings. */
export type FailOn = Severity | 'none';

/**
 * 2 when the inputs could not be fully read (an error diagnostic: a denied call, a broken
 * input), else 1 when an open finding (failed or undecidable: unknown is not pass) is at or
 * above `failOn`, else 0.
 */
export function exitCode(result: Pick<ScanResult, 'findings' | 'diagnostics'>, failOn: FailOn): 0 | 1 | 2 {
  if (result.diagnostics.some((d) => d.severity === 'error')) return 2;
  if (failOn === 'none') return 0;
  return result.findings.some((f) => isOpen(f) && atOrAbove(f.severity, failOn)) ? 1 : 0;
}

function isOpen(finding: Finding): boolean {
  return !finding.suppression;
}
