import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadCloudFormation, looksLikeCloudFormation, parseCloudFormation } from '../../src/loaders/cloudformation/index.js';
import { loadSnapshot } from '../../src/loaders/snapshot.js';
import { planBlocks, planOutputs } from '../../src/loaders/terraform/plan.js';
import { mapTerraformBlocks } from '../../src/loaders/terraform/map/index.js';
import { parsePositioned } from '../../src/util/yaml-document.js';
import type { Resource } from '../../src/model/resource.js';

const SNAPSHOT_PREFIX = /^(pass|fail|unknown|na)-/;
/** The name of a Terraform address (after its type), e.g. `aws_cognito_user_pool.fail_off[0]`. */
const TERRAFORM_PREFIX = /\.(pass|fail|unknown|na)_[^.]*$/;

/** The outcome a fixture resource's name asks for. */
export type FixturePrefix = 'pass' | 'fail' | 'unknown' | 'na';

/**
 * A rule fixture file: a snapshot whose resources are named pass-*, fail-*, unknown-*, na-*,
 * or a CloudFormation template (`*.template.yaml`/`.json`) whose logical ids start with Pass, Fail,
 * Unknown or Na. Resources a template makes without a logical id of their own (the operations
 * of an OpenAPI body, a quick-create route) are named by the last part of their id (after `#`,
 * split at `/` and spaces) that starts with pass-, fail-, unknown- or na-: `GET /pass-jwt`.
 * A Terraform plan (`*.plan.json`, as `terraform show -json` writes it) names its resources by
 * address; the block name starts with pass_, fail_, unknown_ or na_: `aws_cognito_user_pool.fail_off`,
 * `module.legacy.aws_cognito_user_pool.fail_sms`.
 */
export function loadRuleFixture(file: string): { resources: Resource[]; prefixOf(resource: Resource): FixturePrefix | undefined } {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.plan.json')) {
    const doc = parsePositioned(text, file);
    const blocks = planBlocks(file, doc);
    return {
      resources: mapTerraformBlocks(blocks, { format: 'terraform-plan', idPrefix: file, outputs: planOutputs(file, doc) }).resources,
      prefixOf: (r) => TERRAFORM_PREFIX.exec(r.name.split(' ')[0]!)?.[1] as FixturePrefix | undefined,
    };
  }
  if (!/\.template\.(ya?ml|json)$/.test(file)) {
    return { resources: loadSnapshot(file, text).resources, prefixOf: (r) => SNAPSHOT_PREFIX.exec(r.id)?.[1] as FixturePrefix | undefined };
  }
  const document = parseCloudFormation(file, text);
  if (!looksLikeCloudFormation(document.value)) throw new Error(`${file} is not a CloudFormation template`);
  return {
    resources: loadCloudFormation(file, text, { document }).resources,
    prefixOf: (r) =>
      (/^(Pass|Fail|Unknown|Na)(?=[A-Z0-9])/.exec(r.name)?.[1]?.toLowerCase() ??
        r.id
          .slice(r.id.indexOf('#') + 1)
          .split(/[/ ]/)
          .reverse()
          .map((part) => SNAPSHOT_PREFIX.exec(part)?.[1])
          .find((p) => p !== undefined)) as FixturePrefix | undefined,
  };
}

/**
 * A fixture folder's own settings: `params` its rule runs with instead of the defaults, for a
 * rule that judges nothing until a param states the policy.
 */
export const FIXTURE_CONFIG = 'fixture-config.yaml';

/** The fixture files of a folder (every YAML and JSON file but its FIXTURE_CONFIG). */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f !== FIXTURE_CONFIG && /\.(ya?ml|json)$/.test(f));
}

/** The config a fixture folder runs its rule with: its FIXTURE_CONFIG params, if it has one. */
export function fixtureConfig(dir: string, ruleId: string): { rules?: Record<string, { params: Record<string, unknown> }> } {
  const file = join(dir, FIXTURE_CONFIG);
  if (!existsSync(file)) return {};
  const { params } = parseYaml(readFileSync(file, 'utf8')) as { params: Record<string, unknown> };
  return { rules: { [ruleId]: { params } } };
}
