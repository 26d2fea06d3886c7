import type { Severity } from '../model/severity.js';
import { validatorFor } from '../schemas.js';
import { InputError } from '../util/input-error.js';
import { parsePositioned } from '../util/yaml-document.js';
import { errorAt, schemaError } from './load.js';
import type { RuleSetting } from './types.js';

/** One config suppression (see `schemas/config.schema.json#/definitions/suppression`). */
export interface ConfigSuppression {
  /** Rule id or glob. */
  rule: string;
  /** Resource id or name, exact or glob (`*`, `?`). */
  resource: string;
  /** Only findings whose detail matches one of these (exact or glob). */
  appliesTo?: string[];
  reason: string;
  /** `YYYY-MM-DD`; applies through that day (UTC). */
  expires?: string;
}

/** `.cognito-guard.yml`, validated by `schemas/config.schema.json`. */
export interface ConfigFile {
  profile?: string;
  failOn?: Severity | 'none';
  rules?: Record<string, RuleSetting>;
  /** Param name -> value for every rule that declares it. */
  params?: Record<string, unknown>;
  ruleDirs?: string[];
  suppressions?: ConfigSuppression[];
}

/** The config the engine applies; the profile is loaded by name when rules are compiled. */
export type ResolvedConfig = ConfigFile;

/**
 * The error for a config problem found after parsing (an unknown rule id, a param of the wrong
 * type), at a JSON pointer into the config, e.g. `/rules/no-such-rule`.
 */
export type ConfigErrorAt = (pointer: string, message: string) => InputError;

/** A config given as an object has no file to point into. */
export const unpositionedConfigError: ConfigErrorAt = (pointer, message) => new InputError(`invalid config: ${pointer || '/'}: ${message}`);

/** A parsed config file with a way to report later problems at their line. */
export interface LoadedConfig {
  config: ConfigFile;
  errorAt: ConfigErrorAt;
}

/**
 * Parses and validates a config file, keeping the document's positions so that problems found
 * later (when rules are compiled) name the file and line too.
 */
export function parseConfigFile(file: string, text: string): LoadedConfig {
  const doc = parsePositioned(text, file);
  const value = doc.value ?? {};
  const validate = validatorFor('config.schema.json');
  if (!validate(value)) throw schemaError(doc, file, validate.errors, 'config');
  return {
    config: value as ConfigFile,
    errorAt: (pointer, message) => errorAt(doc, file, pointer, `invalid config: ${pointer || '/'}: ${message}`),
  };
}

/**
 * Parses and validates a config file. A mistake is an InputError at the file, line and column
 * of the offending key, e.g. `.cognito-guard.yml:7:7: invalid config: /suppressions/0/reason: must NOT have fewer than 10 characters`.
 */
export function loadConfigFile(file: string, text: string): ConfigFile {
  return parseConfigFile(file, text).config;
}
