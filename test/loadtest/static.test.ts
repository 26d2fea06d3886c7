import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { k6CompatibilityProblems } from './syntax-check.js';

const root = join(import.meta.dirname, '..', '..');
const loadtests = join(root, 'loadtests');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

describe('k6 compatibility checker', () => {
  const bad: [string, string][] = [
    ['optional chaining', 'var a = b?.c;'],
    ['optional call', 'var a = b.c?.();'],
    ['optional element access', 'var a = b?.[0];'],
    ['nullish coalescing', 'var a = b ?? 1;'],
    ['nullish assignment', 'a ??= 1;'],
    ['logical assignment', 'a ||= 1;'],
    ['object spread', 'var a = { ...b };'],
    ['object rest', 'var { a, ...rest } = b;'],
    ['class field', 'class A { x = 1; }'],
    ['private name', 'class A { #x; m() { return this.#x; } }'],
    ['BigInt', 'var a = 10n;'],
    ['exponent', 'var a = 2 ** 3;'],
    ['exponent assignment', 'a **= 2;'],
    ['async generator', 'async function* g() { yield 1; }'],
    ['for await', 'async function f(xs) { for await (const x of xs) {} }'],
    ['optional catch binding', 'try { f(); } catch { g(); }'],
    ['regexp dotAll flag', 'var r = /a.b/s;'],
    ['regexp named group', 'var r = /(?<year>\\d{4})/;'],
    ['regexp lookbehind', 'var r = /(?<=a)b/;'],
    ['numeric separator', 'var a = 1_000;'],
    ['dynamic import', 'import("k6/http");'],
    ['import.meta', 'var u = import.meta.url;'],
    ['top-level await', 'await f();'],
    ['node import', "import fs from 'node:fs';"],
    ['npm import', "import x from 'lodash';"],
    ['remote import', "import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';"],
    ['re-export from npm', "export { a } from 'lodash';"],
    ['require', "var fs = require('fs');"],
  ];
  it.each(bad)('rejects %s', (_name, snippet) => {
    expect(k6CompatibilityProblems('bad.js', snippet).length).toBeGreaterThan(0);
  });

  it('accepts ES2017 with k6 and relative imports', () => {
    const good = [
      "import http from 'k6/http';",
      "import { Counter } from 'k6/metrics';",
      "import { a } from './lib/a.js';",
      "import { b } from '../b.js';",
      'export var x = [1].concat([2], [3]);',
      'async function f() { var r = await g(); return Object.assign({}, r, { a: 1 }); }',
      'var s = `t${x}`; var arr = [...[1, 2]]; var { a, b } = { a: 1, b: 2 };',
      'class A { constructor() { this.x = 1; } get y() { return 2; } }',
      'try { f(); } catch (e) { g(); }',
      "var r = /a(?:b)c/gi; var q = 'a ?? b ?. c';",
    ].join('\n');
    expect(k6CompatibilityProblems('good.js', good)).toEqual([]);
  });

  it('reports the line of the problem', () => {
    expect(k6CompatibilityProblems('x.js', 'var a = 1;\nvar b = a?.c;')).toEqual([
      { line: 2, message: 'optional chaining `?.` (ES2020)' },
    ]);
  });
});

describe('loadtests/', () => {
  const files = jsFiles(loadtests);

  it('has the three scripts and their helpers', () => {
    const names = files.map((f) => relative(loadtests, f)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'initiate-auth.js',
        'token-refresh.js',
        'token-endpoint.js',
        'lib/cognito-api.js',
        'lib/token-endpoint.js',
        'lib/partition.js',
        'lib/scenarios.js',
      ]),
    );
  });

  it.each(files.map((f) => [relative(loadtests, f), f]))('%s uses only k6 modules, relative imports and ES2017', (_name, file) => {
    expect(k6CompatibilityProblems(file, readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('type-checks against @types/k6', () => {
    // Throws (failing the test) with tsc's diagnostics on stdout when there is an error.
    execFileSync(process.execPath, [tsc, '-p', join(loadtests, 'tsconfig.json')], { encoding: 'utf8' });
  }, 60_000);

  it('ships declarations that match the JSDoc of the pure helpers', () => {
    const out = mkdtempSync(join(tmpdir(), 'cg-dts-'));
    try {
      execFileSync(process.execPath, [tsc, '-p', join(loadtests, 'tsconfig.declarations.json'), '--outDir', out], { encoding: 'utf8' });
      const generated = readdirSync(out).filter((f) => f.endsWith('.d.ts'));
      expect(generated.length).toBeGreaterThanOrEqual(6);
      for (const name of generated) {
        expect(readFileSync(join(loadtests, 'lib', name), 'utf8'), `loadtests/lib/${name} is stale; see loadtests/README.md`).toBe(
          readFileSync(join(out, name), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it.each(['initiate-auth.js', 'token-refresh.js', 'token-endpoint.js'])('%s exports options, a default function and handleSummary, and reads the shared thresholds', (name) => {
    const text = readFileSync(join(loadtests, name), 'utf8');
    const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const exported = new Set<string>();
    for (const st of source.statements) {
      const exportedNode = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exportedNode) continue;
      if (ts.isFunctionDeclaration(st)) exported.add(st.modifiers!.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : st.name!.text);
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) exported.add((d.name as ts.Identifier).text);
    }
    expect([...exported].sort()).toEqual(['default', 'handleSummary', 'options']);
    expect(text).toContain("open('./thresholds.json')");
    expect(text).toContain("new SharedArray('users'");
  });

  it('has a k6-operator TestRun that runs in parallel', () => {
    const doc = parseYaml(readFileSync(join(loadtests, 'k6-operator', 'testrun.yaml'), 'utf8'));
    expect(doc.apiVersion).toBe('k6.io/v1alpha1');
    expect(doc.kind).toBe('TestRun');
    expect(doc.spec.parallelism).toBeGreaterThan(1);
    const env = Object.fromEntries(doc.spec.runner.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ SCENARIO: 'load', USERS_FILE: '/users/users.json' });
    expect(Number(env.RATE)).toBeLessThanOrEqual(120);
    expect(existsSync(join(loadtests, doc.spec.script.volumeClaim.file))).toBe(true);
  });
});
