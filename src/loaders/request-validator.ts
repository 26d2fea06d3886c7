import { API_GATEWAY_DEFAULTS } from './aws-defaults.js';
import { asBool, type PathSegment, type Scope } from './scope.js';
import { Unknown, type Evaluated } from './values.js';

/** The two flags of a REST API request validator, as its source states them (undefined: left out). */
export interface RequestValidatorFlags {
  body: Evaluated | undefined;
  parameters: Evaluated | undefined;
}

const FLAGS = [
  ['body', 'validateRequestBody'],
  ['parameters', 'validateRequestParameters'],
] as const;

/**
 * Records on a method what its request validator checks. API Gateway validates nothing for a
 * method without a validator (`undefined`), and a validator validates only what it turns on;
 * a validator that cannot be read leaves both flags unknown. Positions point at `from`, the
 * method property naming the validator.
 */
export function mapRequestValidation(s: Scope, validator: RequestValidatorFlags | Unknown | undefined, from: string | readonly PathSegment[]): void {
  for (const [key, out] of FLAGS) {
    if (validator instanceof Unknown) {
      s.unknown(out, validator.reason, from);
      continue;
    }
    const value = validator?.[key];
    if (value === undefined || value === null) {
      s.default(out, API_GATEWAY_DEFAULTS[out]);
      if (validator) s.position(s.out(out), from);
      continue;
    }
    const c = asBool(value);
    if ('reason' in c) s.unknown(out, c.reason, from);
    else s.set(out, c.value, from);
  }
}
