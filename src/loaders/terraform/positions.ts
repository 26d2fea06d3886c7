import type { Position } from '../../model/resource.js';
import { joinPointer } from '../../util/pointer.js';
import type { ParsedTfFile, TfComment } from './parsed-file.js';

/**
 * Where every block and argument of a `.tf` file is, by the path @cdktf/hcl2json's output uses
 * for it: block type, then each label as a key, then the index of the block among blocks of the
 * same type and labels in the same body (`['resource', 'aws_cognito_user_pool', 'pool', 0,
 * 'password_policy', 1, 'minimum_length']`; `['locals', 0, 'name']`), then the argument name,
 * then the keys of an object constructor written as the argument's value (`tags = { Team = "x" }`
 * gives `[..., 'tags', 'Team']`). The parser gives no positions, so a small scanner walks the
 * text: it knows HCL's strings (escapes, `${}` and `%{}` templates that contain expressions and
 * strings of their own), heredocs (`<<EOF`, `<<-EOF`, the closing marker alone on its line,
 * optionally indented), comments (`#`, `//`, `/* *\/`) and brackets, and that a newline ends an
 * argument only outside brackets. It is only run on text the parser accepted, so it does not
 * need to diagnose anything.
 */
export interface TfPositions {
  /** JSON pointer of a path (`/resource/aws_cognito_user_pool/pool/0`) → its position. Blocks have `endLine`/`endColumn` (the closing brace). */
  entries: Map<string, Position>;
  comments: TfComment[];
  /** Lines (1-based) that hold something besides comments and blank space. */
  codeLines: Set<number>;
}

/** The scanner's result for each parsed file (suppressions need the lines that hold code). */
export const POSITIONS = new WeakMap<ParsedTfFile, TfPositions>();

/** Scans `.tf` text for the positions of its blocks, arguments and comments. */
export function scanPositions(text: string): TfPositions {
  return new Scanner(text).run();
}

const IDENT = /[\p{L}\p{N}_-]/u;
const IDENT_START = /[\p{L}_]/u;

class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly out: TfPositions = { entries: new Map(), comments: [], codeLines: new Set() };

  constructor(private readonly text: string) {}

  run(): TfPositions {
    this.body('', true);
    return this.out;
  }

  private cur(): string {
    return this.text[this.i] ?? '';
  }

  private here(pointer: string): Position {
    return { pointer, line: this.line, column: this.i - this.lineStart + 1 };
  }

  /** Moves one character on, counting lines (`\r\n` and `\n`). */
  private step(): void {
    if (this.text[this.i] === '\n') {
      this.line++;
      this.lineStart = this.i + 1;
    }
    this.i++;
  }

  private code(): void {
    this.out.codeLines.add(this.line);
  }

  /**
   * Skips spaces and comments; newlines too when `newlines` is set. Returns false at a newline
   * it did not skip.
   */
  private skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.cur();
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.step();
      else if (c === '#' || (c === '/' && this.text[this.i + 1] === '/')) this.lineComment(c === '#' ? 1 : 2);
      else if (c === '/' && this.text[this.i + 1] === '*') this.blockComment();
      else return;
    }
  }

  private lineComment(markerLength: number): void {
    const line = this.line;
    const column = this.i - this.lineStart + 1;
    const start = this.i + markerLength;
    while (this.i < this.text.length && this.cur() !== '\n') this.step();
    this.out.comments.push({ line, column, text: this.text.slice(start, this.i).replace(/\r$/, '').trim() });
  }

  private blockComment(): void {
    const line = this.line;
    const column = this.i - this.lineStart + 1;
    const start = this.i + 2;
    const end = this.text.indexOf('*/', start);
    const stop = end < 0 ? this.text.length : end;
    while (this.i < stop) this.step();
    this.out.comments.push({ line, column, text: this.text.slice(start, stop).trim() });
    if (end >= 0) this.i += 2;
  }

  private identifier(): string {
    const start = this.i;
    while (this.i < this.text.length && IDENT.test(this.cur())) this.i++;
    return this.text.slice(start, this.i);
  }

  /** A quoted label or object key: its value with the common escapes undone. */
  private quoted(): string {
    const start = this.i;
    this.string();
    const raw = this.text.slice(start, this.i);
    try {
      return JSON.parse(raw) as string;
    } catch {
      // HCL escapes JSON lacks (`\U0001F600`): the text between the quotes.
      return raw.slice(1, -1);
    }
  }

  /**
   * A body: arguments and blocks until `}` (or the end of the text for a file). `pointer` is the
   * body's own path; block indexes count per type and labels within this body.
   */
  private body(pointer: string, top: boolean): void {
    const counts = new Map<string, number>();
    for (;;) {
      this.skipSpace(true);
      if (this.i >= this.text.length) return;
      if (this.cur() === '}' && !top) return;
      if (!IDENT_START.test(this.cur())) {
        // Not reached on text the parser accepted; move on rather than loop.
        this.step();
        continue;
      }
      const start = this.here('');
      this.code();
      const name = this.identifier();
      this.skipSpace(false);
      if (this.cur() === '=' || this.cur() === ':') {
        this.i++;
        const at = joinPointer(pointer, name);
        this.out.entries.set(at, { ...start, pointer: at });
        this.argumentValue(at);
        continue;
      }
      const labels: string[] = [];
      while (this.cur() === '"' || IDENT_START.test(this.cur())) {
        labels.push(this.cur() === '"' ? this.quoted() : this.identifier());
        this.skipSpace(false);
      }
      if (this.cur() !== '{') continue;
      const key = [name, ...labels].map((s) => JSON.stringify(s)).join(' ');
      const index = counts.get(key) ?? 0;
      counts.set(key, index + 1);
      const at = joinPointer(pointer, name, ...labels, index);
      const position: Position = { ...start, pointer: at };
      this.out.entries.set(at, position);
      this.i++;
      this.body(at, false);
      position.endLine = this.line;
      position.endColumn = this.i - this.lineStart + 1;
      if (this.cur() === '}') {
        this.code();
        this.i++;
      }
    }
  }

  /** An argument's expression, up to the newline that ends it; keys of an object constructor value are recorded. */
  private argumentValue(pointer: string): void {
    this.skipSpace(false);
    if (this.cur() === '{') this.object(pointer);
    else if (this.cur() === '[') this.tuple(pointer);
    this.expression(0, true);
  }

  /**
   * A tuple constructor `[a, { k = v }, [b]]`: records each item below `pointer` by its index, so
   * that a finding about one callback URL points at that URL. A `for` expression has no items.
   */
  private tuple(pointer: string): void {
    this.code();
    this.i++;
    for (let index = 0; ; ) {
      this.skipSpace(true);
      if (this.i >= this.text.length) return;
      const c = this.cur();
      if (c === ']') {
        this.code();
        this.i++;
        return;
      }
      if (c === ',') {
        this.i++;
        continue;
      }
      if (index === 0 && /^for\s/.test(this.text.slice(this.i, this.i + 4))) {
        this.expression(1, false);
        return;
      }
      this.code();
      const at = joinPointer(pointer, index);
      this.out.entries.set(at, { ...this.here(''), pointer: at });
      if (c === '{') this.object(at);
      else if (c === '[') this.tuple(at);
      this.expression(0, false, false, true);
      index++;
    }
  }

  /** An object constructor `{ key = value, "key" : value }`: records each key below `pointer`. */
  private object(pointer: string): void {
    this.code();
    this.i++;
    for (;;) {
      this.skipSpace(true);
      if (this.i >= this.text.length) return;
      if (this.cur() === '}') {
        this.code();
        this.i++;
        return;
      }
      if (this.cur() === ',') {
        this.i++;
        continue;
      }
      this.code();
      const start = this.here('');
      let key: string | undefined;
      if (this.cur() === '"') key = this.quoted();
      else if (IDENT_START.test(this.cur())) {
        key = this.identifier();
      } else {
        // `(expression) = value`: a key only known at evaluation.
        this.expression(0, false, true);
      }
      this.skipSpace(false);
      if (this.cur() !== '=' && this.cur() !== ':') {
        // An expression that began with an identifier (`{ for k, v in x : ... }`): skip the rest.
        this.expression(1, false);
        return;
      }
      this.i++;
      this.skipSpace(false);
      if (key !== undefined) {
        const at = joinPointer(pointer, key);
        this.out.entries.set(at, { ...start, pointer: at });
        if (this.cur() === '{') {
          this.object(at);
        }
      }
      this.expression(0, false, true);
    }
  }

  /**
   * Skips an expression. At depth 0 it ends at a newline when `toEol` (an argument), before
   * `,` / `}` / a newline when `inObject` (an object item's value), or before `,` / `]` when
   * `inTuple` (a tuple item). `depth` counts open brackets
   * the caller is already inside.
   */
  private expression(depth: number, toEol: boolean, inObject = false, inTuple = false): void {
    for (;;) {
      if (this.i >= this.text.length) return;
      const c = this.cur();
      if (depth === 0 && c === '\n' && (toEol || inObject)) return;
      if (depth === 0 && inObject && (c === ',' || c === '}')) return;
      if (depth === 0 && inTuple && (c === ',' || c === ']')) return;
      if (c === '"') {
        this.code();
        this.string();
      } else if (c === '<' && this.text[this.i + 1] === '<' && /^<<-?[A-Za-z_][\w-]*\r?\n/.test(this.text.slice(this.i, this.i + 200))) {
        this.code();
        this.heredoc();
      } else if (c === '#' || (c === '/' && (this.text[this.i + 1] === '/' || this.text[this.i + 1] === '*'))) {
        this.skipSpace(false);
      } else if (c === '(' || c === '[' || c === '{') {
        this.code();
        depth++;
        this.i++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        this.code();
        depth--;
        this.i++;
        if (depth === 0 && !toEol && !inObject) return;
      } else {
        if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') this.code();
        this.step();
      }
    }
  }

  /** A quoted template string: escapes, `${ ... }` and `%{ ... }` with expressions inside. */
  private string(): void {
    this.i++;
    for (;;) {
      if (this.i >= this.text.length) return;
      const c = this.cur();
      if (c === '\\') {
        this.i += 2;
      } else if (c === '"') {
        this.i++;
        return;
      } else if ((c === '$' || c === '%') && this.text[this.i + 1] === c && this.text[this.i + 2] === '{') {
        // `$${` and `%%{` are literal.
        this.i += 3;
      } else if ((c === '$' || c === '%') && this.text[this.i + 1] === '{') {
        this.i += 2;
        this.expression(1, false);
      } else {
        this.step();
      }
    }
  }

  /** A heredoc: from `<<EOF` / `<<-EOF` to the marker alone on a line; templates inside may span lines. */
  private heredoc(): void {
    const m = /^<<-?([A-Za-z_][\w-]*)/.exec(this.text.slice(this.i, this.i + 200))!;
    const marker = m[1]!;
    this.i += m[0].length;
    while (this.cur() !== '\n') this.step();
    this.step();
    let lineStart = true;
    for (;;) {
      if (this.i >= this.text.length) return;
      const lineEnd = this.text.indexOf('\n', this.i);
      const stop = lineEnd < 0 ? this.text.length : lineEnd + 1;
      if (lineStart && this.text.slice(this.i, stop).trim() === marker) {
        while (this.cur() !== '\n' && this.i < this.text.length) this.i++;
        return;
      }
      // The line's templates: an interpolation may contain `}` inside strings of its own, and
      // may run on to a later line.
      lineStart = true;
      while (this.i < stop) {
        const c = this.cur();
        if ((c === '$' || c === '%') && this.text[this.i + 1] === c && this.text[this.i + 2] === '{') this.i += 3;
        else if ((c === '$' || c === '%') && this.text[this.i + 1] === '{') {
          this.i += 2;
          this.expression(1, false);
          lineStart = false;
          break;
        } else this.step();
      }
    }
  }
}
