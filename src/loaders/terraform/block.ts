import type { InlineSuppression, Position } from '../../model/resource.js';
import type { PropertyReader } from '../scope.js';
import type { Evaluated, Unknown } from '../values.js';

/**
 * One Terraform `resource` or `data` block (or one instance of it), evaluated: what both
 * Terraform sources hand the mappers. The HCL source evaluates expressions against variables,
 * locals and other blocks; the plan source reads `planned_values` (values known only after
 * apply are `Unknown`). Either way, a reference to another block is a `Symbolic` value whose
 * `refs` are that block's address (`aws_cognito_user_pool.pool`), so relations resolve by
 * address.
 */
export interface TerraformBlock extends PropertyReader {
  mode: 'managed' | 'data';
  /** Resource type, e.g. `aws_cognito_user_pool`. */
  type: string;
  /** Block name, e.g. `pool`. */
  name: string;
  /**
   * Terraform address: `aws_cognito_user_pool.pool`, `data.aws_iam_policy_document.trust`,
   * with `module.<name>.` in front inside a module and `[0]` / `["key"]` for one instance of a
   * `count` / `for_each` block.
   */
  address: string;
  /** The file the block is written in, as shown in findings. */
  file: string;
  /**
   * Evaluated arguments. Nested blocks (`password_policy { ... }`) are lists of mappings, as
   * in the plan JSON. `Unknown` when the block as a whole cannot be read (a `count` or
   * `for_each` that cannot be evaluated): every property of its kinds is then unresolved.
   */
  values: Record<string, Evaluated> | Unknown;
  /** Where the block starts (`resource "type" "name" {`); `pointer` is a JSON pointer into the source. */
  position: Position;
  /** `# cognito-guard:ignore RULE-ID reason` comments on or above the block or one of its arguments. */
  suppressions?: InlineSuppression[];
}

/** One `output` of the root module: `terraform output` and the state show it to whoever reads them. */
export interface TerraformOutput {
  name: string;
  value: Evaluated;
  /** `sensitive = true`; an Unknown when it is not written as a literal. */
  sensitive: boolean | Unknown;
  file: string;
  position: Position | undefined;
}
