import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Tags } from 'yaml';
import type { Position } from '../model/resource.js';
import { InputError } from './input-error.js';
import { parseJsonPositioned } from './json-positions.js';
import { joinPointer } from './pointer.js';

/** A parsed YAML or JSON document that can say where each value came from. */
export interface PositionedDocument {
  value: unknown;
  /** Position of the value at `pointer` (for a map entry: from its key to the end of its value). */
  locate(pointer: string): Position | undefined;
}

export interface ParseOptions {
  /** Extra tags, e.g. CloudFormation's `!Ref`. */
  customTags?: Tags;
}

/**
 * Parses YAML 1.2 (JSON is a subset) and records the position of every map entry and sequence
 * item by JSON pointer. Syntax errors become an InputError naming the file, line and column.
 */
export function parsePositioned(text: string, file: string, options: ParseOptions = {}): PositionedDocument {
  // JSON goes through the fast path. A `.json` file that is not valid JSON is an error even
  // when it happens to be valid YAML (`{"a": }` is a YAML mapping to null): fail closed.
  const isJsonFile = /\.json$/i.test(file);
  if (isJsonFile || /^\s*[{[]/.test(text)) {
    const json = parseJsonPositioned(text);
    if (json.ok) return { value: json.value, locate: (pointer) => json.index.get(pointer) };
    if (isJsonFile) throw new InputError(`syntax error: ${json.message}`, file, json.line, json.column);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    customTags: options.customTags,
    // The library's own unique-key check compares every key with every other (quadratic: 30,000
    // keys take half a minute); duplicates are found below with a set instead.
    uniqueKeys: false,
    prettyErrors: false,
  });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split('\n')[0] ?? first.message;
    throw new InputError(`syntax error: ${message.replace(/ at line \d+, column \d+:?$/, '')}`, file, pos.line, pos.col);
  }
  const index = new Map<string, Position>();
  const at = (pointer: string, start: number, end: number): void => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(end);
    index.set(pointer, { pointer, line: s.line, column: s.col, endLine: e.line, endColumn: e.col });
  };
  const walk = (node: unknown, pointer: string): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyRange = (pair.key as Node | null)?.range;
        if (seen.has(key)) {
          const pos = lineCounter.linePos(keyRange?.[0] ?? 0);
          throw new InputError('syntax error: Map keys must be unique', file, pos.line, pos.col);
        }
        seen.add(key);
        const child = joinPointer(pointer, key);
        const valueRange = (pair.value as Node | null)?.range;
        if (keyRange) at(child, keyRange[0], valueRange ? valueRange[1] : keyRange[1]);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = joinPointer(pointer, i);
        const range = (item as Node | null)?.range;
        if (range) at(child, range[0], range[1]);
        walk(item, child);
      });
    }
  };
  const root = doc.contents as Node | null;
  if (root?.range) at('', root.range[0], root.range[1]);
  walk(root, '');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new InputError(`cannot read document: ${(err as Error).message}`, file);
  }
  return { value, locate: (pointer) => index.get(pointer) };
}
