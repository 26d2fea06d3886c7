/**
 * Inputs that are large rather than malformed: they must scan, and in time that grows
 * linearly with their size.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOUDFORMATION_TAGS } from '../../src/loaders/cloudformation/tags.js';
import { parsePositioned } from '../../src/util/yaml-document.js';
import { runCli, workspace } from './run-cli.js';

/** A template whose Metadata is one mapping of `keys` entries (about 30 bytes each). */
function singleMappingTemplate(keys: number): string {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Topic:', '    Type: AWS::SNS::Topic', 'Metadata:'];
  for (let i = 0; i < keys; i++) lines.push(`  Key${i}: value-number-${i}`);
  return lines.join('\n') + '\n';
}

describe('large inputs', () => {
  it('a JSON template with 150,000 user pool domains: scanned, not a call-stack overflow', () => {
    // push(...resources) failed from about 105,000-130,000 items, depending on the stack in use.
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 150_000; i++) resources[`D${i}`] = { Type: 'AWS::Cognito::UserPoolDomain' };
    const dir = workspace();
    writeFileSync(join(dir, 'huge.json'), JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }));
    const { code, stdout, stderr } = runCli(['scan', 'huge.json'], dir, 120_000);
    expect(stderr).toBe('');
    expect(stdout).toContain('150000 resources');
    expect(code).toBe(0);
  });

  it('a JSON template with a loop over an unknown collection around a loop of 150,000 resources: unknown, not a call-stack overflow', () => {
    // The templates of a nested loop were appended with push(...), like the resources above.
    const body: Record<string, unknown> = {};
    for (let i = 0; i < 150_000; i++) body[`Bucket${i}\${Y}`] = { Type: 'AWS::S3::Bucket' };
    body['Pool${Y}'] = { Type: 'AWS::Cognito::UserPool', Properties: { MfaConfiguration: 'ON' } };
    const template = {
      Transform: 'AWS::LanguageExtensions',
      Parameters: { Names: { Type: 'CommaDelimitedList' } },
      Resources: { 'Fn::ForEach::Outer': ['X', { Ref: 'Names' }, { 'Fn::ForEach::Inner': ['Y', ['a'], body] }] },
    };
    const dir = workspace({ 'nested.json': JSON.stringify(template) });
    const { code, stdout, stderr } = runCli(['scan', 'nested.json'], dir, 120_000);
    expect(stderr).toBe('');
    expect(stdout).toContain('mfaConfiguration is not known: Fn::ForEach::Outer cannot be expanded: parameter Names has no Default');
    expect(code).toBe(1);
  });

  it('a JSON template with a chain of 20,000 conditions: unknown, not a call-stack overflow', () => {
    const conditions: Record<string, unknown> = { C20000: { 'Fn::Equals': ['a', 'a'] } };
    for (let i = 0; i < 20_000; i++) conditions[`C${i}`] = { 'Fn::Not': [{ Condition: `C${i + 1}` }] };
    const pool = { Type: 'AWS::Cognito::UserPool', Properties: { MfaConfiguration: { 'Fn::If': ['C0', 'ON', 'OFF'] } } };
    const dir = workspace({ 'chain.json': JSON.stringify({ Conditions: conditions, Resources: { Pool: pool } }) });
    const { code, stdout, stderr } = runCli(['scan', 'chain.json'], dir);
    expect(stderr).toBe('');
    expect(stdout).toContain('mfaConfiguration is not known: condition C256 is more than 256 conditions deep');
    expect(code).toBe(1);
  });

  it('a config whose rules mapping has 30,000 invalid settings: exit 2 naming the first bad key, in seconds (not quadratic)', () => {
    // Validated with every error collected, this took 37 s (3,000 keys: 1.8 s).
    const lines = ['rules:'];
    for (let i = 0; i < 30_000; i++) lines.push(`  Key${i}: ${i}`);
    const dir = workspace({ '.cognito-guard.yml': `${lines.join('\n')}\n`, 't.yaml': 'Resources:\n  P:\n    Type: AWS::Cognito::UserPool\n' });
    const started = Date.now();
    const { code, stderr } = runCli(['scan', 't.yaml'], dir, 60_000);
    const seconds = (Date.now() - started) / 1000;
    expect(stderr).toBe('cognito-guard: .cognito-guard.yml:1:1: invalid config: /rules: key "Key0": must match pattern "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"\n');
    expect(code).toBe(2);
    expect(seconds).toBeLessThan(10);
  });

  it('a 1 MB YAML template that is one mapping of 33,000 keys: the whole CLI run takes under 3 s', () => {
    const text = singleMappingTemplate(33_000);
    expect(text.length).toBeGreaterThan(1_000_000);
    const dir = workspace({ 'big.yaml': text, 'tiny.yaml': singleMappingTemplate(1) });
    const time = (file: string): number => {
      const start = performance.now();
      expect(runCli(['scan', file], dir).code).toBe(0);
      return performance.now() - start;
    };
    // 3 s on an idle machine. Other work on a shared 2-core machine can slow every run several
    // times over, so the budget grows with what a tiny template takes then (about 0.6 s idle;
    // the 1 MB file takes about 1 s, and took 20 s with the quadratic key check).
    const budget = (tiny: number) => Math.max(3000, 4 * tiny);
    let big = Infinity;
    let tiny = Infinity;
    for (let attempt = 0; attempt < 3 && big >= budget(tiny); attempt++) {
      tiny = Math.min(tiny, time('tiny.yaml'));
      big = Math.min(big, time('big.yaml'));
    }
    expect(big).toBeLessThan(budget(tiny));
  });

  it('a single-mapping YAML template twice as large parses in about twice the time (linear, not quadratic)', () => {
    const parse = (text: string) => () => parsePositioned(text, 't.yaml', { customTags: CLOUDFORMATION_TAGS });
    const small = parse(singleMappingTemplate(20_000));
    const large = parse(singleMappingTemplate(40_000));
    small(); // warm up the JIT
    // Interleaved, and the fastest of five of each: a busy moment on a shared machine then slows
    // one run of each size, not one size only.
    let best = { small: Infinity, large: Infinity };
    const time = (run: () => unknown): number => {
      const start = performance.now();
      run();
      return performance.now() - start;
    };
    for (let i = 0; i < 5; i++) best = { small: Math.min(best.small, time(small)), large: Math.min(best.large, time(large)) };
    // Linear measures about 1.7; the quadratic key check this replaces measured 6.3.
    expect(best.large / best.small).toBeLessThan(3.5);
  });
});
