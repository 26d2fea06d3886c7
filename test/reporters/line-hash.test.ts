import { CORPUS_DIR } from '../helpers/shared.js';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { computeRollingHashes } from '@microsoft/sarif';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { reporters } from '../../src/reporters/index.js';
import { parsePositioned } from '../../src/util/yaml-document.js';
import { validateSarif } from '../helpers/sarif.js';
import { RULES } from './fixtures.js';

const CORPUS = pathToFileURL(`${CORPUS_DIR}/`);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', CORPUS), 'utf8')) as {
  files: { local_path: string; format: string }[];
};
const read = (path: string): string => readFileSync(new URL(path, CORPUS), 'utf8');

/**
 * An independent port of the hash upload-sarif computes when a result has no
 * primaryLocationLineHash (github/codeql-action src/fingerprints.ts `hash`): a rolling hash
 * over a 100-character window, whitespace skipped, CRLF folded, in 64-bit wrapping arithmetic.
 * If ours differed, every upload would warn about inconsistent fingerprints.
 */
function uploadSarifHashes(text: string): Map<number, string> {
  const BLOCK = 100;
  const MOD = 37n;
  const MASK = (1n << 64n) - 1n;
  let firstMod = 1n;
  for (let i = 0; i < BLOCK; i++) firstMod = (firstMod * MOD) & MASK;
  const window: number[] = Array(BLOCK).fill(0);
  const lineNumbers: number[] = Array(BLOCK).fill(-1);
  const counts = new Map<string, number>();
  const out = new Map<number, string>();
  let hash = 0n;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;
  const emit = (): void => {
    const h = hash.toString(16);
    counts.set(h, (counts.get(h) ?? 0) + 1);
    out.set(lineNumbers[index]!, `${h}:${counts.get(h)}`);
    lineNumbers[index] = -1;
  };
  const update = (c: number): void => {
    const begin = window[index]!;
    window[index] = c;
    hash = (MOD * hash + BigInt(c) - firstMod * BigInt(begin)) & MASK;
    index = (index + 1) % BLOCK;
  };
  const take = (code: number): void => {
    let c = code;
    if (c === 32 || c === 9 || (prevCR && c === 10)) {
      prevCR = false;
      return;
    }
    prevCR = c === 13;
    if (c === 13) c = 10;
    if (lineNumbers[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      lineNumbers[index] = ++lineNumber;
    }
    if (c === 10) lineStart = true;
    update(c);
  };
  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(65535);
  for (let i = 0; i < BLOCK; i++) {
    if (lineNumbers[index] !== -1) emit();
    update(0);
  }
  return out;
}

describe('primaryLocationLineHash', () => {
  it('matches what upload-sarif computes, on every line of the real corpus', () => {
    let lines = 0;
    for (const file of manifest.files) {
      const text = read(file.local_path);
      const expected = uploadSarifHashes(text);
      expect(Object.fromEntries(computeRollingHashes(text)), file.local_path).toEqual(Object.fromEntries(expected));
      lines += expected.size;
    }
    expect(lines).toBeGreaterThan(1000);
    const crlf = 'a: 1\r\n\tb: 2\r\n\r\na: 1\r\n';
    expect(computeRollingHashes(crlf)).toEqual(uploadSarifHashes(crlf));
  });

  it('is emitted for a finding on a real template at the line the loader positions', () => {
    const entry = manifest.files.find((f) => f.local_path.endsWith('cognito_identity_pool_allowunauthenticatedidentities_true.yaml'))!;
    const text = read(entry.local_path);
    const pointer = '/Resources/CognitoIdentityPool1/Properties/AllowUnauthenticatedIdentities';
    const position = parsePositioned(text, entry.local_path).locate(pointer)!;
    const cwd = decodeURIComponent(CORPUS.pathname);
    const file = `${cwd}${entry.local_path}`;
    const finding: Finding = {
      ruleId: 'cognito-guest-role-read-only',
      status: 'fail',
      severity: 'critical',
      message: 'Unauthenticated identities are allowed.',
      resource: { kind: 'cognito.identityPool', id: `${entry.local_path}#CognitoIdentityPool1`, name: 'CognitoIdentityPool1' },
      location: { kind: 'cloudformation', file, ...position },
      evidence: [],
      fingerprint: 'a'.repeat(64),
    };
    const result: ScanResult = {
      tool: { name: 'cognito-guard', version: '0.1.0' },
      rules: RULES,
      findings: [finding],
      diagnostics: [],
      stats: { resources: 2, evaluations: 2, passed: 1, failed: 1, unknown: 0, notApplicable: 0, suppressed: 0 },
      inputs: [{ file, format: 'cloudformation' }],
    };
    const log = JSON.parse(reporters.sarif(result, { cwd, color: false, sourceText: (f) => (f === file ? text : undefined) }));
    expect(validateSarif(log)).toEqual([]);
    const sarifResult = log.runs[0].results[0];
    expect(sarifResult.locations[0].physicalLocation.artifactLocation.uri).toBe(entry.local_path);
    expect(sarifResult.locations[0].physicalLocation.region.startLine).toBe(position.line);
    expect(text.split('\n')[position.line - 1]).toContain('AllowUnauthenticatedIdentities');
    expect(sarifResult.partialFingerprints.primaryLocationLineHash).toBe(uploadSarifHashes(text).get(position.line));
  });
});
