import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from './util/package-root.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats));

let ajv: Ajv | undefined;

/** Base URI of every schema under `schemas/`. */
export const SCHEMA_BASE = 'https://cognito-guard.dev/schemas/';

/** The one ajv instance, with every schema in `schemas/` (and `schemas/resources/`) added. */
export function schemaRegistry(): Ajv {
  if (ajv) return ajv;
  // Not allErrors: ajv then collects every error of every entry, which grows quadratically on a
  // large invalid file (30,000 bad rule settings took 37 s); the first failing entry, with the
  // errors of each oneOf/anyOf branch it tried, is enough to name the mistake.
  const instance = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
  addFormats(instance);
  const root = join(packageRoot(), 'schemas');
  for (const dir of [root, join(root, 'resources')]) {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.schema.json')) continue;
      instance.addSchema(JSON.parse(readFileSync(join(dir, name), 'utf8')) as object);
    }
  }
  ajv = instance;
  return instance;
}

/** The compiled validator of `schemas/<name>` (e.g. `snapshot.schema.json`, `resources/iam.role.schema.json`). */
export function validatorFor(name: string): ValidateFunction {
  const validate = schemaRegistry().getSchema(SCHEMA_BASE + name);
  if (!validate) throw new Error(`cognito-guard: no schema ${name}`);
  return validate;
}

/** The raw JSON Schema object of `schemas/<name>`. */
export function schemaFor(name: string): Record<string, unknown> {
  const validate = validatorFor(name);
  return validate.schema as Record<string, unknown>;
}

/**
 * Picks the most telling of ajv's errors: the deepest instance path, preferring errors that are
 * not the generic `if`/`anyOf`/`oneOf` wrappers (like Custodian's specific_error).
 */
export function mostSpecificError(errors: ErrorObject[] | null | undefined): ErrorObject | undefined {
  if (!errors || errors.length === 0) return undefined;
  const generic = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'then']);
  const ranked = [...errors].sort((a, b) => {
    const g = Number(generic.has(a.keyword)) - Number(generic.has(b.keyword));
    if (g !== 0) return g;
    return b.instancePath.split('/').length - a.instancePath.split('/').length;
  });
  return ranked[0];
}

/** One line describing an ajv error, e.g. `must be equal to one of the allowed values: OFF, ON, OPTIONAL`. */
export function describeError(error: ErrorObject): string {
  // An error about a key rather than its value (propertyNames): name the key.
  if (error.propertyName !== undefined && error.keyword !== 'propertyNames') return `key ${JSON.stringify(error.propertyName)}: ${describeError({ ...error, propertyName: undefined })}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of: ${params.allowedValues.map(String).join(', ')}`;
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `unknown property "${params.additionalProperty}"`;
  }
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `missing required property "${params.missingProperty}"`;
  }
  if (error.keyword === 'const' && params.allowedValue !== undefined) {
    return `must be ${JSON.stringify(params.allowedValue)}`;
  }
  return error.message ?? error.keyword;
}
