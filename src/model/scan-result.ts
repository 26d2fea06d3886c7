import type { Diagnostic, Finding } from './finding.js';
import type { ResourceKind } from './kinds.js';
import type { SourceFormat } from './resource.js';
import type { Severity } from './severity.js';

/** A file the scan read, and the format it was read as. */
export interface InputFile {
  /** Path as shown in findings. */
  file: string;
  format: SourceFormat;
}

/** What reporters need to know about a rule (its prose comes from the rule's YAML). */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  resource: ResourceKind[];
  description: string;
  rationale?: string;
  remediation?: { text: string; cloudformation?: string; terraform?: string; cli?: string };
  references?: string[];
  tags?: string[];
  /** Same check in other tools, e.g. `{ prowler: 'cognito_user_pool_mfa_enabled' }`. */
  equivalents?: Record<string, string | string[]>;
  /** Rule file the rule was loaded from. */
  file?: string;
}

export interface ScanStats {
  resources: number;
  /** rule x resource pairs evaluated (notApplicable included). */
  evaluations: number;
  passed: number;
  failed: number;
  unknown: number;
  notApplicable: number;
  suppressed: number;
}

/** Everything a scan produced; reporters are pure functions of this. */
export interface ScanResult {
  tool: { name: string; version: string };
  /** Every rule that was evaluated (enabled), fired or not. */
  rules: RuleMeta[];
  /** Sorted: severity (worst first), rule id, file, line, resource id, detail. */
  findings: Finding[];
  diagnostics: Diagnostic[];
  stats: ScanStats;
  /** Files that were read (inputs and the files they include), with the format each was read as. */
  inputs: InputFile[];
}
