/**
 * Reading `.tf` files: parser errors and Terraform 0.11 syntax as one-line InputErrors with
 * file, line and column; `# cognito-guard:ignore` comments found for the right block; variable
 * files; and the Terraform source: a directory is one module, variables in Terraform's order,
 * local modules read on request.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseTfFile } from '../../src/loaders/terraform/hcl.js';
import { suppressionsFor } from '../../src/loaders/terraform/suppressions.js';
import { parseVarFile } from '../../src/loaders/terraform/tfvars.js';
import type { evaluateModule } from '../../src/loaders/terraform/evaluate.js';
import type { ParsedTfFile } from '../../src/loaders/terraform/parsed-file.js';
import { scan } from '../../src/scan.js';
import { InputError } from '../../src/util/input-error.js';

/** h2's evaluator options (the interface agreed with the lead); not a named export, so any evaluator file fits. */
type EvaluateOptions = Parameters<typeof evaluateModule>[1];

/** What the evaluator was handed, per call (the module's files and its variables). */
const calls = vi.hoisted(() => [] as Array<{ files: string[]; variables: Record<string, unknown>; modules: string[][] }>);

vi.mock('../../src/loaders/terraform/evaluate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/loaders/terraform/evaluate.js')>();
  return {
    ...real,
    evaluateModule: async (files: ParsedTfFile[], options: EvaluateOptions) => {
      const modules: string[][] = [];
      for (const file of files) {
        const source = (file.body.module as Record<string, Array<{ source?: string }>> | undefined)?.auth?.[0]?.source;
        if (source) modules.push((await options.loadModule(join(options.dir, source))).map((f) => f.file));
      }
      calls.push({ files: files.map((f) => f.file), variables: options.variables, modules });
      return real.evaluateModule(files, options);
    },
  };
});

afterEach(() => {
  calls.length = 0;
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-tf-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function errorOf(text: string): Promise<string> {
  try {
    await parseTfFile('main.tf', '/x/main.tf', text);
  } catch (err) {
    if (err instanceof InputError) return err.toString();
    throw err;
  }
  throw new Error('no error');
}

describe('parseTfFile errors', () => {
  it('an unterminated string reports only the first of the parser problems, on one line', async () => {
    expect(await errorOf('resource "a" "b" {\n  name = "abc\n}\n')).toBe(
      'main.tf:2:14: not valid HCL: Invalid multi-line string; Quoted strings may not be split over multiple lines. ' +
        'To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax',
    );
  });

  it('Terraform 0.11 quoted references in depends_on', async () => {
    expect(await errorOf('resource "aws_iam_role" "r" {\n  name = "r"\n  depends_on = ["aws_iam_policy.p"]\n}\n')).toBe(
      'main.tf:3:3: Terraform 0.11 syntax is not supported: quoted references in depends_on; write depends_on = [aws_iam_role.x] (upgrade with terraform 0.12upgrade)',
    );
  });

  it('Terraform 0.11 quoted provider reference', async () => {
    expect(await errorOf('resource "aws_iam_role" "r" {\n  provider = "aws.west"\n}\n')).toBe(
      'main.tf:2:3: Terraform 0.11 syntax is not supported: quoted provider reference provider = "aws.west"; write provider = aws.west (upgrade with terraform 0.12upgrade)',
    );
  });

  it('Terraform 0.11 tags written as a block', async () => {
    expect(await errorOf('resource "aws_cognito_user_pool" "p" {\n  tags {\n    Team = "auth"\n  }\n}\n')).toBe(
      'main.tf:2:3: Terraform 0.11 syntax is not supported: tags written as a block; write tags = { ... } (upgrade with terraform 0.12upgrade)',
    );
  });

  it("a Lambda function's environment block, a nested block of the provider, is read as Terraform 1.x", async () => {
    const parsed = await parseTfFile('main.tf', '/x/main.tf', 'resource "aws_lambda_function" "f" {\n  environment {\n    variables = { A = "b" }\n  }\n}\n');
    expect((parsed.body.resource as Record<string, Record<string, Array<Record<string, unknown>>>>).aws_lambda_function!.f![0]!.environment).toEqual([{ variables: { A: 'b' } }]);
  });

  it('Terraform 0.11 environment map written as a block in a module call', async () => {
    expect(await errorOf('module "m" {\n  source = "./m"\n  environment {\n    A = "b"\n  }\n}\n')).toBe(
      'main.tf:3:3: Terraform 0.11 syntax is not supported: environment written as a block; write environment = { ... } (upgrade with terraform 0.12upgrade)',
    );
  });

  it('Terraform 0.11 list from an interpolated splat', async () => {
    expect(await errorOf('resource "aws_iam_role_policy_attachment" "a" {\n  roles = ["${aws_iam_role.r.*.name}"]\n}\n')).toBe(
      'main.tf:2:3: Terraform 0.11 syntax is not supported: a list built from an interpolated splat roles = ["${aws_iam_role.r.*.name}"]; ' +
        'write roles = aws_iam_role.r.*.name (upgrade with terraform 0.12upgrade)',
    );
  });

  it('a cognito-guard: comment with an unknown directive', async () => {
    expect(await errorOf('locals {\n  # cognito-guard:skip cognito-user-pool-mfa-enabled because of reasons\n  a = 1\n}\n')).toBe(
      'main.tf:2:3: cognito-guard:ignore comment: unknown directive "cognito-guard:skip" (expected cognito-guard:ignore RULE-ID reason)',
    );
  });
});

describe('suppressionsFor', () => {
  const TEXT = [
    'resource "aws_cognito_user_pool" "a" {',
    '  name = "a" # cognito-guard:ignore cognito-user-pool-mfa-enabled expires=2027-01-31 pool a is a test fixture',
    '}',
    '# cognito-guard:ignore cognito-user-pool-deletion-protection pool b is rebuilt nightly',
    'resource "aws_cognito_user_pool" "b" { // cognito-guard:ignore cognito-user-pool-mfa-enabled pool b has no users',
    '  password_policy {',
    '    # cognito-guard:ignore cognito-user-pool-password-policy pool b has no passwords',
    '    minimum_length = 6',
    '  }',
    '}',
    '',
  ].join('\n');

  it('a comment at the end of an argument line applies to its block only', async () => {
    const file = await parseTfFile('main.tf', '/x/main.tf', TEXT);
    expect(suppressionsFor(file, ['resource', 'aws_cognito_user_pool', 'a', 0])).toEqual([
      { rule: 'cognito-user-pool-mfa-enabled', reason: 'pool a is a test fixture', expires: '2027-01-31' },
    ]);
  });

  it('comments above the header, on the header line and inside a nested block apply to the block', async () => {
    const file = await parseTfFile('main.tf', '/x/main.tf', TEXT);
    expect(suppressionsFor(file, ['resource', 'aws_cognito_user_pool', 'b', 0]).map((s) => s.rule)).toEqual([
      'cognito-user-pool-deletion-protection',
      'cognito-user-pool-mfa-enabled',
      'cognito-user-pool-password-policy',
    ]);
  });

  it('a comment on the line after a block closes does not reach back into it', async () => {
    const file = await parseTfFile('main.tf', '/x/main.tf', 'resource "a" "x" {\n}\n# cognito-guard:ignore some-rule reason for the next block\n');
    expect(suppressionsFor(file, ['resource', 'a', 'x', 0])).toEqual([]);
  });
});

describe('variable files', () => {
  it('a .tfvars file gives its arguments as values', async () => {
    expect(await parseVarFile('prod.tfvars', 'stage = "prod"\nmfa = "ON"\nurls = ["https://a"]\n')).toEqual({ stage: 'prod', mfa: 'ON', urls: ['https://a'] });
  });

  it('a .tfvars.json file that is not an object is an input error naming it', async () => {
    await expect(parseVarFile('prod.tfvars.json', '[1]')).rejects.toThrow('a .tfvars.json file must hold one JSON object of variable values');
  });
});

describe('the Terraform source', () => {
  it('naming one .tf file loads the other .tf files of its directory as one module', async () => {
    const cwd = workspace({ 'infra/main.tf': 'resource "aws_cognito_user_pool" "p" {\n  mfa_configuration = "OFF"\n}\n', 'infra/variables.tf': 'variable "x" {}\n' });
    const result = await scan({ inputs: ['infra/main.tf'], cwd });
    expect(calls.map((c) => c.files)).toEqual([['infra/main.tf', 'infra/variables.tf']]);
    expect(result.inputs).toEqual([
      { file: 'infra/main.tf', format: 'terraform' },
      { file: 'infra/variables.tf', format: 'terraform' },
    ]);
  });

  it('variables: terraform.tfvars, then *.auto.tfvars in order, then --var-file, then --var', async () => {
    const cwd = workspace({
      'infra/main.tf': 'variable "a" {}\n',
      'infra/terraform.tfvars': 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\ne = "tfvars"\n',
      'infra/terraform.tfvars.json': '{ "b": "tfvars.json", "c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json" }',
      'infra/x.auto.tfvars': 'c = "x.auto"\nd = "x.auto"\ne = "x.auto"\n',
      'infra/y.auto.tfvars.json': '{ "d": "y.auto", "e": "y.auto" }',
      'prod.tfvars': 'e = "var-file"\nf = "var-file"\n',
    });
    await scan({ inputs: ['infra'], cwd, varFiles: ['prod.tfvars'], variables: { f: 'var' } });
    expect(calls[0]!.variables).toEqual({ a: 'tfvars', b: 'tfvars.json', c: 'x.auto', d: 'y.auto', e: 'var-file', f: 'var' });
  });

  it('a local module is read when the evaluator asks for it, and listed as an input', async () => {
    const cwd = workspace({
      'live/main.tf': 'module "auth" {\n  source = "../modules/auth"\n}\n',
      'modules/auth/pool.tf': 'resource "aws_cognito_user_pool" "p" {}\n',
    });
    const result = await scan({ inputs: ['live'], cwd });
    expect(calls[0]!.modules).toEqual([['modules/auth/pool.tf']]);
    expect(result.inputs.map((i) => i.file)).toEqual(['live/main.tf', 'modules/auth/pool.tf']);
  });
});
