import type { ResourceKind } from './kinds.js';

/**
 * Every input format the scanner reads, as named in `--format json` (`inputs[].format`) and in
 * the list of sources (`loaders/sources.ts`).
 */
export type SourceFormat = 'cloudformation' | 'snapshot' | 'terraform' | 'terraform-plan' | 'serverless' | 'cdk' | 'amplify';

/** Where a resource was read from: a file of one of the formats, or a live account. */
export type SourceKind = SourceFormat | 'live';

/** A place in an input file. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface Position {
  /** JSON pointer into the parsed document, e.g. `/Resources/UserPool/Properties/MfaConfiguration`. */
  pointer: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * Where a resource came from. Rules never read this; the engine uses it to attach a location
 * to findings and reporters turn it into file:line.
 */
export interface SourceRef extends Partial<Position> {
  kind: SourceKind;
  /** Path of the input file as given to the scanner (made repo-relative by reporters). */
  file?: string;
  /**
   * Position of each normalized property path (`mfaConfiguration`, `callbackURLs[1]`,
   * `policies.passwordPolicy.minimumLength`) in the input. A property that was absent in the
   * input (an AWS default was applied) has no entry; findings on it point at the resource.
   */
  properties?: Record<string, Position>;
}

/**
 * The normalized resource every loader produces. `properties` follow the JSON Schema of the
 * kind in `schemas/resources/<kind>.schema.json` whatever the source.
 */
export interface Resource<K extends ResourceKind = ResourceKind> {
  kind: K;
  /** Unique within a scan: ARN (live), `<file>#<LogicalId>` (CloudFormation), address (Terraform). */
  id: string;
  /** Human name: the logical id, the pool name, `GET /pets` for a method. */
  name: string;
  /**
   * Where the resource is declared, in its tool's own terms, when that says more than `name`:
   * the CDK construct path (`MyStack/UserPool/Resource`), the Terraform address
   * (`module.auth.aws_cognito_user_pool.this[0]`). Shown with every finding.
   */
  path?: string;
  account?: string;
  region?: string;
  arn?: string;
  properties: Record<string, unknown>;
  /** Relation name -> ids of related resources in the same scan, e.g. `{ userPool: [id] }`. */
  relations: Record<string, string[]>;
  /**
   * Property path -> why its value is not known (a parameter without a default, a `Fn::GetAtt`
   * to something outside the inputs, a denied API call). The value itself is left out of
   * `properties` (or is `null` inside an array). Rules that read such a path give `unknown`.
   */
  unresolved: Record<string, string>;
  /** Property paths whose value is AWS's default because the input did not set it. */
  defaults: string[];
  source: SourceRef;
  /** Suppressions written next to the resource (CloudFormation `Metadata.cognito-guard`). */
  suppressions?: InlineSuppression[];
}

/** A suppression written in the input itself, beside the resource it applies to. */
export interface InlineSuppression {
  /** Rule id (exact). */
  rule: string;
  /** Why the finding is accepted; at least 10 characters. */
  reason: string;
  /** ISO date after which it no longer applies. */
  expires?: string;
  /** Finding details it is limited to (globs), e.g. `Action::s3:GetObject`. */
  appliesTo?: string[];
}
