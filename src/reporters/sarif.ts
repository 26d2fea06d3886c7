import { createHash } from 'node:crypto';
import { computeRollingHashes } from '@microsoft/sarif';
import type {
  Log,
  Notification,
  PhysicalLocation,
  Region,
  ReportingDescriptor,
  Result,
  Run,
  Suppression,
} from 'sarif';
import type { Finding } from '../model/finding.js';
import type { RuleMeta, ScanResult } from '../model/scan-result.js';
import type { Severity } from '../model/severity.js';
import { displayPath, findingText, isAbsolutePath } from './common.js';
import type { ReportContext } from './types.js';

/** The driver name is part of every alert's identity in GitHub code scanning: never change it. */
export const SARIF_TOOL_NAME = 'cognito-guard';
/** Where the tool and its rules are documented (`tool.driver.informationUri`). */
export const INFORMATION_URI = 'https://github.com/cognito-guard/cognito-guard';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Our own stable fingerprint key, beside GitHub's `primaryLocationLineHash`. */
export const FINGERPRINT_KEY = 'cognitoGuard/v1';
/** The base every repo-relative artifact URI is relative to: the checkout root. */
export const SRCROOT = '%SRCROOT%';

/**
 * `security-severity` scores, inside GitHub's bands (>= 9.0 critical, 7.0-8.9 high, 4.0-6.9
 * medium, 0.1-3.9 low). `info` has none: a score would make GitHub raise a security alert.
 */
export const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

/** SARIF `level`: GitHub shows error/warning/note; critical and high block, medium warns. */
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** GitHub keeps at most 20 tags per rule. */
const MAX_TAGS = 20;

/** Percent-encodes everything outside RFC 3986 unreserved characters, so a name is one URI segment. */
function segment(value: string | undefined): string {
  if (value === undefined || value === '') return 'unknown';
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A relative URI reference for a path that may contain spaces, `%` or `#`. */
function pathToUri(path: string): string {
  return path
    .split('/')
    .map((part, i) => {
      // A colon in the first segment would make the relative reference read as a scheme.
      const encoded = encodeURI(part).replace(/[?#]/g, encodeURIComponent);
      return i === 0 ? encoded.replace(/:/g, '%3A') : encoded;
    })
    .join('/');
}

function fileUri(absolute: string): string {
  const path = absolute.startsWith('/') ? absolute : `/${absolute}`;
  return `file://${path.split('/').map((p) => encodeURI(p).replace(/[?#]/g, encodeURIComponent)).join('/')}`;
}

/** The artifact location of an input file: repo-relative under `%SRCROOT%`, or a `file:` URI outside the repo. */
function artifactLocation(file: string, cwd: string): PhysicalLocation['artifactLocation'] {
  const path = displayPath(file, cwd);
  if (isAbsolutePath(path)) return { uri: fileUri(path) };
  return { uri: pathToUri(path), uriBaseId: SRCROOT };
}

/**
 * GitHub needs a physical location for every result. A finding about a live resource with no
 * file gets a stable pseudo path per resource that does not exist in the repository, so
 * upload-sarif neither hashes a real line nor merges many resources into one alert.
 */
export function pseudoPath(finding: Finding): string {
  const r = finding.resource;
  return ['cloud', 'aws', segment(r.account), segment(r.region), segment(r.kind), segment(r.name)].join('/');
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function region(finding: Pick<Finding, 'location'>): Region {
  const loc = finding.location;
  const startLine = loc.line !== undefined && loc.line >= 1 ? loc.line : 1;
  const out: Region = { startLine };
  if (loc.column !== undefined && loc.column >= 1) out.startColumn = loc.column;
  const startColumn = out.startColumn ?? 1;
  if (loc.endLine !== undefined && loc.endLine >= startLine) {
    out.endLine = loc.endLine;
    // SARIF's endColumn is exclusive; an empty or inverted range on one line is dropped.
    if (loc.endColumn !== undefined && (loc.endLine > startLine || loc.endColumn > startColumn)) {
      out.endColumn = loc.endColumn;
    }
  } else if (loc.endLine === undefined && loc.endColumn !== undefined && loc.endColumn > startColumn) {
    out.endColumn = loc.endColumn;
  }
  return out;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Longest run of backticks in `text`, so a code fence around it is always longer. */
function fence(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function codeBlock(code: string, lang: string): string {
  const f = fence(code);
  return `${f}${lang}\n${code.replace(/\n+$/, '')}\n${f}`;
}

function helpText(rule: RuleMeta): string {
  const parts = [rule.description.trim()];
  if (rule.rationale) parts.push(`Why: ${rule.rationale.trim()}`);
  const fix = rule.remediation;
  if (fix) {
    parts.push(`Fix: ${fix.text.trim()}`);
    if (fix.cloudformation) parts.push(`CloudFormation:\n${fix.cloudformation.replace(/\n+$/, '')}`);
    if (fix.terraform) parts.push(`Terraform:\n${fix.terraform.replace(/\n+$/, '')}`);
    if (fix.cli) parts.push(`AWS CLI:\n${fix.cli.replace(/\n+$/, '')}`);
  }
  if (rule.references?.length) parts.push(`References:\n${rule.references.map((r) => `- ${r}`).join('\n')}`);
  const eq = equivalentsList(rule);
  if (eq.length > 0) parts.push(`Same check in other tools:\n${eq.join('\n')}`);
  return parts.join('\n\n');
}

function equivalentsList(rule: RuleMeta): string[] {
  return Object.entries(rule.equivalents ?? {}).map(
    ([tool, ids]) => `- ${tool}: ${(Array.isArray(ids) ? ids : [ids]).map((id) => `\`${id}\``).join(', ')}`,
  );
}

function helpMarkdown(rule: RuleMeta): string {
  const parts = [rule.description.trim()];
  if (rule.rationale) parts.push(`## Why it matters\n\n${rule.rationale.trim()}`);
  const fix = rule.remediation;
  if (fix) {
    const fixParts = [`## Remediation\n\n${fix.text.trim()}`];
    if (fix.cloudformation) fixParts.push(`CloudFormation:\n\n${codeBlock(fix.cloudformation, 'yaml')}`);
    if (fix.terraform) fixParts.push(`Terraform:\n\n${codeBlock(fix.terraform, 'hcl')}`);
    if (fix.cli) fixParts.push(`AWS CLI:\n\n${codeBlock(fix.cli, 'sh')}`);
    parts.push(fixParts.join('\n\n'));
  }
  if (rule.references?.length) {
    parts.push(`## References\n\n${rule.references.map((r) => (/^https?:\/\//.test(r) ? `- <${r}>` : `- ${r}`)).join('\n')}`);
  }
  const eq = equivalentsList(rule);
  if (eq.length > 0) parts.push(`## Same check in other tools\n\n${eq.join('\n')}`);
  return parts.join('\n\n');
}

/** `external/cwe/cwe-284`, the tag GitHub and CodeQL use to link a CWE, from a reference. */
function cweTags(rule: RuleMeta): string[] {
  const tags: string[] = [];
  for (const ref of rule.references ?? []) {
    const m = /\bCWE[-_ ]?(\d+)\b/i.exec(ref) ?? /cwe\.mitre\.org\/data\/definitions\/(\d+)/i.exec(ref);
    if (m) tags.push(`external/cwe/cwe-${m[1]}`);
  }
  return tags;
}

function descriptor(rule: RuleMeta): ReportingDescriptor {
  const tags = [
    ...new Set([
      'security',
      ...(rule.tags ?? []),
      ...rule.resource.map((kind) => kind.split('.')[0]!),
      ...cweTags(rule),
    ]),
  ].slice(0, MAX_TAGS);
  const properties: Record<string, unknown> = { tags, precision: 'high' };
  const score = SECURITY_SEVERITY[rule.severity];
  if (score !== undefined) properties['security-severity'] = score;
  else properties['problem.severity'] = 'recommendation';
  const helpUri = rule.references?.find((r) => /^https?:\/\//.test(r));
  const out: ReportingDescriptor = {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description.trim() || rule.title },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
  };
  if (helpUri) out.helpUri = helpUri;
  out.defaultConfiguration = { level: SARIF_LEVEL[rule.severity] };
  out.properties = properties;
  return out;
}

/** A rule the engine reported on but did not list; described from the finding rather than dropped. */
function placeholderRule(finding: Finding): RuleMeta {
  return {
    id: finding.ruleId,
    title: finding.ruleId,
    severity: finding.severity,
    resource: [finding.resource.kind],
    description: `Rule ${finding.ruleId}.`,
  };
}

/**
 * SARIF 2.1.0 shaped for GitHub code scanning (see docs in reference/sarif-and-action.md): one
 * run, every evaluated rule in `tool.driver.rules`, one result per open finding (suppressed
 * ones only with `ctx.includeSuppressed`), unknowns as results whose message starts with
 * "Could not evaluate:", load diagnostics as tool execution notifications.
 */
export function sarif(result: ScanResult, ctx: ReportContext): string {
  const rules: RuleMeta[] = [...result.rules];
  const ruleIndex = new Map<string, number>();
  rules.forEach((r, i) => {
    if (!ruleIndex.has(r.id)) ruleIndex.set(r.id, i);
  });
  for (const f of result.findings) {
    if (!ruleIndex.has(f.ruleId)) {
      ruleIndex.set(f.ruleId, rules.length);
      rules.push(placeholderRule(f));
    }
  }
  // Rule ids are unique in SARIF (`rules` has uniqueItems); keep the first of any duplicate.
  const declared = rules.filter((r, i) => ruleIndex.get(r.id) === i);
  const reindex = new Map(declared.map((r, i) => [r.id, i]));
  const titles = new Map(declared.map((r) => [r.id, r.title]));

  const hashes = new Map<string, Map<number, string> | undefined>();
  const lineHash = (file: string, line: number): string | undefined => {
    if (!ctx.sourceText) return undefined;
    if (!hashes.has(file)) {
      const text = ctx.sourceText(file);
      hashes.set(file, text === undefined ? undefined : computeRollingHashes(text));
    }
    return hashes.get(file)?.get(line);
  };

  const results: Result[] = [];
  for (const f of result.findings) {
    if (f.suppression && !ctx.includeSuppressed) continue;
    const r = f.resource;
    const file = f.location.file;
    let physicalLocation: PhysicalLocation;
    let primaryHash: string | undefined;
    if (file) {
      physicalLocation = { artifactLocation: artifactLocation(file, ctx.cwd), region: region(f) };
      primaryHash = lineHash(file, physicalLocation.region!.startLine!);
    } else {
      physicalLocation = {
        artifactLocation: { uri: pseudoPath(f), uriBaseId: SRCROOT },
        region: { startLine: 1, startColumn: 1 },
      };
      primaryHash = `${sha256Hex(`${f.ruleId}|${r.arn ?? r.id}|${f.detail ?? ''}`).slice(0, 16)}:1`;
    }
    let text = sentence(findingText(f));
    if (f.status === 'unknown') text += ` ${r.name} was not checked against "${titles.get(f.ruleId) ?? f.ruleId}".`;
    if (!file) text += ` Resource: ${r.arn ?? r.id}.`;

    const partialFingerprints: Record<string, string> = {};
    if (primaryHash) partialFingerprints.primaryLocationLineHash = primaryHash;
    partialFingerprints[FINGERPRINT_KEY] = f.fingerprint;

    const properties: Record<string, unknown> = {
      status: f.status,
      severity: f.severity,
      resourceId: r.id,
      resourceKind: r.kind,
    };
    if (r.arn) properties.resourceArn = r.arn;
    if (r.path) properties.resourcePath = r.path;
    if (r.account) properties.accountId = r.account;
    if (r.region) properties.region = r.region;
    if (f.detail) properties.detail = f.detail;
    if (f.status === 'unknown' && f.reason) properties.reason = f.reason;

    const out: Result = {
      ruleId: f.ruleId,
      ruleIndex: reindex.get(f.ruleId)!,
      level: SARIF_LEVEL[f.severity],
      message: { text },
      locations: [
        {
          physicalLocation,
          // The construct path or Terraform address names the resource as its author wrote it.
          logicalLocations: [{ kind: 'resource', name: r.name, fullyQualifiedName: r.path ?? r.arn ?? r.id }],
        },
      ],
      partialFingerprints,
    };
    // The hops of an attack path, in order; hops of live resources have no file to point at.
    const related = (f.related ?? []).filter((h) => h.location.file !== undefined);
    if (related.length) {
      out.relatedLocations = related.map((h, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifactLocation(h.location.file!, ctx.cwd), region: region({ location: h.location }) },
        logicalLocations: [{ kind: 'resource', name: h.resource.name, fullyQualifiedName: h.resource.id }],
        message: { text: h.message },
      }));
    }
    if (f.suppression) {
      const s = f.suppression;
      const suppression: Suppression = {
        kind: s.kind === 'inline' ? 'inSource' : 'external',
        status: 'accepted',
        justification: s.justification,
      };
      suppression.properties = { source: s.kind, ...(s.expires ? { expires: s.expires } : {}) };
      out.suppressions = [suppression];
    }
    out.properties = properties;
    results.push(out);
  }

  const notifications: Notification[] = result.diagnostics.map((d) => {
    const n: Notification = {
      level: d.severity === 'info' ? 'note' : d.severity,
      message: { text: d.message },
      descriptor: { id: d.code },
    };
    if (d.file) {
      const regionOf: Region = { startLine: d.line !== undefined && d.line >= 1 ? d.line : 1 };
      if (d.column !== undefined && d.column >= 1) regionOf.startColumn = d.column;
      n.locations = [{ physicalLocation: { artifactLocation: artifactLocation(d.file, ctx.cwd), region: regionOf } }];
    }
    return n;
  });

  const version = ctx.toolVersion ?? result.tool.version;
  const driver: Run['tool']['driver'] = { name: SARIF_TOOL_NAME, version };
  if (SEMVER.test(version)) driver.semanticVersion = version;
  driver.informationUri = INFORMATION_URI;
  driver.rules = declared.map(descriptor);

  const run: Run = {
    tool: { driver },
    automationDetails: { id: ctx.automationId ?? `${SARIF_TOOL_NAME}/` },
    invocations: [
      {
        executionSuccessful: !result.diagnostics.some((d) => d.severity === 'error'),
        toolExecutionNotifications: notifications,
      },
    ],
    columnKind: 'utf16CodeUnits',
    results,
  };
  const log: Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
