import type { Diagnostic, Finding } from '../model/finding.js';
import type { ScanResult } from '../model/scan-result.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../model/severity.js';

/** Counts every reporter prints the same way. */
export interface Summary {
  /** Open (not suppressed) failures by severity. */
  failedBySeverity: Record<Severity, number>;
  /** Open (not suppressed) unknowns by severity. */
  unknownBySeverity: Record<Severity, number>;
  /** Suppressed findings by severity, whatever their status. */
  suppressedBySeverity: Record<Severity, number>;
  failed: number;
  unknown: number;
  suppressed: number;
  diagnostics: Record<Diagnostic['severity'], number>;
}

const zeroes = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** One pass over the findings and diagnostics. */
export function summarize(result: ScanResult): Summary {
  const summary: Summary = {
    failedBySeverity: zeroes(),
    unknownBySeverity: zeroes(),
    suppressedBySeverity: zeroes(),
    failed: 0,
    unknown: 0,
    suppressed: 0,
    diagnostics: { error: 0, warning: 0, info: 0 },
  };
  for (const f of result.findings) {
    if (f.suppression) {
      summary.suppressed++;
      summary.suppressedBySeverity[f.severity]++;
    } else if (f.status === 'unknown') {
      summary.unknown++;
      summary.unknownBySeverity[f.severity]++;
    } else {
      summary.failed++;
      summary.failedBySeverity[f.severity]++;
    }
  }
  for (const d of result.diagnostics) summary.diagnostics[d.severity]++;
  return summary;
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The one-line summary shared by text and Markdown, e.g.
 * `12 findings (2 critical, 5 high), 1 unknown, 3 suppressed; 42 resources, 15 rules`.
 */
export function summaryLine(result: ScanResult, summary: Summary): string {
  const counts = SEVERITIES.filter((s) => summary.failedBySeverity[s] > 0).map(
    (s) => `${summary.failedBySeverity[s]} ${s}`,
  );
  let line = plural(summary.failed, 'finding');
  if (counts.length > 0) line += ` (${counts.join(', ')})`;
  line += `, ${summary.unknown} unknown, ${summary.suppressed} suppressed`;
  line += `; ${plural(result.stats.resources, 'resource')}, ${plural(result.rules.length, 'rule')}`;
  const d = summary.diagnostics;
  const diag: string[] = [];
  if (d.error > 0) diag.push(plural(d.error, 'load error'));
  if (d.warning > 0) diag.push(plural(d.warning, 'warning'));
  if (diag.length > 0) line += `; ${diag.join(', ')}`;
  return line;
}

const ABSOLUTE = /^(?:[A-Za-z]:)?\//;

/** Forward slashes, no `./` segments, `..` collapsed where it can be. */
function normalizeSlashes(path: string): string {
  const parts: string[] = [];
  const absolute = ABSOLUTE.test(path);
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') {
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  return absolute && !/^[A-Za-z]:/.test(joined) ? `/${joined}` : joined;
}

/**
 * The path of `file` relative to `cwd` with forward slashes, as GitHub code scanning and
 * people want to see it. A relative `file` is taken as already relative to `cwd` (the CLI
 * reads inputs from its working directory); an absolute file outside `cwd` stays absolute.
 * Pure string work: no `process.cwd()`, no file system.
 */
export function displayPath(file: string, cwd: string): string {
  const f = normalizeSlashes(file.replace(/\\/g, '/'));
  if (!ABSOLUTE.test(f)) return f;
  const root = normalizeSlashes(cwd.replace(/\\/g, '/')).replace(/\/$/, '');
  // Windows drive letters compare case-insensitively.
  const same = (a: string, b: string): boolean =>
    /^[A-Za-z]:/.test(a) ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (same(f, root)) return '.';
  const prefix = `${root}/`;
  if (f.length > prefix.length && same(f.slice(0, prefix.length), prefix)) return f.slice(prefix.length);
  return f;
}

/** True when {@link displayPath} returned a path outside the working directory. */
export function isAbsolutePath(path: string): boolean {
  return ABSOLUTE.test(path);
}

// C0 and C1 controls (ESC starts terminal escape sequences) and the bidirectional overrides
// that can make text read differently from what it is ("Trojan Source", CVE-2021-42574).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes a value from the inputs (resource names, messages built from property values, file
 * names) safe to print on one line: whitespace controls become a space, every other control
 * or bidi character becomes a visible `\u{…}` escape, so nothing from a template can move the
 * cursor, recolor the terminal or hide text.
 */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n' || c === '\r' || c === '\t') return ' ';
    return `\\u{${c.charCodeAt(0).toString(16)}}`;
  });
}

/** `file:line:col` (what editors and terminals link), or the resource id when there is no file. */
export function locationLabel(finding: Finding, cwd: string): string {
  const loc = finding.location;
  if (!loc.file) return finding.resource.arn ?? finding.resource.id;
  let label = displayPath(loc.file, cwd);
  if (loc.line !== undefined) {
    label += `:${loc.line}`;
    if (loc.column !== undefined) label += `:${loc.column}`;
  }
  return label;
}

/** `file:line:col` of a diagnostic, or '' when it has no file. */
export function diagnosticLocation(d: Diagnostic, cwd: string): string {
  if (!d.file) return '';
  let label = displayPath(d.file, cwd);
  if (d.line !== undefined) {
    label += `:${d.line}`;
    if (d.column !== undefined) label += `:${d.column}`;
  }
  return label;
}

/**
 * What a finding says, one line: the message of a failure; for an unknown, why the rule could
 * not decide (the engine fills `reason`; a missing reason still must not read as a pass).
 */
export function findingText(finding: Finding): string {
  if (finding.status === 'unknown') {
    return `Could not evaluate: ${finding.reason ?? 'a value the rule needs could not be resolved'}`;
  }
  return finding.message;
}

/** Suppression kind, justification and expiry on one line. */
export function suppressionText(finding: Finding): string {
  const s = finding.suppression;
  if (!s) return '';
  return `${s.justification} (${s.kind}${s.expires ? `, expires ${s.expires}` : ''})`;
}

/**
 * Findings worst first. The engine already sorts them; a stable sort by severity keeps its order
 * within a severity and keeps the grouped reports right even if a caller did not.
 */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}
