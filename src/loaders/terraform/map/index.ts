import type { Diagnostic } from '../../../model/finding.js';
import type { ResourceKind } from '../../../model/kinds.js';
import type { Resource, SourceFormat } from '../../../model/resource.js';
import { Scope, Target } from '../../scope.js';
import { unresolveAll } from '../../unread.js';
import { Unknown } from '../../values.js';
import type { TerraformBlock } from '../block.js';

/** How one Terraform resource type becomes a resource of the model. */
interface Mapper {
  kind: ResourceKind;
  map(s: Scope, t: Target, block: TerraformBlock): void;
}

const MFA = ['OFF', 'ON', 'OPTIONAL'];

/** Terraform types the scanner understands; every other type is ignored. */
const MAPPERS: Record<string, Mapper> = {
  aws_cognito_user_pool: {
    kind: 'cognito.userPool',
    map: (s) => {
      s.string('name', 'name');
      s.enum('mfa_configuration', 'mfaConfiguration', MFA, { fallback: 'OFF' });
    },
  },
  aws_cognito_identity_pool: {
    kind: 'cognito.identityPool',
    map: (s) => {
      s.string('identity_pool_name', 'identityPoolName');
      s.bool('allow_unauthenticated_identities', 'allowUnauthenticatedIdentities', false);
      s.bool('allow_classic_flow', 'allowClassicFlow', false);
    },
  },
};

export interface TerraformMapOptions {
  format: Extract<SourceFormat, 'terraform' | 'terraform-plan'>;
  /** Prefix of resource ids: the module directory or the plan file, as shown (`infra`, `plan.json`). */
  idPrefix: string;
}

/**
 * Maps evaluated Terraform blocks (from HCL or from a plan) to the resource model, resolving
 * references between blocks by address. Blocks of types the scanner does not analyze are ignored.
 */
export function mapTerraformBlocks(blocks: readonly TerraformBlock[], options: TerraformMapOptions): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const built: Array<{ block: TerraformBlock; kind: ResourceKind; id: string; target: Target }> = [];
  for (const block of blocks) {
    if (block.mode !== 'managed' || !Object.hasOwn(MAPPERS, block.type)) continue;
    const mapper = MAPPERS[block.type]!;
    const target = new Target();
    built.push({ block, kind: mapper.kind, id: `${options.idPrefix}#${block.address}`, target });
    if (block.values instanceof Unknown) unresolveAll(target.unresolved, mapper.kind, block.values.reason);
    else mapper.map(new Scope(block, target), target, block);
  }
  const byAddress = new Map(built.map((b) => [b.block.address, b]));
  const resources = built.map(({ block, kind, id, target }): Resource => {
    const relations: Record<string, string[]> = {};
    for (const link of target.links) {
      for (const ref of link.refs) {
        const other = byAddress.get(ref);
        if (!other || !link.kinds.includes(other.kind)) continue;
        const ids = (relations[link.relation] ??= []);
        if (!ids.includes(other.id)) ids.push(other.id);
      }
    }
    return {
      ...(block.suppressions && { suppressions: block.suppressions }),
      kind,
      id,
      name: block.address,
      properties: target.properties,
      relations,
      unresolved: target.unresolved,
      defaults: target.defaults,
      source: { kind: options.format, file: block.file, ...block.position, properties: target.positions },
    };
  });
  return { resources, diagnostics };
}
