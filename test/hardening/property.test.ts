/**
 * Property-based hardening: templates (YAML and JSON), snapshots, config files and rule files of
 * hostile shapes (prototype keys, deep nesting, huge mappings, odd scalars, YAML tags, BOMs and
 * other encodings) must never crash the scanner, hang it, or hide an insecure resource.
 *
 * Invariants, checked in-process through `scan()` (fast) and on a sample through the built CLI:
 * - the outcome is exit 0, 1 or 2; exit 2 only as an InputError, printed as one line;
 * - no other exception (in the CLI: a stack trace, "TypeError", "RangeError" on stderr);
 * - JSON and SARIF reports parse;
 * - the time taken grows at most linearly with the input's size;
 * - adding an insecure resource (a user pool with MFA OFF) never turns exit 1 into exit 0, and
 *   with the default rules never leaves exit 0 at all.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCode } from '../../src/cli/exit-code.js';
import { reporters } from '../../src/reporters/index.js';
import { scan } from '../../src/scan.js';
import { InputError } from '../../src/util/input-error.js';
import { TOOL_VERSION } from '../../src/version.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const work = mkdtempSync(join(tmpdir(), 'cg-property-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Modest run counts: the whole file must finish within a minute on a shared machine.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 25);

// ---------------------------------------------------------------------------------------------
// A document tree that can be written as JSON or YAML, with what JS objects cannot hold:
// duplicate keys, raw scalar tokens (`.nan`, `1e400`, `0x1F`), and tags.

type Doc =
  | { t: 'map'; entries: Array<[string, Doc]> }
  | { t: 'seq'; items: Doc[] }
  /** A string, number, boolean or null, written the safe way for the format. */
  | { t: 'value'; value: string | number | boolean | null }
  /** A token written as is: a plain YAML scalar, or a JSON number such as 1e400. */
  | { t: 'raw'; yaml: string; json: string }
  | { t: 'tag'; tag: string; doc: Doc }
  /** `depth` levels of one-entry maps and/or one-item sequences around a string, written without recursion. */
  | { t: 'nest'; depth: number; kind: 'seq' | 'map' | 'mixed' };

/** Opening and closing brackets of a nest (`{"a": [{"a": [` … `]}]}`); keys quoted, so JSON and YAML alike. */
function nestText(d: { depth: number; kind: 'seq' | 'map' | 'mixed' }): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < d.depth; i++) {
    const isSeq = d.kind === 'seq' || (d.kind === 'mixed' && i % 2 === 1);
    open.push(isSeq ? '[' : '{"a": ');
    close.push(isSeq ? ']' : '}');
  }
  return `${open.join('')}"bottom"${close.reverse().join('')}`;
}

const map = (entries: Array<[string, Doc]>): Doc => ({ t: 'map', entries });
const seq = (items: Doc[]): Doc => ({ t: 'seq', items });
const val = (value: string | number | boolean | null): Doc => ({ t: 'value', value });

function toJson(d: Doc): string {
  switch (d.t) {
    case 'map':
      return `{${d.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
    case 'seq':
      return `[${d.items.map(toJson).join(',')}]`;
    case 'value':
      return JSON.stringify(d.value) ?? 'null';
    case 'raw':
      return d.json;
    case 'tag':
      // JSON has no tags: the short form's long form, as CloudFormation's JSON writes it.
      return toJson(d.doc);
    case 'nest':
      return nestText(d);
  }
}

/** Flow style: nested collections, tagged values. */
function toFlow(d: Doc): string {
  switch (d.t) {
    case 'map':
      return `{${d.entries.map(([k, v]) => `${JSON.stringify(k)}: ${toFlow(v)}`).join(', ')}}`;
    case 'seq':
      return `[${d.items.map(toFlow).join(', ')}]`;
    case 'value':
      return JSON.stringify(d.value) ?? 'null';
    case 'raw':
      return d.yaml;
    case 'tag':
      return `${d.tag} ${toFlow(d.doc)}`;
    case 'nest':
      return nestText(d);
  }
}

/** Block style for the top levels (so the YAML path is taken, not the JSON one), flow below. */
function toYaml(d: Doc, indent = 0, depth = 0): string {
  const pad = ' '.repeat(indent);
  const nested = (v: Doc): boolean => depth < 6 && ((v.t === 'map' && v.entries.length > 0) || (v.t === 'seq' && v.items.length > 0));
  if (d.t === 'map' && d.entries.length > 0 && depth < 6) {
    return d.entries
      .map(([k, v]) => (nested(v) ? `${pad}${JSON.stringify(k)}:\n${toYaml(v, indent + 2, depth + 1)}` : `${pad}${JSON.stringify(k)}: ${toFlow(v)}\n`))
      .join('');
  }
  if (d.t === 'seq' && d.items.length > 0 && depth < 6) {
    return d.items.map((v) => (nested(v) ? `${pad}-\n${toYaml(v, indent + 2, depth + 1)}` : `${pad}- ${toFlow(v)}\n`)).join('');
  }
  return `${pad}${toFlow(d)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Hostile pieces.

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const ODD_KEYS = ['', ' ', '\u0000', '\t', '\u202e', '\ufeff', 'ключ', '🔑', 'a.b', 'a/b', '~1', '[*]', '*', 'Fn::ForEach::Clients', 'Ref', 'Fn::GetAtt', '!Ref'];

const hostileKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

/** Plain YAML tokens that resolve to something other than a string, and JSON numbers JS cannot hold. */
const ODD_TOKENS: Array<{ yaml: string; json: string }> = [
  { yaml: '.nan', json: '"NaN"' },
  { yaml: '.inf', json: '1e400' },
  { yaml: '-.inf', json: '-1e400' },
  { yaml: '1e400', json: '1e400' },
  { yaml: '-0', json: '-0' },
  { yaml: '0x1F', json: '31' },
  { yaml: '0o17', json: '15' },
  { yaml: '123456789012345678901234567890', json: '123456789012345678901234567890' },
  { yaml: '9007199254740993', json: '9007199254740993' },
  { yaml: '~', json: 'null' },
  { yaml: 'null', json: 'null' },
  { yaml: 'yes', json: '"yes"' },
  { yaml: 'off', json: '"off"' },
  { yaml: 'OFF', json: '"OFF"' },
  { yaml: '2026-11-29', json: '"2026-11-29"' },
  { yaml: '2026-11-29T10:00:00Z', json: '"2026-11-29T10:00:00Z"' },
  { yaml: '""', json: '""' },
];

const oddScalar: fc.Arbitrary<Doc> = fc.oneof(
  fc.constantFrom(...ODD_TOKENS).map((r): Doc => ({ t: 'raw', ...r })),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', 'undefined', 'null', 'true', '1e309', '', ' ', '\u0000', '\u0007\u001b[31m', '\u2028', '\ud83d', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '${AWS::Region}', '{{resolve:secretsmanager:x}}').map(val),
  fc.double().map((n) => val(Number.isFinite(n) ? n : String(n))),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, -1, 0, 2 ** 31, 1e21).map(val),
  fc.boolean().map(val),
  fc.constant(val(null)),
  fc.string({ maxLength: 40 }).map(val),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map(val),
);

// CloudFormation's short tags, YAML's core tags and tags nobody knows.
const KNOWN_TAGS = ['!Ref', '!Sub', '!GetAtt', '!Join', '!Select', '!Split', '!If', '!Equals', '!Not', '!And', '!Or', '!FindInMap', '!Base64', '!Cidr', '!GetAZs', '!ImportValue', '!Condition', '!Transform'];
const YAML_TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!!timestamp', '!!set', '!!omap', '!!map', '!!seq'];
const UNKNOWN_TAGS = ['!Foo', '!ref', '!<tag:example.com,2000:x>', '!!python/object', '!GetAtt2', '!'];

const tagged = (inner: fc.Arbitrary<Doc>): fc.Arbitrary<Doc> =>
  fc.record({ tag: fc.constantFrom(...KNOWN_TAGS, ...YAML_TAGS, ...UNKNOWN_TAGS), doc: inner }).map(({ tag, doc }): Doc => ({ t: 'tag', tag, doc }));

/** Entries with distinct keys (duplicates get their own generator: they end a scan early). */
const entries = (key: fc.Arbitrary<string>, value: fc.Arbitrary<Doc>, maxLength: number) =>
  fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength });

/** Any value: odd scalars, tags, and small maps and sequences with hostile keys. */
const hostileValue: fc.Arbitrary<Doc> = fc.letrec<{ value: Doc }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddScalar,
    tagged(oddScalar),
    entries(hostileKey, tie('value'), 4).map(map),
    fc.array(tie('value'), { maxLength: 4 }).map(seq),
  ),
})).value;

/** Nesting to depths from harmless to far beyond any sane parse depth limit. */
const deepValue: fc.Arbitrary<Doc> = fc
  .record({ depth: fc.constantFrom(10, 100, 1_000, 5_000, 20_000), kind: fc.constantFrom<'seq' | 'map' | 'mixed'>('seq', 'map', 'mixed') })
  .map(({ depth, kind }): Doc => ({ t: 'nest', depth, kind }));

/** One mapping with many entries (and a duplicate key now and then). */
const hugeMapping: fc.Arbitrary<Doc> = fc.record({ size: fc.constantFrom(1_000, 10_000, 30_000), duplicate: fc.boolean() }).map(({ size, duplicate }) => {
  const entries: Array<[string, Doc]> = Array.from({ length: size }, (_, i) => [`Key${i}`, val(i)]);
  if (duplicate) entries.push(['Key0', val('again')]);
  return map(entries);
});

/** The same key twice in one mapping (YAML and JSON alike). */
const duplicateKeys: fc.Arbitrary<Doc> = fc.tuple(fc.constantFrom('MfaConfiguration', '__proto__', 'a', ''), oddScalar, oddScalar).map(([k, a, b]) => map([[k, a], [k, b]]));

const anyValue = fc.oneof(
  { weight: 8, arbitrary: hostileValue },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: hugeMapping },
  { weight: 1, arbitrary: duplicateKeys },
);

/** Mostly values a real template would hold (so that most scans get past parsing), some hostile. */
const URLS = ['https://app.example.com/cb', 'http://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://cb', 'javascript:alert(1)', 'http://u:p@h.example.com/', ''];
const plausibleValue: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Doc>(val('ON'), val('OFF'), val('OPTIONAL'), val(true), val(false), val('true'), val(60), val(3650), val('hours'), val('days'), val('NONE'), val('AWS_IAM')) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...URLS).map(val), { maxLength: 3 }).map(seq) },
  { weight: 2, arbitrary: fc.constantFrom('Pool', 'Client', 'Missing', 'AWS::Region').map((r): Doc => ({ t: 'tag', tag: '!Ref', doc: val(r) })) },
  { weight: 2, arbitrary: fc.constantFrom('Pool', 'Client', 'Missing').map((r) => map([['Ref', val(r)]])) },
  { weight: 3, arbitrary: anyValue },
);

// ---------------------------------------------------------------------------------------------
// Inputs.

const RESOURCE_TYPES = [
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::IdentityPool',
  'AWS::Cognito::IdentityPoolRoleAttachment',
  'AWS::Cognito::UserPoolIdentityProvider',
  'AWS::IAM::Role',
  'AWS::ApiGateway::Method',
  'AWS::ApiGatewayV2::Route',
  'AWS::Serverless::Api',
  'AWS::S3::Bucket',
  'Custom::Thing',
];
const PROPERTY_NAMES = [
  'MfaConfiguration',
  'AccessTokenValidity',
  'TokenValidityUnits',
  'CallbackURLs',
  'LogoutURLs',
  'GenerateSecret',
  'AllowedOAuthFlows',
  'AllowUnauthenticatedIdentities',
  'Roles',
  'AssumeRolePolicyDocument',
  'Policies',
  'AuthorizationType',
  'UserPoolId',
  'ProviderDetails',
];

const resourceDoc: fc.Arbitrary<Doc> = fc
  .record({
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...RESOURCE_TYPES).map(val) }, { weight: 1, arbitrary: anyValue }),
    props: entries(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROPERTY_NAMES) }, { weight: 1, arbitrary: hostileKey }), plausibleValue, 5),
    extra: entries(fc.constantFrom('Metadata', 'Condition', 'DependsOn', '__proto__', 'constructor'), hostileValue, 2),
  })
  .map(({ type, props, extra }) => map([['Type', type], ['Properties', map(props)], ...extra]));

/** A CloudFormation template: real resource types and property names holding hostile values. */
const templateDoc: fc.Arbitrary<Doc> = fc
  .record({
    resources: entries(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('Pool', 'Client', 'Role', 'Api') }, { weight: 1, arbitrary: hostileKey }), resourceDoc, 4),
    sections: entries(fc.constantFrom('Parameters', 'Conditions', 'Mappings', 'Transform', 'Outputs', '__proto__', 'constructor', 'Fn::ForEach::Pools'), hostileValue, 2),
    version: fc.boolean(),
  })
  .map(({ resources, sections, version }) =>
    map([...(version ? ([['AWSTemplateFormatVersion', val('2010-09-09')]] as Array<[string, Doc]>) : []), ...sections, ['Resources', map(resources)]]),
  );

const SNAPSHOT_KINDS = ['cognito.userPool', 'cognito.userPoolClient', 'cognito.identityPool', 'iam.role', 'apigateway.method', 'apigatewayv2.route', 'no.such.kind'];

/** A cognito-guard snapshot whose resources carry hostile properties, relations and unresolved maps. */
const snapshotDoc: fc.Arbitrary<Doc> = fc
  .array(
    fc.record({
      kind: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...SNAPSHOT_KINDS).map(val) }, { weight: 1, arbitrary: oddScalar }),
      id: fc.oneof(fc.constantFrom('a', 'b', '__proto__', 'constructor').map(val), oddScalar),
      properties: entries(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom('mfaConfiguration', 'callbackURLs', 'accessTokenValiditySeconds', 'allowUnauthenticatedIdentities') }, { weight: 1, arbitrary: hostileKey }),
        plausibleValue,
        4,
      ),
      extra: entries(fc.constantFrom('relations', 'unresolved', 'defaults', 'name', '__proto__'), hostileValue, 2),
    }),
    { maxLength: 4 },
  )
  .chain((resources) =>
    fc.constantFrom<Doc>(val(1), val(1), val(1), val('1'), { t: 'raw', yaml: '.nan', json: '"NaN"' }).map((version) =>
      map([
        ['version', version],
        ['resources', seq(resources.map((r) => map([['kind', r.kind], ['id', r.id], ['properties', map(r.properties)], ...r.extra])))],
      ]),
    ),
  );

/** A `.cognito-guard.yml`: real keys with hostile values, and hostile keys. */
const configDoc: fc.Arbitrary<Doc> = fc
  .uniqueArray(
    fc.oneof(
      fc.tuple(fc.constantFrom('profile', 'failOn', 'rules', 'params', 'ruleDirs', 'suppressions'), anyValue),
      fc.tuple(fc.constant('rules'), entries(fc.oneof(fc.constantFrom('cognito-user-pool-mfa-enabled', 'cognito-client-https-callbacks'), hostileKey), hostileValue, 3).map(map)),
      fc.tuple(fc.constant('params'), entries(fc.constantFrom('maxAccessTokenMinutes', 'allowLoopbackHttp', '__proto__', 'constructor'), oddScalar, 2).map(map)),
      fc.tuple(fc.constant('profile'), fc.constantFrom('recommended', 'strict', '__proto__', 'constructor', '../../etc/passwd').map(val)),
      fc.tuple(fc.constant('failOn'), fc.constantFrom('none', 'high', 'info', 'severe').map(val)),
      fc.tuple(hostileKey, hostileValue),
    ),
    { selector: ([k]) => k, maxLength: 4 },
  )
  .map(map);

/** A rule file: a valid rule with one part replaced by something hostile. */
const VALID_RULE: Array<[string, Doc]> = [
  ['id', val('custom-pool-name-set')],
  ['title', val('User pool has a name')],
  ['severity', val('low')],
  ['resource', val('cognito.userPool')],
  ['description', val('Test rule.')],
  ['assert', map([['path', val('userPoolName')], ['op', val('exists')]])],
];
const ruleDoc: fc.Arbitrary<Doc> = fc
  .record({ replace: fc.nat({ max: VALID_RULE.length }), key: fc.oneof(fc.constantFrom('assert', 'where', 'params', 'message', '__proto__', 'constructor'), hostileKey), value: anyValue })
  .map(({ replace, key, value }) => {
    const entries = VALID_RULE.map(([k, v]) => [k, v] as [string, Doc]);
    if (replace < entries.length) entries[replace] = [entries[replace]![0], value];
    else entries.push([key, value]);
    return map(entries);
  });

// How a document becomes bytes: YAML or JSON, with BOMs, other encodings, line endings, junk.
type Encoding = 'utf8' | 'bom' | 'utf16le-bom' | 'latin1' | 'crlf' | 'nul';
const encoding = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Encoding>('utf8') },
  { weight: 1, arbitrary: fc.constantFrom<Encoding>('bom', 'utf16le-bom', 'latin1', 'crlf', 'nul') },
);
const format = fc.constantFrom<'yaml' | 'json'>('yaml', 'json');

function bytes(d: Doc, fmt: 'yaml' | 'json', enc: Encoding): Buffer {
  const text = fmt === 'json' ? toJson(d) : toYaml(d);
  switch (enc) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'latin1':
      // Not valid UTF-8: é as one byte.
      return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from('# caf\u00e9\n', 'latin1')]);
    case 'crlf':
      return Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
    case 'nul':
      return Buffer.from(`${text}\u0000`, 'utf8');
  }
}

// ---------------------------------------------------------------------------------------------
// Running a case and the invariants.

let caseNo = 0;

interface Case {
  /** Relative file name -> bytes, written into a fresh directory. */
  files: Record<string, Buffer>;
  /** What to scan, relative to the directory. */
  inputs: string[];
  ruleDirs?: string[];
}

interface Outcome {
  code: 0 | 1 | 2;
  error?: string;
}

function writeCase(c: Case): string {
  const dir = join(work, `case-${++caseNo}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(c.files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}

const size = (c: Case): number => Object.values(c.files).reduce((n, b) => n + b.length, 0);

/** Linear in the input: a fixed allowance plus 1 ms per 2 KB (a slow, shared machine). */
const timeLimitMs = (bytes: number): number => 4_000 + bytes / 2_000;

/** Scans in-process and checks every invariant but the CLI's; returns the exit code. */
async function scanInProcess(c: Case): Promise<Outcome> {
  const dir = writeCase(c);
  const started = performance.now();
  let outcome: Outcome;
  try {
    const result = await scan({ inputs: c.inputs, cwd: dir, ruleDirs: c.ruleDirs ?? [], now: new Date('2026-11-29T00:00:00Z') });
    const ctx = { cwd: dir, color: false, sourceText: (f: string) => result.sources.get(f), toolVersion: TOOL_VERSION, includeSuppressed: false };
    expect(() => JSON.parse(reporters.json(result, ctx))).not.toThrow();
    expect(() => JSON.parse(reporters.sarif(result, ctx))).not.toThrow();
    reporters.text(result, ctx);
    reporters.markdown(result, ctx);
    outcome = { code: exitCode(result, result.config.failOn ?? 'low') };
  } catch (err) {
    // Anything but an InputError would reach the user as a stack trace.
    if (!(err instanceof InputError)) throw err;
    const line = String(err);
    expect(line).not.toMatch(/[\r\n]/);
    outcome = { code: 2, error: line };
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `took ${Math.round(elapsed)} ms for ${size(c)} bytes`).toBeLessThan(timeLimitMs(size(c)));
  expect([0, 1, 2]).toContain(outcome.code);
  return outcome;
}

/** Names for the added insecure resource: a plain one, and ones a JS object would mistake for its own. */
const insecureId = fc.constantFrom('ZzInsecurePool', 'ZzInsecurePool', '__proto__', 'constructor', 'toString', 'hasOwnProperty');

/** The same template with one more resource: a user pool with MFA off, named `id`. */
function withInsecurePool(d: Doc, id = 'ZzInsecurePool'): Doc {
  if (d.t !== 'map') return d;
  const pool: [string, Doc] = [id, map([['Type', val('AWS::Cognito::UserPool')], ['Properties', map([['MfaConfiguration', val('OFF')]])]])];
  return map(d.entries.map(([k, v]) => [k, k === 'Resources' && v.t === 'map' ? map([...v.entries, pool]) : v]));
}

function withInsecureSnapshotPool(d: Doc, id = 'zz-insecure-pool'): Doc {
  if (d.t !== 'map') return d;
  const pool = map([['kind', val('cognito.userPool')], ['id', val(id)], ['properties', map([['mfaConfiguration', val('OFF')]])]]);
  return map(d.entries.map(([k, v]) => [k, k === 'resources' && v.t === 'seq' ? seq([...v.items, pool]) : v]));
}

/** Exit 1 stays 1 (or becomes 2); with the default rules, nothing stays 0. */
function checkMetamorphic(before: Outcome, after: Outcome, defaultRules: boolean): void {
  if (before.code === 1) expect(after.code, after.error).not.toBe(0);
  if (defaultRules) expect(after.code, `an insecure pool was added and the scan still exits 0`).not.toBe(0);
}

/** A counterexample as fast-check prints it: short, and safe for values 20,000 levels deep. */
function summarize(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' ? `<${(v as { data: unknown[] }).data.length} bytes>` : v,
    );
    return text.length > 1_500 ? `${text.slice(0, 1_500)}… (${text.length} characters)` : text;
  } catch {
    return '<too deep to print>';
  }
}

/** `examples` run on every run, before the random ones. */
const property = (name: string, arb: fc.Arbitrary<unknown>, predicate: (v: never) => Promise<void>, runs = RUNS, examples: unknown[] = []) =>
  it(name, async () => {
    const printable = (v: unknown) => ({ v, [fc.toStringMethod]: () => summarize(v) });
    try {
      await fc.assert(
        fc.asyncProperty(arb.map(printable), ({ v }) => (predicate as (v: unknown) => Promise<void>)(v)),
        { numRuns: runs, endOnFailure: true, examples: examples.map((e) => [printable(e)]) },
      );
    } catch (err) {
      // A huge counterexample would bury the reason; the seed and path reproduce it in full.
      const message = (err as Error).message;
      throw new Error(message.length > 2_500 ? `${message.slice(0, 2_000)} … ${message.slice(-500)}` : message, { cause: (err as Error).cause });
    }
  });

describe('hostile inputs, in-process', () => {
  property('templates (YAML and JSON, any encoding): exit 0/1/2, no crash, reports parse, linear time; an insecure pool is never missed', fc.tuple(templateDoc, format, encoding, insecureId), async ([doc, fmt, enc, id]: [Doc, 'yaml' | 'json', Encoding, string]) => {
    const name = `template.${fmt}`;
    const before = await scanInProcess({ files: { [name]: bytes(doc, fmt, enc) }, inputs: [name] });
    const after = await scanInProcess({ files: { [name]: bytes(withInsecurePool(doc, id), fmt, enc) }, inputs: [name] });
    checkMetamorphic(before, after, true);
  });

  property('snapshots: exit 0/1/2, no crash, reports parse, linear time; an insecure pool is never missed', fc.tuple(snapshotDoc, format, encoding, insecureId), async ([doc, fmt, enc, id]: [Doc, 'yaml' | 'json', Encoding, string]) => {
    const name = `snapshot.${fmt}`;
    const before = await scanInProcess({ files: { [name]: bytes(doc, fmt, enc) }, inputs: [name] });
    const after = await scanInProcess({ files: { [name]: bytes(withInsecureSnapshotPool(doc, id), fmt, enc) }, inputs: [name] });
    checkMetamorphic(before, after, true);
  });

  property('config files next to a template: exit 0/1/2, no crash; an insecure pool never turns exit 1 into 0', fc.tuple(configDoc, templateDoc, encoding), async ([config, doc, enc]: [Doc, Doc, Encoding]) => {
    const cfg = bytes(config, 'yaml', enc);
    const before = await scanInProcess({ files: { '.cognito-guard.yml': cfg, 't.yaml': bytes(doc, 'yaml', 'utf8') }, inputs: ['t.yaml'] });
    const after = await scanInProcess({ files: { '.cognito-guard.yml': cfg, 't.yaml': bytes(withInsecurePool(doc), 'yaml', 'utf8') }, inputs: ['t.yaml'] });
    checkMetamorphic(before, after, false);
  });

  property(
    'nesting from 10 to 20,000 levels in a template, snapshot or config: exit 0/1/2, no crash; an insecure pool is never missed',
    fc.tuple(deepValue, format, fc.constantFrom('template', 'snapshot', 'config'), fc.constantFrom('UserPoolTags', 'Policies', 'LambdaConfig', 'Schema', 'NoSuchProperty')),
    async ([deep, fmt, where, property]: [Doc, 'yaml' | 'json', string, string]) => {
      const pool = (mfa: string) => map([['Type', val('AWS::Cognito::UserPool')], ['Properties', map([['MfaConfiguration', val(mfa)], [property, deep]])]]);
      if (where === 'config') {
        const files = { '.cognito-guard.yml': bytes(map([['params', map([['deep', deep]])]]), fmt, 'utf8'), 't.yaml': bytes(map([['Resources', map([['Pool', pool('OFF')]])]]), 'yaml', 'utf8') };
        expect((await scanInProcess({ files, inputs: ['t.yaml'] })).code).not.toBe(0);
        return;
      }
      const name = `${where}.${fmt}`;
      const doc =
        where === 'template'
          ? map([['Resources', map([['Pool', pool('ON')]])]])
          : map([['version', val(1)], ['resources', seq([map([['kind', val('cognito.userPool')], ['id', val('p')], ['properties', map([['mfaConfiguration', val('ON')], ['lambdaConfig', deep]])]])])]]);
      const before = await scanInProcess({ files: { [name]: bytes(doc, fmt, 'utf8') }, inputs: [name] });
      const after = await scanInProcess({ files: { [name]: bytes(where === 'template' ? withInsecurePool(doc) : withInsecureSnapshotPool(doc), fmt, 'utf8') }, inputs: [name] });
      checkMetamorphic(before, after, true);
    },
    RUNS,
    // Always tried: the deepest shapes in every format and place.
    [5_000, 20_000].flatMap((depth) =>
      ['json', 'yaml'].flatMap((fmt) => ['template', 'snapshot', 'config'].map((where) => [{ t: 'nest', depth, kind: 'mixed' }, fmt, where, 'LambdaConfig'])),
    ),
  );

  property('rule files (--rules DIR): exit 0/1/2, no crash; an insecure pool never turns exit 1 into 0', fc.tuple(ruleDoc, encoding), async ([rule, enc]: [Doc, Encoding]) => {
    const ruleFile = { 'rules/custom/custom-pool-name-set.yaml': bytes(rule, 'yaml', enc) };
    const template = map([['Resources', map([['Pool', map([['Type', val('AWS::Cognito::UserPool')], ['Properties', map([['MfaConfiguration', val('ON')]])]])]])]]);
    const before = await scanInProcess({ files: { ...ruleFile, 't.yaml': bytes(template, 'yaml', 'utf8') }, inputs: ['t.yaml'], ruleDirs: ['rules'] });
    const after = await scanInProcess({ files: { ...ruleFile, 't.yaml': bytes(withInsecurePool(template), 'yaml', 'utf8') }, inputs: ['t.yaml'], ruleDirs: ['rules'] });
    checkMetamorphic(before, after, false);
  });
});

describe('hostile inputs, through the built CLI (a sample)', () => {
  const input = fc.oneof(
    fc.tuple(templateDoc, format, encoding).map(([d, fmt, enc]) => ({ name: `t.${fmt}`, data: bytes(d, fmt, enc) })),
    fc.tuple(snapshotDoc, format, encoding).map(([d, fmt, enc]) => ({ name: `s.${fmt}`, data: bytes(d, fmt, enc) })),
  );
  property(
    'exit 0/1/2, no stack trace, JSON/SARIF stdout parses unless exit 2, and exit 2 is one prefixed line',
    fc.tuple(input, fc.constantFrom('json', 'sarif')),
    async ([{ name, data }, fmt]: [{ name: string; data: Buffer }, string]) => {
      const dir = writeCase({ files: { [name]: data }, inputs: [name] });
      const res = spawnSync(process.execPath, [bin, 'scan', name, '--format', fmt], { cwd: dir, encoding: 'utf8', timeout: Math.round(timeLimitMs(data.length)) + 5_000 });
      expect(res.error).toBeUndefined();
      expect([0, 1, 2]).toContain(res.status);
      expect(res.stderr).not.toMatch(/\n\s+at |TypeError|RangeError/);
      if (res.status === 2) expect(res.stderr).toMatch(/^cognito-guard: [^\n]+\n$/);
      else expect(() => JSON.parse(res.stdout)).not.toThrow();
    },
    Math.max(3, Math.round(RUNS / 4)),
  );
});
