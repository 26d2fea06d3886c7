/**
 * The `.tf` position scanner: every block and argument hcl2json reports is found at a line and
 * column where the source text starts with its name, on every `.tf` file of the shared corpus
 * and on the lexical corners (heredocs, comments holding braces, strings holding `}` and `#`,
 * expressions over several lines).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/loaders/terraform/hcl.js';
import { scanPositions, type TfPositions } from '../../src/loaders/terraform/positions.js';
import { joinPointer } from '../../src/util/pointer.js';
import { CORPUS_DIR } from '../helpers/shared.js';

function tfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tfFiles(path);
    return name.endsWith('.tf') ? [path] : [];
  });
}

function textAt(text: string, line: number, column: number): string {
  return text.split('\n')[line - 1]!.slice(column - 1);
}

/**
 * Every path of hcl2json's output, checked against the scanner: blocks (by type, labels and
 * index) and arguments at every level, and the keys of object constructors in argument values.
 * Returns the pointers it checked and the problems found.
 */
function check(text: string, body: Record<string, unknown>, positions: TfPositions): { checked: number; problems: string[] } {
  let checked = 0;
  const problems: string[] = [];
  const expectAt = (pointer: string, name: string): boolean => {
    checked++;
    const pos = positions.entries.get(pointer);
    if (!pos) {
      problems.push(`${pointer}: no position`);
      return false;
    }
    const at = textAt(text, pos.line, pos.column);
    if (!at.startsWith(name) && !at.startsWith(JSON.stringify(name))) problems.push(`${pointer}: ${pos.line}:${pos.column} holds ${JSON.stringify(at.slice(0, 30))}`);
    return true;
  };
  const object = (pointer: string, value: Record<string, unknown>): void => {
    for (const [key, item] of Object.entries(value)) {
      if (expectAt(joinPointer(pointer, key), key) && isRecord(item)) object(joinPointer(pointer, key), item);
    }
  };
  const labels = (pointer: string, type: string, value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((block, i) => {
        if (expectAt(joinPointer(pointer, i), type) && isRecord(block)) bodyAt(joinPointer(pointer, i), block);
      });
    } else if (isRecord(value)) {
      for (const [label, inner] of Object.entries(value)) labels(joinPointer(pointer, label), type, inner);
    }
  };
  const bodyAt = (pointer: string, value: Record<string, unknown>): void => {
    for (const [key, item] of Object.entries(value)) {
      const at = joinPointer(pointer, key);
      if (positions.entries.has(at)) {
        expectAt(at, key);
        if (isRecord(item)) object(at, item);
      } else labels(at, key, item);
    }
  };
  bodyAt('', body);
  return { checked, problems };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function problemsOf(text: string): Promise<{ checked: number; problems: string[] }> {
  return check(text, await parseHcl('test.tf', text), scanPositions(text));
}

describe('Terraform positions on the shared corpus', () => {
  const files = tfFiles(CORPUS_DIR);

  it('finds the corpus .tf files', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const path of files) {
    it(`locates every block and argument of ${relative(CORPUS_DIR, path)}`, async () => {
      const { checked, problems } = await problemsOf(readFileSync(path, 'utf8'));
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(0);
    });
  }
});

describe('Terraform positions', () => {
  it('a heredoc holding braces, quotes and an interpolation does not hide the argument after it', async () => {
    const text = [
      'resource "aws_iam_role_policy" "p" {',
      '  policy = <<-EOT',
      '    { "Statement": [{ "Resource": "${aws_s3_bucket.b.arn}/*", "x": "}" }',
      '    EOT',
      '  role = "r"',
      '}',
      '',
    ].join('\n');
    const positions = scanPositions(text);
    expect(positions.entries.get('/resource/aws_iam_role_policy/p/0/role')).toMatchObject({ line: 5, column: 3 });
    expect(positions.entries.get('/resource/aws_iam_role_policy/p/0')).toMatchObject({ line: 1, column: 1, endLine: 6, endColumn: 1 });
    expect((await problemsOf(text)).problems).toEqual([]);
  });

  it('a heredoc whose marker also appears inside a line is closed only by the marker alone on its line', () => {
    const text = 'locals {\n  a = <<EOF\nnot EOF yet\n  EOF\n  b = 1\n}\n';
    expect(scanPositions(text).entries.get('/locals/0/b')).toMatchObject({ line: 5, column: 3 });
  });

  it('comments holding braces and quotes (#, //, /* */) are skipped and recorded with their lines', async () => {
    const text = [
      '# resource "x" "y" {',
      'resource "aws_cognito_user_pool" "pool" { // }',
      '  /* { "',
      '  } */ name = "pool" # }',
      '  mfa_configuration = "OFF"',
      '}',
      '',
    ].join('\n');
    const positions = scanPositions(text);
    expect(positions.entries.get('/resource/aws_cognito_user_pool/pool/0/name')).toMatchObject({ line: 4, column: 8 });
    expect(positions.entries.get('/resource/aws_cognito_user_pool/pool/0/mfa_configuration')).toMatchObject({ line: 5, column: 3 });
    expect(positions.comments.map((c) => [c.line, c.column, c.text])).toEqual([
      [1, 1, 'resource "x" "y" {'],
      [2, 43, '}'],
      [3, 3, '{ "\n  }'],
      [4, 22, '}'],
    ]);
    expect((await problemsOf(text)).problems).toEqual([]);
  });

  it('strings holding }, # and // and a template with a nested string do not end the block', async () => {
    const text = [
      'resource "aws_cognito_user_pool_client" "c" {',
      '  name          = "a } # b // c"',
      '  callback_urls = ["https://${var.host == "x}" ? "a" : "b"}/cb", "\\"}"]',
      '  logout_urls   = ["%{ if var.x }}%{ endif }"]',
      '}',
      'resource "aws_cognito_user_pool" "p" {',
      '  name = "p"',
      '}',
      '',
    ].join('\n');
    const positions = scanPositions(text);
    expect(positions.entries.get('/resource/aws_cognito_user_pool_client/c/0/logout_urls')).toMatchObject({ line: 4, column: 3 });
    expect(positions.entries.get('/resource/aws_cognito_user_pool/p/0/name')).toMatchObject({ line: 7, column: 3 });
    expect(positions.comments).toEqual([]);
    expect((await problemsOf(text)).problems).toEqual([]);
  });

  it('an expression over several lines (brackets, a function call) ends at the newline after its closing bracket', async () => {
    const text = [
      'resource "aws_iam_role" "r" {',
      '  assume_role_policy = jsonencode({',
      '    Statement = [{',
      '      Effect = "Allow"',
      '    }]',
      '  })',
      '  managed_policy_arns = [',
      '    "arn:aws:iam::aws:policy/ReadOnlyAccess", # read',
      '  ]',
      '  name = "r"',
      '}',
      '',
    ].join('\n');
    const positions = scanPositions(text);
    expect(positions.entries.get('/resource/aws_iam_role/r/0/managed_policy_arns')).toMatchObject({ line: 7, column: 3 });
    expect(positions.entries.get('/resource/aws_iam_role/r/0/name')).toMatchObject({ line: 10, column: 3 });
    // jsonencode's object is inside a call: not an object constructor of the argument itself.
    expect(positions.entries.has('/resource/aws_iam_role/r/0/assume_role_policy/Statement')).toBe(false);
    expect((await problemsOf(text)).problems).toEqual([]);
  });

  it('repeated nested blocks, dynamic blocks, label-less blocks and object keys get their own paths', async () => {
    const text = [
      'locals { a = 1 }',
      'locals {',
      '  b = { "x-y" = 1, z: { w = 2 } }',
      '}',
      'resource "aws_cognito_user_pool" "pool" {',
      '  schema {',
      '    name = "a"',
      '  }',
      '  schema { name = "b" }',
      '  dynamic "lambda_config" {',
      '    for_each = var.l',
      '    content {',
      '      pre_sign_up = lambda_config.value',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const positions = scanPositions(text);
    expect(positions.entries.get('/locals/1/b/x-y')).toMatchObject({ line: 3, column: 9 });
    expect(positions.entries.get('/locals/1/b/z/w')).toMatchObject({ line: 3, column: 25 });
    expect(positions.entries.get('/resource/aws_cognito_user_pool/pool/0/schema/1/name')).toMatchObject({ line: 9, column: 12 });
    expect(positions.entries.get('/resource/aws_cognito_user_pool/pool/0/dynamic/lambda_config/0/content/0/pre_sign_up')).toMatchObject({ line: 13, column: 7 });
    expect(await problemsOf(text)).toMatchObject({ problems: [] });
  });
});
