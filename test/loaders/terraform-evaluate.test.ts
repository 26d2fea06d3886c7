/**
 * The Terraform expression evaluator: each construct on a small module, then the corpus
 * modules that only show their settings once module inputs are evaluated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import type { TerraformBlock } from '../../src/loaders/terraform/block.js';
import { evaluateModule } from '../../src/loaders/terraform/evaluate.js';
import type { ParsedTfFile } from '../../src/loaders/terraform/parsed-file.js';
import { Symbolic, Unknown, type Evaluated } from '../../src/loaders/values.js';
import { CORPUS_DIR } from '../helpers/shared.js';

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
