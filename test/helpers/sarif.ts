import { SHARED_DIR } from './shared.js';
import { existsSync, readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

// Both packages are CommonJS; under NodeNext their default export may arrive wrapped.
type AjvCtor = new (options: Record<string, unknown>) => {
  compile(schema: object): ValidateFunction;
};
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: AjvCtor }).default ??
  (AjvDraft04Module as unknown as AjvCtor));
const addFormats = ((addFormatsModule as unknown as { default?: (ajv: unknown) => unknown }).default ??
  (addFormatsModule as unknown as (ajv: unknown) => unknown));

/**
 * The OASIS SARIF 2.1.0 Errata 01 schema (draft-04), kept outside the project in the shared
 * folder next to the repository (never copied into the package).
 */
const SCHEMA_CANDIDATES = [`${SHARED_DIR}/schemas/sarif-schema-2.1.0.json`];

let validateSchema: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (validateSchema) return validateSchema;
  const file = SCHEMA_CANDIDATES.find((f) => existsSync(f));
  if (!file) throw new Error(`SARIF schema not found; looked in ${SCHEMA_CANDIDATES.join(', ')}`);
  // strict mode trips on `required` inside `anyOf` in the OASIS schema.
  const ajv = new AjvDraft04({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  validateSchema = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  return validateSchema;
}

const PRECISIONS = new Set(['very-high', 'high', 'medium', 'low']);
const MAX_RUNS = 20;
const MAX_RESULTS = 25_000;
const MAX_RULES = 25_000;
const MAX_LOCATIONS = 1_000;
const MAX_TAGS = 20;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function schemaErrors(log: unknown): string[] {
  const validate = schemaValidator();
  if (validate(log)) return [];
  return (validate.errors ?? [])
    // upload-sarif downgrades uri/uri-reference format failures to warnings (codeql-action #1703).
    .filter((e: ErrorObject) => !(e.keyword === 'format' && /^uri/.test(String(e.params.format))))
    // The generic wrappers only repeat what the specific errors say.
    .filter((e: ErrorObject) => !['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword))
    .map((e: ErrorObject) => `schema: ${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

/** Why GitHub code scanning would reject or mis-show the log (docs "SARIF support" + upload-sarif). */
function githubErrors(log: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(log)) return ['log: not an object'];
  if (log.version !== '2.1.0') problems.push('log: version must be "2.1.0"');
  if (typeof log.$schema !== 'string' || log.$schema === '') problems.push('log: $schema is required');
  const runs = asArray(log.runs);
  if (!Array.isArray(log.runs) || runs.length === 0) problems.push('log: runs[] must have at least one run');
  if (runs.length > MAX_RUNS) problems.push(`log: ${runs.length} runs; GitHub accepts at most ${MAX_RUNS}`);
  const seenRuns = new Set<string>();

  runs.forEach((run, r) => {
    const at = `runs[${r}]`;
    if (!isObject(run)) return void problems.push(`${at}: not an object`);
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : undefined;
    if (!driver || !str(driver.name)) problems.push(`${at}.tool.driver.name is required`);
    const automationId = isObject(run.automationDetails) ? str(run.automationDetails.id) : undefined;
    const category = automationId === undefined ? '' : automationId.slice(0, automationId.lastIndexOf('/') + 1 || undefined);
    const runKey = `${str(driver?.name) ?? ''}\u0000${category}`;
    if (seenRuns.has(runKey)) problems.push(`${at}: another run has the same tool and category`);
    seenRuns.add(runKey);

    const rules = asArray(driver?.rules);
    if (rules.length > MAX_RULES) problems.push(`${at}: ${rules.length} rules; GitHub accepts at most ${MAX_RULES}`);
    const ruleIds: (string | undefined)[] = [];
    rules.forEach((rule, i) => {
      const where = `${at}.tool.driver.rules[${i}]`;
      if (!isObject(rule)) return void problems.push(`${where}: not an object`);
      const id = str(rule.id);
      ruleIds.push(id);
      if (!id) problems.push(`${where}.id is required`);
      for (const key of ['shortDescription', 'fullDescription', 'help'] as const) {
        const value = rule[key];
        if (!isObject(value) || !str(value.text)) problems.push(`${where}.${key}.text is required and must not be empty`);
      }
      const props = isObject(rule.properties) ? rule.properties : {};
      const tags = asArray(props.tags);
      if (tags.length > MAX_TAGS) problems.push(`${where}: ${tags.length} tags; GitHub keeps at most ${MAX_TAGS}`);
      if (props.precision !== undefined && !PRECISIONS.has(String(props.precision))) {
        problems.push(`${where}.properties.precision must be one of ${[...PRECISIONS].join(', ')}`);
      }
      const score = props['security-severity'];
      if (score !== undefined) {
        const n = typeof score === 'string' && /^\d+(\.\d+)?$/.test(score) ? Number(score) : NaN;
        if (typeof score !== 'string') problems.push(`${where}.properties.security-severity must be a string`);
        else if (!(n > 0 && n <= 10)) problems.push(`${where}.properties.security-severity must be in (0.0, 10.0], got "${score}"`);
        if (!tags.includes('security')) problems.push(`${where}: security-severity needs the "security" tag`);
      }
    });
    const duplicates = ruleIds.filter((id, i) => id !== undefined && ruleIds.indexOf(id) !== i);
    if (duplicates.length > 0) problems.push(`${at}: duplicate rule ids ${[...new Set(duplicates)].join(', ')}`);

    if (!Array.isArray(run.results)) problems.push(`${at}.results must be present (an empty array when clean)`);
    const results = asArray(run.results);
    if (results.length > MAX_RESULTS) problems.push(`${at}: ${results.length} results; GitHub accepts at most ${MAX_RESULTS}`);
    results.forEach((result, i) => {
      const where = `${at}.results[${i}]`;
      if (!isObject(result)) return void problems.push(`${where}: not an object`);
      const ruleId = str(result.ruleId);
      if (ruleId === undefined) problems.push(`${where}.ruleId is required`);
      else if (!ruleIds.includes(ruleId)) problems.push(`${where}.ruleId "${ruleId}" is not declared in tool.driver.rules`);
      if (result.ruleIndex !== undefined) {
        const index = result.ruleIndex;
        if (typeof index !== 'number' || ruleIds[index] !== ruleId) {
          problems.push(`${where}.ruleIndex ${String(index)} does not point at rule "${ruleId}"`);
        }
      }
      const message = isObject(result.message) ? str(result.message.text) : undefined;
      if (!message || message.trim() === '') problems.push(`${where}.message.text is required and must not be empty`);
      const locations = asArray(result.locations);
      if (locations.length === 0) problems.push(`${where}: needs at least one location`);
      if (locations.length > MAX_LOCATIONS) problems.push(`${where}: more than ${MAX_LOCATIONS} locations`);
      // GitHub only reads the first location.
      const first = locations[0];
      if (locations.length > 0) {
        const physical = isObject(first) && isObject(first.physicalLocation) ? first.physicalLocation : undefined;
        const artifact = physical && isObject(physical.artifactLocation) ? physical.artifactLocation : undefined;
        const uri = artifact ? str(artifact.uri) : undefined;
        if (!physical) problems.push(`${where}.locations[0] has no physicalLocation (logical-only locations are rejected)`);
        else if (!uri) problems.push(`${where}.locations[0].physicalLocation.artifactLocation.uri is required and must not be empty`);
        else {
          if (/^arn:/i.test(uri)) problems.push(`${where}: uri "${uri}" is an ARN, not a file path`);
          else {
            const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1];
            // A Windows drive letter is a path, not a scheme.
            if (scheme && scheme.toLowerCase() !== 'file' && scheme.length > 1) {
              problems.push(`${where}: uri "${uri}" has scheme "${scheme}:"; GitHub only shows file paths`);
            }
          }
          if (/\s/.test(uri)) problems.push(`${where}: uri "${uri}" contains whitespace`);
        }
        const region = physical && isObject(physical.region) ? physical.region : undefined;
        const startLine = region?.startLine;
        if (typeof startLine !== 'number' || !Number.isInteger(startLine) || startLine < 1) {
          problems.push(`${where}.locations[0].physicalLocation.region.startLine must be an integer >= 1`);
        }
      }
    });
  });
  return problems;
}

/**
 * Problems with a SARIF log, empty when it is valid: the official SARIF 2.1.0 schema plus the
 * rules GitHub code scanning applies on upload (which a schema check alone never catches,
 * e.g. logical-only locations or ARN URIs).
 */
export function validateSarif(log: unknown): string[] {
  return [...schemaErrors(log), ...githubErrors(log)];
}
