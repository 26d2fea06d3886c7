import type { Finding } from '../model/finding.js';
import type { ScanResult } from '../model/scan-result.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { displayPath, summarize } from './common.js';
import type { ReportContext } from './types.js';

/** Version of the JSON output shape (docs/json-output.md); bumped on any breaking change. */
export const JSON_OUTPUT_VERSION = 1;

function finding(f: Finding, title: string | undefined, cwd: string): Record<string, unknown> {
  const loc = f.location;
  // Built key by key so the order never depends on how the engine assembled the object.
  return {
    ruleId: f.ruleId,
    title,
    status: f.status,
    severity: f.severity,
    suppressed: f.suppression !== undefined,
    message: f.message,
    reason: f.reason,
    resource: {
      kind: f.resource.kind,
      id: f.resource.id,
      name: f.resource.name,
      path: f.resource.path,
      account: f.resource.account,
      region: f.resource.region,
      arn: f.resource.arn,
    },
    location: {
      source: loc.kind,
      file: loc.file === undefined ? undefined : displayPath(loc.file, cwd),
      pointer: loc.pointer,
      line: loc.line,
      column: loc.column,
      endLine: loc.endLine,
      endColumn: loc.endColumn,
    },
    detail: f.detail,
    evidence: f.evidence.map((e) => ({ path: e.path, actual: e.actual, expected: e.expected })),
    related: f.related?.map((r) => ({
      message: r.message,
      resource: { kind: r.resource.kind, id: r.resource.id, name: r.resource.name },
      file: r.location.file === undefined ? undefined : displayPath(r.location.file, cwd),
      line: r.location.line,
      column: r.location.column,
    })),
    fingerprint: f.fingerprint,
    suppression: f.suppression && {
      kind: f.suppression.kind,
      justification: f.suppression.justification,
      expires: f.suppression.expires,
    },
  };
}

/**
 * The machine-readable report, documented in docs/json-output.md: fixed key order, 2-space
 * indent, trailing newline; optional fields are left out rather than `null`.
 */
export function json(result: ScanResult, ctx: ReportContext): string {
  const s = summarize(result);
  const titles = new Map(result.rules.map((r) => [r.id, r.title]));
  const bySeverity = {} as Record<Severity, { failed: number; unknown: number; suppressed: number }>;
  for (const sev of SEVERITIES) {
    bySeverity[sev] = {
      failed: s.failedBySeverity[sev],
      unknown: s.unknownBySeverity[sev],
      suppressed: s.suppressedBySeverity[sev],
    };
  }
  const out = {
    version: JSON_OUTPUT_VERSION,
    tool: { name: result.tool.name, version: ctx.toolVersion ?? result.tool.version },
    summary: {
      open: s.failed + s.unknown,
      failed: s.failed,
      unknown: s.unknown,
      suppressed: s.suppressed,
      bySeverity,
      diagnostics: { error: s.diagnostics.error, warning: s.diagnostics.warning, info: s.diagnostics.info },
    },
    inputs: result.inputs.map((i) => ({ file: displayPath(i.file, ctx.cwd), format: i.format })),
    findings: result.findings.map((f) => finding(f, titles.get(f.ruleId), ctx.cwd)),
    diagnostics: result.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      file: d.file === undefined ? undefined : displayPath(d.file, ctx.cwd),
      line: d.line,
      column: d.column,
    })),
    rules: result.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity })),
    stats: {
      resources: result.stats.resources,
      evaluations: result.stats.evaluations,
      passed: result.stats.passed,
      failed: result.stats.failed,
      unknown: result.stats.unknown,
      notApplicable: result.stats.notApplicable,
      suppressed: result.stats.suppressed,
    },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
