import type { Skipped } from '../discover.js';
import type { FailOn } from '../cli/exit-code.js';
import type { ScanResult } from '../model/scan-result.js';
import { SEVERITIES } from '../model/severity.js';
import { bySeverity, findingText, locationLabel, plural } from '../reporters/common.js';
import { codeSpan, escapeMarkdown, MARKDOWN_LIMIT, renderMarkdown } from '../reporters/markdown.js';
import { INFORMATION_URI } from '../reporters/sarif.js';
import { TOOL_VERSION } from '../version.js';
import type { AnnotationPlan } from './annotations.js';
import type { GateResult } from './gate.js';

/** The hidden line that finds the sticky pull request comment again. */
export const COMMENT_MARKER = '<!-- cognito-guard:sticky-comment -->';

/** How many gated findings the summary lists above the full report. */
export const TOP_FINDINGS = 10;

export interface SummaryInput {
  result: ScanResult & { skipped: Skipped[] };
  gate: GateResult;
  failOn: FailOn;
  annotations: AnnotationPlan;
  baselineFile?: string;
  onlyChanged: boolean;
  cwd: string;
}

/** Where a rule is documented: its section of docs/rules.md at the released version. */
export function ruleDocUrl(ruleId: string): string {
  return `${INFORMATION_URI}/blob/v${TOOL_VERSION}/docs/rules.md#${encodeURIComponent(ruleId)}`;
}

/**
 * The job summary and pull request comment: the gate's verdict and counts (new versus
 * baseline), the worst gated findings linked to their rule docs, what the annotations left
 * out, skipped files, then the Markdown report (unknowns, suppressions with reasons and
 * expiry, diagnostics, remediation). Fits {@link MARKDOWN_LIMIT} with the comment marker.
 */
export function renderSummary(input: SummaryInput): string {
  const { gate, result } = input;
  const head: string[] = [];
  const verdict =
    gate.exitCode === 2
      ? 'could not read every input (see Diagnostics)'
      : gate.exitCode === 1
        ? `failed: ${plural(gate.failing.length, 'finding')} at or above \`${input.failOn}\``
        : input.failOn === 'none'
          ? 'report only (`fail-on: none`)'
          : `passed: nothing at or above \`${input.failOn}\``;
  head.push(`### Gate: ${verdict}`, '');
  const scope: string[] = [];
  if (input.baselineFile) scope.push(`findings in baseline ${codeSpan(input.baselineFile)} do not fail the step`);
  if (input.onlyChanged) scope.push('only files changed in the pull request are judged');
  if (scope.length > 0) head.push(`Scope: ${scope.join('; ')}.`, '');

  const newLabel = `${input.baselineFile ? 'New' : 'Open'} (failed or unknown)`;
  head.push(`| Severity | ${newLabel} | Judged by the gate |${input.baselineFile ? ' In baseline |' : ''}`);
  head.push(`| --- | ---: | ---: |${input.baselineFile ? ' ---: |' : ''}`);
  for (const s of SEVERITIES) {
    const open = gate.findings.filter((f) => !f.suppression && f.severity === s).length;
    const judged = gate.gated.filter((f) => f.severity === s).length;
    const base = gate.findings.filter((f) => f.suppression?.kind === 'baseline' && f.severity === s).length;
    head.push(`| ${s} | ${open} | ${judged} |${input.baselineFile ? ` ${base} |` : ''}`);
  }
  const notes: string[] = [];
  if (input.baselineFile) notes.push(`${plural(gate.inBaseline, 'finding')} matched the baseline`);
  if (input.onlyChanged) notes.push(`${plural(gate.unchangedFiles, 'open finding')} in unchanged files not judged`);
  const omitted = input.annotations.omitted;
  const left = omitted.error + omitted.warning + omitted.notice;
  if (left > 0) {
    notes.push(
      `${plural(left, 'annotation')} left out (GitHub shows 10 per level: ${omitted.error} error, ${omitted.warning} warning, ${omitted.notice} notice)`,
    );
  }
  if (notes.length > 0) head.push('', `${notes.join('; ')}.`);

  const top = bySeverity(gate.gated).slice(0, TOP_FINDINGS);
  if (top.length > 0) {
    head.push('', `#### Top findings${gate.gated.length > top.length ? ` (${top.length} of ${gate.gated.length})` : ''}`, '');
    head.push('| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |');
    for (const f of top) {
      head.push(
        `| ${f.severity} | [${codeSpan(f.ruleId)}](${ruleDocUrl(f.ruleId)}) | ${codeSpan(locationLabel(f, input.cwd))} | ${escapeMarkdown(findingText(f))} |`,
      );
    }
  }
  if (result.skipped.length > 0) {
    head.push('', '#### Not scanned', '');
    const shown = result.skipped.slice(0, 50);
    for (const s of shown) head.push(`- ${codeSpan(s.path)}: ${escapeMarkdown(s.reason)}`);
    if (result.skipped.length > shown.length) head.push(`- … and ${result.skipped.length - shown.length} more`);
  }
  head.push('', '---', '');
  const header = head.join('\n');
  const limit = MARKDOWN_LIMIT - header.length - COMMENT_MARKER.length - 2;
  // The report's own findings table must show the marked findings (baseline matches as suppressed).
  const body = renderMarkdown({ ...result, findings: gate.findings }, { cwd: input.cwd, color: false }, limit);
  const [title, ...rest] = body.split('\n');
  return `${title}\n\n${header}${rest.join('\n').replace(/^\n+/, '')}`;
}
