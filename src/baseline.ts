import type { Finding } from './model/finding.js';
import { InputError } from './util/input-error.js';
import { parsePositioned } from './util/yaml-document.js';

/**
 * A baseline records the findings a repository already had when it adopted cognito-guard, by
 * fingerprint (rule + resource + detail; never message or line, so rewording a message or
 * moving a resource does not reopen it). Findings in the baseline are marked suppressed, so CI
 * fails only on new ones; fixing a finding and regenerating the baseline shrinks it.
 */
export interface Baseline {
  version: 1;
  findings: Array<{ fingerprint: string; ruleId: string; resource: string; detail?: string }>;
}

/** The baseline for the open findings of a scan (suppressed ones are not recorded). Deterministic. */
export function renderBaseline(findings: readonly Finding[]): string {
  const entries = findings
    .filter((f) => !f.suppression)
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, resource: f.resource.id, ...(f.detail !== undefined && { detail: f.detail }) }))
    .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const unique = entries.filter((e, i) => i === 0 || entries[i - 1]!.fingerprint !== e.fingerprint);
  const baseline: Baseline = { version: 1, findings: unique };
  return JSON.stringify(baseline, null, 2) + '\n';
}

/** The fingerprints of a baseline file; a malformed file is an InputError with its line. */
export function parseBaseline(file: string, text: string): Set<string> {
  const doc = parsePositioned(text, file);
  const value = doc.value as Partial<Baseline> | null;
  const fail = (pointer: string, message: string): never => {
    const pos = doc.locate(pointer) ?? doc.locate('');
    throw new InputError(`invalid baseline: ${message}`, file, pos?.line, pos?.column);
  };
  if (!value || typeof value !== 'object' || value.version !== 1) fail('/version', 'expected { "version": 1, "findings": [...] } (write one with --write-baseline)');
  if (!Array.isArray(value!.findings)) fail('/findings', '"findings" must be a list');
  const out = new Set<string>();
  value!.findings!.forEach((entry, i) => {
    if (!entry || typeof entry.fingerprint !== 'string' || !/^[0-9a-f]{16,64}$/.test(entry.fingerprint)) {
      fail(`/findings/${i}`, 'each finding needs a "fingerprint" (hex)');
    }
    out.add(entry.fingerprint);
  });
  return out;
}

/** Marks findings whose fingerprint is in the baseline; never removes any. */
export function applyBaseline(findings: readonly Finding[], fingerprints: ReadonlySet<string>, file: string): Finding[] {
  return findings.map((f) =>
    f.suppression || !fingerprints.has(f.fingerprint) ? f : { ...f, suppression: { kind: 'baseline', justification: `accepted in baseline ${file}` } },
  );
}
