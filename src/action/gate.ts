import { applyBaseline, parseBaseline } from '../baseline.js';
import { exitCode, type FailOn } from '../cli/exit-code.js';
import type { Diagnostic, Finding } from '../model/finding.js';
import { atOrAbove } from '../model/severity.js';
import { displayPath } from '../reporters/common.js';
import { FINGERPRINT_KEY } from '../reporters/sarif.js';
import { InputError } from '../util/input-error.js';
import { parsePositioned } from '../util/yaml-document.js';

/**
 * The fingerprints a `baseline` input records: a baseline file (`--write-baseline`) or the SARIF
 * of an earlier scan (its `partialFingerprints["cognitoGuard/v1"]`). Fingerprints are rule +
 * resource + detail, so a finding that only moved is matched.
 */
export function baselineFingerprints(file: string, text: string): Set<string> {
  const doc = parsePositioned(text, file);
  const value = doc.value as { runs?: unknown } | null;
  if (!value || typeof value !== 'object' || !('runs' in value)) return parseBaseline(file, text);
  const fail = (pointer: string, message: string): never => {
    const pos = doc.locate(pointer) ?? doc.locate('');
    throw new InputError(`invalid baseline SARIF: ${message}`, file, pos?.line, pos?.column);
  };
  if (!Array.isArray(value.runs)) fail('/runs', '"runs" must be a list');
  const out = new Set<string>();
  (value.runs as unknown[]).forEach((run, r) => {
    const results = (run as { results?: unknown } | null)?.results;
    if (!Array.isArray(results)) fail(`/runs/${r}`, 'each run needs "results"');
    (results as unknown[]).forEach((result, i) => {
      const fp = (result as { partialFingerprints?: Record<string, unknown> } | null)?.partialFingerprints?.[FINGERPRINT_KEY];
      // A result without our fingerprint (another tool's, or hand-edited) cannot be matched:
      // failing here beats silently treating everything as new or as known.
      if (typeof fp !== 'string' || !/^[0-9a-f]{16,64}$/.test(fp)) {
        fail(`/runs/${r}/results/${i}`, `result has no partialFingerprints."${FINGERPRINT_KEY}" (is this cognito-guard SARIF?)`);
      }
      out.add(fp as string);
    });
  });
  return out;
}

/** What decides the step's outcome. */
export interface GateOptions {
  failOn: FailOn;
  /** Fingerprints from the `baseline` input: matching findings are not new. */
  baseline?: { file: string; fingerprints: ReadonlySet<string> };
  /** `only-changed`: repo-relative paths changed in the pull request. */
  changedFiles?: ReadonlySet<string>;
  /** Repository root, for repo-relative finding paths. */
  cwd: string;
}

export interface GateResult {
  /** Findings with baseline matches marked suppressed (kind `baseline`); nothing removed. */
  findings: Finding[];
  /** Open findings the gate judges: not suppressed, and in a changed file under only-changed. */
  gated: Finding[];
  /** The gated findings at or above failOn. */
  failing: Finding[];
  /** Findings the baseline matched. */
  inBaseline: number;
  /** Open findings left out by only-changed (in files the pull request did not change). */
  unchangedFiles: number;
  exitCode: 0 | 1 | 2;
}

/**
 * The new-findings-only gate. A finding with no file (a live resource) is always judged:
 * only-changed cannot tell whether the pull request touched it, and unknown is not pass.
 */
export function gate(findings: readonly Finding[], diagnostics: readonly Diagnostic[], options: GateOptions): GateResult {
  const marked = options.baseline ? applyBaseline(findings, options.baseline.fingerprints, options.baseline.file) : [...findings];
  const inBaseline = marked.filter((f, i) => f.suppression?.kind === 'baseline' && !findings[i]!.suppression).length;
  const open = marked.filter((f) => !f.suppression);
  const changed = options.changedFiles;
  const gated = changed ? open.filter((f) => !f.location.file || changed.has(displayPath(f.location.file, options.cwd))) : open;
  const failing = options.failOn === 'none' ? [] : gated.filter((f) => atOrAbove(f.severity, options.failOn as Exclude<FailOn, 'none'>));
  return {
    findings: marked,
    gated,
    failing,
    inBaseline,
    unchangedFiles: open.length - gated.length,
    exitCode: exitCode({ findings: gated, diagnostics: [...diagnostics] }, options.failOn),
  };
}
