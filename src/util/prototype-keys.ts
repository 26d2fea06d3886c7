import { InputError } from './input-error.js';

/**
 * How cognito-guard keeps user-controlled keys away from object prototypes (one policy for
 * every input: templates, snapshots, configs, rule and profile files, parameter files,
 * baselines, `--param`, and JSON embedded in templates):
 *
 * - `__proto__` is the one key that changes an object's prototype when code copies it with
 *   `obj[key] = value` or `Object.assign` (JSON.parse and the yaml library both keep it as an
 *   own property, so the harm comes later, in any copy). `Properties: {__proto__: {MfaConfiguration: ON}}`
 *   would make a user pool *inherit* MFA ON. No format cognito-guard reads has a use for it
 *   (CloudFormation logical ids and parameter names are alphanumeric, and no property of a
 *   resource is named so), so it is rejected as an input error at its file and line.
 * - Every other name that exists on Object.prototype (`constructor`, `prototype`, `toString`,
 *   `hasOwnProperty`, `valueOf`) is an ordinary key: it is kept as data, and every lookup by a
 *   user-supplied name uses `Object.hasOwn` or a Map, so a missing name is missing (an
 *   unresolved value or an input error), never a value found on the prototype.
 */
export const PROTO_KEY = '__proto__';

/** The message for a `__proto__` key found at `where` (a JSON pointer or a name). */
export function protoKeyMessage(where: string): string {
  return `the key "${PROTO_KEY}" is not allowed${where ? ` (at ${where})` : ''}: it would change how the object is read`;
}

/** Throws an InputError for a parameter name (from `--param` or a parameter file) that is `__proto__`. */
export function checkName(name: string, what: string, file?: string, line?: number, column?: number): void {
  if (name === PROTO_KEY) throw new InputError(`${what} "${PROTO_KEY}" is not allowed: it would change how the object is read`, file, line, column);
}

/**
 * JSON.parse for JSON text embedded in an input (a policy document or an OpenAPI body given as
 * a string): a `__proto__` key makes it throw, like any other malformed document.
 */
export function parseJsonData(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === PROTO_KEY) throw new SyntaxError(protoKeyMessage(''));
    return value;
  });
}
