import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { cleanResult, context, fullResult } from './fixtures.js';

describe('text reporter', () => {
  it('groups findings by severity and ends with a summary line', async () => {
    await expect(reporters.text(fullResult(), context())).toMatchFileSnapshot('./__snapshots__/full.txt');
    await expect(reporters.text(cleanResult(), context())).toMatchFileSnapshot('./__snapshots__/clean.txt');
  });

  it('marks unknowns with their reason and lists suppressed findings apart', () => {
    const lines = reporters.text(fullResult(), context()).split('\n');
    const unknown = lines.find((l) => l.includes('cognito-user-pool-mfa-required'))!;
    expect(unknown).toMatch(/^MEDIUM\s+cognito-user-pool-mfa-required\s+app\/template\.yaml:3:5\s+UserPool\s+UNKNOWN Could not evaluate: mfaConfiguration comes from parameter MfaMode/);
    const suppressedAt = lines.indexOf('Suppressed (1):');
    expect(suppressedAt).toBeGreaterThan(lines.indexOf(unknown));
    expect(lines[suppressedAt + 1]).toContain('Legacy app | accepted by security team (config, expires 2027-01-01)');
    expect(lines.filter((l) => l.includes('cognito-password-min-length'))).toHaveLength(1);
    expect(lines.at(-2)).toBe('4 findings (1 critical, 2 high, 1 info), 1 unknown, 1 suppressed; 4 resources, 6 rules; 1 warning');
  });

  it('prints no escape codes without color, and colors with it', () => {
    expect(reporters.text(fullResult(), context({ color: false }))).not.toContain('\u001b');
    const colored = reporters.text(fullResult(), context({ color: true }));
    expect(colored).toContain('\u001b[35m');
    // Stripping the color leaves exactly the plain report.
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(reporters.text(fullResult(), context({ color: false })));
  });

  it('neutralizes control and bidi characters from the inputs', () => {
    const result = fullResult();
    result.findings[0]!.resource.name = 'Evil\u001b[2JRole\u202e';
    result.findings[0]!.message = 'line one\nline two';
    const out = reporters.text(result, context());
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u202e');
    expect(out).toContain('Evil\\u{1b}[2JRole\\u{202e}');
    expect(out).toContain('line one line two');
  });

  it('groups by severity even when findings arrive unsorted', () => {
    const result = fullResult();
    result.findings.reverse();
    const labels = reporters.text(result, context()).split('\n').map((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.exec(l)?.[1]).filter(Boolean);
    expect(labels).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'INFO']);
  });

  it('counts load errors in the summary', () => {
    const result = cleanResult();
    result.diagnostics.push({ severity: 'error', code: 'parse-error', message: 'bad YAML', file: '/repo/x.yaml', line: 3, column: 2 });
    const out = reporters.text(result, context());
    expect(out).toContain('ERROR    x.yaml:3:2  parse-error  bad YAML');
    expect(out.trimEnd().split('\n').at(-1)).toBe('0 findings, 0 unknown, 0 suppressed; 4 resources, 6 rules; 1 load error');
  });
});
