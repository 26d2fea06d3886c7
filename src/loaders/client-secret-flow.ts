import type { Position } from '../model/resource.js';
import type { Target } from './scope.js';
import { Symbolic, Unknown, firstUnknown, isRecord, type Evaluated } from './values.js';

/**
 * Where an app client's secret goes inside the same IaC input (`cognito.userPoolClient`
 * property `secretExposedTo`). `!GetAtt Client.ClientSecret` and
 * `aws_cognito_user_pool_client.x.client_secret` are references, so the evaluated values keep
 * them as Symbolic text (`${Client.ClientSecret}`): only that text is matched, never the secret.
 */

/** A place a value ends up readable by more than its owner: an output, an environment variable, a plain parameter, a file. */
export interface SecretSink {
  /** Shown in the finding, e.g. `Lambda function Api environment variable CLIENT_SECRET`. */
  what: string;
  value: Evaluated;
  /** Where the sink is; used for a client in the same file (`file`, when the input has several). */
  position?: Position | undefined;
  file?: string | undefined;
  /**
   * The sink may not exist or not be public (a condition or a parameter type that cannot be
   * decided): the reason. A client whose secret reaches only such sinks is unknown.
   */
  doubt?: string | undefined;
  /** The sink is written with the secret in a form evaluation lost (an undecidable Fn::If): the reason. */
  hidden?: (client: string) => string | undefined;
}

/** The client ids whose secret attribute (`ClientSecret`, `client_secret`) a value contains. */
function clientsIn(v: Evaluated, attribute: string, out: Set<string>): void {
  if (v instanceof Symbolic) {
    for (const m of v.text.matchAll(/\$\{([^${}]+)\}/g)) {
      const ref = m[1]!;
      const dot = ref.lastIndexOf('.');
      if (dot > 0 && ref.slice(dot + 1) === attribute && v.refs.includes(ref.slice(0, dot))) out.add(ref.slice(0, dot));
    }
  } else if (Array.isArray(v)) {
    for (const item of v) clientsIn(item, attribute, out);
  } else if (isRecord(v)) {
    for (const item of Object.values(v)) clientsIn(item as Evaluated, attribute, out);
  }
}

/**
 * Sets `secretExposedTo` on every client: the sinks its secret reaches (a definite one fails
 * the rule), or unresolved when it reaches only sinks that may not exist or be public, or may
 * hold it behind a value evaluation could not decide.
 */
export function recordSecretFlows(
  clients: ReadonlyMap<string, Target>,
  sinks: readonly SecretSink[],
  attribute: string,
  fileOf: (client: string) => string | undefined = () => undefined,
): void {
  const exposed = new Map<string, SecretSink[]>();
  const doubts = new Map<string, string>();
  for (const sink of sinks) {
    const found = new Set<string>();
    clientsIn(sink.value, attribute, found);
    for (const client of clients.keys()) {
      if (found.has(client)) {
        if (sink.doubt !== undefined) doubts.set(client, doubts.get(client) ?? `${sink.what}: ${sink.doubt}`);
        else exposed.set(client, [...(exposed.get(client) ?? []), sink]);
        continue;
      }
      const hidden = sink.hidden?.(client);
      if (hidden !== undefined) doubts.set(client, doubts.get(client) ?? `${sink.what}: ${hidden}`);
    }
  }
  for (const [client, target] of clients) {
    const list = exposed.get(client) ?? [];
    const doubt = doubts.get(client);
    if (list.length === 0 && doubt !== undefined) {
      target.unresolved.secretExposedTo = doubt;
      continue;
    }
    target.properties.secretExposedTo = list.map((s) => s.what);
    const at = list.find((s) => s.position !== undefined && s.file === fileOf(client))?.position;
    if (at) target.positions.secretExposedTo = at;
  }
}

/**
 * For a sink whose raw text names `client`'s secret but whose evaluated value does not: the
 * reason when the value holds an Unknown (the secret may be behind it), else undefined (a
 * branch not taken).
 */
export function hiddenBehindUnknown(rawMentions: (client: string) => boolean, value: Evaluated): (client: string) => string | undefined {
  const unknown = firstUnknown(value);
  return (client) => (unknown && rawMentions(client) ? unknownReason(unknown) : undefined);
}

function unknownReason(u: Unknown): string {
  return `the value that may hold the secret is not known (${u.reason})`;
}
