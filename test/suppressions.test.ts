import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../src/loaders/cloudformation/index.js';
import { scan } from '../src/scan.js';
import { errorLine } from './helpers/errors.js';

const FILE = 'test/fixtures/suppressions/template.yaml';
const now = new Date('2026-11-22T00:00:00Z');

describe('inline suppressions (CloudFormation Metadata)', () => {
  it('marks the finding with the justification, and keeps it in the results', async () => {
    const result = await scan({ inputs: [FILE], now });
    const gallery = result.findings.find((f) => f.resource.name === 'GalleryIdentities' && f.ruleId === 'cognito-identity-pool-guest-access-disabled');
    expect(gallery?.suppression).toEqual({ kind: 'inline', justification: 'The public gallery lets guests browse (SEC-142)', expires: '2099-12-31' });
    expect(result.stats.suppressed).toBeGreaterThanOrEqual(2);
  });

  it('an expired suppression no longer applies and is reported', async () => {
    const result = await scan({ inputs: [FILE], now });
    const legacy = result.findings.find((f) => f.resource.name === 'LegacyIdentities' && f.ruleId === 'cognito-identity-pool-guest-access-disabled');
    expect(legacy).toBeDefined();
    expect(legacy?.suppression).toBeUndefined();
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'suppression-expired', file: FILE, line: 16 }),
    );
  });

  it('warns about a suppression that names a rule that does not exist', async () => {
    const result = await scan({ inputs: [FILE], now });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'suppression-unknown-rule', message: expect.stringContaining('cognito-user-pool-mfa-enabeld') }),
    );
  });

  it('applies to resources generated from the template resource (OpenAPI methods)', async () => {
    const result = await scan({ inputs: [FILE], now });
    const health = result.findings.filter((f) => f.ruleId === 'apigateway-method-authorization');
    expect(health).toHaveLength(1);
    expect(health[0]?.suppression?.justification).toMatch(/OPS-7/);
  });

  it('rejects a suppression without a real reason, with its line', () => {
    const text = [
      'Resources:',
      '  Pool:',
      '    Type: AWS::Cognito::IdentityPool',
      '    Metadata:',
      '      cognito-guard:',
      '        suppressions:',
      '          - rule: cognito-identity-pool-guest-access-disabled',
      '            reason: ok',
      '    Properties: { AllowUnauthenticatedIdentities: true }',
      '',
    ].join('\n');
    expect(errorLine(() => loadCloudFormation('t.yaml', text))).toBe(
      't.yaml:8:13: Metadata.cognito-guard: reason is required and must say why (at least 10 characters)',
    );
    const typo = text.replace('reason: ok', 'reason: a good long reason\n            until: 2027-01-01');
    expect(errorLine(() => loadCloudFormation('t.yaml', typo))).toMatch(/^t\.yaml:9:13: .*unknown key "until"/);
  });
});
