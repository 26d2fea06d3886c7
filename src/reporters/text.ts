import type { Finding } from '../model/finding.js';
import type { ScanResult } from '../model/scan-result.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import {
  bySeverity,
  diagnosticLocation,
  findingText,
  locationLabel,
  oneLine,
  summarize,
  summaryLine,
  suppressionText,
} from './common.js';
import type { ReportContext } from './types.js';

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'green';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
};

const SEVERITY_STYLE: Record<Severity, Style[]> = {
  critical: ['magenta', 'bold'],
  high: ['red', 'bold'],
  medium: ['yellow'],
  low: ['blue'],
  info: ['gray'],
};

/** Cells longer than this (an ARN) overflow their column instead of pushing every line right. */
const MAX_PAD = 48;

/**
 * Human-readable report: findings grouped by severity (worst first), one aligned line each
 * (`SEVERITY  rule-id  file:line:col  resource  message`), unknowns marked `UNKNOWN`, then the
 * suppressed findings, the load diagnostics and a summary line. ANSI colors only when
 * `ctx.color` (the CLI turns it off for pipes and `NO_COLOR`).
 */
/** The resource's name, and its construct path or Terraform address when that says more. */
function resourceLabel(f: Finding): string {
  const { name, path } = f.resource;
  return path !== undefined && path !== name ? `${name} (${path})` : name;
}

export function text(result: ScanResult, ctx: ReportContext): string {
  const paint = (value: string, ...styles: Style[]): string => {
    if (!ctx.color || value === '') return value;
    let out = value;
    for (const s of styles) out = `\u001b[${CODES[s][0]}m${out}\u001b[${CODES[s][1]}m`;
    return out;
  };
  const summary = summarize(result);
  const lines: string[] = [];

  const sorted = bySeverity(result.findings);
  const open = sorted.filter((f) => !f.suppression);
  const suppressed = sorted.filter((f) => f.suppression);

  const rows = (findings: Finding[]): string[][] =>
    findings.map((f) => [f.ruleId, locationLabel(f, ctx.cwd), resourceLabel(f)].map(oneLine));
  const widths = (table: string[][]): number[] => {
    const w = [0, 0, 0];
    for (const row of table) {
      row.forEach((cell, i) => {
        if (cell.length <= MAX_PAD) w[i] = Math.max(w[i]!, cell.length);
      });
    }
    return w;
  };
  const pad = (value: string, width: number): string => value + ' '.repeat(Math.max(0, width - value.length));
  const sevWidth = Math.max(...SEVERITIES.map((s) => s.length));

  const openRows = rows(open);
  const openWidths = widths(openRows);
  let previous: Severity | undefined;
  open.forEach((f, i) => {
    if (previous !== undefined && previous !== f.severity) lines.push('');
    previous = f.severity;
    const [rule, where, name] = openRows[i]!;
    const message =
      f.status === 'unknown'
        ? `${paint('UNKNOWN', 'yellow', 'bold')} ${oneLine(findingText(f))}`
        : oneLine(findingText(f));
    lines.push(
      [
        paint(pad(f.severity.toUpperCase(), sevWidth), ...SEVERITY_STYLE[f.severity]),
        paint(pad(rule!, openWidths[0]!), 'bold'),
        paint(pad(where!, openWidths[1]!), 'dim'),
        pad(name!, openWidths[2]!),
        message,
      ].join('  '),
    );
    // An attack path: one line per hop, where it is.
    f.related?.forEach((h, n) => {
      const where = h.location.file ? locationLabel({ ...f, location: h.location }, ctx.cwd) : h.resource.id;
      lines.push(`${' '.repeat(sevWidth + 2)}${paint(`${n + 1}.`, 'dim')} ${oneLine(h.message)}  ${paint(oneLine(where), 'dim')}`);
    });
  });

  if (suppressed.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(paint(`Suppressed (${suppressed.length}):`, 'bold'));
    const supRows = rows(suppressed);
    const supWidths = widths(supRows);
    suppressed.forEach((f, i) => {
      const [rule, where, name] = supRows[i]!;
      const status = f.status === 'unknown' ? ' UNKNOWN' : '';
      lines.push(
        [
          ` ${paint(pad(f.severity, sevWidth), 'gray')}${status}`,
          pad(rule!, supWidths[0]!),
          paint(pad(where!, supWidths[1]!), 'dim'),
          pad(name!, supWidths[2]!),
          oneLine(suppressionText(f)),
        ].join('  '),
      );
    });
  }

  if (result.diagnostics.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(paint('Diagnostics:', 'bold'));
    for (const d of result.diagnostics) {
      const style: Style = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'gray';
      const where = diagnosticLocation(d, ctx.cwd);
      const parts = [` ${paint(d.severity.toUpperCase().padEnd(7), style)}`];
      if (where) parts.push(paint(oneLine(where), 'dim'));
      parts.push(oneLine(d.code), oneLine(d.message));
      lines.push(parts.join('  '));
    }
  }

  if (lines.length > 0) lines.push('');
  const clean = summary.failed === 0 && summary.unknown === 0 && summary.diagnostics.error === 0;
  lines.push(paint(summaryLine(result, summary), 'bold', clean ? 'green' : summary.failed > 0 ? 'red' : 'yellow'));
  return `${lines.join('\n')}\n`;
}
