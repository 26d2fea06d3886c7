import type { Position } from '../model/resource.js';
import { joinPointer } from './pointer.js';

export type JsonParse =
  | { ok: true; value: unknown; index: Map<string, Position> }
  | { ok: false; message: string; line: number; column: number };

class JsonSyntax extends Error {}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Parses JSON with positions an order of magnitude faster than the YAML parser (CDK and SAM
 * output is JSON and can be large): one linear pass over the text records where every member
 * and item starts and ends, and checks the syntax as it goes so that a broken file gets a line
 * and column (V8's JSON.parse messages do not always carry a position).
 */
export function parseJsonPositioned(text: string): JsonParse {
  const index = new Map<string, Position>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const pos = () => ({ line, column: i - lineStart + 1 });
  const fail = (what: string): never => {
    throw new JsonSyntax(i >= n ? `unexpected end of input, expected ${what}` : `unexpected ${JSON.stringify(text[i])}, expected ${what}`);
  };
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line++;
        i++;
        lineStart = i;
      } else if (c === 32 || c === 9 || c === 13) i++;
      else break;
    }
  };
  const expect = (ch: string, what: string): void => {
    skipWs();
    if (text[i] !== ch) fail(what);
    i++;
  };
  const readString = (): string => {
    if (text[i] !== '"') fail('a string');
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) break;
      else if (c < 32) fail('a closing quote');
      else i++;
    }
    if (i >= n) fail('a closing quote');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const record = (pointer: string, start: { line: number; column: number }): void => {
    const end = pos();
    index.set(pointer, { pointer, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
  };
  const walk = (pointer: string): void => {
    skipWs();
    const c = text[i];
    if (c === '{') {
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWs();
        const start = pos();
        const key = readString();
        expect(':', '":"');
        const child = joinPointer(pointer, key);
        walk(child);
        record(child, start);
        skipWs();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail('"," or "}"');
      }
    } else if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        skipWs();
        const start = pos();
        const child = joinPointer(pointer, k);
        walk(child);
        record(child, start);
        skipWs();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail('"," or "]"');
      }
    } else if (c === '"') {
      readString();
    } else {
      LITERAL.lastIndex = i;
      if (!LITERAL.test(text)) fail('a value');
      i = LITERAL.lastIndex;
    }
  };
  try {
    skipWs();
    const start = pos();
    walk('');
    record('', start);
    skipWs();
    if (i < n) fail('end of input');
    return { ok: true, value: JSON.parse(text), index };
  } catch (err) {
    const where = pos();
    return { ok: false, message: (err as Error).message, ...where };
  }
}
