import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/engine/graph.js';
import { FUNCTIONS } from '../../src/functions/index.js';
import { compareFindings, evaluate } from '../../src/engine/evaluate.js';
import { applySuppressions, expiredSuppressions } from '../../src/engine/suppress.js';
import { globMatch } from '../../src/util/glob.js';
import { loadSnapshot } from '../../src/loaders/snapshot.js';
import type { Finding } from '../../src/model/finding.js';
import { compileRules } from '../../src/rules/compile.js';
import { loadConfigFile } from '../../src/rules/config.js';
import { loadRuleFile, loadRules } from '../../src/rules/load.js';
import { applyOperator, compileRegex } from '../../src/rules/operators.js';
import type { Profile, RuleDefinition } from '../../src/rules/types.js';
import { errorLine } from '../helpers/errors.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const ALL_ON: Profile = { name: 'test', rules: {} };


const rule = (id: string, body: string): RuleDefinition =>
  loadRuleFile(`rules/${id}.yaml`, `id: ${id}\ntitle: T\nseverity: medium\ndescription: D\n${body}`);

async function run(defs: RuleDefinition[], snapshot: string, config = {}) {
  const { resources } = loadSnapshot('snap.yaml', snapshot);
  const graph = await buildGraph(resources, FUNCTIONS);
  return evaluate(graph, compileRules(defs, config, { profile: ALL_ON, functions: FUNCTIONS }), { now: NOW });
}

describe('operators', () => {
  it.each([
    ['eq', 'ON', 'ON', true],
    ['eq', 'on', 'ON', false],
    ['ieq', 'on', 'ON', true],
    ['ne', undefined, 'NONE', true],
    ['in', 'code', ['code', 'implicit'], true],
    ['notIn', 'literal', ['literal'], false],
    ['gt', 5, 3, true],
    ['gte', 3, 3, true],
    ['lt', 3, 3, false],
    ['lte', 3600, 3600, true],
    ['lte', undefined, 3600, false],
    ['lte', '3600', 3600, false],
    ['exists', 0, undefined, true],
    ['exists', undefined, undefined, false],
    ['absent', undefined, undefined, true],
    ['empty', [], undefined, true],
    ['empty', {}, undefined, true],
    ['notEmpty', ['x'], undefined, true],
    ['contains', ['implicit', 'code'], 'implicit', true],
    ['contains', 'abc', 'b', true],
    ['notContains', ['code'], 'implicit', true],
    ['subsetOf', ['SMS_MFA'], ['SMS_MFA'], true],
    ['subsetOf', ['SMS_MFA', 'EMAIL_OTP'], ['SMS_MFA'], false],
    ['subsetOf', undefined, ['SMS_MFA'], true],
    ['intersects', ['a', 'b'], ['b', 'c'], true],
    ['intersects', 'b', ['b'], true],
    ['contains', ['code', null], 'implicit', 'unknown'],
    ['contains', ['implicit', null], 'implicit', true],
    ['eq', ['a', null], ['a', 'b'], 'unknown'],
  ] as const)('%s(%j, %j) = %s', (op, actual, expected, result) => {
    expect(applyOperator(op, actual, expected)).toBe(result);
  });

  it('matches on RE2 and is linear on a pathological input', () => {
    const re = compileRegex('^(a+)+$');
    const start = Date.now();
    expect(re.test('a'.repeat(30000) + 'b')).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(applyOperator('matches', 'https://x', undefined, compileRegex('^https://'))).toBe(true);
    expect(applyOperator('notMatches', 'http://x', undefined, compileRegex('^https://'))).toBe(true);
  });
});

describe('three-valued logic', () => {
  const defs = [
    rule('t-all', 'resource: cognito.userPool\nassert:\n  all:\n    - { path: mfaConfiguration, op: eq, value: "ON" }\n    - { path: deletionProtection, op: eq, value: ACTIVE }\n'),
    rule('t-any', 'resource: cognito.userPool\nassert:\n  any:\n    - { path: mfaConfiguration, op: eq, value: "ON" }\n    - { path: deletionProtection, op: eq, value: ACTIVE }\n'),
    rule('t-not', 'resource: cognito.userPool\nassert:\n  not: { path: mfaConfiguration, op: eq, value: "OFF" }\n'),
    rule('t-where', 'resource: cognito.userPool\nwhere: { path: mfaConfiguration, op: ne, value: "OFF" }\nassert: { path: deletionProtection, op: eq, value: ACTIVE }\n'),
  ];
  const snapshot = `version: 1
resources:
  - { kind: cognito.userPool, id: mfa-unknown-dp-inactive, properties: { deletionProtection: INACTIVE }, unresolved: { mfaConfiguration: "no Default" } }
  - { kind: cognito.userPool, id: mfa-unknown-dp-active, properties: { deletionProtection: ACTIVE }, unresolved: { mfaConfiguration: "no Default" } }
  - { kind: cognito.userPool, id: mfa-off-dp-active, properties: { mfaConfiguration: "OFF", deletionProtection: ACTIVE } }
  - { kind: cognito.userPool, id: parent-unresolved, properties: { mfaConfiguration: "ON" }, unresolved: { "policies": "GetAtt" } }
`;
  it('all is false if any part is false, else unknown if any part is unknown; any is the dual; not flips', async () => {
    const { findings } = await run(defs, snapshot);
    const outcome = (ruleId: string, id: string) =>
      findings.find((f) => f.ruleId === ruleId && f.resource.id === id)?.status ?? 'none';
    expect(outcome('t-all', 'mfa-unknown-dp-inactive')).toBe('fail');
    expect(outcome('t-all', 'mfa-unknown-dp-active')).toBe('unknown');
    expect(outcome('t-any', 'mfa-unknown-dp-active')).toBe('none');
    expect(outcome('t-any', 'mfa-unknown-dp-inactive')).toBe('unknown');
    expect(outcome('t-not', 'mfa-unknown-dp-active')).toBe('unknown');
    expect(outcome('t-not', 'mfa-off-dp-active')).toBe('fail');
    // where unknown: evaluated as if applicable; an assert that fails becomes unknown.
    expect(outcome('t-where', 'mfa-unknown-dp-inactive')).toBe('unknown');
    expect(outcome('t-where', 'mfa-unknown-dp-active')).toBe('none');
    expect(outcome('t-where', 'mfa-off-dp-active')).toBe('none');
    const unknown = findings.find((f) => f.ruleId === 't-all' && f.status === 'unknown')!;
    expect(unknown.reason).toBe('mfaConfiguration is not known: no Default');
  });

  it('a path under an unresolved parent is unknown', async () => {
    const defs2 = [rule('t-parent', 'resource: cognito.userPool\nassert: { path: policies.passwordPolicy.minimumLength, op: gte, value: 12 }\n')];
    const { findings } = await run(defs2, snapshot);
    const f = findings.find((x) => x.resource.id === 'parent-unresolved')!;
    expect(f.status).toBe('unknown');
    expect(f.reason).toBe('policies is not known: GetAtt');
  });
});

describe('[*] paths', () => {
  const def = rule(
    't-https',
    'resource: cognito.userPoolClient\nassert: { path: "callbackURLs[*]", op: matches, value: "^https://" }\nmessage: "{{resource.name}}: {{detail}} is {{actual}}"\n',
  );
  const snapshot = `version: 1
resources:
  - kind: cognito.userPoolClient
    id: web
    properties:
      callbackURLs:
        - https://a.example.com/cb
        - http://b.example.com/cb
        - http://c.example.com/cb
  - kind: cognito.userPoolClient
    id: none
    properties: {}
  - kind: cognito.userPoolClient
    id: partial
    properties:
      callbackURLs: [https://a.example.com/cb, null]
    unresolved: { "callbackURLs[1]": "no Default" }
`;
  it('gives one finding per failing element, located at that element', async () => {
    const { findings, stats } = await run([def], snapshot);
    const web = findings.filter((f) => f.resource.id === 'web');
    expect(web.map((f) => [f.detail, f.location.line, f.message])).toEqual([
      ['callbackURLs[1]', 8, 'web: callbackURLs[1] is http://b.example.com/cb'],
      ['callbackURLs[2]', 9, 'web: callbackURLs[2] is http://c.example.com/cb'],
    ]);
    expect(new Set(web.map((f) => f.fingerprint)).size).toBe(2);
    expect(findings.find((f) => f.resource.id === 'none')).toBeUndefined();
    expect(findings.find((f) => f.resource.id === 'partial')).toMatchObject({ status: 'unknown', reason: 'callbackURLs[1] is not known: no Default' });
    expect(stats).toMatchObject({ resources: 3, evaluations: 3, passed: 1, failed: 1, unknown: 1, notApplicable: 0 });
  });
});

describe('config: profile, params and severity', () => {
  const snapshot = `version: 1
resources:
  - { kind: cognito.userPoolClient, id: c, properties: { accessTokenValiditySeconds: 3600, authSessionValidityMinutes: 5 } }
`;
  it('applies global and per-rule params and severity overrides', async () => {
    const defs = await loadRules();
    const token = defs.filter((d) => d.id === 'cognito-client-access-token-lifetime' || d.id === 'cognito-client-auth-session-lifetime');
    const base = await run(token, snapshot);
    expect(base.findings.map((f) => f.ruleId)).toEqual(['cognito-client-auth-session-lifetime']);
    const stricter = await run(token, snapshot, {
      params: { maxAccessTokenMinutes: 30 },
      rules: { 'cognito-client-auth-session-lifetime': { params: { maxAuthSessionMinutes: 5 }, severity: 'critical' } },
    });
    expect(stricter.findings.map((f) => [f.ruleId, f.severity])).toEqual([['cognito-client-access-token-lifetime', 'medium']]);
    expect(stricter.findings[0]!.message).toContain('1 hour (limit: 30 minutes)');
    const severity = await run(token, snapshot, { rules: { 'cognito-client-auth-session-lifetime': { severity: 'critical' } } });
    expect(severity.findings.map((f) => f.severity)).toEqual(['critical']);
    const off = await run(token, snapshot, { rules: { 'cognito-client-auth-session-lifetime': 'off' } });
    expect(off.findings).toEqual([]);
  });

  it('rejects unknown rules, unknown params and params of the wrong type', async () => {
    const defs = (await loadRules()).filter((d) => d.id === 'cognito-client-access-token-lifetime');
    expect(errorLine(() => compileRules(defs, { rules: { 'no-such-rule': 'off' } }, { profile: ALL_ON, functions: FUNCTIONS }))).toMatch(/unknown rule "no-such-rule"/);
    expect(errorLine(() => compileRules(defs, { rules: { 'cognito-client-access-token-lifetime': { params: { maxMinutes: 1 } } } }, { profile: ALL_ON, functions: FUNCTIONS }))).toMatch(
      /has no param "maxMinutes" \(it has: maxAccessTokenMinutes\)/,
    );
    expect(errorLine(() => compileRules(defs, { params: { maxAccessTokenMinutes: 'sixty' } }, { profile: ALL_ON, functions: FUNCTIONS }))).toMatch(
      /param "maxAccessTokenMinutes" must be an integer, got "sixty"/,
    );
  });

  it('the strict profile raises severities and turns off loopback http', async () => {
    const defs = await loadRules();
    const strict = compileRules(defs, { profile: 'strict' }, { functions: FUNCTIONS });
    const recommended = compileRules(defs, {}, { functions: FUNCTIONS });
    expect(strict.find((r) => r.id === 'apigateway-method-authorization')!.severity).toBe('critical');
    expect(recommended.find((r) => r.id === 'apigateway-method-authorization')!.severity).toBe('high');
    expect(strict.find((r) => r.id === 'cognito-client-https-callbacks')!.params.allowLoopbackHttp).toBe(false);
    // Review and inventory rules are off in recommended, on in strict; opt-in rules are off in both.
    expect(strict.length).toBe(recommended.length + defs.filter((d) => d.category === 'review' || d.category === 'inventory').length);
    expect(strict.map((r) => r.id)).not.toContain('apigateway-api-key-required');
    expect(errorLine(() => compileRules(defs, { profile: 'nope' }, { functions: FUNCTIONS }))).toMatch(/unknown profile "nope" \(expected one of: aws-security-hub, recommended, strict\)/);
  });
});

describe('suppressions', () => {
  const finding = (over: Partial<Finding>): Finding => ({
    ruleId: 'cognito-client-https-callbacks',
    status: 'fail',
    severity: 'high',
    message: 'm',
    resource: { kind: 'cognito.userPoolClient', id: 'arn:aws:cognito-idp:us-east-1:1:userpool/p/client/web', name: 'web' },
    location: { kind: 'snapshot', file: 'a.yaml', line: 3 },
    evidence: [],
    fingerprint: 'f',
    ...over,
  });
  it('marks (never removes) findings by exact id, glob or name, detail, and honours expiry at now', () => {
    const findings = [finding({ detail: 'callbackURLs[0]' }), finding({ detail: 'callbackURLs[1]' }), finding({ ruleId: 'other', resource: { kind: 'cognito.userPool', id: 'pool', name: 'pool' } })];
    const out = applySuppressions(
      findings,
      [
        { rule: 'cognito-client-https-callbacks', resource: 'web', appliesTo: ['callbackURLs[1]'], reason: 'localhost test client only' },
        { rule: 'oth*', resource: 'po?l', reason: 'expired long ago, must not apply', expires: '2026-06-14' },
      ],
      NOW,
    );
    expect(out).toHaveLength(3);
    expect(out.map((f) => f.suppression?.justification)).toEqual([undefined, 'localhost test client only', undefined]);
    expect(findings[1]!.suppression).toBeUndefined();
    // The expiry day itself still counts.
    const sameDay = applySuppressions(findings.slice(2), [{ rule: 'other', resource: 'pool', reason: 'valid through today', expires: '2026-06-15' }], NOW);
    expect(sameDay[0]!.suppression).toEqual({ kind: 'config', justification: 'valid through today', expires: '2026-06-15' });
    expect(expiredSuppressions([{ rule: 'a', resource: 'b', reason: 'expired yesterday', expires: '2026-06-14' }], NOW)).toHaveLength(1);
    // A resource pattern is a glob over the whole id, never a substring.
    expect(applySuppressions(findings.slice(0, 1), [{ rule: '*', resource: 'client/web', reason: 'substring must not match' }], NOW)[0]!.suppression).toBeUndefined();
    expect(applySuppressions(findings.slice(0, 1), [{ rule: '*', resource: '*/client/web', reason: 'glob matches the id' }], NOW)[0]!.suppression).toBeDefined();
  });

  it('globMatch', () => {
    expect(globMatch('a*c', 'abbbc')).toBe(true);
    expect(globMatch('a*c', 'abbbcd')).toBe(false);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
  });

  it('config file errors name the line', () => {
    const text = 'profile: recommended\nsuppressions:\n  - rule: x\n    resource: y\n    reason: short\n';
    expect(errorLine(() => loadConfigFile('.cognito-guard.yml', text))).toMatch(/^\.cognito-guard\.yml:5:5: invalid config: \/suppressions\/0\/reason: must NOT have fewer than 10 characters$/);
    expect(errorLine(() => loadConfigFile('c.yml', 'failOn: severe\n'))).toMatch(/^c\.yml:1:1: invalid config: \/failOn: "severe" must be one of: critical, high, medium, low, info, none$/);
    expect(errorLine(() => loadConfigFile('c.yml', 'profile: recommended\nrule:\n  x: off\n'))).toMatch(/^c\.yml:2:1: invalid config: unknown property "rule" at \/$/);
  });
});

describe('deterministic output', () => {
  it('sorts by severity, rule, file, line, resource and detail, whatever the input order', async () => {
    // Only rules that at most one of the pools fails: two findings of one rule are ordered by
    // line, which the two input orders swap.
    const mfaOnly = (id: string): boolean => !id.startsWith('cognito-user-pool-') || id.startsWith('cognito-user-pool-mfa-');
    const defs = (await loadRules()).filter((d) => mfaOnly(d.id));
    const snapshot = (order: number[]) => {
      const items = [
        '  - { kind: cognito.userPool, id: b, properties: { mfaConfiguration: "OFF" } }',
        '  - { kind: cognito.userPool, id: a, properties: { mfaConfiguration: OPTIONAL, enabledMfas: [SMS_MFA] } }',
        '  - { kind: cognito.userPoolClient, id: c, properties: { callbackURLs: ["http://x/1", "http://x/2"], accessTokenValiditySeconds: 7200 } }',
      ];
      return `version: 1\nresources:\n${order.map((i) => items[i]).join('\n')}\n`;
    };
    const one = (await run(defs, snapshot([0, 1, 2]))).findings;
    const two = (await run(defs, snapshot([2, 1, 0]))).findings;
    const key = (f: Finding) => `${f.severity} ${f.ruleId} ${f.resource.id} ${f.detail ?? ''}`;
    expect(one.map(key)).toEqual(two.map(key));
    expect([...one].sort(compareFindings)).toEqual(one);
    expect(one.map((f) => f.severity)).toEqual([...one.map((f) => f.severity)].sort((a, b) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(a) - ['critical', 'high', 'medium', 'low', 'info'].indexOf(b)));
    expect(one.map(key).slice(0, 4)).toEqual([
      'high cognito-client-https-callbacks c callbackURLs[0]',
      'high cognito-client-https-callbacks c callbackURLs[1]',
      'high cognito-client-write-attributes-least-privilege c ',
      'high cognito-user-pool-mfa-enabled b ',
    ]);
  });
});

describe('rule files: errors point at the offending key', () => {
  const head = 'id: r\ntitle: T\nseverity: high\nresource: cognito.userPool\ndescription: D\n';
  it('unknown operator', () => {
    const text = `${head}assert:\n  all:\n    - path: mfaConfiguration\n      op: equals\n      value: "ON"\n`;
    expect(errorLine(() => loadRuleFile('rules/x/r.yaml', text))).toBe(
      'rules/x/r.yaml:9:7: invalid rule: unknown operator "equals" (expected one of: eq, ne, ieq, in, notIn, gt, gte, lt, lte, exists, absent, empty, notEmpty, matches, notMatches, contains, notContains, subsetOf, intersects)',
    );
  });
  it('invalid regex', () => {
    const text = `${head}assert:\n  path: name\n  op: matches\n  value: "(unclosed"\n`;
    expect(errorLine(() => loadRuleFile('rules/r.yaml', text))).toMatch(/^rules\/r\.yaml:9:3: rule r: invalid regular expression \(RE2 syntax\): .*missing closing \)/);
    const lookahead = `${head}assert:\n  path: name\n  op: matches\n  value: "(?=x)"\n`;
    expect(errorLine(() => loadRuleFile('rules/r.yaml', lookahead))).toMatch(/^rules\/r\.yaml:9:3: .*invalid or unsupported Perl syntax/);
  });
  it('path not in the kind schema', () => {
    const text = `${head}assert:\n  path: policies.passwordPolicy.minLength\n  op: gte\n  value: 8\n`;
    expect(errorLine(() => loadRuleFile('rules/r.yaml', text))).toBe(
      'rules/r.yaml:7:3: rule r: path "policies.passwordPolicy.minLength" does not exist in cognito.userPool (no "policies.passwordPolicy.minLength" in schemas/resources/cognito.userPool.schema.json)',
    );
    const wildcard = `${head}assert: { path: "enabledMfas[*].name", op: exists }\n`;
    expect(errorLine(() => loadRuleFile('rules/r.yaml', wildcard))).toMatch(/rules\/r\.yaml:6:\d+: rule r: path "enabledMfas\[\*\]\.name" does not exist/);
  });
  it('undeclared param, unknown function, bad options, id mismatch, missing value, unknown key', () => {
    expect(errorLine(() => loadRuleFile('rules/r.yaml', `${head}assert: { path: mfaConfiguration, op: eq, value: { param: mode } }\n`))).toMatch(
      /rules\/r\.yaml:6:\d+: rule r: param "mode" is not declared in params/,
    );
    expect(errorLine(() => loadRuleFile('rules/r.yaml', `${head}assert: { fn: noSuchFn }\n`))).toMatch(/rules\/r\.yaml:6:\d+: rule r: unknown function "noSuchFn"/);
    const opts = 'id: r\ntitle: T\nseverity: high\nresource: cognito.userPoolClient\ndescription: D\nassert:\n  fn: redirectUrisHttps\n  options:\n    allowLoopback: true\n';
    expect(errorLine(() => loadRuleFile('rules/r.yaml', opts))).toMatch(/^rules\/r\.yaml:9:5: rule r: invalid options for redirectUrisHttps: \/ unknown property "allowLoopback"$/);
    const wrongKind = `${head}assert: { fn: redirectUrisHttps }\n`;
    expect(errorLine(() => loadRuleFile('rules/r.yaml', wrongKind))).toMatch(/function redirectUrisHttps does not apply to cognito.userPool/);
    expect(errorLine(() => loadRuleFile('rules/other.yaml', `${head}assert: { path: name, op: exists }\n`))).toMatch(/^rules\/other\.yaml:1:1: rule r: id must equal the file name "other"$/);
    expect(errorLine(() => loadRuleFile('rules/r.yaml', `${head}assert: { path: name, op: eq }\n`))).toMatch(/rule r: operator eq needs a value/);
    expect(errorLine(() => loadRuleFile('rules/r.yaml', `${head}assert: { path: name, op: exists }\nseverty: low\n`))).toBe('rules/r.yaml:7:1: invalid rule: unknown property "severty" at /');
    expect(errorLine(() => loadRuleFile('rules/r.yaml', `${head}assert: { paths: name }\n`))).toMatch(/rules\/r\.yaml:6:\d+: invalid rule: .*(a condition needs one of|unknown property "paths")/);
    expect(errorLine(() => loadRuleFile('rules/r.yaml', `${head}assert: { path: name, op: exists }\nmessage: "{{resource.nmae}}"\n`))).toMatch(/rules\/r\.yaml:7:1: rule r: unknown template name \{\{resource.nmae\}\}/);
  });
});
