/**
 * The Terraform expression evaluator: each construct on a small module, then the corpus
 * modules that only show their settings once module inputs are evaluated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TerraformBlock } from '../../src/loaders/terraform/block.js';
import { evaluateModule } from '../../src/loaders/terraform/evaluate.js';
import type { ParsedTfFile } from '../../src/loaders/terraform/parsed-file.js';
import { Symbolic, Unknown, type Evaluated } from '../../src/loaders/values.js';
import { CORPUS_DIR } from '../helpers/shared.js';

// Imported by a name TypeScript does not resolve: the package's typings pull in the DOM library
// (`/// <reference lib="dom" />`), whose `Headers` breaks the type check of the load-test code.
const HCL2JSON = '@cdktf/hcl2json';
const { parse } = (await import(HCL2JSON)) as { parse(file: string, text: string): Promise<Record<string, unknown>> };

/** A parsed file with a stand-in `locate` (the HCL reader provides the real one). */
async function parsed(file: string, text: string, abs = `/mod/${file}`): Promise<ParsedTfFile> {
  return { file, abs, body: await parse(file, text), locate: () => ({ pointer: '', line: 1, column: 1 }), comments: [] };
}

interface Options {
  variables?: Record<string, unknown>;
  files?: Record<string, string>;
  modules?: Record<string, Record<string, string>>;
}

/** Evaluates `main.tf` (plus extra files) in /mod; `files` are readable by file(), `modules` loadable by dir. */
async function evaluate(text: string, options: Options = {}): Promise<{ blocks: TerraformBlock[]; diagnostics: unknown[]; byAddress(a: string): TerraformBlock }> {
  const files = options.files ?? {};
  const result = await evaluateModule([await parsed('main.tf', text)], {
    dir: '/mod',
    variables: options.variables ?? {},
    readFile: (abs) => {
      if (!Object.hasOwn(files, abs)) throw new Error(`ENOENT ${abs}`);
      return files[abs]!;
    },
    loadModule: async (dir) => {
      const mod = options.modules?.[dir];
      if (!mod) throw new Error(`no module at ${dir}`);
      return Promise.all(Object.entries(mod).map(([name, src]) => parsed(name, src, join(dir, name))));
    },
  });
  return {
    ...result,
    byAddress(a) {
      const found = result.blocks.find((b) => b.address === a);
      if (!found) throw new Error(`no block ${a}; have ${result.blocks.map((b) => b.address).join(', ')}`);
      return found;
    },
  };
}

/** The evaluated values of the only block of `main.tf`. */
async function values(text: string, options: Options = {}): Promise<Record<string, Evaluated>> {
  const { blocks } = await evaluate(text, options);
  expect(blocks).toHaveLength(1);
  const v = blocks[0]!.values;
  if (v instanceof Unknown) throw new Error(`block is unknown: ${v.reason}`);
  return v;
}

function reasonOf(v: Evaluated | undefined): string {
  if (!(v instanceof Unknown)) throw new Error(`expected an Unknown, got ${JSON.stringify(v)}`);
  return v.reason;
}

describe('evaluateModule: values', () => {
  it('literals, lists, maps and nested blocks', async () => {
    const v = await values(`resource "aws_cognito_user_pool" "pool" {
  name = "p"
  alias_attributes = ["email"]
  tags = { Team = "a" }
  password_policy {
    minimum_length = 12
    require_symbols = true
  }
}`);
    expect(v).toEqual({ name: 'p', alias_attributes: ['email'], tags: { Team: 'a' }, password_policy: [{ minimum_length: 12, require_symbols: true }] });
  });

  it('string interpolation and escapes', async () => {
    const v = await values(`variable "env" { default = "prod" }
resource "aws_x" "a" {
  name = "pool-\${var.env}-1"
  literal = "$\${not.interpolated}"
}`);
    expect(v['name']).toBe('pool-prod-1');
    expect(v['literal']).toBe('${not.interpolated}');
  });

  it('var.* from the given variables before the default, with type conversion', async () => {
    const text = `variable "mfa" { default = "OFF" }
variable "len" { type = number }
resource "aws_x" "a" {
  mfa = var.mfa
  len = var.len
}`;
    const v = await values(text, { variables: { mfa: 'ON', len: '14' } });
    expect(v).toEqual({ mfa: 'ON', len: 14 });
  });

  it('a variable with no value and no default is Unknown naming the variable', async () => {
    const v = await values(`variable "mfa" {}
resource "aws_x" "a" { mfa = var.mfa }`);
    expect(reasonOf(v['mfa'])).toBe('var.mfa has no value and no default');
  });

  it('object variable types fill missing optional attributes with their defaults', async () => {
    const v = await values(`variable "cfg" {
  type = object({ a = string, b = optional(string, "dflt"), c = optional(number) })
  default = { a = "x" }
}
resource "aws_x" "a" {
  b = var.cfg.b
  c = var.cfg.c
}`);
    expect(v).toEqual({ b: 'dflt', c: null });
  });

  it('locals across files in dependency order; a cycle is Unknown', async () => {
    const extra = await parsed('locals.tf', `locals {
  second = "\${local.first}-b"
  loop1 = local.loop2
  loop2 = local.loop1
}`);
    const main = await parsed('main.tf', `locals { first = "a" }
resource "aws_x" "a" {
  v = local.second
  w = local.loop1
}`);
    const { blocks } = await evaluateModule([main, extra], { dir: '/mod', variables: {}, readFile: () => '', loadModule: async () => [] });
    const v = blocks[0]!.values as Record<string, Evaluated>;
    expect(v['v']).toBe('a-b');
    expect(reasonOf(v['w'])).toMatch(/refers to itself/);
  });

  it('a reference to another resource is Symbolic with its address', async () => {
    const { byAddress } = await evaluate(`resource "aws_cognito_user_pool" "pool" { name = "p" }
resource "aws_cognito_user_pool_client" "c" {
  user_pool_id = aws_cognito_user_pool.pool.id
  arn_text = "arn:\${aws_cognito_user_pool.pool.arn}/x"
  pool_name = aws_cognito_user_pool.pool.name
}`);
    const v = byAddress('aws_cognito_user_pool_client.c').values as Record<string, Evaluated>;
    expect(v['user_pool_id']).toEqual(new Symbolic('${aws_cognito_user_pool.pool.id}', ['aws_cognito_user_pool.pool']));
    expect(v['arn_text']).toEqual(new Symbolic('arn:${aws_cognito_user_pool.pool.arn}/x', ['aws_cognito_user_pool.pool']));
    // Identifying attributes stay references, so relations can link by address.
    expect(v['pool_name']).toEqual(new Symbolic('${aws_cognito_user_pool.pool.name}', ['aws_cognito_user_pool.pool']));
  });

  it('a non-identifying argument of another resource resolves to its value', async () => {
    const { byAddress } = await evaluate(`resource "aws_cognito_user_pool" "pool" { mfa_configuration = "ON" }
resource "aws_x" "c" { mfa = aws_cognito_user_pool.pool.mfa_configuration }`);
    expect((byAddress('aws_x.c').values as Record<string, Evaluated>)['mfa']).toBe('ON');
  });

  it('conditionals, arithmetic, comparison and logical operators', async () => {
    const v = await values(`variable "n" { default = 4 }
resource "aws_x" "a" {
  c = var.n > 3 ? "big" : "small"
  m = var.n * 2 + 1 - 10 / 5 % 3
  l = !(var.n == 4) || var.n != 5 && var.n <= 4
}`);
    expect(v).toEqual({ c: 'big', m: 7, l: true });
  });

  it('a condition on an unknown value is Unknown, not a guess', async () => {
    const v = await values(`variable "on" {}
resource "aws_x" "a" { mfa = var.on ? "ON" : "OFF" }`);
    expect(reasonOf(v['mfa'])).toMatch(/var\.on has no value/);
  });

  it('index, attribute access and splat', async () => {
    const v = await values(`locals {
  l = [{ n = "a" }, { n = "b" }]
  m = { k = ["x", "y"] }
}
resource "aws_x" "a" {
  i = local.l[1].n
  j = local.m["k"][0]
  s = local.l[*].n
}`);
    expect(v).toEqual({ i: 'b', j: 'x', s: ['a', 'b'] });
  });

  it('for expressions over lists and maps, with if and grouping', async () => {
    const v = await values(`locals { m = { b = 2, a = 1, c = 3 } }
resource "aws_x" "a" {
  l = [for k, v in local.m : "\${k}=\${v}" if v != 2]
  o = { for k, v in local.m : v => k }
  g = { for s in ["ab", "ac", "bd"] : substr_first(s) => s... }
  u = [for s in ["x", "y"] : upper(s)]
}`);
    expect(v['l']).toEqual(['a=1', 'c=3']);
    expect(v['o']).toEqual({ '1': 'a', '2': 'b', '3': 'c' });
    expect(reasonOf(v['g'])).toBe('function substr_first() is not evaluated by cognito-guard');
    expect(v['u']).toEqual(['X', 'Y']);
  });
});

describe('evaluateModule: functions', () => {
  it('jsonencode of a policy keeps resource references as placeholders', async () => {
    const { byAddress } = await evaluate(`resource "aws_s3_bucket" "b" {}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = aws_s3_bucket.b.arn }]
  })
  by_account = jsonencode({ Principal = { AWS = data.aws_caller_identity.me.account_id } })
}
data "aws_caller_identity" "me" {}`);
    const policy = (byAddress('aws_iam_policy.p').values as Record<string, Evaluated>)['policy'];
    expect(policy).toEqual(
      new Symbolic('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"${aws_s3_bucket.b.arn}"}]}', ['aws_s3_bucket.b']),
    );
    // A data source's value is an identifier outside the module: it stays a placeholder.
    expect((byAddress('aws_iam_policy.p').values as Record<string, Evaluated>)['by_account']).toEqual(
      new Symbolic('{"Principal":{"AWS":"${data.aws_caller_identity.me.account_id}"}}', []),
    );
  });

  it('a heredoc policy with interpolation is its text', async () => {
    const v = await values(`variable "action" { default = "s3:GetObject" }
resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "\${var.action}", "Resource": "*"}]}
EOF
}`);
    expect(JSON.parse(v['policy'] as string)).toEqual({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  });

  it('jsondecode, lookup, merge, concat, coalesce, keys/values, element, flatten, distinct, compact, one', async () => {
    const v = await values(`locals { m = { b = 2, a = 1 } }
resource "aws_x" "a" {
  jd = jsondecode("{\\"k\\": [1, 2]}").k
  lk = lookup(local.m, "z", 9)
  mg = merge(local.m, { c = 3 })
  cc = concat(["a"], ["b", "c"])
  co = coalesce(null, "", "x")
  ks = keys(local.m)
  vs = values(local.m)
  el = element(["a", "b"], 3)
  fl = flatten([["a"], [["b"]], "c"])
  di = distinct(["a", "b", "a"])
  cp = compact(["a", "", null, "b"])
  on = one(["only"])
}`);
    expect(v).toEqual({
      jd: [1, 2],
      lk: 9,
      mg: { b: 2, a: 1, c: 3 },
      cc: ['a', 'b', 'c'],
      co: 'x',
      ks: ['a', 'b'],
      vs: [1, 2],
      el: 'b',
      fl: ['a', 'b', 'c'],
      di: ['a', 'b'],
      cp: ['a', 'b'],
      on: 'only',
    });
  });

  it('string functions: format, join, split, lower, upper, replace, trimspace, length, contains, startswith, endswith', async () => {
    const v = await values(`resource "aws_x" "a" {
  fm = format("%s-%d-%%", "a", 7)
  jn = join(",", ["a", "b"])
  sp = split(",", "a,b")
  lo = lower("AbC")
  up = upper("abc")
  rp = replace("a-b-c", "-", "_")
  rr = replace("a1b22", "/[0-9]+/", "#")
  rc = replace("k=v", "/([a-z])=([a-z])/", "$2=$1")
  tr = trimspace("  x \\n")
  ln = length("héllo")
  ct = contains(["a", "b"], "b")
  sw = startswith("https://x", "https://")
  ew = endswith("file.json", ".yaml")
}`);
    expect(v).toEqual({ fm: 'a-7-%', jn: 'a,b', sp: ['a', 'b'], lo: 'abc', up: 'ABC', rp: 'a_b_c', rr: 'a#b#', rc: 'v=k', tr: 'x', ln: 5, ct: true, sw: true, ew: false });
  });

  it('type conversions tostring/tonumber/tobool/tolist/toset/tomap', async () => {
    const v = await values(`resource "aws_x" "a" {
  s = tostring(5)
  n = tonumber("12")
  b = tobool("true")
  l = tolist(["a"])
  t = toset(["b", "a", "b"])
  m = tomap({ k = "v" })
}`);
    expect(v).toEqual({ s: '5', n: 12, b: true, l: ['a'], t: ['a', 'b'], m: { k: 'v' } });
  });

  it('try falls back on an error, can reports it, but an Unknown stays unknown', async () => {
    const v = await values(`variable "cfg" { default = { a = 1 } }
variable "nothing" {}
resource "aws_x" "a" {
  t = try(var.cfg.missing, "fallback")
  k = try(var.cfg.a, "fallback")
  u = try(var.nothing.x, "fallback")
  c1 = can(var.cfg.missing)
  c2 = can(var.cfg.a)
}`);
    expect(v['t']).toBe('fallback');
    expect(v['k']).toBe(1);
    expect(reasonOf(v['u'])).toBe('var.nothing has no value and no default');
    expect(v['c1']).toBe(false);
    expect(v['c2']).toBe(true);
  });

  it('an unknown function is Unknown naming it', async () => {
    const v = await values(`resource "aws_x" "a" { x = cidrsubnet("10.0.0.0/16", 8, 1) }`);
    expect(reasonOf(v['x'])).toBe('function cidrsubnet() is not evaluated by cognito-guard');
  });

  it('file and templatefile read files inside the module; outside it is Unknown', async () => {
    const v = await values(
      `resource "aws_iam_role" "r" {
  assume_role_policy = file("\${path.module}/trust.json")
  policy = templatefile("policy.tpl", { action = "s3:GetObject" })
  outside = file("../secrets/other.json")
  missing = file("nope.json")
}`,
      { files: { '/mod/trust.json': '{"Statement":[]}', '/mod/policy.tpl': '{"Action": "${action}"}' } },
    );
    expect(v['assume_role_policy']).toBe('{"Statement":[]}');
    expect(v['policy']).toBe('{"Action": "s3:GetObject"}');
    expect(reasonOf(v['outside'])).toBe('file("../secrets/other.json") reads a file outside the module, which is not read');
    expect(reasonOf(v['missing'])).toBe('file("nope.json") cannot be read');
  });
});

describe('evaluateModule: inputs and odd configuration', () => {
  it('a -var value for a list or map variable is read as an expression', async () => {
    const v = await values(
      `variable "flows" { type = list(string) }
variable "name" { type = string }
resource "aws_x" "a" {
  flows = var.flows
  name = var.name
}`,
      { variables: { flows: '["code", "implicit"]', name: '["not", "a", "list"]' } },
    );
    expect(v).toEqual({ flows: ['code', 'implicit'], name: '["not", "a", "list"]' });
  });

  it('template directives with strip markers', async () => {
    const v = await values(`variable "ids" { default = ["a", "b"] }
resource "aws_x" "a" {
  t = "%{ for id in var.ids ~}[\${id}] %{~ endfor ~}"
  c = "%{ if length(var.ids) > 1 }many%{ else }one%{ endif }"
}`);
    expect(v).toEqual({ t: '[a][b]', c: 'many' });
  });

  it('expressions as hcl2json writes them: comments, heredocs in calls, legacy splat and index, expression keys', async () => {
    const v = await values(
      `variable "k" {}
variable "list" {}
variable "m" {}
resource "aws_x" "y" {
  a = { (var.k) = 1, "lit" = 2 }
  c = jsonencode({
    Statement = [for s in ["a", "b"] : {
      Action = "s3:\${s}" # trailing
    }]
  })
  d = var.list.*.name
  e = var.list.0.name
  g = jsonencode(<<EOF
{"inner": "\${var.k}"}
EOF
  )
  h = { for k, v in var.m : v => k... if k != "z" }
  i = -1 + length(var.list) * -2
}`,
      { variables: { k: 'key', list: [{ name: 'n0' }, { name: 'n1' }], m: { a: 'x', b: 'x', z: 'x' } } },
    );
    expect(v).toEqual({
      a: { key: 1, lit: 2 },
      c: '{"Statement":[{"Action":"s3:a"},{"Action":"s3:b"}]}',
      d: ['n0', 'n1'],
      e: 'n0',
      g: JSON.stringify('{"inner": "key"}\n'),
      h: { x: ['a', 'b'] },
      i: -5,
    });
  });

  it('an expression that does not parse is Unknown, and the reason does not quote it', async () => {
    const file: ParsedTfFile = {
      file: 'main.tf',
      abs: '/mod/main.tf',
      body: { resource: { aws_x: { a: [{ secret: '${"hunter2" +* }' }] } } },
      locate: () => undefined,
      comments: [],
    };
    const { blocks } = await evaluateModule([file], { dir: '/mod', variables: {}, readFile: () => '', loadModule: async () => [] });
    const reason = reasonOf((blocks[0]!.values as Record<string, Evaluated>)['secret']);
    expect(reason).toBe('unexpected "*" at character 14 of an expression');
    expect(reason).not.toContain('hunter2');
  });

  it('for_each and dynamic over a string are Unknown, never a crash', async () => {
    const { blocks } = await evaluate(`resource "aws_x" "a" {
  for_each = "not-a-map"
}
resource "aws_x" "b" {
  dynamic "d" {
    for_each = "not-a-list"
    content {}
  }
}`);
    expect(reasonOf(blocks[0]!.values as Evaluated)).toBe('for_each of aws_x.a cannot be evaluated: a for expression or for_each needs a list, set or map');
    expect(reasonOf(blocks[1]!.get(['d']))).toBe('dynamic "d" cannot be expanded: a for expression or for_each needs a list, set or map');
  });

  it('any expression text, however odd, evaluates to a value or an Unknown without throwing', async () => {
    const piece = fc.constantFrom('var.x', 'local.y', '(', ')', '[', ']', '{', '}', '"', '${', '%{', 'for', 'in', ':', '=>', '?', '*', '.', ',', '1', 'try(', 'aws_x.a', '[*]', '...', '<<EOF\n', '!', '-', ' ');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const file: ParsedTfFile = {
          file: 'main.tf',
          abs: '/mod/main.tf',
          body: { locals: [{ y: `\${${pieces.join('')}}` }], resource: { aws_x: { a: [{ v: `\${${pieces.join('')}}`, count: `\${${pieces.join('')}}` }] } } },
          locate: () => undefined,
          comments: [],
        };
        const { blocks } = await evaluateModule([file], { dir: '/mod', variables: { x: 1 }, readFile: () => '', loadModule: async () => [] });
        // Either the count is unknown (one Unknown block) or every instance has its `v`.
        for (const b of blocks) expect(b.values instanceof Unknown || Object.hasOwn(b.values, 'v')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('an expression nested 100,000 deep is Unknown, not a call-stack overflow', async () => {
    const deep = `\${${'('.repeat(100_000)}1${')'.repeat(100_000)}}`;
    const file: ParsedTfFile = { file: 'main.tf', abs: '/mod/main.tf', body: { resource: { aws_x: { a: [{ v: deep }] } } }, locate: () => undefined, comments: [] };
    const { blocks } = await evaluateModule([file], { dir: '/mod', variables: {}, readFile: () => '', loadModule: async () => [] });
    expect(reasonOf(blocks[0]!.get(['v']))).toBe('the expression is nested too deeply');
  });

  it('a counted resource used whole is the list of its instances', async () => {
    const v = (await evaluate(`resource "aws_iam_role" "r" { count = 2 }
resource "aws_x" "a" {
  n = length(aws_iam_role.r)
  l = [for r in aws_iam_role.r : r.arn]
}`)).byAddress('aws_x.a').values as Record<string, Evaluated>;
    expect(v['n']).toBe(2);
    expect(v['l']).toEqual([new Symbolic('${aws_iam_role.r[0].arn}', ['aws_iam_role.r[0]']), new Symbolic('${aws_iam_role.r[1].arn}', ['aws_iam_role.r[1]'])]);
  });

  it('data "template_file" renders its template with its vars', async () => {
    const v = (await evaluate(`data "template_file" "trust" {
  template = file("trust.json")
  vars = { pool = "us-east-1:abc" }
}
resource "aws_iam_role" "r" { assume_role_policy = data.template_file.trust.rendered }`, { files: { '/mod/trust.json': '{"aud": "${pool}"}' } })).byAddress('aws_iam_role.r').values as Record<string, Evaluated>;
    expect(v['assume_role_policy']).toBe('{"aud": "us-east-1:abc"}');
  });

  it('every Terraform directory of the corpus evaluates without throwing', async () => {
    const dirs = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.tf')) dirs.add(dir);
      }
    };
    walk(CORPUS_DIR);
    expect(dirs.size).toBeGreaterThanOrEqual(7);
    for (const dir of dirs) {
      const { blocks } = await evaluateCorpus(dir);
      expect(blocks.length, dir).toBeGreaterThan(0);
    }
  });
});

describe('evaluateModule: instances and blocks', () => {
  it('count gives one block per instance with count.index; count = 0 gives none', async () => {
    const { blocks, byAddress } = await evaluate(`resource "aws_x" "a" {
  count = 2
  name = "n-\${count.index}"
}
resource "aws_x" "off" {
  count = false ? 1 : 0
}`);
    expect(blocks.map((b) => b.address)).toEqual(['aws_x.a[0]', 'aws_x.a[1]']);
    expect((byAddress('aws_x.a[1]').values as Record<string, Evaluated>)['name']).toBe('n-1');
  });

  it('for_each over a map gives instances by key with each.key and each.value', async () => {
    const { blocks, byAddress } = await evaluate(`resource "aws_x" "a" {
  for_each = { web = "https://a", api = "https://b" }
  name = each.key
  url = each.value
}
resource "aws_x" "s" {
  for_each = toset(["one"])
  name = each.value
}`);
    expect(blocks.map((b) => b.address)).toEqual(['aws_x.a["api"]', 'aws_x.a["web"]', 'aws_x.s["one"]']);
    expect(byAddress('aws_x.a["web"]').values).toEqual({ name: 'web', url: 'https://a' });
  });

  it('a count or for_each that cannot be evaluated gives ONE block whose values are Unknown', async () => {
    const { blocks } = await evaluate(`variable "n" {}
resource "aws_cognito_user_pool" "pool" {
  count = var.n
  mfa_configuration = "OFF"
}`);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.address).toBe('aws_cognito_user_pool.pool');
    expect(reasonOf(blocks[0]!.values as Evaluated)).toBe('count of aws_cognito_user_pool.pool cannot be evaluated: var.n has no value and no default');
  });

  it('references to count and for_each instances carry the instance address', async () => {
    const { byAddress } = await evaluate(`resource "aws_cognito_user_pool" "pool" { count = 1 }
resource "aws_x" "c" {
  a = aws_cognito_user_pool.pool[0].id
  all = aws_cognito_user_pool.pool[*].arn
  t = try(aws_cognito_user_pool.pool[1].id, "none")
}`);
    const v = byAddress('aws_x.c').values as Record<string, Evaluated>;
    expect(v['a']).toEqual(new Symbolic('${aws_cognito_user_pool.pool[0].id}', ['aws_cognito_user_pool.pool[0]']));
    expect(v['all']).toEqual([new Symbolic('${aws_cognito_user_pool.pool[0].arn}', ['aws_cognito_user_pool.pool[0]'])]);
    expect(v['t']).toBe('none');
  });

  it('dynamic blocks over a known collection become nested blocks, with an iterator', async () => {
    const v = await values(`variable "flows" { default = ["a", "b"] }
resource "aws_x" "a" {
  static { n = 0 }
  dynamic "static" {
    for_each = var.flows
    iterator = f
    content { n = f.value }
  }
}`);
    expect(v['static']).toEqual([{ n: 0 }, { n: 'a' }, { n: 'b' }]);
  });

  it('a dynamic block over an unknown collection makes that nested attribute Unknown', async () => {
    const v = await values(`variable "x" {}
resource "aws_x" "a" {
  name = "kept"
  dynamic "password_policy" {
    for_each = var.x
    content { minimum_length = 6 }
  }
}`);
    expect(v['name']).toBe('kept');
    expect(reasonOf(v['password_policy'])).toBe('dynamic "password_policy" cannot be expanded: var.x has no value and no default');
  });

  it('locate maps a dynamic block\'s values to its content in the file', async () => {
    const seen: unknown[] = [];
    const file = await parsed('main.tf', `resource "aws_x" "a" {
  dynamic "pp" {
    for_each = [1]
    content { min = 6 }
  }
}`);
    file.locate = (path) => {
      seen.push(path);
      return { pointer: '', line: path.length, column: 1 };
    };
    const { blocks } = await evaluateModule([file], { dir: '/mod', variables: {}, readFile: () => '', loadModule: async () => [] });
    expect(blocks[0]!.position).toEqual({ pointer: '/resource/aws_x/a/0', line: 4, column: 1 });
    expect(blocks[0]!.locate(['pp', 0, 'min'])).toEqual({ pointer: '', line: 10, column: 1 });
    expect(seen).toContainEqual(['resource', 'aws_x', 'a', 0, 'dynamic', 'pp', 0, 'content', 0, 'min']);
  });
});

describe('evaluateModule: data sources and modules', () => {
  it('data "aws_iam_policy_document" gives its JSON policy to whoever names .json', async () => {
    const { byAddress } = await evaluate(`data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type = "Federated"
      identifiers = ["cognito-identity.amazonaws.com"]
    }
    condition {
      test = "StringEquals"
      variable = "cognito-identity.amazonaws.com:aud"
      values = ["us-east-1:pool"]
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.trust.json }`);
    const policy = (byAddress('aws_iam_role.r').values as Record<string, Evaluated>)['assume_role_policy'];
    expect(JSON.parse(policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRoleWithWebIdentity'],
          Principal: { Federated: ['cognito-identity.amazonaws.com'] },
          Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': ['us-east-1:pool'] } },
        },
      ],
    });
  });

  it('policy documents merge source_policy_documents and override_policy_documents by Sid', async () => {
    const { byAddress } = await evaluate(`data "aws_iam_policy_document" "base" {
  statement {
    sid = "A"
    actions = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({ Statement = [{ Sid = "A", Effect = "Deny", Action = "*", Resource = "*" }] })]
  statement {
    sid = "B"
    actions = ["s3:PutObject"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.combined.json }`);
    const policy = JSON.parse((byAddress('aws_iam_policy.p').values as Record<string, Evaluated>)['policy'] as string) as { Statement: unknown[] };
    expect(policy.Statement).toEqual([
      { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' },
      { Sid: 'B', Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['*'] },
    ]);
  });

  it('other data sources are Unknown references', async () => {
    const v = (await evaluate(`data "aws_caller_identity" "me" {}
resource "aws_x" "a" { account = data.aws_caller_identity.me.account_id }`)).byAddress('aws_x.a').values as Record<string, Evaluated>;
    const u = v['account'] as Unknown;
    expect(u).toBeInstanceOf(Unknown);
    expect(u.reason).toBe('data.aws_caller_identity.me.account_id is read from AWS at plan time');
    expect(u.reference).toBe(true);
  });

  it('a local module is evaluated with the module block arguments; addresses and outputs follow', async () => {
    const { byAddress, blocks } = await evaluate(
      `module "auth" {
  source = "./auth"
  mfa = "OPTIONAL"
}
resource "aws_x" "a" {
  pool = module.auth.pool_id
  mfa = module.auth.mfa
}`,
      {
        modules: {
          '/mod/auth': {
            'main.tf': `variable "mfa" { default = "OFF" }
resource "aws_cognito_user_pool" "pool" { mfa_configuration = var.mfa }
output "pool_id" { value = aws_cognito_user_pool.pool.id }
output "mfa" { value = var.mfa }`,
          },
        },
      },
    );
    expect(blocks.map((b) => b.address)).toEqual(['aws_x.a', 'module.auth.aws_cognito_user_pool.pool']);
    expect(byAddress('module.auth.aws_cognito_user_pool.pool').values).toEqual({ mfa_configuration: 'OPTIONAL' });
    const v = byAddress('aws_x.a').values as Record<string, Evaluated>;
    expect(v['pool']).toEqual(new Symbolic('${module.auth.aws_cognito_user_pool.pool.id}', ['module.auth.aws_cognito_user_pool.pool']));
    expect(v['mfa']).toBe('OPTIONAL');
  });

  it('a module with count gives instance addresses and count.index in its arguments', async () => {
    const { blocks, byAddress } = await evaluate(
      `module "pools" {
  source = "./pool"
  count = 2
  suffix = "n\${count.index}"
}`,
      { modules: { '/mod/pool': { 'main.tf': 'variable "suffix" {}\nresource "aws_cognito_user_pool" "p" { name = "pool-${var.suffix}" }' } } },
    );
    expect(blocks.map((b) => b.address)).toEqual(['module.pools[0].aws_cognito_user_pool.p', 'module.pools[1].aws_cognito_user_pool.p']);
    expect(byAddress('module.pools[1].aws_cognito_user_pool.p').get(['name'])).toBe('pool-n1');
  });

  it('a module argument that depends on the module\'s own output is Unknown, not a loop', async () => {
    const { byAddress } = await evaluate(
      `module "m" {
  source = "./m"
  x = module.m.y
}`,
      { modules: { '/mod/m': { 'main.tf': 'variable "x" {}\noutput "y" { value = var.x }\nresource "aws_x" "a" { v = var.x }' } } },
    );
    expect(reasonOf(byAddress('module.m.aws_x.a').get(['v']))).toBe('var.x depends on itself through the module\'s outputs');
  });

  it('a registry module is not read: its outputs are Unknown and a diagnostic says so', async () => {
    const { byAddress, diagnostics } = await evaluate(`module "vpc" { source = "terraform-aws-modules/vpc/aws" }
resource "aws_x" "a" { id = module.vpc.vpc_id }`);
    expect(reasonOf((byAddress('aws_x.a').values as Record<string, Evaluated>)['id'])).toBe('module.vpc comes from a source cognito-guard does not read');
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'terraform-module-not-read', message: 'module.vpc: "terraform-aws-modules/vpc/aws" is not a local directory; its resources are not scanned and its outputs are unknown' }),
    ]);
  });

  it('a module that includes itself is read once, never in a loop', async () => {
    const { blocks } = await evaluate(`module "self" { source = "./" }
resource "aws_x" "a" {}`);
    expect(blocks.map((b) => b.address)).toEqual(['aws_x.a']);
  });
});

/** Every `.tf` file of a corpus directory, parsed. */
async function corpusModule(dir: string): Promise<ParsedTfFile[]> {
  const names = readdirSync(dir).filter((n) => n.endsWith('.tf')).sort();
  return Promise.all(names.map((n) => parsed(n, readFileSync(join(dir, n), 'utf8'), join(dir, n))));
}

async function evaluateCorpus(example: string): Promise<{ blocks: TerraformBlock[]; byAddress(a: string): TerraformBlock }> {
  const dir = resolve(CORPUS_DIR, example);
  const { blocks } = await evaluateModule(await corpusModule(dir), {
    dir,
    variables: {},
    readFile: (abs) => readFileSync(abs, 'utf8'),
    loadModule: corpusModule,
  });
  return {
    blocks,
    byAddress(a) {
      const found = blocks.find((b) => b.address === a);
      if (!found) throw new Error(`no block ${a}; have ${blocks.map((b) => b.address).join(', ')}`);
      return found;
    },
  };
}

describe('evaluateModule: corpus modules', () => {
  it('lgallard cognito-user-pool examples/complete: the module inputs reach the pool and the clients', async () => {
    const { blocks, byAddress } = await evaluateCorpus('lgallard__terraform-aws-cognito-user-pool/examples/complete');
    const m = 'module.aws_cognito_user_pool_complete_example.';
    // ignore_schema_changes = true selects the second pool definition (count 1), not the first (count 0).
    expect(blocks.some((b) => b.address === `${m}aws_cognito_user_pool.pool[0]`)).toBe(false);
    const pool = byAddress(`${m}aws_cognito_user_pool.pool_with_schema_ignore[0]`);
    expect(pool.get(['mfa_configuration'])).toBe('OPTIONAL');
    expect(pool.get(['deletion_protection'])).toBe('ACTIVE');
    expect(pool.get(['name'])).toBe('mypool_complete');
    expect(pool.get(['schema'])).toHaveLength(6);
    // The module's locals-*.tf files are not in the corpus: what they define is unknown, never a guess.
    expect(reasonOf(pool.get(['user_pool_add_ons']))).toBe('dynamic "user_pool_add_ons" cannot be expanded: local.user_pool_add_ons is not defined in the files read');
    const test3 = byAddress(`${m}aws_cognito_user_pool_client.client["test3_2"]`);
    expect(test3.get(['allowed_oauth_flows'])).toEqual(['code', 'implicit']);
    expect(test3.get(['explicit_auth_flows'])).toEqual(['CUSTOM_AUTH_FLOW_ONLY', 'ADMIN_NO_SRP_AUTH']);
    expect(test3.get(['generate_secret'])).toBe(false);
    expect(test3.get(['name'])).toBe('test3');
    expect(byAddress(`${m}aws_cognito_user_pool_client.client["test2_1"]`).get(['generate_secret'])).toBe(false);
    expect(byAddress(`${m}aws_cognito_user_pool_client.client["test1_0"]`).get(['token_validity_units'])).toEqual([
      { access_token: 'hours', id_token: 'hours', refresh_token: 'days' },
    ]);
  });

  it('terraform-aws-modules apigateway-v2 examples/complete-http: routes, authorizers and the user pool', async () => {
    const { byAddress } = await evaluateCorpus('terraform-aws-modules__terraform-aws-apigateway-v2/examples/complete-http');
    // locals: name = "ex-${basename(path.cwd)}".
    expect(byAddress('aws_cognito_user_pool.this').get(['name'])).toBe('ex-complete-http');
    const external = byAddress('aws_apigatewayv2_authorizer.external');
    expect(external.get(['jwt_configuration', 0, 'audience'])).toEqual(['example']);
    expect(external.get(['jwt_configuration', 0, 'issuer'])).toEqual(new Symbolic('https://${aws_cognito_user_pool.this.endpoint}', ['aws_cognito_user_pool.this']));
    // The module's variables.tf is not in the corpus: its create flags are unknown, so its routes
    // are one Unknown block each, never guessed to exist or not.
    const routes = byAddress('module.api_gateway.aws_apigatewayv2_route.this');
    expect(reasonOf(routes.values as Evaluated)).toBe(
      'for_each of module.api_gateway.aws_apigatewayv2_route.this cannot be evaluated: var.create_routes_and_integrations is not declared in the files read',
    );
  });
});

describe('evaluateModule: size', () => {
  it('a 10,000-resource module with variables, locals, count and dynamic blocks evaluates in seconds', async () => {
    const resource: Record<string, Record<string, unknown[]>> = {};
    const pools: Record<string, unknown[]> = {};
    const clients: Record<string, unknown[]> = {};
    for (let i = 0; i < 5000; i++) {
      pools[`p${i}`] = [{ name: `\${local.prefix}-${i}`, mfa_configuration: '${var.mfa}', dynamic: { password_policy: [{ for_each: '${local.policies}', content: [{ minimum_length: '${password_policy.value}' }] }] } }];
      clients[`c${i}`] = [{ count: 1, user_pool_id: `\${aws_cognito_user_pool.p${i}.id}`, allowed_oauth_flows: '${var.flows}' }];
    }
    resource['aws_cognito_user_pool'] = pools;
    resource['aws_cognito_user_pool_client'] = clients;
    const body = {
      variable: { mfa: [{ default: 'OFF' }], flows: [{ default: ['code'] }] },
      locals: [{ prefix: '${upper("pool")}', policies: [12] }],
      resource,
    };
    const file: ParsedTfFile = { file: 'main.tf', abs: '/mod/main.tf', body, locate: () => undefined, comments: [] };
    const started = performance.now();
    const { blocks } = await evaluateModule([file], { dir: '/mod', variables: {}, readFile: () => '', loadModule: async () => [] });
    const seconds = (performance.now() - started) / 1000;
    expect(blocks).toHaveLength(10_000);
    expect(blocks[4999]!.values).toEqual({ name: 'POOL-4999', mfa_configuration: 'OFF', password_policy: [{ minimum_length: 12 }] });
    expect(seconds).toBeLessThan(5);
  });
});
