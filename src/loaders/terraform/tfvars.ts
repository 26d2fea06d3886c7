import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../util/input-error.js';
import { checkName } from '../../util/prototype-keys.js';
import { parseHcl } from './hcl.js';

/**
 * Reads a Terraform variable definitions file: `.tfvars` (HCL arguments) or `.tfvars.json` (a
 * JSON object), as `terraform plan -var-file` does. Values are constants (Terraform evaluates
 * no references in them).
 */
export async function parseVarFile(file: string, text: string): Promise<Record<string, unknown>> {
  let values: unknown;
  if (file.toLowerCase().endsWith('.json')) {
    try {
      values = JSON.parse(text);
    } catch (err) {
      throw new InputError(`not valid JSON: ${(err as Error).message}`, file);
    }
    if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new InputError('a .tfvars.json file must hold one JSON object of variable values', file);
  } else {
    values = await parseHcl(file, text);
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    checkName(name, "variable name", file);
    out[name] = value;
  }
  return out;
}

/**
 * The variable files Terraform reads by itself in a root module's directory, in its order:
 * `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` in
 * lexical order (later files win).
 */
export function automaticVarFiles(dir: string): string[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
  const fixed = ['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n));
  const auto = names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')).sort();
  return [...fixed, ...auto].map((n) => join(dir, n));
}
