import type { Position } from '../../model/resource.js';

/** A comment in a `.tf` file (for inline suppressions), with the line it is on. */
export interface TfComment {
  line: number;
  column: number;
  /** The comment's text without `#`, `//` or `/* *\/`. */
  text: string;
}

/**
 * One parsed `.tf` file: what the HCL reader (hcl.ts, positions.ts) hands the evaluator
 * (evaluate.ts). `body` is @cdktf/hcl2json's output: blocks are lists, expressions are
 * `"${...}"` strings. `locate` finds the position of anything in it by the same path, e.g.
 * `['resource', 'aws_cognito_user_pool', 'pool', 0, 'password_policy', 0, 'minimum_length']`.
 */
export interface ParsedTfFile {
  /** Path as shown in findings. */
  file: string;
  abs: string;
  body: Record<string, unknown>;
  locate(path: readonly (string | number)[]): Position | undefined;
  comments: TfComment[];
}
