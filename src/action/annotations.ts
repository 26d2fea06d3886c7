import type { Diagnostic, Finding } from '../model/finding.js';
import type { RuleMeta } from '../model/scan-result.js';
import type { Severity } from '../model/severity.js';
import { bySeverity, displayPath, findingText, isAbsolutePath, oneLine } from '../reporters/common.js';

/** GitHub's annotation levels. */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** critical and high block a merge; medium warns; low and info are notes. */
export const ANNOTATION_LEVEL: Record<Severity, AnnotationLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/** GitHub shows at most 10 annotations of each level per step (actions/toolkit docs/problem-matchers.md). */
export const ANNOTATIONS_PER_LEVEL = 10;

/** One `::error file=…,line=…::message` line; the properties `core.error()` and friends take. */
export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Findings beyond the per-level limit, counted in the job summary instead. */
  omitted: Record<AnnotationLevel, number>;
}

const DIAGNOSTIC_LEVEL: Record<Diagnostic['severity'], AnnotationLevel> = { error: 'error', warning: 'warning', info: 'notice' };

/** Repo-relative file, line and column, or nothing for a file outside the checkout (GitHub would drop the annotation). */
function place(a: Annotation, cwd: string, file: string | undefined, line: number | undefined, column: number | undefined): void {
  const shown = file === undefined ? undefined : displayPath(file, cwd);
  if (shown === undefined || isAbsolutePath(shown)) return;
  a.file = shown;
  if (line === undefined) return;
  a.startLine = line;
  if (column !== undefined) a.startColumn = column;
}

/**
 * Annotations for the findings, worst first, then for load diagnostics in the slots left, at
 * most {@link ANNOTATIONS_PER_LEVEL} per level. `file` is repo-relative; one outside the
 * checkout is left out and the annotation shows on the run page.
 */
export function planAnnotations(
  findings: readonly Finding[],
  rules: readonly RuleMeta[],
  cwd: string,
  diagnostics: readonly Diagnostic[] = [],
): AnnotationPlan {
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  const shown: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const omitted: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const annotations: Annotation[] = [];
  for (const f of bySeverity(findings)) {
    const level = ANNOTATION_LEVEL[f.severity];
    if (shown[level] >= ANNOTATIONS_PER_LEVEL) {
      omitted[level]++;
      continue;
    }
    shown[level]++;
    const a: Annotation = {
      level,
      title: oneLine(`${f.ruleId}: ${titles.get(f.ruleId) ?? f.ruleId}`),
      message: oneLine(`[${f.severity}] ${findingText(f)} (${f.resource.name})`),
    };
    const loc = f.location;
    // GitHub ignores columns on an annotation that spans lines.
    place(a, cwd, loc.file, loc.line, loc.endLine === undefined || loc.endLine === loc.line ? loc.column : undefined);
    annotations.push(a);
  }
  for (const d of diagnostics) {
    const level = DIAGNOSTIC_LEVEL[d.severity];
    if (shown[level] >= ANNOTATIONS_PER_LEVEL) {
      omitted[level]++;
      continue;
    }
    shown[level]++;
    const a: Annotation = { level, title: oneLine(`cognito-guard: ${d.code}`), message: oneLine(d.message) };
    place(a, cwd, d.file, d.line, d.column);
    annotations.push(a);
  }
  return { annotations, omitted };
}
