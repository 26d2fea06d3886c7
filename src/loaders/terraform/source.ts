import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { InputFile, LoadContext, Source, SourceOutput } from '../source.js';
import { pushAll } from '../../util/arrays.js';
import { InputError } from '../../util/input-error.js';
import { splitPointer } from '../../util/pointer.js';
import { evaluateModule } from './evaluate.js';
import { parseTfFile } from './hcl.js';
import { mapTerraformBlocks } from './map/index.js';
import type { ParsedTfFile } from './parsed-file.js';
import { suppressionsFor } from './suppressions.js';
import { automaticVarFiles, parseVarFile } from './tfvars.js';

/**
 * Terraform configurations (`.tf`). A directory is one module: its files are evaluated together,
 * since references cross files (a variable in variables.tf, the pool in main.tf). Naming one
 * `.tf` file therefore loads the other `.tf` files of its directory too. Each directory scanned
 * is a root module: its `terraform.tfvars` and `*.auto.tfvars` are read, then `--var-file`s, then
 * `--var`s (later wins), as `terraform plan` does. Local modules (`source = "../auth"`) are read
 * when the evaluator asks for them.
 */
export const terraformSource: Source<ParsedTfFile> = {
  format: 'terraform',
  label: 'Terraform configuration',
  extensions: ['.tf', '.tf.json'],
  match: (c) => (/\.tf(\.json)?$/i.test(c.abs) ? 'yes' : 'no'),
  claim: (c) => {
    // Terraform's JSON syntax is Terraform configuration too: skipping it would pass what it declares.
    if (/\.tf\.json$/i.test(c.abs)) throw new InputError('Terraform JSON syntax (.tf.json) is not read yet: write the module in HCL, or scan a plan (terraform show -json)', c.file, 1, 1);
    return parseTfFile(c.file, c.abs, c.text);
  },
  async load(claims, ctx) {
    const out: SourceOutput = { resources: [], diagnostics: [], inputs: [], consumed: [] };
    const byDir = new Map<string, ParsedTfFile[]>();
    for (const { data } of claims) {
      const dir = dirname(data.abs);
      if (!byDir.has(dir)) byDir.set(dir, []);
      byDir.get(dir)!.push(data);
    }
    const modules = new ModuleReader(ctx, out.inputs);
    for (const [dir, claimed] of byDir) {
      const files = await modules.complete(dir, claimed);
      for (const f of files) if (!claimed.some((c) => c.abs === f.abs)) out.consumed!.push(f.abs);
      const variables: Record<string, unknown> = {};
      for (const abs of automaticVarFiles(dir)) Object.assign(variables, await parseVarFile(ctx.display(abs), ctx.read(abs)));
      Object.assign(variables, ctx.variables);
      const evaluated = await evaluateModule(files, {
        dir,
        variables,
        readFile: (abs) => ctx.read(abs),
        loadModule: (absDir) => modules.read(absDir),
      });
      for (const block of evaluated.blocks) {
        if (block.suppressions) continue;
        const file = modules.parsed(block.file);
        const suppressions = file ? suppressionsFor(file, splitPointer(block.position.pointer)) : [];
        if (suppressions.length > 0) block.suppressions = suppressions;
      }
      const shown = relative(ctx.cwd, dir) === '' ? '.' : ctx.display(dir);
      const mapped = mapTerraformBlocks(evaluated.blocks, { format: 'terraform', idPrefix: shown, outputs: evaluated.outputs });
      pushAll(out.diagnostics, evaluated.diagnostics);
      pushAll(out.resources, mapped.resources);
      pushAll(out.diagnostics, mapped.diagnostics);
    }
    return out;
  },
};

/** Reads module directories once each, and remembers every parsed file by the path shown. */
class ModuleReader {
  private readonly dirs = new Map<string, Promise<ParsedTfFile[]>>();
  private readonly files = new Map<string, ParsedTfFile>();

  constructor(
    private readonly ctx: LoadContext,
    private readonly inputs: InputFile[],
  ) {}

  /** The module in `dir`: the files already parsed, and its other `.tf` files, in Terraform's (lexical) order. */
  complete(dir: string, parsed: ParsedTfFile[]): Promise<ParsedTfFile[]> {
    for (const f of parsed) this.remember(f);
    return this.read(dir);
  }

  /** Every `.tf` file of a module directory; an InputError when there is none. */
  read(dir: string): Promise<ParsedTfFile[]> {
    let pending = this.dirs.get(dir);
    if (!pending) {
      pending = this.readDir(dir);
      this.dirs.set(dir, pending);
    }
    return pending;
  }

  parsed(file: string): ParsedTfFile | undefined {
    return this.files.get(file);
  }

  private async readDir(dir: string): Promise<ParsedTfFile[]> {
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.tf'))
        .map((e) => e.name)
        .sort();
    } catch {
      names = [];
    }
    if (names.length === 0) throw new InputError(`module directory ${this.ctx.display(dir)} does not exist or holds no .tf files`);
    const out: ParsedTfFile[] = [];
    for (const name of names) {
      const abs = join(dir, name);
      const file = this.ctx.display(abs);
      out.push(this.files.get(file) ?? this.remember(await parseTfFile(file, abs, this.ctx.read(abs))));
    }
    return out;
  }

  private remember(f: ParsedTfFile): ParsedTfFile {
    if (!this.files.has(f.file)) {
      this.files.set(f.file, f);
      this.inputs.push({ file: f.file, format: 'terraform' });
    }
    return f;
  }
}

