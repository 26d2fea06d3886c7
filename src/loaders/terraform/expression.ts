/**
 * A small recursive-descent parser for HCL2 native expressions and string templates, as
 * @cdktf/hcl2json leaves them: every attribute that is not a plain literal is a template string
 * (`"pre-${var.x}"`, `"${var.a == 1 ? true : false}"`, `"%{ if c }x%{ endif }"`). Parsing is
 * done here rather than through hcl2json's `getExpressionAst` because that is one asynchronous
 * WebAssembly call per expression: far too slow for a 10,000-resource module.
 */

/** One accessor after an expression: `.name`, `[expr]`. */
export type Accessor = { t: 'attr'; name: string } | { t: 'index'; index: Node };

/** A parsed expression. */
export type Node =
  | { t: 'lit'; v: string | number | boolean | null }
  | { t: 'tpl'; parts: TemplatePart[] }
  | { t: 'ref'; name: string }
  | { t: 'attr'; obj: Node; name: string }
  | { t: 'index'; obj: Node; index: Node }
  | { t: 'splat'; obj: Node; rest: Accessor[] }
  | { t: 'call'; name: string; args: Node[]; expand: boolean }
  | { t: 'list'; items: Node[] }
  | { t: 'object'; entries: Array<[key: Node, value: Node]> }
  | { t: 'cond'; cond: Node; then: Node; else: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'unary'; op: '!' | '-'; operand: Node }
  | { t: 'for'; object: boolean; key?: string; value: string; coll: Node; keyExpr?: Node; valueExpr: Node; cond?: Node; group: boolean };

/** A piece of a template: literal text, an interpolation or a directive. */
export type TemplatePart =
  | string
  | { t: 'interp'; expr: Node }
  | { t: 'if'; cond: Node; then: TemplatePart[]; else: TemplatePart[] }
  | { t: 'for'; key?: string; value: string; coll: Node; body: TemplatePart[] };

/** A syntax error in an expression; the evaluator turns it into an Unknown with this reason. */
export class ExpressionSyntaxError extends Error {}

const BINARY_LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    // The expression's text is not quoted: it may hold a secret written in the configuration.
    throw new ExpressionSyntaxError(`${what} at character ${this.pos + 1} of an expression`);
  }

  /** Skips blanks, newlines and comments (all allowed inside an interpolation). */
  skip(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && this.src[this.pos + 1] === '/')) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && this.src[this.pos + 1] === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.src.length : end + 2;
      } else return;
    }
  }

  peek(token: string): boolean {
    this.skip();
    return this.src.startsWith(token, this.pos);
  }

  eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.pos += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}"`);
  }

  ident(): string | undefined {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads an identifier only if it is exactly `word` (not a prefix of a longer name). */
  keyword(word: string): boolean {
    const save = this.pos;
    if (this.ident() === word) return true;
    this.pos = save;
    return false;
  }

  expr(): Node {
    const cond = this.binary(0);
    if (!this.eat('?')) return cond;
    const then = this.expr();
    this.expect(':');
    return { t: 'cond', cond, then, else: this.expr() };
  }

  binary(level: number): Node {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skip();
      // Longest operators are listed first (`<=` before `<`); `=>` of a `for` object never matches.
      const op = BINARY_LEVELS[level]!.find((o) => this.src.startsWith(o, this.pos));
      if (!op) return left;
      this.pos += op.length;
      left = { t: 'binary', op, left, right: this.binary(level + 1) };
    }
  }

  unary(): Node {
    if (this.peek('!') && !this.peek('!=')) {
      this.pos++;
      return { t: 'unary', op: '!', operand: this.unary() };
    }
    if (this.peek('-')) {
      this.pos++;
      return { t: 'unary', op: '-', operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  postfix(node: Node): Node {
    for (;;) {
      if (this.peek('[*]') || this.peek('.*')) {
        this.pos += 3 - (this.src[this.pos] === '.' ? 1 : 0);
        return { t: 'splat', obj: node, rest: this.accessors() };
      }
      const acc = this.accessor();
      if (!acc) return node;
      node = acc.t === 'attr' ? { t: 'attr', obj: node, name: acc.name } : { t: 'index', obj: node, index: acc.index };
    }
  }

  accessor(): Accessor | undefined {
    this.skip();
    if (this.src[this.pos] === '.' && this.src[this.pos + 1] !== '.') {
      this.pos++;
      const num = /^\d+/.exec(this.src.slice(this.pos, this.pos + 32));
      if (num) {
        this.pos += num[0].length;
        return { t: 'index', index: { t: 'lit', v: Number(num[0]) } };
      }
      const name = this.ident();
      if (name === undefined) this.fail('expected an attribute name');
      return { t: 'attr', name };
    }
    if (this.src[this.pos] === '[' && !this.src.startsWith('[*]', this.pos)) {
      this.pos++;
      const index = this.expr();
      this.expect(']');
      return { t: 'index', index };
    }
    return undefined;
  }

  accessors(): Accessor[] {
    const out: Accessor[] = [];
    for (let acc = this.accessor(); acc; acc = this.accessor()) out.push(acc);
    return out;
  }

  primary(): Node {
    this.skip();
    const c = this.src[this.pos];
    if (c === undefined) this.fail('unexpected end of expression');
    if (c === '(') {
      this.pos++;
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (c === '"') {
      this.pos++;
      const parts = this.template('"');
      this.pos++;
      return templateNode(parts);
    }
    if (c === '<' && this.src.startsWith('<<', this.pos)) return this.heredoc();
    if (c === '[') return this.listOrFor();
    if (c === '{') return this.objectOrFor();
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos, this.pos + 64));
    if (num) {
      this.pos += num[0].length;
      return { t: 'lit', v: Number(num[0]) };
    }
    const name = this.ident();
    if (name === undefined) this.fail(`unexpected "${c}"`);
    if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
    if (name === 'null') return { t: 'lit', v: null };
    if (this.peek('::')) {
      // Provider-defined functions (`provider::aws::arn_parse`) are never known here.
      this.pos += 2;
      const rest = this.ident();
      this.eat('::');
      const fn = this.ident();
      return this.call(`${name}::${rest ?? ''}::${fn ?? ''}`);
    }
    if (this.peek('(')) return this.call(name);
    return { t: 'ref', name };
  }

  call(name: string): Node {
    this.expect('(');
    const args: Node[] = [];
    let expand = false;
    while (!this.eat(')')) {
      args.push(this.expr());
      if (this.eat('...')) expand = true;
      if (!this.eat(',') && !this.peek(')')) this.fail('expected "," or ")" in function call');
    }
    return { t: 'call', name, args, expand };
  }

  heredoc(): Node {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(this.src.slice(this.pos, this.pos + 200));
    if (!m) this.fail('bad heredoc');
    this.pos += m[0].length;
    const end = new RegExp(`^[ \\t]*${m[2]}[ \\t]*$`, 'm');
    const rest = this.src.slice(this.pos);
    const found = end.exec(rest);
    if (!found) this.fail(`heredoc ${m[2]} is not closed`);
    let body = rest.slice(0, found.index);
    this.pos += found.index + found[0].length;
    if (m[1] === '-') body = dedent(body);
    return templateNode(parseTemplate(body));
  }

  /** `for` head after `[` or `{`: `for k, v in coll :`. */
  forHead(): { key?: string; value: string; coll: Node } | undefined {
    const save = this.pos;
    if (!this.keyword('for')) return undefined;
    const first = this.ident();
    if (first === undefined) {
      this.pos = save;
      return undefined;
    }
    let key: string | undefined;
    let value = first;
    if (this.eat(',')) {
      key = first;
      value = this.ident() ?? this.fail('expected a name after ","');
    }
    if (!this.keyword('in')) this.fail('expected "in" in a for expression');
    const coll = this.expr();
    this.expect(':');
    return { ...(key !== undefined && { key }), value, coll };
  }

  listOrFor(): Node {
    this.pos++;
    const head = this.forHead();
    if (head) {
      const valueExpr = this.expr();
      const cond = this.keyword('if') ? this.expr() : undefined;
      this.expect(']');
      return { t: 'for', object: false, ...head, valueExpr, ...(cond && { cond }), group: false };
    }
    const items: Node[] = [];
    while (!this.eat(']')) {
      items.push(this.expr());
      if (!this.eat(',') && !this.peek(']')) this.fail('expected "," or "]" in a list');
    }
    return { t: 'list', items };
  }

  objectOrFor(): Node {
    this.pos++;
    const head = this.forHead();
    if (head) {
      const keyExpr = this.expr();
      this.expect('=>');
      const valueExpr = this.expr();
      const group = this.eat('...');
      const cond = this.keyword('if') ? this.expr() : undefined;
      this.expect('}');
      return { t: 'for', object: true, ...head, keyExpr, valueExpr, ...(cond && { cond }), group };
    }
    const entries: Array<[Node, Node]> = [];
    while (!this.eat('}')) {
      const save = this.pos;
      const name = this.ident();
      let key: Node;
      if (name !== undefined && (this.peek('=') || this.peek(':')) && !this.peek('==')) key = { t: 'lit', v: name };
      else {
        this.pos = save;
        key = this.expr();
      }
      if (!this.eat('=') && !this.eat(':')) this.fail('expected "=" in an object');
      entries.push([key, this.expr()]);
      this.eat(',');
    }
    return { t: 'object', entries };
  }

  /**
   * Template text up to `close` (`"` inside an expression, end of input at top level), with
   * `${...}` interpolations and `%{ if }`/`%{ for }` directives. Stops before `close` or before
   * a directive keyword that ends the current branch (`else`, `endif`, `endfor`).
   */
  template(close: '"' | '', stopAt: readonly string[] = []): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') parts.push(text);
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (close !== '' && c === close) break;
      if (close === '"' && c === '\\') {
        text += this.escape();
        continue;
      }
      if ((c === '$' || c === '%') && this.src[this.pos + 1] === c && this.src[this.pos + 2] === '{') {
        text += c + '{';
        this.pos += 3;
        continue;
      }
      if (c === '$' && this.src[this.pos + 1] === '{') {
        this.pos += 2;
        if (this.src[this.pos] === '~') {
          this.pos++;
          text = text.trimEnd();
        }
        flush();
        const expr = this.expr();
        this.skip();
        if (this.src[this.pos] === '~') {
          this.pos++;
          this.stripNext = true;
        }
        this.expect('}');
        parts.push({ t: 'interp', expr });
        continue;
      }
      if (c === '%' && this.src[this.pos + 1] === '{') {
        const save = this.pos;
        this.pos += 2;
        if (this.src[this.pos] === '~') text = text.trimEnd();
        this.eat('~');
        const word = this.ident();
        if (word !== undefined && stopAt.includes(word)) {
          this.pos = save;
          break;
        }
        flush();
        if (word === 'if') parts.push(this.ifDirective(close));
        else if (word === 'for') parts.push(this.forDirective(close));
        else this.fail(`unexpected template directive "${word ?? ''}"`);
        continue;
      }
      if (this.stripNext && /\s/.test(c)) {
        this.pos++;
        continue;
      }
      this.stripNext = false;
      text += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  directiveEnd(): void {
    if (this.eat('~')) this.stripNext = true;
    this.expect('}');
  }

  /** Set by `~}`: the template text that follows loses its leading whitespace. */
  stripNext = false;

  /** Reads `%{ word }` that the caller stopped at. */
  closing(word: string): void {
    this.pos += 2;
    this.eat('~');
    if (this.ident() !== word) this.fail(`expected %{ ${word} }`);
    this.directiveEnd();
  }

  ifDirective(close: '"' | ''): TemplatePart {
    const cond = this.expr();
    this.directiveEnd();
    const then = this.template(close, ['else', 'endif']);
    let otherwise: TemplatePart[] = [];
    const save = this.pos;
    this.pos += 2;
    this.eat('~');
    const word = this.ident();
    this.pos = save;
    if (word === 'else') {
      this.closing('else');
      otherwise = this.template(close, ['endif']);
    }
    this.closing('endif');
    return { t: 'if', cond, then, else: otherwise };
  }

  forDirective(close: '"' | ''): TemplatePart {
    let key: string | undefined;
    let value = this.ident() ?? this.fail('expected a name after %{ for');
    if (this.eat(',')) {
      key = value;
      value = this.ident() ?? this.fail('expected a name after ","');
    }
    if (!this.keyword('in')) this.fail('expected "in" in %{ for }');
    const coll = this.expr();
    this.directiveEnd();
    const body = this.template(close, ['endfor']);
    this.closing('endfor');
    return { t: 'for', ...(key !== undefined && { key }), value, coll, body };
  }

  escape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    switch (next) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = next === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + len);
        this.pos += len;
        const code = Number.parseInt(hex, 16);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      default:
        return next ?? '';
    }
  }
}

/**
 * A template that is one interpolation and nothing else (`"${var.x}"`) is that expression,
 * keeping its type: a list stays a list (HCL's template unwrapping).
 */
function templateNode(parts: TemplatePart[]): Node {
  if (parts.length === 0) return { t: 'lit', v: '' };
  const [only] = parts;
  if (parts.length === 1 && typeof only === 'string') return { t: 'lit', v: only };
  if (parts.length === 1 && typeof only === 'object' && only.t === 'interp') return only.expr;
  return { t: 'tpl', parts };
}

/** `<<-EOT` removes the indentation common to every non-blank line. */
function dedent(body: string): string {
  const lines = body.split('\n');
  let min = Infinity;
  for (const line of lines) if (line.trim() !== '') min = Math.min(min, /^[ \t]*/.exec(line)![0].length);
  return min === Infinity ? body : lines.map((l) => l.slice(Math.min(min, /^[ \t]*/.exec(l)![0].length))).join('\n');
}

/** Parses one standalone expression (`var.x == 1`). */
export function parseExpression(src: string): Node {
  const p = new Parser(src);
  const node = p.expr();
  p.skip();
  if (p.pos < src.length) p.fail('unexpected text after the expression');
  return node;
}

/** Parses a string as hcl2json gives it: template text with `${...}` and `%{...}`. */
export function parseTemplate(src: string): TemplatePart[] {
  return new Parser(src).template('');
}

/** The node for an hcl2json string value: template text, or the one expression it wraps. */
export function parseValueString(src: string): Node {
  if (!src.includes('${') && !src.includes('%{')) return { t: 'lit', v: src };
  return templateNode(parseTemplate(src));
}
