import { computeRollingHashes } from '@microsoft/sarif';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { reporters } from '../../src/reporters/index.js';
import { validateSarif } from '../helpers/sarif.js';
import { cleanResult, context, fullResult, TEMPLATE } from './fixtures.js';

type Json = Record<string, any>;
const sarif = (result = fullResult(), ctx = context()): Json => JSON.parse(reporters.sarif(result, ctx)) as Json;
const resultFor = (log: Json, fingerprint: string): Json =>
  (log.runs[0].results as Json[]).find((r) => r.partialFingerprints['cognitoGuard/v1'] === fingerprint)!;
const fp = (n: number): string => `f${n}`.repeat(32);

describe('sarif reporter', () => {
  it('is valid SARIF that GitHub accepts, with and without findings', () => {
    const withErrors = fullResult();
    withErrors.diagnostics.push({ severity: 'error', code: 'parse-error', message: 'bad YAML', file: 'x.yaml', line: 3, column: 1 });
    for (const log of [
      sarif(),
      sarif(cleanResult()),
      sarif(fullResult(), context({ includeSuppressed: true })),
      sarif(withErrors),
      sarif(fullResult(), context({ sourceText: undefined })),
    ]) {
      expect(validateSarif(log)).toEqual([]);
    }
  });

  it('declares one run with every evaluated rule, and results: [] when clean', () => {
    const log = sarif(cleanResult());
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.results).toEqual([]);
    expect(run.tool.driver.name).toBe('cognito-guard');
    expect(run.tool.driver.semanticVersion).toBe('0.1.0');
    expect(run.tool.driver.rules.map((r: Json) => r.id)).toEqual(cleanResult().rules.map((r) => r.id));
    expect(run.automationDetails).toEqual({ id: 'cognito-guard/' });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.invocations[0]).toEqual({ executionSuccessful: true, toolExecutionNotifications: [] });
  });

  it('points ruleIndex at the result rule', () => {
    const log = sarif();
    const ids = log.runs[0].tool.driver.rules.map((r: Json) => r.id);
    const results = log.runs[0].results as Json[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(ids[r.ruleIndex]).toBe(r.ruleId);
  });

  it('declares a rule the engine did not list instead of dropping its finding', () => {
    const result = fullResult();
    result.rules = result.rules.filter((r) => r.id !== 'cognito-client-https-callbacks');
    const log = sarif(result);
    expect(validateSarif(log)).toEqual([]);
    const rules = log.runs[0].tool.driver.rules as Json[];
    expect(rules.at(-1)!.id).toBe('cognito-client-https-callbacks');
    expect(resultFor(log, fp(2)).ruleIndex).toBe(rules.length - 1);
  });

  it('maps severity to level and security-severity', () => {
    const log = sarif();
    const rules = Object.fromEntries((log.runs[0].tool.driver.rules as Json[]).map((r) => [r.id, r]));
    const expected: Record<string, [string, string | undefined]> = {
      'cognito-guest-role-read-only': ['error', '9.5'],
      'cognito-client-https-callbacks': ['error', '8.0'],
      'cognito-user-pool-mfa-required': ['warning', '5.5'],
      'cognito-password-min-length': ['note', '3.0'],
      'cognito-user-pool-deletion-protection': ['note', undefined],
    };
    for (const [id, [level, score]] of Object.entries(expected)) {
      expect(rules[id].defaultConfiguration.level).toBe(level);
      expect(rules[id].properties['security-severity']).toBe(score);
      expect(rules[id].properties.tags).toContain('security');
    }
    expect(resultFor(log, fp(1)).level).toBe('error');
    expect(resultFor(log, fp(4)).level).toBe('warning');
    expect(resultFor(log, fp(6)).level).toBe('note');
  });

  it('carries help text and markdown with remediation snippets and references', () => {
    const rule = sarif().runs[0].tool.driver.rules[0];
    expect(rule.shortDescription.text).toBe('Guest role cannot write');
    expect(rule.help.text).toContain('Remove write actions');
    expect(rule.help.markdown).toContain('```yaml\nPolicies:');
    expect(rule.help.markdown).toContain('```hcl\nresource "aws_iam_role_policy"');
    expect(rule.helpUri).toBe('https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html');
    expect(rule.properties.tags).toEqual(['security', 'iam', 'attack-path', 'cognito', 'external/cwe/cwe-284']);
  });

  it('puts the region on the finding lines with a repo-relative uri', () => {
    const log = sarif();
    const guest = resultFor(log, fp(1)).locations[0];
    expect(guest.physicalLocation).toEqual({
      artifactLocation: { uri: 'app/template.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 40, startColumn: 7, endLine: 44, endColumn: 1 },
    });
    expect(guest.logicalLocations).toEqual([{ kind: 'resource', name: 'GuestRole', fullyQualifiedName: 'app/template.yaml#GuestRole' }]);
    expect(resultFor(log, fp(2)).locations[0].physicalLocation.region).toEqual({ startLine: 12, startColumn: 11, endLine: 12, endColumn: 39 });
  });

  it('gives a live finding without a file a per-resource pseudo path and the ARN', () => {
    const live = resultFor(sarif(), fp(3));
    const arn = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc/client/1example';
    expect(live.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cloud/aws/123456789012/eu-west-1/cognito.userPoolClient/legacy%20client', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 1 },
    });
    expect(live.locations[0].logicalLocations[0].fullyQualifiedName).toBe(arn);
    expect(live.message.text).toContain(arn);
    expect(live.properties).toMatchObject({ resourceArn: arn, accountId: '123456789012', region: 'eu-west-1' });
    expect(live.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
  });

  it('defaults startLine to 1 and encodes awkward paths', () => {
    const result = fullResult();
    const f = result.findings[0]!;
    f.location = { kind: 'cloudformation', file: 'c:odd dir/t#1.yaml' };
    const log = sarif(result);
    expect(validateSarif(log)).toEqual([]);
    expect(resultFor(log, fp(1)).locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'c%3Aodd%20dir/t%231.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    f.location = { kind: 'cloudformation', file: '/elsewhere/t.yaml', line: 2 };
    const outside = sarif(result);
    expect(validateSarif(outside)).toEqual([]);
    expect(resultFor(outside, fp(1)).locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/t.yaml' });
  });

  it('computes primaryLocationLineHash as upload-sarif does, and our own fingerprint', () => {
    const hashes = computeRollingHashes(TEMPLATE);
    const log = sarif();
    expect(resultFor(log, fp(1)).partialFingerprints).toEqual({ primaryLocationLineHash: hashes.get(40), 'cognitoGuard/v1': fp(1) });
    expect(resultFor(log, fp(2)).partialFingerprints.primaryLocationLineHash).toBe(hashes.get(12));
    expect(hashes.get(40)).not.toBe(hashes.get(12));
    // Without the file contents GitHub's uploader computes the hash itself.
    const noSource = sarif(fullResult(), context({ sourceText: () => undefined }));
    expect(resultFor(noSource, fp(1)).partialFingerprints).toEqual({ 'cognitoGuard/v1': fp(1) });
  });

  it('is byte-for-byte stable and keeps fingerprints when a finding moves', () => {
    expect(reporters.sarif(fullResult(), context())).toBe(reporters.sarif(fullResult(), context()));
    const moved = fullResult();
    moved.findings[0]!.location.line = 41;
    moved.findings[0]!.message = 'Reworded.';
    expect(resultFor(sarif(moved), fp(1)).partialFingerprints['cognitoGuard/v1']).toBe(fp(1));
  });

  it('shows unknown as a result whose message says it could not be evaluated', () => {
    const unknown = resultFor(sarif(), fp(4));
    expect(unknown.message.text).toMatch(/^Could not evaluate: mfaConfiguration comes from parameter MfaMode, which has no default\./);
    expect(unknown.kind).toBeUndefined();
    expect(unknown.properties).toMatchObject({ status: 'unknown', resourceKind: 'cognito.userPool', resourceId: 'app/template.yaml#UserPool' });
  });

  it('leaves suppressed findings out unless asked, then marks them with the justification', () => {
    expect(resultFor(sarif(), fp(5))).toBeUndefined();
    const kept = resultFor(sarif(fullResult(), context({ includeSuppressed: true })), fp(5));
    expect(kept.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'Legacy app | accepted by security team', properties: { source: 'config', expires: '2027-01-01' } },
    ]);
  });

  it('reports diagnostics as tool execution notifications', () => {
    const result = fullResult();
    result.diagnostics.push({ severity: 'error', code: 'parse-error', message: 'bad YAML', file: '/repo/x.yaml', line: 3, column: 2 });
    const invocation = sarif(result).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications.at(-1)).toEqual({
      level: 'error',
      message: { text: 'bad YAML' },
      descriptor: { id: 'parse-error' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'x.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 2 } } }],
    });
    expect(invocation.toolExecutionNotifications[0].level).toBe('warning');
  });

  it('uses the given automation id and tool version', () => {
    const log = sarif(cleanResult(), context({ automationId: 'cognito-guard-live/aws/123', toolVersion: '1.2.3-beta.1' }));
    expect(log.runs[0].automationDetails.id).toBe('cognito-guard-live/aws/123');
    expect(log.runs[0].tool.driver).toMatchObject({ version: '1.2.3-beta.1', semanticVersion: '1.2.3-beta.1' });
    const odd = sarif(cleanResult(), context({ toolVersion: 'dev' })).runs[0].tool.driver;
    expect(odd.version).toBe('dev');
    expect(odd.semanticVersion).toBeUndefined();
  });

  it('stays valid for many findings in one file and in linear time', () => {
    const result = fullResult();
    const base = result.findings[1]!;
    result.findings = Array.from({ length: 5000 }, (_, i): Finding => ({
      ...base,
      location: { ...base.location, line: (i % 45) + 1 },
      fingerprint: i.toString(16).padStart(64, '0'),
    }));
    const started = performance.now();
    const log = sarif(result);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(log.runs[0].results).toHaveLength(5000);
    expect(validateSarif(log)).toEqual([]);
  });
});
