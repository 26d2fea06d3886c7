import type { Evidence } from '../model/finding.js';
import type { ResourceKind } from '../model/kinds.js';
import type { Resource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';
import type { ResourceGraph } from '../engine/graph.js';

/** Comparison operators of a `{ path, op, value }` condition (see `schemas/rule.schema.json`). */
export const OPERATORS = [
  'eq',
  'ne',
  'ieq',
  'in',
  'notIn',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'absent',
  'empty',
  'notEmpty',
  'matches',
  'notMatches',
  'contains',
  'notContains',
  'subsetOf',
  'intersects',
] as const;

export type Operator = (typeof OPERATORS)[number];

/** A reference to a rule parameter, resolved when the rule is compiled against a config. */
export interface ParamRef {
  param: string;
}

export interface LeafCondition {
  path: string;
  op: Operator;
  value?: unknown;
}

export interface FnCondition {
  fn: string;
  options?: Record<string, unknown>;
}

/**
 * One hop of a `chain`: the resources reached from the previous hop through a relation (the
 * first hop is the rule's resource) and what must hold of one of them for the walk to go on.
 */
export interface ChainStep {
  /** What this hop is, in words: "guest access is on". The finding names it with its resource. */
  hop: string;
  /**
   * Relation of the previous hop's resource (`unauthenticatedRole`), or `~relation` for the
   * resources whose relation names it (`~userPool`: the clients of a pool), or `*` for every
   * resource of the hop's kind among the inputs. Not on the first hop.
   */
  via?: string;
  /** Kinds of the resources this hop reaches (required with `via`): paths and functions are checked against them. */
  kind?: ResourceKind | ResourceKind[];
  /**
   * The property that holds the relation: forwards, the previous hop's property that names the
   * related resources (`roles.unauthenticated`: when it is unresolved, or names something that
   * is not among the inputs, the walk is unknown); backwards (`~relation`), this hop's property
   * that names the previous hop (`providerARNs`: a resource of the kind whose property is
   * unresolved might name it, so the walk is unknown).
   */
  from?: string;
  holds: Condition;
}

/** A rule condition as written in YAML. */
export type Condition =
  | LeafCondition
  | FnCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { chain: ChainStep[] };

export type ParamType = 'number' | 'integer' | 'string' | 'boolean' | 'array';

export interface ParamDefinition {
  default: unknown;
  description: string;
  type: ParamType;
}

export interface Remediation {
  text: string;
  cloudformation?: string;
  terraform?: string;
  cli?: string;
}

/** Rules that ask for a human review or list what exists, rather than judge it. */
export type RuleCategory = 'review' | 'inventory' | 'opt-in';

/** A rule as written in `rules/<service>/<id>.yaml`, validated by `schemas/rule.schema.json`. */
export interface RuleDefinition {
  id: string;
  title: string;
  severity: Severity;
  resource: ResourceKind | ResourceKind[];
  description: string;
  rationale?: string;
  params?: Record<string, ParamDefinition>;
  where?: Condition;
  assert: Condition;
  message?: string;
  remediation?: Remediation;
  references?: string[];
  tags?: string[];
  /**
   * A review or inventory rule: `info`, off in `recommended`, on in `strict`. An opt-in rule:
   * any severity, off in both until the config turns it on.
   */
  category?: RuleCategory;
  /** Ids of the rule catalogue rows (`rules/catalogue.json`) the rule implements. */
  catalogue?: string[];
  equivalents?: Record<string, string | string[]>;
  /** The file the rule came from (set by the loader). */
  file?: string;
}

/** Three-valued truth: conditions over unresolved inputs are `'unknown'`, never a pass. */
export type Truth = true | false | 'unknown';

/** Evidence with the granular key of the thing it is about (e.g. `callbackURLs[2]`). */
export interface RuleEvidence extends Evidence {
  detail?: string;
  /**
   * The evidence rests on a property of another resource (the guest role's policy statement
   * for a finding on its identity pool): the finding points at that property's line.
   */
  at?: { resourceId: string; path: string };
  /**
   * The finding is one severity step below the rule's (after profile and config overrides):
   * e.g. a guest-role action that the enhanced flow's session policy blocks today.
   */
  demote?: boolean;
  /** The evidence belongs to this hop of a `chain` (an attack path): the hop's words. */
  hop?: string;
}

/** What a typed function (or a whole rule) concluded about one resource. */
export interface FunctionResult {
  status: 'pass' | 'fail' | 'unknown' | 'notApplicable';
  evidence?: RuleEvidence[];
  /** Extra granular keys with no evidence of their own; each becomes a finding. */
  details?: string[];
  reason?: string;
}

/** What evaluating one condition gave. */
export interface ConditionResult {
  value: Truth;
  /** For `false`: what failed; for `true`: what held; for `'unknown'`: the paths that could not be read. */
  evidence: RuleEvidence[];
  /** Why the value is unknown. */
  reasons: string[];
  /** Set when a typed function decided the rule does not apply. */
  notApplicable?: boolean;
}

/** Read-only context handed to typed functions. */
export interface EvalContext {
  graph: ResourceGraph;
  now: Date;
}

/** One rule/resource outcome before it becomes findings. */
export type RuleOutcome =
  | { status: 'pass'; evidence?: RuleEvidence[] }
  | { status: 'notApplicable' }
  | { status: 'fail'; evidence: RuleEvidence[]; details: string[] }
  | { status: 'unknown'; reason: string; evidence: RuleEvidence[] };

/** A rule ready to run: config applied, conditions compiled to closures. */
export interface CompiledRule {
  definition: RuleDefinition;
  id: string;
  kinds: ResourceKind[];
  /** Severity after profile and config overrides. */
  severity: Severity;
  /** Parameter values after profile and config overrides. */
  params: Record<string, unknown>;
  check(resource: Resource, ctx: EvalContext): RuleOutcome;
  /** Renders the rule's message for one finding (`hops`: an attack path's hops, in words). */
  render(resource: Resource, evidence: RuleEvidence | undefined, detail: string | undefined, hops?: string): string;
}

/** Per-rule setting in a profile or config: `on`, `off`, or finer control. */
export type RuleSetting =
  | 'on'
  | 'off'
  | boolean
  | { enabled?: boolean; severity?: Severity; params?: Record<string, unknown> };

/** A named set of rule settings (`rules/profiles/<name>.yaml`). */
export interface Profile {
  name: string;
  description?: string;
  /** Another profile whose settings apply first. */
  extends?: string;
  /** Whether rules the profile does not list are on (default true). */
  others?: 'on' | 'off';
  /** Whether rules of a category that the profile does not list are on (before `others`). */
  categories?: Partial<Record<RuleCategory, 'on' | 'off'>>;
  /**
   * Controls of another framework (e.g. Security Hub's `Cognito.5`) and the rules that check
   * them: every rule named here is on, as if listed in `rules`.
   */
  controls?: Record<string, string[]>;
  rules: Record<string, RuleSetting>;
  file?: string;
}
