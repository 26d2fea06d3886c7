import { InputError } from '../../util/input-error.js';
import { PROTO_KEY, checkName } from '../../util/prototype-keys.js';
import { parsePositioned } from '../../util/yaml-document.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a file of parameter values, in any of the shapes tools write them:
 * - the CloudFormation CLI's `[{"ParameterKey": K, "ParameterValue": V}]`,
 * - a CodePipeline template configuration `{"Parameters": {K: V}}`,
 * - a flat `{K: V}` (Amplify's parameters.json).
 *
 * Lists of strings become a comma-separated string (what a CommaDelimitedList parameter takes);
 * values that are not plain data (e.g. `{"Fn::GetAtt": ...}` in Amplify files) come back as
 * `undefined`: the parameter is set, but its value is not known. A file of another shape is an
 * InputError with file and line. Values are never quoted in errors: they may be secrets.
 */
export function readParameterFile(file: string, text: string): Record<string, string | undefined> {
  const doc = parsePositioned(text, file);
  const value = doc.value;
  const at = (pointer: string, message: string): InputError => {
    const pos = doc.locate(pointer) ?? doc.locate('');
    return new InputError(message, file, pos?.line ?? 1, pos?.column ?? 1);
  };
  const out: Record<string, string | undefined> = {};
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (!isRecord(item) || typeof item.ParameterKey !== 'string') {
        throw at(`/${i}`, `parameter file: item ${i} must be an object with a string ParameterKey`);
      }
      // A key read from a value: the parser's check on keys does not see it (see prototype-keys.ts).
      if (item.ParameterKey === PROTO_KEY) throw at(`/${i}/ParameterKey`, `parameter file: item ${i}: ParameterKey "${PROTO_KEY}" is not a parameter name`);
      // UsePreviousValue keeps whatever the deployed stack has: unknown here.
      out[item.ParameterKey] = item.UsePreviousValue === true ? undefined : parameterValue(item.ParameterValue);
    });
    return out;
  }
  if (!isRecord(value)) {
    throw at('', 'parameter file must be a list of {ParameterKey, ParameterValue}, {"Parameters": {...}} or a mapping of names to values');
  }
  let entries = value;
  if (isRecord(value.Parameters) && Object.keys(value).every((k) => k === 'Parameters' || k === 'Tags' || k === 'StackPolicy')) {
    entries = value.Parameters;
  }
  for (const [key, v] of Object.entries(entries)) out[key] = parameterValue(v);
  return out;
}

function parameterValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
    return v.map(String).join(',');
  }
  return undefined;
}

/**
 * Template parameter values given as `KEY=VALUE` (the CLI's `--param`, the Action's `params`
 * lines); the value may itself contain `=`. `what` names the source in errors (`--param`).
 */
export function parseParameterAssignments(pairs: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`${what} must be KEY=VALUE (got "${pair}")`);
    checkName(pair.slice(0, eq), `${what} name`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
