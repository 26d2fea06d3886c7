import type { Resource, SourceRef } from './resource.js';
import type { Severity } from './severity.js';

/** What one rule concluded about one resource. */
export type OutcomeStatus = 'pass' | 'notApplicable' | 'fail' | 'unknown';

/** Findings are the outcomes worth reporting: failures, and checks that could not be decided. */
export type FindingStatus = 'fail' | 'unknown';

export interface Evidence {
  /** Normalized property path the conclusion rests on. */
  path: string;
  actual?: unknown;
  expected?: unknown;
}

export interface Suppression {
  kind: 'config' | 'inline' | 'baseline';
  justification: string;
  /** ISO date after which the suppression no longer applies. */
  expires?: string;
}

export interface Finding {
  ruleId: string;
  status: FindingStatus;
  severity: Severity;
  message: string;
  resource: Pick<Resource, 'kind' | 'id' | 'name' | 'path' | 'account' | 'region' | 'arn'>;
  /** The resource's source narrowed to the offending property where known. */
  location: SourceRef;
  evidence: Evidence[];
  /** Granular key when one rule reports several things on one resource, e.g. `callbackURLs[2]`. */
  detail?: string;
  /** For `unknown`: why the rule could not decide. */
  reason?: string;
  /** sha256 of rule id + resource id + detail; never the message or the line. */
  fingerprint: string;
  suppression?: Suppression;
  /**
   * The hops of an attack path, in order (the first is where the finding points): each one's
   * resource, the setting it rests on and what it contributes. SARIF `relatedLocations`.
   */
  related?: RelatedLocation[];
}

/** One hop of an attack-path finding. */
export interface RelatedLocation {
  message: string;
  resource: Pick<Resource, 'kind' | 'id' | 'name'>;
  location: SourceRef;
}

/** A problem with the inputs themselves (unreadable file, denied API call, skipped file). */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}
