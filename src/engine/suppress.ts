import type { Diagnostic, Finding } from '../model/finding.js';
import type { InlineSuppression, Resource } from '../model/resource.js';
import type { ConfigSuppression } from '../rules/config.js';
import { globMatch } from '../util/glob.js';

/**
 * The instant a suppression stops applying: a date-only `expires` (YYYY-MM-DD) covers that
 * whole day in UTC; a full timestamp is taken as is.
 */
export function expiryInstant(expires: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) return Date.parse(`${expires}T00:00:00Z`) + 86_400_000;
  return Date.parse(expires);
}

/** Suppressions whose `expires` is past at `now` (for a warning: they no longer apply). */
export function expiredSuppressions(suppressions: readonly ConfigSuppression[], now: Date): ConfigSuppression[] {
  return suppressions.filter((s) => s.expires !== undefined && !(now.getTime() < expiryInstant(s.expires)));
}

/** True when the suppression covers the finding: rule, resource (id or name) and detail match. */
export function suppressionMatches(s: ConfigSuppression, f: Finding): boolean {
  if (!globMatch(s.rule, f.ruleId)) return false;
  if (!globMatch(s.resource, f.resource.id) && !globMatch(s.resource, f.resource.name)) return false;
  if (s.appliesTo && !s.appliesTo.some((p) => f.detail !== undefined && globMatch(p, f.detail))) return false;
  return true;
}

/**
 * Marks findings covered by a config suppression (the first that matches); never removes a
 * finding. Expired suppressions (an unparseable date counts as expired) do not apply.
 */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly ConfigSuppression[], now: Date): Finding[] {
  const active = suppressions.filter((s) => s.expires === undefined || now.getTime() < expiryInstant(s.expires));
  return findings.map((f) => {
    if (f.suppression) return f;
    const s = active.find((x) => suppressionMatches(x, f));
    if (!s) return f;
    return {
      ...f,
      suppression: { kind: 'config', justification: s.reason, ...(s.expires !== undefined && { expires: s.expires }) },
    };
  });
}

const isActive = (s: { expires?: string }, now: Date): boolean => s.expires === undefined || now.getTime() < expiryInstant(s.expires);

/**
 * Marks findings covered by a suppression written beside their resource (CloudFormation
 * `Metadata.cognito-guard.suppressions`): same rule, and a matching detail when `appliesTo` is
 * given. Already-marked findings are left as they are; nothing is removed.
 */
export function applyInlineSuppressions(findings: readonly Finding[], resources: readonly Resource[], now: Date): Finding[] {
  const byResource = new Map<string, InlineSuppression[]>();
  for (const r of resources) if (r.suppressions?.length) byResource.set(r.id, r.suppressions.filter((s) => isActive(s, now)));
  if (byResource.size === 0) return [...findings];
  return findings.map((f) => {
    if (f.suppression) return f;
    const s = byResource
      .get(f.resource.id)
      ?.find((x) => x.rule === f.ruleId && (!x.appliesTo || x.appliesTo.some((p) => f.detail !== undefined && globMatch(p, f.detail))));
    if (!s) return f;
    return { ...f, suppression: { kind: 'inline', justification: s.reason, ...(s.expires !== undefined && { expires: s.expires }) } };
  });
}

/**
 * Warnings about suppressions that do nothing: expired ones (their findings are open again) and
 * inline ones naming a rule that is not loaded (a typo would otherwise go unnoticed).
 */
export function suppressionDiagnostics(config: readonly ConfigSuppression[], resources: readonly Resource[], ruleIds: ReadonlySet<string>, now: Date): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of expiredSuppressions(config, now)) {
    out.push({ severity: 'warning', code: 'suppression-expired', message: `config suppression of ${s.rule} for ${s.resource} expired on ${s.expires}` });
  }
  for (const r of resources) {
    for (const s of r.suppressions ?? []) {
      const where = { ...(r.source.file !== undefined && { file: r.source.file }), ...(r.source.line !== undefined && { line: r.source.line }) };
      if (!ruleIds.has(s.rule)) out.push({ severity: 'warning', code: 'suppression-unknown-rule', message: `${r.name}: suppression names rule ${s.rule}, which is not loaded`, ...where });
      else if (!isActive(s, now)) out.push({ severity: 'warning', code: 'suppression-expired', message: `${r.name}: suppression of ${s.rule} expired on ${s.expires}`, ...where });
    }
  }
  return out;
}
