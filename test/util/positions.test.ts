import { CORPUS_DIR } from '../helpers/shared.js';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseJsonPositioned } from '../../src/util/json-positions.js';
import { joinPointer } from '../../src/util/pointer.js';
import { parsePositioned } from '../../src/util/yaml-document.js';

/** Start positions by pointer, computed by the YAML parser (the reference the fast path must match). */
function yamlStarts(text: string): Map<string, string> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const out = new Map<string, string>();
  const at = (p: string, offset: number) => {
    const { line, col } = lc.linePos(offset);
    out.set(p, `${line}:${col}`);
  };
  const walk = (node: unknown, pointer: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const child = joinPointer(pointer, String(pair.key.value));
        at(child, (pair.key as Node).range![0]);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = joinPointer(pointer, i);
        at(child, (item as Node).range![0]);
        walk(item, child);
      });
    }
  };
  walk(doc.contents, '');
  return out;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

describe('JSON positions fast path', () => {
  const files = jsonFiles(CORPUS_DIR).filter((f) => !f.endsWith('manifest.json'));

  it('agrees with the YAML parser on every JSON file of the corpus', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fast = parseJsonPositioned(text);
      expect(fast.ok, file).toBe(true);
      if (!fast.ok) continue;
      const reference = yamlStarts(text);
      expect(reference.size).toBeGreaterThan(0);
      for (const [pointer, where] of reference) {
        const p = fast.index.get(pointer);
        expect(p && `${p.line}:${p.column}`, `${file} ${pointer}`).toBe(where);
      }
      expect(fast.value).toEqual(JSON.parse(text));
    }
  });

  it('handles escapes, nesting, empty containers and CRLF', () => {
    const text = '{\r\n  "a\\"b": [1, {"c/d": "x\\\\"}, []],\r\n  "e": {}\r\n}';
    const fast = parseJsonPositioned(text);
    if (!fast.ok) throw new Error(fast.message);
    expect(fast.index.get('/a"b')).toMatchObject({ line: 2, column: 3 });
    expect(fast.index.get('/a"b/1/c~1d')).toMatchObject({ line: 2, column: 16 });
    expect(fast.index.get('/e')).toMatchObject({ line: 3, column: 3 });
  });

  it('is used by parsePositioned for JSON and falls back to YAML for the rest', () => {
    expect(parsePositioned('{"a": 1}', 'x.json').locate('/a')).toMatchObject({ line: 1, column: 2 });
    expect(parsePositioned('{a: 1} # flow mapping with a comment', 'x.yaml').locate('/a')).toMatchObject({ line: 1, column: 2 });
    expect(() => parsePositioned('{\n  "a": }', 'bad.json')).toThrow(/syntax error: unexpected "}", expected a value/);
    let line = '';
    try {
      parsePositioned('{\n  "a": 1,\n  "b" 2\n}', 'bad.json');
    } catch (e) {
      line = String(e);
    }
    expect(line).toBe('bad.json:3:7: syntax error: unexpected "2", expected ":"');
    expect(() => parsePositioned('[1, 2', 'bad.json')).toThrow(/unexpected end of input/);
    expect(() => parsePositioned('{"a": 1} x', 'bad.json')).toThrow(/expected end of input/);
  });
});
