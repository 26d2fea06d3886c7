import { Symbolic, Unknown, isRecord } from '../values.js';

/**
 * The Serverless Framework's variables (`${self:custom.stage}`, `${opt:stage, 'dev'}`,
 * `${file(./config.yml):key}`), resolved the way `serverless package` resolves them where the
 * scanner is given the value, and otherwise left unknown, never guessed:
 *
 * - `self:` reads the service file (a fragment's `self:` too: it names the service file);
 * - `opt:` and `param:` read the values given with `--param NAME=VALUE`;
 * - `sls:stage` is `--param stage=...`, else `provider.stage`, else `dev` (the framework's default);
 * - `env:` is never read: the scanner must not depend on the CI's environment, so only its
 *   fallback (`${env:PORT, '3000'}`) is used;
 * - `file(...)` reads a YAML or JSON file beside the service;
 * - every other source (`ssm:`, `cf:`, `s3:`, `aws:`...) is read at deploy time: unknown.
 *
 * A variable that cannot be resolved makes the whole value Unknown, or, inside a longer string,
 * a Symbolic string keeping the variable as its placeholder (`http://localhost:${env:PORT}/cb`
 * can still be judged by its known start). Cycles give Unknown, never a stack overflow.
 */
export interface VariableSources {
  /** The service file as parsed (`self:`). */
  self: unknown;
  /** `--param` values: the `opt:` and `param:` sources. */
  options: Record<string, string | undefined>;
  /** The parsed content of `file(path)` (relative to the service directory), or why it cannot be read. */
  file(path: string): unknown;
}

/** A source name followed by `:` or `(` (`self:`, `file(`): CloudFormation's `${AWS::Region}` is not one. */
const VARIABLE_START = /^[a-z][a-zA-Z0-9]*[:(]/;
/** Nesting of `${...}` inside `${...}` deeper than this is not a configuration anyone writes. */
const MAX_DEPTH = 32;

type Piece = { text: string } | { variable: string; raw: string };

export class ServerlessVariables {
  private readonly resolving: string[] = [];
  /** Values of `self:` / `file()` addresses already resolved: a service refers to `custom.stage` from every resource. */
  private readonly memo = new Map<string, unknown>();

  constructor(private readonly sources: VariableSources) {}

  /** `value` with every variable inside it resolved (mappings and lists deeply; other values as they are). */
  resolve(value: unknown): unknown {
    if (typeof value === 'string') return this.resolveString(value);
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.resolve(v);
      return out;
    }
    return value;
  }

  private resolveString(s: string): unknown {
    if (!s.includes('${')) return s;
    const pieces = splitVariables(s);
    if (pieces.length === 1 && 'variable' in pieces[0]!) return this.expression(pieces[0].variable);
    let text = '';
    const refs: string[] = [];
    let partial = false;
    for (const piece of pieces) {
      if ('text' in piece) {
        text += piece.text;
        continue;
      }
      const v = this.expression(piece.variable);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') text += String(v);
      else if (v instanceof Symbolic) {
        text += v.text;
        refs.push(...v.refs);
        partial = true;
      } else if (v instanceof Unknown) {
        text += piece.raw;
        partial = true;
      } else {
        return new Unknown(`${piece.raw} inside a string resolves to ${v === null || v === undefined ? 'nothing' : 'a mapping or list'}`, piece.raw);
      }
    }
    return partial ? new Symbolic(text, refs) : text;
  }

  /** The value of the inside of one `${...}`: alternatives separated by commas, the first that has a value wins. */
  private expression(inner: string): unknown {
    if (this.resolving.length > MAX_DEPTH) return new Unknown('Serverless variables nest too deeply', `\${${inner}}`);
    let missing: Unknown | undefined;
    for (const alternative of splitTopLevel(inner, ',')) {
      const a = alternative.trim();
      const pieces = splitVariables(a);
      let v: unknown;
      if (pieces.length === 1 && 'variable' in pieces[0]!) {
        // `${opt:stage, ${self:provider.stage}}`: a whole variable as a fallback.
        v = this.expression(pieces[0].variable);
        if (v instanceof Unknown) v = new Missing(v.reason);
      } else {
        // Variables inside the address (`self:custom.${opt:stage}`) are resolved first.
        const address = this.resolveString(a);
        v =
          typeof address === 'string'
            ? this.alternative(address)
            : new Unknown(`\${${a}}: ${address instanceof Unknown ? address.reason : 'its address is only known at deploy time'}`, `\${${inner}}`);
      }
      if (v instanceof Missing) {
        missing ??= new Unknown(v.reason, `\${${inner}}`);
        continue;
      }
      return v;
    }
    return missing ?? new Unknown(`\${${inner}} has no value`, `\${${inner}}`);
  }

  private alternative(a: string): unknown {
    const quoted = /^(['"])(.*)\1$/s.exec(a);
    if (quoted) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(a)) return Number(a);
    if (a === 'true' || a === 'false') return a === 'true';
    const file = /^file\((.*?)\)(?::(.*))?$/s.exec(a);
    if (file) {
      const content = this.sources.file(file[1]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
      if (content instanceof Unknown) return content;
      return file[2] === undefined ? this.nested(`file(${file[1]})`, content) : this.lookup(`file(${file[1]})`, content, file[2]);
    }
    const m = /^([a-zA-Z][a-zA-Z0-9]*):(.*)$/s.exec(a);
    if (!m) return new Unknown(`\${${a}} is not a Serverless variable the scanner knows`, `\${${a}}`);
    const [, source, rest] = m as unknown as [string, string, string];
    switch (source) {
      case 'self':
        return this.lookup('self', this.sources.self, rest);
      case 'opt':
      case 'param': {
        const v = Object.hasOwn(this.sources.options, rest) ? this.sources.options[rest] : undefined;
        return v ?? new Missing(`\${${source}:${rest}} is given at deploy time: pass --param ${rest}=VALUE`);
      }
      case 'env':
        return new Missing(`\${env:${rest}} is read from the environment at deploy time; the scanner does not read it`);
      case 'sls':
        if (rest === 'stage') {
          const given = this.sources.options.stage;
          if (given !== undefined) return given;
          const provider = isRecord(this.sources.self) ? this.sources.self.provider : undefined;
          return isRecord(provider) && provider.stage !== undefined ? this.nested('self:provider.stage', provider.stage) : 'dev';
        }
        return new Unknown(`\${sls:${rest}} is only known at deploy time`, `\${sls:${rest}}`);
      default:
        return new Unknown(`\${${source}:...} is read at deploy time`, `\${${source}:${rest}}`);
    }
  }

  /** The value at a dotted address inside `root`, its own variables resolved. */
  private lookup(source: string, root: unknown, address: string): unknown {
    let node = root;
    const path = address.trim() === '' ? [] : address.trim().split('.');
    for (const key of path) {
      if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
      else if (isRecord(node) && Object.hasOwn(node, key)) node = node[key];
      else return new Missing(`\${${source}:${address}} names nothing in ${source === 'self' ? 'the service file' : source}`);
    }
    if (node === null || node === undefined) return new Missing(`\${${source}:${address}} is empty`);
    return this.nested(`${source}:${address}`, node);
  }

  private nested(key: string, value: unknown): unknown {
    if (this.memo.has(key)) return this.memo.get(key);
    if (this.resolving.includes(key)) return new Unknown(`\${${key}} refers to itself`, `\${${key}}`);
    this.resolving.push(key);
    try {
      const v = this.resolve(value);
      this.memo.set(key, v);
      return v;
    } finally {
      this.resolving.pop();
    }
  }
}

/** A variable with no value: the next alternative is tried. */
class Missing {
  constructor(readonly reason: string) {}
}

/** Text and `${...}` variables (nested braces matched); CloudFormation's `${Name}` stays text. */
export function splitVariables(s: string): Piece[] {
  const out: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const start = s.indexOf('${', i);
    if (start < 0) break;
    let depth = 0;
    let end = -1;
    for (let j = start; j < s.length; j++) {
      if (s[j] === '$' && s[j + 1] === '{') {
        depth++;
        j++;
      } else if (s[j] === '}' && --depth === 0) {
        end = j;
        break;
      }
    }
    const inner = end < 0 ? '' : s.slice(start + 2, end);
    if (end < 0 || !VARIABLE_START.test(inner)) {
      text += s.slice(i, start + 2);
      i = start + 2;
      continue;
    }
    text += s.slice(i, start);
    if (text) out.push({ text });
    text = '';
    out.push({ variable: inner, raw: s.slice(start, end + 1) });
    i = end + 1;
  }
  text += s.slice(i);
  if (text) out.push({ text });
  return out;
}

/** Splits on `sep` outside quotes, parentheses and nested `${...}`. */
function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
