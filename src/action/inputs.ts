import { isSeverity, SEVERITIES } from '../model/severity.js';
import { isReporterName, type ReporterName } from '../reporters/index.js';
import type { FailOn } from '../cli/exit-code.js';
import { InputError } from '../util/input-error.js';
import { parseParameterAssignments } from '../loaders/cloudformation/parameters.js';

/**
 * Every input action.yml declares, in its order; a test checks the two lists are the same.
 * The runner passes them as `INPUT_<NAME>` (upper case, hyphens kept).
 */
export const ACTION_INPUTS = [
  'path',
  'format',
  'sarif-file',
  'fail-on',
  'config',
  'rules',
  'params',
  'param-files',
  'vars',
  'var-files',
  'baseline',
  'only-changed',
  'include-suppressed',
  'working-directory',
  'comment',
  'github-token',
] as const;

/** One declared input. */
export type ActionInputName = (typeof ACTION_INPUTS)[number];

/** The inputs, parsed and checked; paths are as given (relative to `workingDirectory`). */
export interface ActionInputs {
  paths: string[];
  format: ReporterName;
  sarifFile: string;
  /** Undefined: the config file's `failOn`, else `low` (the CLI's rule). */
  failOn?: FailOn;
  config?: string;
  rules: string[];
  params: Record<string, string>;
  paramFiles: string[];
  /** Terraform input variables. */
  vars: Record<string, string>;
  varFiles: string[];
  baseline?: string;
  onlyChanged: boolean;
  includeSuppressed: boolean;
  workingDirectory: string;
  comment: boolean;
  githubToken?: string;
}

/** `action.yml` defaults, applied here too: a runner applies them, `node dist/action.js` run by hand does not. */
export const INPUT_DEFAULTS: Partial<Record<ActionInputName, string>> = {
  path: '.',
  format: 'text',
  'sarif-file': 'cognito-guard.sarif',
  'working-directory': '.',
};

/** Non-empty lines, trimmed (multi-line inputs: one path or KEY=VALUE per line). */
function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** YAML 1.2 core booleans, as `core.getBooleanInput` accepts them; empty is false. */
function bool(name: ActionInputName, value: string): boolean {
  if (value === '' || ['false', 'False', 'FALSE'].includes(value)) return false;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  throw new InputError(`input ${name} must be true or false (got "${value}")`);
}

/**
 * Reads and checks every input through `get` (the raw, trimmed value; '' when unset). Throws
 * InputError naming the input for anything malformed.
 */
export function readInputs(get: (name: ActionInputName) => string): ActionInputs {
  const raw = (name: ActionInputName): string => {
    const value = get(name).trim();
    return value === '' ? (INPUT_DEFAULTS[name] ?? '') : value;
  };
  const format = raw('format');
  if (!isReporterName(format)) throw new InputError(`input format must be one of: text, json, sarif, markdown (got "${format}")`);
  const failOn = raw('fail-on');
  if (failOn !== '' && failOn !== 'none' && !isSeverity(failOn)) {
    throw new InputError(`input fail-on must be one of: ${[...SEVERITIES, 'none'].join(', ')} (got "${failOn}")`);
  }
  const params = parseParameterAssignments(lines(raw('params')), 'input params');
  const vars = parseParameterAssignments(lines(raw('vars')), 'input vars');
  const optional = (name: ActionInputName): string | undefined => raw(name) || undefined;
  const out: ActionInputs = {
    paths: lines(raw('path')),
    format,
    sarifFile: raw('sarif-file'),
    rules: lines(raw('rules')),
    params,
    paramFiles: lines(raw('param-files')),
    vars,
    varFiles: lines(raw('var-files')),
    onlyChanged: bool('only-changed', raw('only-changed')),
    includeSuppressed: bool('include-suppressed', raw('include-suppressed')),
    workingDirectory: raw('working-directory'),
    comment: bool('comment', raw('comment')),
  };
  if (failOn !== '') out.failOn = failOn as FailOn;
  const config = optional('config');
  if (config) out.config = config;
  const baseline = optional('baseline');
  if (baseline) out.baseline = baseline;
  const token = optional('github-token');
  if (token) out.githubToken = token;
  return out;
}
