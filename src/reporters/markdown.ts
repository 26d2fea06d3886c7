import type { Finding } from '../model/finding.js';
import type { RuleMeta, ScanResult } from '../model/scan-result.js';
import { SEVERITIES } from '../model/severity.js';
import {
  bySeverity,
  diagnosticLocation,
  displayPath,
  findingText,
  oneLine,
  plural,
  summarize,
  summaryLine,
} from './common.js';
import type { ReportContext } from './types.js';

/**
 * GitHub rejects comments over 65,536 characters; the job summary allows more, but one size
 * that fits both keeps the Action simple. Leaves room for a marker line the Action may prepend.
 */
export const MARKDOWN_LIMIT = 65_000;

/** Room kept for the truncation note. */
const RESERVE = 400;

/** Text from the inputs, safe in a table cell: one line, Markdown and HTML characters escaped. */
export function escapeMarkdown(value: string): string {
  return oneLine(value).replace(/[\\`*_[\]<>|~&#!]/g, '\\$&');
}

/** Text inside an HTML element, where GitHub does not process Markdown escapes. */
function escapeHtml(value: string): string {
  return oneLine(value).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * A code span that shows `value` verbatim. Pipes stay escaped because GitHub splits table
 * cells on `|` before it parses code spans.
 */
export function codeSpan(value: string): string {
  const text = oneLine(value).replace(/\|/g, '\\|');
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function fencedBlock(code: string, lang: string): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${code.replace(/\n+$/, '')}\n${f}`;
}

function location(f: Finding, cwd: string): string {
  const loc = f.location;
  if (!loc.file) return codeSpan(f.resource.arn ?? f.resource.id);
  return codeSpan(loc.line !== undefined ? `${displayPath(loc.file, cwd)}:${loc.line}` : displayPath(loc.file, cwd));
}

const SEVERITY_LABEL = (s: string): string => `**${s.toUpperCase()}**`;

function remediation(rule: RuleMeta): string | undefined {
  const fix = rule.remediation;
  if (!fix) return undefined;
  // Rule prose is ours (rules/*.yaml) and already Markdown; only the HTML summary line needs escaping.
  const parts = [
    '<details>',
    `<summary><code>${escapeHtml(rule.id)}</code>: ${escapeHtml(rule.title)}</summary>`,
    '',
    fix.text.trim(),
  ];
  if (fix.cloudformation) parts.push('', 'CloudFormation:', '', fencedBlock(fix.cloudformation, 'yaml'));
  if (fix.terraform) parts.push('', 'Terraform:', '', fencedBlock(fix.terraform, 'hcl'));
  if (fix.cli) parts.push('', 'AWS CLI:', '', fencedBlock(fix.cli, 'sh'));
  const refs = (rule.references ?? []).filter((r) => /^https?:\/\//.test(r));
  if (refs.length > 0) parts.push('', refs.map((r) => `- <${r}>`).join('\n'));
  parts.push('', '</details>');
  return parts.join('\n');
}

/** Renders with an explicit size limit (exported for tests; reporters use {@link markdown}). */
export function renderMarkdown(result: ScanResult, ctx: ReportContext, limit: number): string {
  const summary = summarize(result);
  const out: string[] = [];
  let length = 0;
  let truncated = false;
  const omitted = { findings: 0, unknown: 0, suppressed: 0, diagnostics: 0, remediation: 0 };
  const budget = limit - RESERVE;
  /** Appends a block (one or more lines) if it fits; once one block does not fit, nothing else is added. */
  const add = (block: string): boolean => {
    if (truncated || length + block.length + 1 > budget) {
      truncated = true;
      return false;
    }
    out.push(block);
    length += block.length + 1;
    return true;
  };
  const titles = new Map(result.rules.map((r) => [r.id, r]));
  add('## cognito-guard');
  add('');
  add(escapeMarkdown(summaryLine(result, summary)));

  const anyFindings = result.findings.length > 0;
  if (anyFindings) {
    add('');
    add('| Severity | Failed | Unknown | Suppressed |\n| --- | ---: | ---: | ---: |');
    for (const s of SEVERITIES) {
      add(
        `| ${SEVERITY_LABEL(s)} | ${summary.failedBySeverity[s]} | ${summary.unknownBySeverity[s]} | ${summary.suppressedBySeverity[s]} |`,
      );
    }
    add(`| Total | ${summary.failed} | ${summary.unknown} | ${summary.suppressed} |`);
  } else {
    add('');
    add('No findings.');
  }

  const sorted = bySeverity(result.findings);
  const open = sorted.filter((f) => !f.suppression && f.status === 'fail');
  const unknown = sorted.filter((f) => !f.suppression && f.status === 'unknown');
  const suppressed = sorted.filter((f) => f.suppression);
  const cells = (f: Finding, last: string): string[] => [
    SEVERITY_LABEL(f.severity),
    codeSpan(f.ruleId),
    escapeMarkdown(f.resource.name),
    location(f, ctx.cwd),
    last,
  ];

  // Counting what is left out row by row keeps the note exact.
  const section = (
    key: keyof typeof omitted,
    title: string,
    header: string[],
    rows: string[][],
  ): void => {
    if (rows.length === 0) return;
    if (truncated || !add(`\n${title}\n\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`)) {
      omitted[key] += rows.length;
      return;
    }
    for (const row of rows) if (!add(`| ${row.join(' | ')} |`)) omitted[key]++;
  };
  section(
    'findings',
    '### Findings',
    ['Severity', 'Rule', 'Resource', 'Location', 'Message'],
    open.map((f) => cells(f, escapeMarkdown(f.message))),
  );
  section(
    'unknown',
    '### Could not evaluate (unknown)\n\nThese checks neither passed nor failed: a value they need could not be resolved.',
    ['Severity', 'Rule', 'Resource', 'Location', 'Reason'],
    unknown.map((f) => cells(f, `UNKNOWN: ${escapeMarkdown(findingText(f))}`)),
  );
  section(
    'suppressed',
    '### Suppressed',
    ['Severity', 'Rule', 'Resource', 'Location', 'Justification'],
    suppressed.map((f) =>
      cells(
        f,
        `${escapeMarkdown(f.suppression!.justification)} (${f.suppression!.kind}${
          f.suppression!.expires ? `, expires ${escapeMarkdown(f.suppression!.expires)}` : ''
        })${f.status === 'unknown' ? ' UNKNOWN' : ''}`,
      ),
    ),
  );
  section(
    'diagnostics',
    '### Diagnostics',
    ['Level', 'Location', 'Code', 'Message'],
    result.diagnostics.map((d) => {
      const where = diagnosticLocation(d, ctx.cwd);
      return [d.severity, where ? codeSpan(where) : '', codeSpan(d.code), escapeMarkdown(d.message)];
    }),
  );

  const fixes: string[] = [];
  const seen = new Set<string>();
  for (const f of [...open, ...unknown]) {
    if (seen.has(f.ruleId)) continue;
    seen.add(f.ruleId);
    const rule = titles.get(f.ruleId);
    const block = rule && remediation(rule);
    if (block) fixes.push(block);
  }
  if (fixes.length > 0) {
    if (truncated || !add('\n### How to fix\n')) omitted.remediation += fixes.length;
    else for (const block of fixes) if (!add(`${block}\n`)) omitted.remediation++;
  }

  if (truncated) {
    const parts = [
      omitted.findings && plural(omitted.findings, 'finding'),
      omitted.unknown && `${omitted.unknown} unknown`,
      omitted.suppressed && `${omitted.suppressed} suppressed`,
      omitted.diagnostics && plural(omitted.diagnostics, 'diagnostic'),
      omitted.remediation && plural(omitted.remediation, 'remediation note'),
    ].filter(Boolean);
    out.push(
      '',
      `> **Truncated** to fit ${limit.toLocaleString('en-US')} characters: ${parts.join(', ')} not shown. The JSON and SARIF outputs have everything.`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Markdown for pull request comments and `$GITHUB_STEP_SUMMARY`, at most {@link MARKDOWN_LIMIT} characters. */
export function markdown(result: ScanResult, ctx: ReportContext): string {
  return renderMarkdown(result, ctx, MARKDOWN_LIMIT);
}
