import { describe, expect, it } from 'vitest';
import { parsePositioned } from '../../src/util/yaml-document.js';
import { errorLine } from '../helpers/errors.js';

describe('duplicate keys in YAML', () => {
  it('a mapping of 30,000 keys parses in linear time', () => {
    const text = `Resources:\n${Array.from({ length: 30_000 }, (_, i) => `  "Key${i}": ${i}\n`).join('')}`;
    const started = performance.now();
    const doc = parsePositioned(text, 'big.yaml');
    // The yaml library's own uniqueKeys check took about 30 s here.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(Object.keys((doc.value as { Resources: object }).Resources)).toHaveLength(30_000);
  });

  it('a key repeated in a block, a flow mapping, or spelled once plain and once quoted', () => {
    expect(errorLine(() => parsePositioned('a: 1\nb: 2\na: 3\n', 'f.yaml'))).toBe('f.yaml:3:1: duplicate key "a" (first at line 1)');
    expect(errorLine(() => parsePositioned('x:\n  - {k: 1, k: 2}\n', 'f.yaml'))).toBe('f.yaml:2:12: duplicate key "k" (first at line 2)');
    expect(errorLine(() => parsePositioned('a: 1\n"a": 2\n', 'f.yaml'))).toBe('f.yaml:2:1: duplicate key "a" (first at line 1)');
    // 1 and "1" are one key once the document is a JS object: one value would be lost silently.
    expect(errorLine(() => parsePositioned('1: a\n"1": b\n', 'f.yaml'))).toBe('f.yaml:2:1: duplicate key "1" (first at line 1)');
  });
});
