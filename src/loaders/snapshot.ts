import type { Diagnostic } from '../model/finding.js';
import type { ResourceKind } from '../model/kinds.js';
import type { Position, Resource } from '../model/resource.js';
import { describeError, mostSpecificError, validatorFor } from '../schemas.js';
import { InputError } from '../util/input-error.js';
import { splitPointer } from '../util/pointer.js';
import { parsePositioned, type PositionedDocument } from '../util/yaml-document.js';
import { IDP_SECRETS, SECRET_KEY } from './idp-secrets.js';
import { USER_POOL_CLIENT_DEFAULTS } from './aws-defaults.js';
import { propertyPositions } from './property-positions.js';
import type { LoadResult } from './types.js';
import type { Source, SourceOutput } from './source.js';
import { pushAll } from '../util/arrays.js';

interface SnapshotResource {
  kind: ResourceKind;
  id: string;
  name?: string;
  account?: string;
  region?: string;
  arn?: string;
  properties: Record<string, unknown>;
  relations?: Record<string, string[]>;
  unresolved?: Record<string, string>;
  defaults?: string[];
}

/** True when a parsed document looks like a cognito-guard snapshot (whether or not it is valid). */
export function looksLikeSnapshot(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    'resources' in value &&
    'version' in value &&
    !('Resources' in value)
  );
}

/**
 * Loads a snapshot (JSON or YAML), validating it against `schemas/snapshot.schema.json` and the
 * kind schemas. An invalid snapshot is an InputError naming the file, line and JSON pointer.
 */
export function loadSnapshot(file: string, text: string, parsed?: PositionedDocument): LoadResult {
  const doc = parsed ?? parsePositioned(text, file);
  const validate = validatorFor('snapshot.schema.json');
  if (!validate(doc.value)) {
    const error = mostSpecificError(validate.errors);
    const pointer = error?.instancePath ?? '';
    const pos = locateNearest(doc.locate, pointer);
    throw new InputError(
      `invalid snapshot at ${pointer || '/'}: ${error ? describeError(error) : 'does not match the snapshot schema'}`,
      file,
      pos?.line,
      pos?.column,
    );
  }
  const snapshot = doc.value as { resources: SnapshotResource[] };
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const resources = snapshot.resources.map((r, i): Resource => {
    const pointer = `/resources/${i}`;
    const pos = doc.locate(pointer);
    if (seen.has(r.id)) {
      throw new InputError(`invalid snapshot at ${pointer}/id: duplicate resource id "${r.id}"`, file, pos?.line, pos?.column);
    }
    seen.add(r.id);
    const { properties, defaults } = withAwsDefaults(r);
    const positions = propertyPositions(doc, r.properties, `${pointer}/properties`);
    return {
      kind: r.kind,
      id: r.id,
      name: r.name ?? r.id,
      ...(r.account !== undefined && { account: r.account }),
      ...(r.region !== undefined && { region: r.region }),
      ...(r.arn !== undefined && { arn: r.arn }),
      properties: r.kind === 'cognito.identityProvider' ? redactProviderDetails(properties, positions) : properties,
      relations: r.relations ?? {},
      unresolved: r.unresolved ?? {},
      defaults,
      source: {
        kind: 'snapshot',
        file,
        ...(pos ?? { pointer }),
        properties: positions,
      },
    };
  });
  for (const r of resources) {
    for (const [relation, ids] of Object.entries(r.relations)) {
      for (const id of ids) {
        if (!seen.has(id)) {
          diagnostics.push({
            severity: 'warning',
            code: 'dangling-relation',
            message: `${r.id}: relation ${relation} names "${id}", which is not in the snapshot`,
            file,
            ...(r.source.line !== undefined && { line: r.source.line }),
          });
        }
      }
    }
  }
  return { resources, diagnostics };
}

/**
 * A snapshot written by hand (or by an older tool) may carry an identity provider's secret in
 * providerDetails. It is dropped from the resource, and when the snapshot does not say where
 * the secret comes from, it is plain text in the snapshot file: `literal`, at its line.
 */
function redactProviderDetails(properties: Record<string, unknown>, positions: Record<string, Position>): Record<string, unknown> {
  const details = properties.providerDetails;
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return properties;
  const kept: Record<string, unknown> = {};
  let secret: { at?: Position } | undefined;
  for (const [key, value] of Object.entries(details)) {
    if (!SECRET_KEY.test(key)) {
      kept[key] = value;
      continue;
    }
    const path = `providerDetails.${key}`;
    if (IDP_SECRETS.includes(key) && value !== null && value !== '') secret ??= { at: positions[path] ?? positions.providerDetails };
    delete positions[path];
  }
  const out: Record<string, unknown> = { ...properties, providerDetails: kept };
  if (secret && properties.clientSecret === undefined) {
    out.clientSecret = { present: true, source: 'literal' };
    if (secret.at) positions['clientSecret.source'] = secret.at;
  }
  return out;
}

/**
 * A snapshot client without a token validity is one Cognito gives its defaults to, as a template
 * without the property is: apply them and note it, unless the snapshot says the value is unknown.
 */
function withAwsDefaults(r: SnapshotResource): { properties: Record<string, unknown>; defaults: string[] } {
  const properties = { ...r.properties };
  const defaults = [...(r.defaults ?? [])];
  if (r.kind === 'cognito.userPoolClient') {
    for (const [path, value] of Object.entries(USER_POOL_CLIENT_DEFAULTS)) {
      if (properties[path] !== undefined || Object.hasOwn(r.unresolved ?? {}, path)) continue;
      properties[path] = value;
      if (!defaults.includes(path)) defaults.push(path);
    }
  }
  return { properties, defaults };
}

function locateNearest(locate: (p: string) => { line: number; column: number } | undefined, pointer: string) {
  const segments = splitPointer(pointer);
  for (let n = segments.length; n >= 0; n--) {
    const p = segments.slice(0, n).map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
    const pos = locate(p);
    if (pos) return pos;
  }
  return undefined;
}

/** `resources:` and `version:` as keys, in YAML or JSON. */
const SNAPSHOT_KEYS = [/(^|[\s{,"'])resources["']?\s*:/m, /(^|[\s{,"'])version["']?\s*:/m];

/** cognito-guard snapshots (`export --live`, or written by hand): JSON or YAML. */
export const snapshotSource: Source<PositionedDocument> = {
  format: 'snapshot',
  label: 'cognito-guard snapshot',
  extensions: ['.json', '.yaml', '.yml'],
  match(c) {
    if (c.explicit || SNAPSHOT_KEYS.every((key) => key.test(c.text))) return 'yes';
    return c.text.includes('\\') ? 'maybe' : 'no';
  },
  claim(c) {
    // Snapshots have no tags: parsed as plain YAML/JSON.
    const doc = parsePositioned(c.text, c.file);
    return looksLikeSnapshot(doc.value) ? doc : undefined;
  },
  load(claims) {
    const out: SourceOutput = { resources: [], diagnostics: [], inputs: [] };
    for (const { candidate, data } of claims) {
      const loaded = loadSnapshot(candidate.file, candidate.text, data);
      pushAll(out.resources, loaded.resources);
      pushAll(out.diagnostics, loaded.diagnostics);
      out.inputs.push({ file: candidate.file, format: 'snapshot' });
    }
    return out;
  },
};
