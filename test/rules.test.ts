import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../src/engine/graph.js';
import { FUNCTIONS } from '../src/functions/index.js';
import { evaluate } from '../src/engine/evaluate.js';
import { compileRules } from '../src/rules/compile.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleDefinition } from '../src/rules/types.js';
import { fixtureConfig, fixtureFiles, loadRuleFixture } from './helpers/rule-fixtures.js';

/**
 * Rule tests are fixtures: test/rules/<rule-id>/*.yaml snapshots, Terraform plans (*.plan.json) whose resources of the rule's
 * kind are named for the outcome they must get (pass-*, fail-*, unknown-*, na-*), or
 * CloudFormation (or SAM) templates run through the loader, so a fixture covers what the loader
 * makes of a source too (see loadRuleFixture for how their resources are named). Each folder
 * runs only its own rule, with its default params unless the folder has a FIXTURE_CONFIG.
 */
const FIXTURES = 'test/rules';
const EXPECTED = { pass: 'pass', fail: 'fail', unknown: 'unknown', na: 'notApplicable' } as const;
let rules: RuleDefinition[] = [];
beforeAll(async () => {
  rules = await loadRules();
});

const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe.each(folders)('%s', (ruleId) => {
  it('gives every fixture resource the outcome its id names', async () => {
    const def = rules.find((r) => r.id === ruleId);
    expect(def, `no rule ${ruleId} for fixture folder ${FIXTURES}/${ruleId}`).toBeDefined();
    const [rule] = compileRules([def!], fixtureConfig(join(FIXTURES, ruleId), ruleId), { profile: { name: 'test', rules: {} }, functions: FUNCTIONS });
    const files = fixtureFiles(join(FIXTURES, ruleId));
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
    const [rule] = compileRules([def], fixtureConfig(join(FIXTURES, ruleId), ruleId), { functions: FUNCTIONS, profile: { name: 'test', rules: {} } });
    const { resources, prefixOf } = loadRuleFixture(join(FIXTURES, ruleId, 'terraform.plan.json'));
    const prefixes = new Set(resources.filter((r) => rule!.kinds.includes(r.kind)).map((r) => prefixOf(r)));
    expect(prefixes).toContain('pass');
    expect(prefixes).toContain('fail');
    expect(resources.every((r) => r.source.kind === 'terraform-plan')).toBe(true);
  });
});
