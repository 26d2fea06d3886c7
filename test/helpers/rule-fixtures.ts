import { readFileSync } from 'node:fs';
import { loadCloudFormation, looksLikeCloudFormation, parseCloudFormation } from '../../src/loaders/cloudformation/index.js';
import { loadSnapshot } from '../../src/loaders/snapshot.js';
import type { Resource } from '../../src/model/resource.js';

/** The outcome a fixture resource's name asks for. */
export type FixturePrefix = 'pass' | 'fail' | 'unknown' | 'na';

/**
 * A rule fixture file: a snapshot whose resources are named pass-*, fail-*, unknown-*, na-*,
 * or a CloudFormation template (`*.template.yaml`/`.json`) whose logical ids, alphanumeric
 * only, start with Pass, Fail, Unknown or Na.
 */
export function loadRuleFixture(file: string): { resources: Resource[]; prefixOf(resource: Resource): FixturePrefix | undefined } {
  const text = readFileSync(file, 'utf8');
  if (!/\.template\.(ya?ml|json)$/.test(file)) {
    return { resources: loadSnapshot(file, text).resources, prefixOf: (r) => /^(pass|fail|unknown|na)-/.exec(r.id)?.[1] as FixturePrefix | undefined };
  }
  const document = parseCloudFormation(file, text);
  if (!looksLikeCloudFormation(document.value)) throw new Error(`${file} is not a CloudFormation template`);
  return {
    resources: loadCloudFormation(file, text, { document }).resources,
    prefixOf: (r) => /^(Pass|Fail|Unknown|Na)(?=[A-Z0-9])/.exec(r.name)?.[1]?.toLowerCase() as FixturePrefix | undefined,
  };
}
