import { SECRET_KEY } from './idp-secrets.js';
import type { Scope } from './scope.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from './values.js';

/**
 * Names of stage variables that hold credentials. Stage variables are plain configuration:
 * anyone who may call apigateway:GET on the API reads them, and they are copied into every
 * deployment's stage. A variable counts as a secret when its name says so (secret, password,
 * token, API key, credential, private key, but not a secret's name, ARN or id) or its value has the shape of a credential (an AWS
 * access key id, a JWT, a PEM private key, a URL with a password, a well-known token prefix).
 * Only names are ever returned: values stay out of resources and findings.
 */
const SECRET_NAME = new RegExp(`${SECRET_KEY.source}|passwd|token|api[-_]?key|credential|privatekey|auth[-_]?key`, 'i');
const SECRET_VALUES: readonly RegExp[] = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/,
  /^eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*$/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i,
  /\b(?:sk_live_|rk_live_|ghp_|gho_|github_pat_|xox[abpr]-|glpat-)[\w-]{10,}/,
  // CloudFormation resolves a dynamic reference before it sets the variable: the secret is then in the stage.
  /\{\{resolve:(?:secretsmanager|ssm-secure):/,
];

/** Whether a value, as text, has the shape of a credential. */
export function looksLikeSecretValue(value: string): boolean {
  return SECRET_VALUES.some((re) => re.test(value));
}

/** Names that point at a secret kept elsewhere (`backendSecretName`, `tokenArn`): the recommended way. */
const SECRET_POINTER = /(?:name|arn|id|path|ref)$/i;

/** Whether a stage variable's name says it holds a credential. */
export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !SECRET_POINTER.test(name);
}

/**
 * The variables of `vars` that hold secrets, or why that cannot be told (a value only known at
 * deploy time under a name that does not give it away). A variable found to be a secret
 * decides the answer whatever the unknown ones are.
 */
export function secretStageVariables(vars: Readonly<Record<string, Evaluated>>): { names: string[] } | { reason: string } {
  const names: string[] = [];
  let reason: string | undefined;
  for (const [name, value] of Object.entries(vars)) {
    if (looksLikeSecretName(name)) names.push(name);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (looksLikeSecretValue(String(value))) names.push(name);
    } else if (value instanceof Symbolic) {
      // A reference to another resource's attribute is an id or an ARN, never a credential; a
      // literal part around it is judged.
      if (looksLikeSecretValue(value.text)) names.push(name);
    } else reason ??= `the value of stage variable ${name} is not known${value instanceof Unknown ? `: ${value.reason}` : ''}`;
  }
  return names.length > 0 || reason === undefined ? { names: names.sort() } : { reason };
}

/** Maps a stage's variables (`from`) to `secretVariables`: the names of those holding secrets. */
export function mapSecretVariables(s: Scope, from: string): void {
  const vars = s.get(from);
  if (vars === undefined) return;
  const found = isRecord(vars) ? secretStageVariables(vars as Record<string, Evaluated>) : { reason: vars instanceof Unknown ? vars.reason : `${from} is not a mapping` };
  if ('reason' in found) s.unknown('secretVariables', found.reason, from);
  else s.set('secretVariables', found.names, from);
}
