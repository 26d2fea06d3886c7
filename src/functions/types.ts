import type { ResourceKind } from '../model/kinds.js';
import type { Resource } from '../model/resource.js';
import type { ResourceGraph } from '../engine/graph.js';
import type { EvalContext, FunctionResult } from '../rules/types.js';

/**
 * A typed check named from rule YAML (`{ fn: name, options }`): the escape hatch for analysis
 * that does not fit a path/operator condition (IAM semantics, URL parsing).
 */
export interface RuleFunction<O = Record<string, unknown>> {
  name: string;
  description: string;
  /** Kinds the function understands; a rule using it must select only these. */
  kinds: readonly ResourceKind[];
  /** JSON Schema of `options` (validated when rules load; defaults applied by the function). */
  optionsSchema: Record<string, unknown>;
  /** Resource property paths the function reads (so rule docs and path checks can name them). */
  reads?: readonly string[];
  /**
   * Async work done once per scan before evaluation (e.g. loading IAM action data for every
   * action in every policy), so that `evaluate` stays synchronous. The result is passed back
   * to `evaluate` as `prepared`.
   */
  prepare?(graph: ResourceGraph): Promise<unknown>;
  evaluate(resource: Resource, options: O, ctx: EvalContext & { prepared: unknown }): FunctionResult;
}

/** Identity helper that keeps the options type of a function. */
export function defineFunction<O>(fn: RuleFunction<O>): RuleFunction<O> {
  return fn;
}
