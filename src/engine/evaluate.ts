import type { Evidence, Finding, RelatedLocation } from '../model/finding.js';
import type { ResourceKind } from '../model/kinds.js';
import type { Position, Resource, SourceRef } from '../model/resource.js';
import type { ScanStats } from '../model/scan-result.js';
import { SEVERITIES, SEVERITY_RANK } from '../model/severity.js';
import { parentPath } from '../rules/paths.js';
import type { CompiledRule, EvalContext, RuleEvidence, RuleOutcome } from '../rules/types.js';
import { unreadReason } from '../model/unread.js';
import { redactDeep, redactUrlCredentials } from '../util/redact.js';
import { fingerprint } from './fingerprint.js';
import type { ResourceGraph } from './graph.js';

/**
 * The resource's source narrowed to the position of `path` (or its nearest parent that has a
 * position), without the per-property position map.
 */
export function locate(source: SourceRef, path: string | undefined): SourceRef {
  const { properties, ...base } = source;
  let pos: Position | undefined;
  for (let p = path || undefined; p !== undefined && !pos; p = parentPath(p)) pos = properties?.[p];
  if (!pos) return base;
  const narrowed: SourceRef = { ...base, pointer: pos.pointer, line: pos.line, column: pos.column };
  if (pos.endLine !== undefined) narrowed.endLine = pos.endLine;
  else delete narrowed.endLine;
  if (pos.endColumn !== undefined) narrowed.endColumn = pos.endColumn;
  else delete narrowed.endColumn;
  return narrowed;
}

/** Where a finding points: the property its first evidence rests on, on this or a related resource. */
function findingLocation(graph: ResourceGraph, resource: Resource, anchor: RuleEvidence | undefined): SourceRef {
  const other = anchor?.at && graph.get(anchor.at.resourceId);
  if (other && other.source.file !== undefined) return locate(other.source, anchor.at!.path);
  return locate(resource.source, anchor?.path || undefined);
}

/** The hops of an attack path in the evidence, in order: one per (hop, resource). */
function hopsOf(graph: ResourceGraph, evidence: readonly RuleEvidence[]): RelatedLocation[] {
  const seen = new Map<string, RelatedLocation>();
  for (const e of evidence) {
    if (e.hop === undefined || !e.at) continue;
    const key = `${e.hop}\u0000${e.at.resourceId}`;
    const resource = graph.get(e.at.resourceId);
    if (!resource) continue;
    const existing = seen.get(key);
    const what = e.path ? setting(e) : undefined;
    if (existing) {
      if (what && !existing.message.includes(what)) existing.message = existing.message.replace(/\)$/, `, ${what})`);
      continue;
    }
    const where = what ? `: ${what}` : '';
    seen.set(key, {
      message: `${e.hop} (${resource.name}${where})`,
      resource: { kind: resource.kind, id: resource.id, name: resource.name },
      location: locate(resource.source, e.path || undefined),
    });
  }
  return [...seen.values()];
}

/**
 * `path = value` for short values, `path not set` for an absent one (never secrets: evidence
 * values are redacted first).
 */
function setting(e: RuleEvidence): string {
  if (e.actual === undefined) return `${e.path} not set`;
  const actual = redactDeep(e.actual);
  const short = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  const shown = short(actual) || (Array.isArray(actual) && actual.every(short)) ? JSON.stringify(actual) : undefined;
  return shown !== undefined && shown.length <= 80 ? `${e.path} = ${shown}` : e.path;
}

const cmp = (a: string | number | undefined, b: string | number | undefined): number =>
  a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : 1;

/** Severity (worst first), rule id, file, line, resource id, detail, status. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.location.file, b.location.file) ||
    cmp(a.location.line, b.location.line) ||
    cmp(a.resource.id, b.resource.id) ||
    cmp(a.detail, b.detail) ||
    cmp(a.status, b.status)
  );
}

// Credentials inside URLs (`https://user:password@host/cb`) never leave the engine.
const plain = ({ detail: _detail, at: _at, demote: _demote, hop: _hop, ...e }: RuleEvidence): Evidence => redactDeep(e);

/**
 * Runs every rule on the resources of its kind (rules are indexed by kind, so the work is
 * linear in resources × rules per kind). Pure: no I/O, time comes in through `now`. A failed
 * check gives one finding per detail (e.g. one per bad callback URL); an undecidable one gives
 * an `unknown` finding with the reason.
 */
export function evaluate(graph: ResourceGraph, rules: readonly CompiledRule[], options: { now: Date }): { findings: Finding[]; stats: ScanStats } {
  const byKind = new Map<ResourceKind, CompiledRule[]>();
  for (const rule of rules) {
    for (const kind of rule.kinds) {
      let list = byKind.get(kind);
      if (!list) byKind.set(kind, (list = []));
      list.push(rule);
    }
  }
  const ctx: EvalContext = { graph, now: options.now };
  const stats: ScanStats = { resources: graph.resources.length, evaluations: 0, passed: 0, failed: 0, unknown: 0, notApplicable: 0, suppressed: 0 };
  const findings: Finding[] = [];
  for (const resource of graph.resources) {
    const rules = byKind.get(resource.kind) ?? [];
    // A stand-in for what could not be read: whatever a rule makes of it, it is not a verdict.
    const unread = rules.length ? unreadReason(resource) : undefined;
    for (const rule of rules) {
      stats.evaluations++;
      let outcome: RuleOutcome;
      try {
        outcome = rule.check(resource, ctx);
      } catch (err) {
        // A bug in a rule function must not hide the resource: report it as undecided.
        outcome = { status: 'unknown' as const, reason: `internal error in rule ${rule.id}: ${(err as Error).message}`, evidence: [] };
      }
      if (unread !== undefined && outcome.status !== 'unknown') outcome = { status: 'unknown', reason: `${resource.name} is not known: ${unread}`, evidence: [] };
      switch (outcome.status) {
        case 'pass':
          stats.passed++;
          break;
        case 'notApplicable':
          stats.notApplicable++;
          break;
        case 'unknown': {
          stats.unknown++;
          const first = outcome.evidence[0];
          const hops = hopsOf(graph, outcome.evidence);
          const path = hops.length ? ` (path: ${hops.map((h) => h.message).join(' → ')})` : '';
          findings.push(
            makeFinding(
              rule,
              resource,
              'unknown',
              `${resource.name}: cannot decide "${rule.definition.title}": ${outcome.reason}${path}`,
              outcome.evidence,
              undefined,
              outcome.reason,
              findingLocation(graph, resource, first),
              hops,
            ),
          );
          break;
        }
        case 'fail': {
          stats.failed++;
          const shared = outcome.evidence.filter((e) => !e.detail);
          const fail = (evidence: RuleEvidence[], first: RuleEvidence | undefined, detail: string | undefined) => {
            const hops = hopsOf(graph, evidence);
            const text = rule.render(resource, first, detail, hops.map((h) => h.message).join(' → '));
            findings.push(makeFinding(rule, resource, 'fail', text, evidence, detail, undefined, findingLocation(graph, resource, first), hops));
          };
          if (outcome.details.length === 0) fail(outcome.evidence, outcome.evidence[0], undefined);
          for (const detail of outcome.details) {
            const own = outcome.evidence.filter((e) => e.detail === detail);
            fail([...own, ...shared], own[0] ?? shared[0], detail);
          }
          break;
        }
      }
    }
  }
  findings.sort(compareFindings);
  return { findings, stats };
}

function makeFinding(
  rule: CompiledRule,
  resource: Resource,
  status: Finding['status'],
  message: string,
  evidence: RuleEvidence[],
  detail: string | undefined,
  reason: string | undefined,
  location: SourceRef,
  related: RelatedLocation[] = [],
): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    status,
    severity: evidence[0]?.demote ? SEVERITIES[Math.min(SEVERITIES.indexOf(rule.severity) + 1, SEVERITIES.length - 1)]! : rule.severity,
    message: redactUrlCredentials(message),
    resource: {
      kind: resource.kind,
      id: resource.id,
      name: resource.name,
      ...(resource.path !== undefined && { path: resource.path }),
      ...(resource.account !== undefined && { account: resource.account }),
      ...(resource.region !== undefined && { region: resource.region }),
      ...(resource.arn !== undefined && { arn: resource.arn }),
    },
    location,
    evidence: evidence.filter((e) => e.path !== '' || e.actual !== undefined).map(plain),
    fingerprint: fingerprint(rule.id, resource.id, detail),
  };
  if (detail !== undefined) finding.detail = detail;
  if (reason !== undefined) finding.reason = redactUrlCredentials(reason);
  if (related.length) finding.related = related.map((r) => ({ ...r, message: redactUrlCredentials(r.message) }));
  return finding;
}
