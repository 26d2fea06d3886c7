import type { ResourceGraph } from '../engine/graph.js';
import type { Resource } from '../model/resource.js';
import { compileRegex } from '../rules/operators.js';
import { unresolvedAt } from '../rules/paths.js';
import type { FunctionResult, RuleEvidence } from '../rules/types.js';
import { defineFunction } from './types.js';

/**
 * The app clients of a user pool among the inputs: those whose `userPool` relation names it.
 * Clients defined elsewhere (another stack, the console) are not seen.
 */
function clientsOf(graph: ResourceGraph, pool: Resource): readonly Resource[] {
  return graph.referencedBy(pool, 'userPool').filter((r) => r.kind === 'cognito.userPoolClient');
}

/**
 * What each client of the pool says about one list property: its values (a null element is one
 * only known at deploy time), or why the list is not known.
 */
function clientLists(graph: ResourceGraph, pool: Resource, path: string): { client: Resource; values?: unknown[]; unknown?: string }[] {
  return clientsOf(graph, pool).map((client) => {
    const at = unresolvedAt(client, path);
    const values = client.properties[path];
    const list = Array.isArray(values) ? (values as unknown[]) : undefined;
    if (at.at || at.below) return { client, unknown: at.at ?? at.below };
    return { client, values: list };
  });
}

// ExplicitAuthFlows values that let a client start CUSTOM_AUTH (the second is the legacy name).
const CUSTOM_AUTH_FLOWS = ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'];

/**
 * True (pass) when some app client of the pool can start the custom authentication flow, so the
 * pool's threat protection for custom authentication matters; false (fail) when none can. A
 * client whose explicitAuthFlows are only known at deploy time makes it unknown.
 */
export const poolClientsAllowCustomAuth = defineFunction<Record<string, never>>({
  name: 'poolClientsAllowCustomAuth',
  description:
    'Holds when an app client of the user pool (a client among the inputs whose userPool is this pool) has ALLOW_CUSTOM_AUTH (or the legacy CUSTOM_AUTH_FLOW_ONLY) in explicitAuthFlows; unknown when a client’s explicitAuthFlows are not known and no other client has it.',
  kinds: ['cognito.userPool'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(pool, _options, ctx) {
    const unknown: string[] = [];
    for (const { client, values, unknown: reason } of clientLists(ctx.graph, pool, 'explicitAuthFlows')) {
      if (values?.some((v) => CUSTOM_AUTH_FLOWS.includes(v as string))) {
        return { status: 'pass', evidence: [{ path: 'explicitAuthFlows', actual: 'ALLOW_CUSTOM_AUTH', detail: client.name, at: { resourceId: client.id, path: 'explicitAuthFlows' } }] };
      }
      if (reason) unknown.push(`app client ${client.name}: ${reason}`);
      else if (values?.includes(null)) unknown.push(`app client ${client.name}: an entry of explicitAuthFlows is only known at deploy time`);
    }
    if (unknown.length) return { status: 'unknown', reason: unknown.join('; ') };
    return { status: 'fail' };
  },
});

export interface AuthorizationAttributeOptions {
  /** RE2 expression over `custom:<name>` for attributes that look like they carry authorization. */
  pattern: string;
}

// Cognito's standard attributes: a Schema entry with one of these names changes a standard
// attribute and is never a custom one. Custom attributes are named without the `custom:`
// prefix in templates and with it in DescribeUserPool's SchemaAttributes.
const STANDARD_ATTRIBUTES = new Set([
  'address', 'birthdate', 'email', 'email_verified', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'phone_number', 'phone_number_verified', 'picture', 'preferred_username', 'profile', 'sub', 'updated_at',
  'website', 'zoneinfo', 'identities',
]);

/**
 * A custom attribute that carries authorization is safe when no user can set it: it is
 * developer-only (only IAM-authorized admin calls write it), or no app client lists it in
 * WriteAttributes (an omitted WriteAttributes covers standard attributes only), or it is
 * immutable and users cannot sign themselves up (SignUp writes any attribute the client may
 * write, immutable or not).
 */
export const authorizationAttributesProtected = defineFunction<AuthorizationAttributeOptions>({
  name: 'authorizationAttributesProtected',
  description:
    'Every custom attribute of the user pool schema whose name (as custom:<name>) matches `pattern` is developer-only, or written by no app client of the pool (a client among the inputs whose writeAttributes lists it), or immutable on a pool without self sign-up (SignUp can set an immutable attribute). One finding per attribute; not applicable when no attribute matches.',
  kinds: ['cognito.userPool'],
  reads: ['schema', 'adminCreateUserConfig.allowAdminCreateUserOnly'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['pattern'],
    properties: { pattern: { type: 'string', description: 'RE2 expression for custom:<name> of attributes that carry authorization.' } },
  },
  evaluate(pool, options, ctx): FunctionResult {
    const schemaUnknown = unresolvedAt(pool, 'schema').at;
    if (schemaUnknown) return { status: 'unknown', reason: schemaUnknown, evidence: [{ path: 'schema' }] };
    const regex = compileRegex(options.pattern);
    const schema = (pool.properties.schema as { name?: unknown; mutable?: unknown; developerOnlyAttribute?: unknown }[] | undefined) ?? [];
    const writers = clientLists(ctx.graph, pool, 'writeAttributes');
    const failed: RuleEvidence[] = [];
    const undecided: RuleEvidence[] = [];
    const reasons: string[] = [];
    let applies = false;
    schema.forEach((attribute, i) => {
      const path = `schema[${i}]`;
      const nameUnknown = unresolvedAt(pool, `${path}.name`).at;
      if (nameUnknown) {
        reasons.push(nameUnknown);
        undecided.push({ path });
        return;
      }
      if (typeof attribute.name !== 'string') return;
      const bare = attribute.name.replace(/^custom:/, '');
      if (!attribute.name.startsWith('custom:') && STANDARD_ATTRIBUTES.has(bare)) return;
      const name = `custom:${bare}`;
      if (!regex.test(name)) return;
      applies = true;
      if (attribute.developerOnlyAttribute === true) return;
      const writing = writers.filter((w) => w.values?.includes(name)).map((w) => w.client.name);
      const maybe = writers.filter((w) => w.unknown || (w.values?.includes(null) && !w.values.includes(name)));
      if (writing.length === 0 && maybe.length === 0) return;
      // Immutable: set once, at creation; users create themselves only through self sign-up.
      const selfSignUpUnknown = unresolvedAt(pool, 'adminCreateUserConfig.allowAdminCreateUserOnly').at;
      const mutableUnknown = unresolvedAt(pool, `${path}.mutable`).at;
      const adminOnly = (pool.properties.adminCreateUserConfig as { allowAdminCreateUserOnly?: unknown } | undefined)?.allowAdminCreateUserOnly;
      if (attribute.mutable === false && adminOnly === true) return;
      if (writing.length > 0 && !(attribute.mutable === false && selfSignUpUnknown) && !mutableUnknown) {
        failed.push({
          path,
          actual: `in the WriteAttributes of app client${writing.length > 1 ? 's' : ''} ${writing.join(', ')}`,
          expected: 'developer-only, or in no app client’s WriteAttributes',
          detail: name,
        });
        return;
      }
      reasons.push(
        ...maybe.map((w) => `app client ${w.client.name}: ${w.unknown ?? 'an entry of writeAttributes is only known at deploy time'}`),
        ...[selfSignUpUnknown, mutableUnknown].filter((r): r is string => r !== undefined),
      );
      undecided.push({ path, actual: name, detail: name });
    });
    if (failed.length) return { status: 'fail', evidence: failed };
    if (undecided.length) return { status: 'unknown', reason: [...new Set(reasons)].join('; '), evidence: undecided };
    return applies ? { status: 'pass' } : { status: 'notApplicable' };
  },
});
