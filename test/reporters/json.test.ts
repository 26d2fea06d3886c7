import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { cleanResult, context, fullResult } from './fixtures.js';

type Json = Record<string, any>;
const json = (result = fullResult()): Json => JSON.parse(reporters.json(result, context())) as Json;

describe('json reporter', () => {
  it('has the documented top-level shape, 2-space indent and a trailing newline', () => {
    const text = reporters.json(fullResult(), context());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "version": 1,');
    const out = JSON.parse(text) as Json;
    expect(Object.keys(out)).toEqual(['version', 'tool', 'summary', 'inputs', 'findings', 'diagnostics', 'rules', 'stats']);
    expect(out.tool).toEqual({ name: 'cognito-guard', version: '0.1.0' });
    expect(out.summary).toEqual({
      open: 5,
      failed: 4,
      unknown: 1,
      suppressed: 1,
      bySeverity: {
        critical: { failed: 1, unknown: 0, suppressed: 0 },
        high: { failed: 2, unknown: 0, suppressed: 0 },
        medium: { failed: 0, unknown: 1, suppressed: 0 },
        low: { failed: 0, unknown: 0, suppressed: 1 },
        info: { failed: 1, unknown: 0, suppressed: 0 },
      },
      diagnostics: { error: 0, warning: 1, info: 1 },
    });
    expect(out.rules[0]).toEqual({ id: 'cognito-guest-role-read-only', title: 'Guest role cannot write', severity: 'critical' });
    expect(out.stats).toEqual(fullResult().stats);
    expect(out.diagnostics[0]).toEqual({ severity: 'warning', code: 'skipped-file', message: 'not a CloudFormation template or snapshot', file: 'app/readme.yaml' });
  });

  it('writes each finding with a fixed key order and repo-relative file', () => {
    const [guest] = json().findings as Json[];
    expect(Object.keys(guest!)).toEqual([
      'ruleId', 'title', 'status', 'severity', 'suppressed', 'message', 'resource', 'location', 'evidence', 'fingerprint',
    ]);
    expect(guest!.location).toEqual({
      source: 'cloudformation',
      file: 'app/template.yaml',
      pointer: '/Resources/GuestRole/Properties/Policies',
      line: 40,
      column: 7,
      endLine: 44,
      endColumn: 1,
    });
  });

  it('keeps unknown and suppressed findings visible with status, reason and justification', () => {
    const findings = json().findings as Json[];
    const unknown = findings.find((f) => f.ruleId === 'cognito-user-pool-mfa-required')!;
    expect(unknown).toMatchObject({ status: 'unknown', suppressed: false, reason: 'mfaConfiguration comes from parameter MfaMode, which has no default' });
    const suppressed = findings.find((f) => f.ruleId === 'cognito-password-min-length')!;
    expect(suppressed).toMatchObject({
      status: 'fail',
      suppressed: true,
      suppression: { kind: 'config', justification: 'Legacy app | accepted by security team', expires: '2027-01-01' },
    });
  });

  it('is stable and empty-but-complete when clean', () => {
    expect(reporters.json(fullResult(), context())).toBe(reporters.json(fullResult(), context()));
    const clean = json(cleanResult());
    expect(clean.findings).toEqual([]);
    expect(clean.summary.open).toBe(0);
    expect(clean.rules).toHaveLength(6);
  });
});

describe('docs/json-output.md', () => {
  it('documents every key the reporter writes', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/json-output.md', import.meta.url), 'utf8');
    const result = fullResult();
    result.findings[0]!.detail = 'x';
    const out = JSON.parse(reporters.json(result, context())) as Json;
    const keys = new Set<string>();
    const walk = (value: unknown, depth: number): void => {
      if (depth > 3 || typeof value !== 'object' || value === null) return;
      for (const [k, v] of Object.entries(value)) {
        if (!/^\d+$/.test(k)) keys.add(k);
        walk(v, depth + 1);
      }
    };
    walk(out, 0);
    const missing = [...keys].filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`"${k}"`));
    expect(missing).toEqual([]);
  });
});
