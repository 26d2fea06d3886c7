import { unresolvedAt } from '../rules/paths.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
import { defineFunction } from './types.js';

interface RiskConfiguration {
  compromisedCredentialsAction?: string;
  compromisedCredentialsEvents?: string[];
  accountTakeoverActions?: Partial<Record<'low' | 'medium' | 'high', string>>;
}

// Weakest first; a setting the configuration leaves out is not configured: no action.
const TAKEOVER_RANK = ['NO_ACTION', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'BLOCK'];
const CREDENTIALS_RANK = ['NO_ACTION', 'BLOCK'];
const LEVELS = ['low', 'medium', 'high'] as const;

/** The paths of a risk configuration that are compared, with each one's order of strength. */
const SETTINGS: ReadonlyArray<{ path: string; rank: readonly string[]; read(c: RiskConfiguration): string | undefined }> = [
  { path: 'compromisedCredentialsAction', rank: CREDENTIALS_RANK, read: (c) => c.compromisedCredentialsAction },
  ...LEVELS.map((level) => ({ path: `accountTakeoverActions.${level}`, rank: TAKEOVER_RANK, read: (c: RiskConfiguration) => c.accountTakeoverActions?.[level] })),
];

/**
 * For an app client with its own risk configuration (a client-level
 * UserPoolRiskConfigurationAttachment or aws_cognito_risk_configuration), Cognito applies that
 * configuration instead of the pool's, whole. An override that takes a weaker action than the
 * pool (NO_ACTION where the pool blocks, MFA where it blocks, a setting left out) or blocks
 * compromised credentials on fewer events opens a gap for that client only. Comparing two
 * resources' values is beyond a path condition.
 */
export const riskOverrideNotWeaker = defineFunction<Record<string, never>>({
  name: 'riskOverrideNotWeaker',
  description:
    "An app client's own risk configuration takes, for compromised credentials and each account-takeover risk level, an action at least as strong as its user pool's (NO_ACTION < MFA_IF_CONFIGURED < MFA_REQUIRED < BLOCK; a setting left out is NO_ACTION), and blocks compromised credentials on every event the pool does; one detail per weaker setting. Not applicable to clients without one.",
  kinds: ['cognito.userPoolClient'],
  reads: ['riskConfiguration', 'userPoolId'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(client, _options, ctx): FunctionResult {
    const own = unresolvedAt(client, 'riskConfiguration');
    if (own.at) return { status: 'unknown', reason: own.at, evidence: [{ path: 'riskConfiguration' }] };
    const override = client.properties.riskConfiguration as RiskConfiguration | undefined;
    if (override === undefined) return { status: 'notApplicable' };
    const pools = (client.relations.userPool ?? []).map((id) => ctx.graph.get(id)).filter((p) => p?.kind === 'cognito.userPool');
    const pool = pools[0];
    if (!pool) return { status: 'unknown', reason: "the client's user pool is not in the inputs: its pool-level risk configuration cannot be compared", evidence: [{ path: 'userPoolId' }] };
    const poolUnknown = unresolvedAt(pool, 'riskConfiguration');
    const base = (pool.properties.riskConfiguration ?? {}) as RiskConfiguration;
    const evidence: RuleEvidence[] = [];
    const reasons: string[] = [];
    for (const { path, rank, read } of SETTINGS) {
      const why = unresolvedAt(client, `riskConfiguration.${path}`).at ?? unresolvedAt(pool, `riskConfiguration.${path}`).at ?? poolUnknown.at;
      if (why) {
        reasons.push(why);
        continue;
      }
      const mine = read(override) ?? 'NO_ACTION';
      const theirs = read(base) ?? 'NO_ACTION';
      if (rank.indexOf(mine) < rank.indexOf(theirs)) {
        evidence.push({ path: `riskConfiguration.${path}`, actual: mine, expected: `at least ${theirs} (the pool's ${pool.name} setting)`, detail: path });
      }
    }
    // Both block compromised credentials: the override must act on every event the pool acts on.
    if (override.compromisedCredentialsAction === 'BLOCK' && base.compromisedCredentialsAction === 'BLOCK') {
      const missing = (base.compromisedCredentialsEvents ?? []).filter((e) => !(override.compromisedCredentialsEvents ?? []).includes(e));
      if (missing.length) {
        evidence.push({
          path: 'riskConfiguration.compromisedCredentialsEvents',
          actual: override.compromisedCredentialsEvents ?? [],
          expected: `every event the pool's ${pool.name} blocks on (also ${missing.join(', ')})`,
          detail: 'compromisedCredentialsEvents',
        });
      }
    }
    if (evidence.length) return { status: 'fail', evidence };
    if (reasons.length) return { status: 'unknown', reason: [...new Set(reasons)].join('; '), evidence: [{ path: 'riskConfiguration' }] };
    return { status: 'pass' };
  },
});
