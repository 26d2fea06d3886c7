import { Composer, LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq, type CST, type Document, type Node, type Tags } from 'yaml';
import type { Position } from '../model/resource.js';
import { InputError } from './input-error.js';
import { parseJsonPositioned } from './json-positions.js';
import { MAX_NESTING_DEPTH, TOO_DEEP, duplicateKeyMessage } from './limits.js';
import { joinPointer } from './pointer.js';
import { PROTO_KEY, protoKeyMessage } from './prototype-keys.js';

export { MAX_NESTING_DEPTH } from './limits.js';

/** Resolved aliases allowed per anchor (the yaml library's guard against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

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
 * item by JSON pointer. Syntax errors, duplicate keys, unknown tags, nesting deeper than
 * {@link MAX_NESTING_DEPTH} and alias bombs become an InputError naming the file, line and
 * column. A leading byte-order mark is ignored.
 */
export function parsePositioned(text: string, file: string, options: ParseOptions = {}): PositionedDocument {
  // Editors on Windows write a UTF-8 BOM; it is not part of the document in JSON or YAML.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // JSON goes through the fast path. A `.json` file that is not valid JSON is an error even
  // when it happens to be valid YAML (`{"a": }` is a YAML mapping to null): fail closed.
  const isJsonFile = /\.json$/i.test(file);
  if (isJsonFile || /^\s*[{[]/.test(text)) {
    const json = parseJsonPositioned(text);
    if (json.ok) {
      rejectProtoKeys(json.index, file);
      return { value: json.value, locate: (pointer) => json.index.get(pointer) };
    }
    if (isJsonFile) throw new InputError(json.syntax ? `syntax error: ${json.message}` : json.message, file, json.line, json.column);
  }
  const lineCounter = new LineCounter();
  const fail = (message: string, offset: number): never => {
    const pos = lineCounter.linePos(offset);
    throw new InputError(message, file, pos.line, pos.col);
  };
  // The concrete syntax tree is built without recursion; the composer that turns it into nodes
  // recurses (and runs out of memory near 3,000 levels), so the depth is checked in between.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  checkDepth(tokens, fail);
  // Duplicate keys are checked in the walk below: the library's `uniqueKeys` compares every
  // key with every other one (40,000 keys took 13 s).
  const composer = new Composer({ customTags: options.customTags, uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (doc) fail('syntax error: more than one document in the file (--- separates documents)', next.range[0]);
    doc = next;
  }
  const first = doc!.errors[0];
  if (first) {
    const message = first.message.split('\n')[0] ?? first.message;
    fail(`syntax error: ${message.replace(/ at line \d+, column \d+:?$/, '')}`, first.pos[0]);
  }
  // A tag the schema does not know (`!Bogus`, or `!Ref` outside a template) would otherwise be
  // dropped with a warning, its value read as a plain string.
  const unknownTag = doc!.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    const tag = /Unresolved tag: (\S+)/.exec(unknownTag.message)?.[1] ?? 'tag';
    const known = [...new Set((Array.isArray(options.customTags) ? options.customTags : []).map((t) => (typeof t === 'string' ? t : t.tag)))];
    fail(`unknown tag ${tag} (${known.length ? `known tags: ${known.join(' ')}` : 'this file takes no tags'})`, unknownTag.pos[0]);
  }
  const index = new Map<string, Position>();
  const at = (pointer: string, start: number, end: number): void => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(end);
    index.set(pointer, { pointer, line: s.line, column: s.col, endLine: e.line, endColumn: e.col });
  };
  let firstAlias: number | undefined;
  // Recursion is safe here: the syntax tree was at most MAX_NESTING_DEPTH deep, and a custom tag
  // adds at most one level (`!If [...]` becomes `{"Fn::If": [...]}`). The depth of the value is
  // checked again, so a template's value is as bounded as a JSON one.
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (isAlias(node)) {
      if (firstAlias === undefined && node.range) firstAlias = node.range[0];
      return;
    }
    if (!isMap(node) && !isSeq(node)) return;
    if (depth > MAX_NESTING_DEPTH) fail(TOO_DEEP, (node as Node).range?.[0] ?? 0);
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        // An alias as a key (`*name: ...`) stands for its anchor's value: that is the key toJS makes.
        const keyNode = isAlias(pair.key) ? pair.key.resolve(doc!) : pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const keyRange = (pair.key as Node | null)?.range;
        const valueRange = (pair.value as Node | null)?.range;
        const previous = seen.get(key);
        if (previous !== undefined) fail(duplicateKeyMessage(key, lineCounter.linePos(previous).line), keyRange?.[0] ?? 0);
        seen.set(key, keyRange?.[0] ?? 0);
        const child = joinPointer(pointer, key);
        if (keyRange) at(child, keyRange[0], valueRange ? valueRange[1] : keyRange[1]);
        if (isAlias(pair.key)) walk(pair.key, child, depth + 1);
        walk(pair.value, child, depth + 1);
      }
    } else {
      node.items.forEach((item, i) => {
        const child = joinPointer(pointer, i);
        const range = (item as Node | null)?.range;
        if (range) at(child, range[0], range[1]);
        walk(item, child, depth + 1);
      });
    }
  };
  const root = doc!.contents as Node | null;
  if (root?.range) at('', root.range[0], root.range[1]);
  walk(root, '', 1);
  rejectProtoKeys(index, file);
  let value: unknown;
  try {
    value = doc!.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The library throws (without a position) when aliases expand too often: the first alias
    // is where the expansion starts.
    fail(`cannot read document: ${(err as Error).message}`, firstAlias ?? 0);
  }
  return { value, locate: (pointer) => index.get(pointer) };
}

const PROTO_SUFFIX = `/${PROTO_KEY}`;

/** A `__proto__` key anywhere in the document is an InputError at its line (see prototype-keys.ts). */
function rejectProtoKeys(index: Map<string, Position>, file: string): void {
  for (const [pointer, pos] of index) {
    if (pointer.endsWith(PROTO_SUFFIX)) throw new InputError(protoKeyMessage(pointer), file, pos.line, pos.column);
  }
}

/** Refuses a syntax tree nested deeper than MAX_NESTING_DEPTH, without recursion. */
function checkDepth(tokens: CST.Token[], fail: (message: string, offset: number) => never): void {
  const stack: Array<[CST.Token | undefined, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') stack.push([token.value, depth]);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP, token.offset);
      for (const item of token.items) {
        if ('key' in item) stack.push([item.key ?? undefined, depth + 1]);
        stack.push([item.value, depth + 1]);
      }
    }
  }
}
