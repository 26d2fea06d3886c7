// STAND-IN (branch h1 only): the real evaluator is h2's. This one reads literal values only, so
// the Terraform source's end-to-end tests can run; every expression is Unknown.
import type { Diagnostic } from '../../model/finding.js';
import type { TerraformBlock } from './block.js';
import type { ParsedTfFile } from './parsed-file.js';
import { Unknown, type Evaluated } from '../values.js';

export interface EvaluateOptions {
  dir: string;
  variables: Record<string, unknown>;
  readFile(abs: string): string;
  loadModule(absDir: string): Promise<ParsedTfFile[]>;
}

function literal(v: unknown): Evaluated {
  if (typeof v === 'string') return v.includes('${') ? new Unknown('expression not evaluated (stand-in)', v) : v;
  if (Array.isArray(v)) return v.map(literal);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literal(x)]));
  return v as Evaluated;
}

export async function evaluateModule(files: ParsedTfFile[], _options: EvaluateOptions): Promise<{ blocks: TerraformBlock[]; diagnostics: Diagnostic[] }> {
  const blocks: TerraformBlock[] = [];
  for (const file of files) {
    for (const mode of ['resource', 'data'] as const) {
      const section = file.body[mode] as Record<string, Record<string, unknown[]>> | undefined;
      for (const [type, byName] of Object.entries(section ?? {})) {
        for (const [name, list] of Object.entries(byName)) {
          const base = [mode, type, name, 0];
          const values = literal(list[0]) as Record<string, Evaluated>;
          blocks.push({
            mode: mode === 'resource' ? 'managed' : 'data',
            type,
            name,
            address: mode === 'resource' ? `${type}.${name}` : `data.${type}.${name}`,
            file: file.file,
            values,
            position: file.locate(base)!,
            get: (path) => {
              let v: Evaluated | undefined = values;
              for (const seg of path) {
                if (v instanceof Unknown) return v;
                if (v === null || typeof v !== 'object') return undefined;
                v = (v as Record<string | number, Evaluated>)[seg];
              }
              return v;
            },
            locate: (path) => file.locate([...base, ...path]),
          });
        }
      }
    }
  }
  return { blocks, diagnostics: [] };
}
