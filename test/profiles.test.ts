import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../src/functions/index.js';
import { loadCatalogue } from '../src/rules/catalogue.js';
import { compileRules } from '../src/rules/compile.js';
import { loadProfile, loadRuleFile, loadRules } from '../src/rules/load.js';
import type { RuleDefinition } from '../src/rules/types.js';
import { errorLine } from './helpers/errors.js';

const bundled = await loadRules();
const reviewRule = loadRuleFile(
  'rules/cognito-t-review.yaml',
  'id: cognito-t-review\ntitle: T\nseverity: info\ncategory: review\ndescription: D\nresource: cognito.userPool\nassert: { path: mfaConfiguration, op: exists }\n',
);
const inventoryRule = loadRuleFile(
  'rules/cognito-t-inventory.yaml',
  'id: cognito-t-inventory\ntitle: T\nseverity: info\ncategory: inventory\ndescription: D\nresource: cognito.userPool\nassert: { path: mfaConfiguration, op: exists }\n',
);
const enabledIds = (defs: RuleDefinition[], config: Parameters<typeof compileRules>[1] = {}) =>
  compileRules(defs, config, { functions: FUNCTIONS }).map((r) => r.id).sort();

describe('profiles', () => {
  it('recommended: every bundled rule without a category is on, review and inventory rules are off', () => {
    const defs = [...bundled, reviewRule, inventoryRule];
    expect(enabledIds(defs)).toEqual(bundled.filter((r) => !r.category).map((r) => r.id).sort());
  });

  it('strict: review and inventory rules are on', () => {
    expect(enabledIds([...bundled, reviewRule, inventoryRule], { profile: 'strict' })).toEqual([...bundled.map((r) => r.id), 'cognito-t-inventory', 'cognito-t-review'].sort());
  });

  it('a review rule the config turns on is on in recommended', () => {
    expect(enabledIds([reviewRule, inventoryRule], { rules: { 'cognito-t-review': 'on' } })).toEqual(['cognito-t-review']);
  });

  it('a review rule with a severity other than info is an error at its severity', () => {
    const text = 'id: cognito-t-bad\ntitle: T\nseverity: medium\ncategory: review\ndescription: D\nresource: cognito.userPool\nassert: { path: mfaConfiguration, op: exists }\n';
    expect(errorLine(() => loadRuleFile('rules/cognito-t-bad.yaml', text))).toBe(
      'rules/cognito-t-bad.yaml:3:1: rule cognito-t-bad: a review rule has severity info (not medium)',
    );
  });

  it('aws-security-hub lists every Security Hub control of the catalogue, each with the rules mapped to it', () => {
    const controls = [...new Set(loadCatalogue().rows.flatMap((r) => r.anchors.securityHub ?? []))].sort();
    const profile = loadProfile('aws-security-hub');
    expect(Object.keys(profile.controls ?? {}).sort()).toEqual(controls);
    for (const control of controls) {
      const mapped = bundled.filter((r) => [r.equivalents?.securityHub ?? []].flat().includes(control)).map((r) => r.id);
      expect([...(profile.controls?.[control] ?? [])].sort(), control).toEqual(mapped.sort());
    }
  });

  it('aws-security-hub turns on exactly the rules mapped to a control', () => {
    const mapped = bundled.filter((r) => r.equivalents?.securityHub !== undefined).map((r) => r.id);
    expect(mapped.length).toBeGreaterThan(0);
    expect(enabledIds(bundled, { profile: 'aws-security-hub' })).toEqual(mapped.sort());
  });

  it("aws-security-hub checks Cognito.3 with the Config rule's parameters (minimum length 8, temporary passwords 7 days)", () => {
    const compiled = compileRules(bundled, { profile: 'aws-security-hub' }, { functions: FUNCTIONS });
    const params = (id: string) => compiled.find((r) => r.id === id)!.params;
    expect(params('cognito-user-pool-password-min-length')).toEqual({ minPasswordLength: 8 });
    expect(params('cognito-user-pool-temp-password-validity')).toEqual({ maxTemporaryPasswordDays: 7 });
    // The recommended profile keeps its own, stricter length.
    expect(compileRules(bundled, {}, { functions: FUNCTIONS }).find((r) => r.id === 'cognito-user-pool-password-min-length')!.params).toEqual({ minPasswordLength: 12 });
  });
});
