import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { isResourceKind } from '../src/model/kinds.js';
import { validatorFor } from '../src/schemas.js';
import { renderRulesDoc } from '../src/rules/docs.js';
import { loadProfile, loadRuleFile, loadRules } from '../src/rules/load.js';
import type { RuleDefinition } from '../src/rules/types.js';
import { fixtureFiles, loadRuleFixture } from './helpers/rule-fixtures.js';

/** Meta-tests over every bundled rule (the catalogue), like Spectral's and cdk-nag's. */
const RULES_DIR = 'rules';
const DOCS = 'docs/rules.md';

function ruleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'profiles' ? [] : ruleFiles(join(dir, e.name))) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const files = ruleFiles(RULES_DIR).sort();
let rules: RuleDefinition[] = [];
beforeAll(async () => {
  rules = await loadRules();
});

describe('rule catalogue', () => {
  it('has rules', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s is schema-valid, named after its id and passes every load-time check', (file) => {
    const text = readFileSync(file, 'utf8');
    const validate = validatorFor('rule.schema.json');
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const rule = loadRuleFile(file, text);
    expect(basename(file, '.yaml')).toBe(rule.id);
    for (const kind of [rule.resource].flat()) expect(isResourceKind(kind)).toBe(true);
    // The service folder is the start of the id (cognito-*, apigateway-*, apigatewayv2-*).
    expect(rule.id.startsWith(basename(dirname(file)))).toBe(true);
    expect(rule.title).not.toMatch(/^Ensure/i);
    expect(rule.remediation?.text).toBeTruthy();
    expect(rule.references?.length).toBeGreaterThan(0);
    if (rule.remediation?.cloudformation) expect(typeof parse(rule.remediation.cloudformation, { logLevel: 'error' })).toBe('object');
  });

  it('rule ids are unique', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(files.map((f) => basename(f, '.yaml')))('%s has fixtures with at least one pass-*, one fail-* and one unknown-* resource', (id) => {
    const dir = join('test/rules', id);
    expect(existsSync(dir), `missing fixture folder ${dir}`).toBe(true);
    const rule = rules.find((r) => r.id === id)!;
    const kinds: string[] = [rule.resource].flat();
    const prefixes = fixtureFiles(dir).flatMap((f) => {
      const { resources, prefixOf } = loadRuleFixture(join(dir, f));
      return resources.filter((r) => kinds.includes(r.kind)).map(prefixOf);
    });
    expect(prefixes).toContain('pass');
    expect(prefixes).toContain('fail');
    expect(prefixes).toContain('unknown');
  });

  it('every fixture folder belongs to a rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    for (const dir of readdirSync('test/rules')) expect(ids.has(dir), `test/rules/${dir} has no rule`).toBe(true);
  });

  it('profiles load and name only existing rules', () => {
    const ids = new Set(rules.map((r) => r.id));
    const names = readdirSync(join(RULES_DIR, 'profiles')).map((f) => basename(f, '.yaml'));
    expect(names.sort()).toEqual(['aws-security-hub', 'recommended', 'strict']);
    for (const name of names) {
      const profile = loadProfile(name);
      for (const id of Object.keys(profile.rules)) expect(ids.has(id), `${name}: ${id}`).toBe(true);
    }
  });

  it(`${DOCS} is generated from the rules`, () => {
    const rendered = renderRulesDoc(rules);
    if (process.env.UPDATE_DOCS === '1') {
      mkdirSync(dirname(DOCS), { recursive: true });
      writeFileSync(DOCS, rendered);
    }
    const current = existsSync(DOCS) ? readFileSync(DOCS, 'utf8') : '';
    expect(current, `${DOCS} is out of date; regenerate with: UPDATE_DOCS=1 npx vitest run test/catalog.test.ts`).toBe(rendered);
    for (const r of rules) expect(current).toContain(`## ${r.id}`);
  });
});
