import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../src/engine/graph.js';
import { FUNCTIONS } from '../src/functions/index.js';
import { evaluate } from '../src/engine/evaluate.js';
import { compileRules } from '../src/rules/compile.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleDefinition } from '../src/rules/types.js';
import { loadRuleFixture } from './helpers/rule-fixtures.js';

/**
 * Rule tests are fixtures: test/rules/<rule-id>/*.yaml snapshots, Terraform plans (*.plan.json) whose resources of the rule's
 * kind are named for the outcome they must get (pass-*, fail-*, unknown-*, na-*), or
 * CloudFormation (or SAM) templates run through the loader, so a fixture covers what the loader
 * makes of a source too (see loadRuleFixture for how their resources are named). Each folder
 * runs only its own rule, with its default params unless the folder has a fixture-config.yaml
 * (`params: {...}`) for a rule that judges nothing until a param says what the policy is.
 */
const FIXTURES = 'test/rules';
const FIXTURE_CONFIG = 'fixture-config.yaml';
const EXPECTED = { pass: 'pass', fail: 'fail', unknown: 'unknown', na: 'notApplicable' } as const;
let rules: RuleDefinition[] = [];
beforeAll(async () => {
  rules = await loadRules();
});

const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** The params a fixture folder runs its rule with (see FIXTURE_CONFIG). */
function fixtureConfig(ruleId: string): { rules?: Record<string, { params: Record<string, unknown> }> } {
  const file = join(FIXTURES, ruleId, FIXTURE_CONFIG);
  if (!existsSync(file)) return {};
  const { params } = parseYaml(readFileSync(file, 'utf8')) as { params: Record<string, unknown> };
  return { rules: { [ruleId]: { params } } };
}

describe.each(folders)('%s', (ruleId) => {
  it('gives every fixture resource the outcome its id names', async () => {
    const def = rules.find((r) => r.id === ruleId);
    expect(def, `no rule ${ruleId} for fixture folder ${FIXTURES}/${ruleId}`).toBeDefined();
    const [rule] = compileRules([def!], fixtureConfig(ruleId), { profile: { name: 'test', rules: {} }, functions: FUNCTIONS });
    const files = readdirSync(join(FIXTURES, ruleId)).filter((f) => f !== FIXTURE_CONFIG && /\.ya?ml$|\.json$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const file = join(FIXTURES, ruleId, name);
      const { resources, prefixOf } = loadRuleFixture(file);
      const graph = await buildGraph(resources, FUNCTIONS);
      const { findings } = evaluate(graph, [rule!], { now: new Date('2026-01-01T00:00:00Z') });
      const targets = graph.resources.filter((r) => rule!.kinds.includes(r.kind));
      expect(targets.length).toBeGreaterThan(0);
      const actual: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const resource of targets) {
        const prefix = prefixOf(resource);
        expect(prefix, `${file}: resource id "${resource.id}" must start with pass-, fail-, unknown- or na-`).toBeDefined();
        expected[resource.id] = EXPECTED[prefix!];
        actual[resource.id] = rule!.check(resource, { graph, now: new Date('2026-01-01T00:00:00Z') }).status;
        // Findings agree with the outcome: fail and unknown give findings, the others none.
        const own = findings.filter((f) => f.resource.id === resource.id);
        const statuses = [...new Set(own.map((f) => f.status))];
        expect(statuses, `${file}: findings of ${resource.id}`).toEqual(
          actual[resource.id] === 'fail' ? ['fail'] : actual[resource.id] === 'unknown' ? ['unknown'] : [],
        );
        for (const f of own) {
          expect(f.message).not.toMatch(/\{\{/);
          if (f.status === 'unknown') expect(f.reason).toBeTruthy();
        }
      }
      expect(actual, file).toEqual(expected);
    }
  });
});

describe('Terraform plan fixtures', () => {
  it.each(folders)('%s has a terraform.plan.json with pass and fail cases of its rule', (ruleId) => {
    const def = rules.find((r) => r.id === ruleId)!;
    const [rule] = compileRules([def], fixtureConfig(ruleId), { functions: FUNCTIONS, profile: { name: 'test', rules: {} } });
    const { resources, prefixOf } = loadRuleFixture(join(FIXTURES, ruleId, 'terraform.plan.json'));
    const prefixes = new Set(resources.filter((r) => rule!.kinds.includes(r.kind)).map((r) => prefixOf(r)));
    expect(prefixes).toContain('pass');
    expect(prefixes).toContain('fail');
    expect(resources.every((r) => r.source.kind === 'terraform-plan')).toBe(true);
  });
});
