import type { Diagnostic } from '../../../model/finding.js';
import type { ResourceKind } from '../../../model/kinds.js';
import type { Position, Resource, SourceFormat } from '../../../model/resource.js';
import { parseRoleArn } from '../../../util/role-arn.js';
import { splitPointer } from '../../../util/pointer.js';
import type { PositionedDocument } from '../../../util/yaml-document.js';
import { Reader, type Built } from '../../cloudformation/builder.js';
import { joinClientSettings, joinPoolSettings, logDeliverySetting, mapRoleAttachments, riskConfigurationSetting, type RoleAttachment, type RoleIdOf } from '../../cloudformation/map/cognito.js';
import { linkRolePolicies, type AttachedArn, type RoleLinkSource } from '../../cloudformation/map/iam.js';
import { httpRoute, openApiResources, type ApiContext } from '../../cloudformation/map/openapi.js';
import { Scope, Target } from '../../scope.js';
import { unresolveAll, unresolveCompanions } from '../../unread.js';
import { API_MAPPING_KEYS, applyApiMappings, type ApiMapping } from '../../api-mappings.js';
import { applyWafAssociations, WAF_ASSOCIATION_KEYS, type WafAssociation } from '../../waf-associations.js';
import { Symbolic, Unknown, type Evaluated } from '../../values.js';
import type { TerraformBlock, TerraformOutput } from '../block.js';
import * as api from './apigateway.js';
import * as cognito from './cognito.js';
import * as iam from './iam.js';
import { BlockReader } from './reader.js';
import { terraformSecretFlows } from './secret-flow.js';

/** Everything a mapper may look at besides its own block. */
interface MapContext extends api.ApiLookup {}

/** How one Terraform resource type becomes a resource of the model. */
interface Mapper {
  kind: ResourceKind;
  map(s: Scope, t: Target, block: TerraformBlock, ctx: MapContext): void;
}

/** Terraform types the scanner understands; every other type is ignored. */
const MAPPERS: Record<string, Mapper> = {
  aws_cognito_user_pool: { kind: 'cognito.userPool', map: (s, t) => cognito.mapUserPool(s, t) },
  aws_cognito_user_pool_client: { kind: 'cognito.userPoolClient', map: (s, t) => cognito.mapUserPoolClient(s, t) },
  aws_cognito_identity_provider: { kind: 'cognito.identityProvider', map: (s, t) => cognito.mapIdentityProvider(s, t) },
  aws_cognito_user_pool_domain: { kind: 'cognito.userPoolDomain', map: (s, t) => cognito.mapUserPoolDomain(s, t) },
  aws_cognito_identity_pool: { kind: 'cognito.identityPool', map: (s, t) => cognito.mapIdentityPool(s, t) },
  aws_cognito_user_group: { kind: 'cognito.userPoolGroup', map: (s, t) => cognito.mapUserPoolGroup(s, t) },
  aws_iam_role: { kind: 'iam.role', map: (s) => iam.mapRole(s) },
  aws_iam_role_policy: { kind: 'iam.policy', map: (s, _t, b) => iam.mapPolicy(s, b.type) },
  aws_iam_policy: { kind: 'iam.policy', map: (s, _t, b) => iam.mapPolicy(s, b.type) },
  aws_api_gateway_rest_api: { kind: 'apigateway.restApi', map: (s) => api.mapRestApi(s) },
  aws_api_gateway_method: { kind: 'apigateway.method', map: (s, t, b, ctx) => api.mapMethod(s, t, b, ctx) },
  aws_api_gateway_authorizer: { kind: 'apigateway.authorizer', map: (s, t) => api.mapAuthorizer(s, t) },
  aws_api_gateway_stage: { kind: 'apigateway.stage', map: (s, t) => api.mapStage(s, t) },
  aws_api_gateway_domain_name: { kind: 'apigateway.domainName', map: (s) => api.mapDomainName(s) },
  aws_apigatewayv2_domain_name: { kind: 'apigateway.domainName', map: (s) => api.mapV2DomainName(s) },
  aws_apigatewayv2_api: { kind: 'apigatewayv2.api', map: (s) => api.mapV2Api(s) },
  aws_apigatewayv2_route: { kind: 'apigatewayv2.route', map: (s, t, _b, ctx) => api.mapV2Route(s, t, ctx) },
  aws_apigatewayv2_authorizer: { kind: 'apigatewayv2.authorizer', map: (s, t, _b, ctx) => api.mapV2Authorizer(s, t, ctx) },
  aws_apigatewayv2_stage: { kind: 'apigatewayv2.stage', map: (s, t) => api.mapV2Stage(s, t) },
};

/**
 * Types that are no resource of the model but change one: they are merged into the resource
 * they name (as the live source reads groups and resource servers with their pool).
 */
const ROLE_ATTACHMENT = 'aws_cognito_identity_pool_roles_attachment';
const RISK_CONFIGURATION = 'aws_cognito_risk_configuration';
const LOG_DELIVERY = 'aws_cognito_log_delivery_configuration';
const LOG_SETTING = logDeliverySetting({
  logConfigurations: 'log_configurations',
  eventSource: 'event_source',
  logLevel: 'log_level',
  destinations: { cloudWatchLogs: 'cloud_watch_logs_configuration', s3: 's3_configuration', firehose: 'firehose_configuration' },
});
const RISK_SETTING = riskConfigurationSetting({
  clientId: 'client_id',
  compromisedCredentials: 'compromised_credentials_risk_configuration',
  compromisedCredentialsAction: 'compromised_credentials_risk_configuration.actions.event_action',
  compromisedCredentialsEvents: 'compromised_credentials_risk_configuration.event_filter',
  accountTakeover: 'account_takeover_risk_configuration',
  takeoverAction: {
    low: 'account_takeover_risk_configuration.actions.low_action.event_action',
    medium: 'account_takeover_risk_configuration.actions.medium_action.event_action',
    high: 'account_takeover_risk_configuration.actions.high_action.event_action',
  },
});
const POLICY_ATTACHMENT = 'aws_iam_role_policy_attachment';
const REST_API_POLICY = 'aws_api_gateway_rest_api_policy';
const METHOD_SETTINGS = 'aws_api_gateway_method_settings';
const PRINCIPAL_TAG = 'aws_cognito_identity_pool_provider_principal_tag';
const POOL_PARTS: Record<string, { out: 'groups' | 'resourceServers' | 'principalTags'; map(s: Scope): void; pool?: 'identity' }> = {
  aws_cognito_user_group: { out: 'groups', map: cognito.mapUserGroup },
  aws_cognito_resource_server: { out: 'resourceServers', map: cognito.mapResourceServer },
  [PRINCIPAL_TAG]: { out: 'principalTags', map: cognito.mapPrincipalTag, pool: 'identity' },
};

export interface TerraformMapOptions {
  format: Extract<SourceFormat, 'terraform' | 'terraform-plan'>;
  /** Prefix of resource ids: the module directory or the plan file, as shown (`infra`, `plan.json`). */
  idPrefix: string;
  /** The root module's outputs, where a client secret may be sent. */
  outputs?: readonly TerraformOutput[];
}

/** One resource being built: a block's, or one an API's OpenAPI body defines. */
interface TfBuilt {
  /** The block's address, or `<api address>/<operation>` for a generated one. */
  logicalId: string;
  block: TerraformBlock;
  kind: ResourceKind;
  id: string;
  name: string;
  reader: BlockReader | Reader;
  target: Target;
  /** Where a generated resource is defined, when it is not the block. */
  position?: Position | undefined;
}

/**
 * Maps evaluated Terraform blocks (from HCL or from a plan) to the resource model, resolving
 * references between blocks by address. Blocks of types the scanner does not analyze are ignored.
 */
export function mapTerraformBlocks(blocks: readonly TerraformBlock[], options: TerraformMapOptions): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const managed = blocks.filter((b) => b.mode === 'managed');
  const byBlockAddress = new Map(managed.map((b) => [b.address, b]));
  const ctx: MapContext = {
    block: (address) => byBlockAddress.get(address),
    integrations: managed.filter((b) => b.type === 'aws_api_gateway_integration'),
  };
  const built: TfBuilt[] = [];
  const byAddress = new Map<string, TfBuilt>();
  const add = (b: TfBuilt): void => {
    built.push(b);
    byAddress.set(b.logicalId, b);
  };
  for (const block of managed) {
    if (!Object.hasOwn(MAPPERS, block.type)) continue;
    const mapper = MAPPERS[block.type]!;
    const target = new Target();
    const reader = new BlockReader(block);
    const b: TfBuilt = { logicalId: block.address, block, kind: mapper.kind, id: `${options.idPrefix}#${block.address}`, name: block.address, reader, target };
    add(b);
    if (block.values instanceof Unknown) {
      unresolveAll(target.unresolved, mapper.kind, block.values.reason);
      continue;
    }
    mapper.map(new Scope(reader, target), target, block, ctx);
    if (block.type === 'aws_api_gateway_rest_api' || block.type === 'aws_apigatewayv2_api') {
      for (const c of apiOperations(b, options)) add(c);
    }
  }

  const known = (value: Evaluated | undefined, kind: ResourceKind): TfBuilt | undefined => {
    const ref = value instanceof Symbolic && value.refs.length === 1 ? value.refs[0]! : undefined;
    const b = ref === undefined ? undefined : byAddress.get(ref);
    return b?.kind === kind ? b : undefined;
  };
  const noTarget = (block: TerraformBlock, what: string): void => {
    const pos = block.position;
    diagnostics.push({ severity: 'info', code: 'terraform-target-not-found', message: `${block.address}: ${what} is not in the inputs`, file: block.file, line: pos.line, column: pos.column });
  };

  // Groups and resource servers join their user pool, principal tag maps their identity pool.
  for (const block of managed) {
    const part = Object.hasOwn(POOL_PARTS, block.type) ? POOL_PARTS[block.type]! : undefined;
    if (!part) continue;
    const [key, kind] = part.pool === 'identity' ? (['identity_pool_id', 'cognito.identityPool'] as const) : (['user_pool_id', 'cognito.userPool'] as const);
    const pool = block.values instanceof Unknown ? undefined : known(block.get([key]), kind);
    if (!pool) {
      noTarget(block, `the ${part.pool === 'identity' ? 'identity' : 'user'} pool it belongs to`);
      continue;
    }
    const list = (pool.target.properties[part.out] ??= []) as unknown[];
    const s = new Scope(new BlockReader(block), pool.target, [], `${part.out}[${list.length}]`);
    list.push({});
    s.position(s.outPrefix, []);
    part.map(s);
  }

  // A rest API policy is the API's `policy`, written in its own block.
  for (const block of managed) {
    if (block.type !== REST_API_POLICY || block.values instanceof Unknown) continue;
    const restApi = known(block.get(['rest_api_id']), 'apigateway.restApi');
    if (!restApi) noTarget(block, 'the REST API whose policy it sets');
    else new Scope(new BlockReader(block), restApi.target).policy('policy', 'policy');
  }

  // Method settings join the stage they name: by reference, or by stage name and the same API.
  for (const block of managed) {
    if (block.type !== METHOD_SETTINGS) continue;
    const named = block.values instanceof Unknown ? block.values : block.get(['stage_name']);
    const stage =
      known(named, 'apigateway.stage') ??
      built.find((b) => b.kind === 'apigateway.stage' && typeof named === 'string' && b.target.properties.stageName === named && sameText(b.reader.get(['rest_api_id']), block.get(['rest_api_id'])));
    if (stage) {
      api.mapStageMethodSettings(stage.target, block);
      continue;
    }
    noTarget(block, 'the stage it configures');
    // When the stage cannot be told, any stage of the inputs may be the one: its settings cannot be known.
    if (named instanceof Unknown) {
      for (const b of built) if (b.kind === 'apigateway.stage') b.target.unresolved.methodSettings = `${block.address} configures a stage that cannot be told`;
    }
  }

  roleAttachments(managed, byAddress, built, known, noTarget);
  poolSettings(managed, built, known, noTarget);

  // A web ACL association names the stage or user pool by `arn`.
  const wafAssociations: WafAssociation[] = [];
  for (const block of managed) {
    if (!Object.hasOwn(WAF_ASSOCIATION_KEYS, block.type)) continue;
    wafAssociations.push({ name: block.address, reader: new BlockReader(block), ...WAF_ASSOCIATION_KEYS[block.type as keyof typeof WAF_ASSOCIATION_KEYS] });
  }
  const apiMappings: ApiMapping[] = [];
  for (const block of managed) {
    if (Object.hasOwn(API_MAPPING_KEYS, block.type)) apiMappings.push({ name: block.address, reader: new BlockReader(block), ...API_MAPPING_KEYS[block.type]! });
  }
  applyApiMappings(apiMappings, built, (id, kinds) =>
    id instanceof Symbolic && id.refs.length === 1 && id.text === `\${${id.refs[0]}.id}` ? kinds.map((k) => known(id, k)).find((b) => b !== undefined) : undefined,
  );
  applyWafAssociations(wafAssociations, built, (arn) =>
    arn instanceof Symbolic && arn.refs.length === 1 && arn.text === `\${${arn.refs[0]}.arn}` ? (known(arn, 'apigateway.stage') ?? known(arn, 'cognito.userPool')) : undefined,
  );
  // A module the scanner cannot read (its stand-ins are named `*`), or a web ACL association,
  // domain mapping or principal tag block it cannot expand, may set those properties elsewhere.
  const companion = (type: string) => Object.hasOwn(WAF_ASSOCIATION_KEYS, type) || Object.hasOwn(API_MAPPING_KEYS, type) || type === PRINCIPAL_TAG;
  const unread = managed.find((b) => b.values instanceof Unknown && (b.name === '*' || companion(b.type)));
  if (unread) unresolveCompanions(built, (unread.values as Unknown).reason);

  // Policy attachments add managed policy ARNs to the role they name.
  const attachedArns = new Map<TfBuilt, AttachedArn[]>();
  const unreadableAttachments = new Map<TfBuilt, string>();
  for (const block of managed) {
    if (block.type !== POLICY_ATTACHMENT) continue;
    const role = block.values instanceof Unknown ? undefined : roleNamed(block.get(['role']), byAddress, built);
    if (!role) {
      noTarget(block, 'the role it attaches a policy to');
      // When the role cannot be told, any role of the inputs may be the one: its permissions cannot be known.
      const named = block.values instanceof Unknown ? block.values : block.get(['role']);
      if (named instanceof Unknown) {
        for (const r of built) if (r.kind === 'iam.role') unreadableAttachments.set(r, `${block.address} attaches a policy to a role that cannot be told`);
      }
      continue;
    }
    const list = attachedArns.get(role) ?? [];
    list.push({ value: block.get(['policy_arn']) ?? null, position: block.locate(['policy_arn']) });
    attachedArns.set(role, list);
  }
  const links: RoleLinkSource<TfBuilt> = {
    rolesOf: (policy) => (policy.block.type === 'aws_iam_role_policy' ? ['role'] : undefined),
    isManaged: (policy) => policy.block.type === 'aws_iam_policy',
    documentAt: ['policy'],
    managedArns: (role) => {
      const why = unreadableAttachments.get(role);
      if (why) return { reason: why };
      const own = role.block.values instanceof Unknown ? undefined : role.reader.get(['managed_policy_arns']);
      if (own !== undefined && !Array.isArray(own)) return { reason: own instanceof Unknown ? own.reason : 'managed_policy_arns is not a list' };
      const list = [...(own ?? []).map((value, i) => ({ value, position: role.reader.locate(['managed_policy_arns', i]) })), ...(attachedArns.get(role) ?? [])];
      return list.length > 0 ? list : undefined;
    },
  };
  linkRolePolicies(built, byAddress, links);
  const clients = built.filter((b) => b.block.type === 'aws_cognito_user_pool_client' && b.logicalId === b.block.address && !(b.block.values instanceof Unknown));
  terraformSecretFlows(managed, options.outputs ?? [], new Map(clients.map((b) => [b.logicalId, b])));

  const resources = built.map((b): Resource => {
    const relations: Record<string, string[]> = {};
    for (const link of b.target.links) {
      for (const ref of link.refs) {
        const other = byAddress.get(ref);
        if (!other || !link.kinds.includes(other.kind)) continue;
        const ids = (relations[link.relation] ??= []);
        if (!ids.includes(other.id)) ids.push(other.id);
      }
    }
    const position = b.position ?? b.block.position;
    return {
      ...(b.block.suppressions && { suppressions: b.block.suppressions }),
      kind: b.kind,
      id: b.id,
      name: b.name,
      properties: b.target.properties,
      relations,
      unresolved: b.target.unresolved,
      defaults: b.target.defaults,
      source: { kind: options.format, file: b.block.file, ...position, properties: b.target.positions },
    };
  });
  return { resources, diagnostics };
}

/** Two values written the same way (`aws_api_gateway_rest_api.api.id` twice, or one literal id). */
function sameText(a: Evaluated | undefined, b: Evaluated | undefined): boolean {
  if (a instanceof Symbolic && b instanceof Symbolic) return a.text === b.text;
  return typeof a === 'string' && a === b;
}

/**
 * The role a value names: `aws_iam_role.x.arn`, `.name` or `.id` (a role's id is its name), or
 * an ARN ending in the role's name; `role/${aws_iam_role.x.name}-v2` merely mentions it.
 */
function roleNamed(value: Evaluated | undefined, byAddress: Map<string, TfBuilt>, built: readonly TfBuilt[]): TfBuilt | undefined {
  if (typeof value === 'string') {
    // A plan knows the ARN of a role that exists already: its last segment is the role's name
    // (unique in an account whatever the path), as findRole matches it.
    const name = parseRoleArn(value)?.name ?? value;
    return built.find((b) => b.kind === 'iam.role' && b.target.properties.roleName === name);
  }
  if (!(value instanceof Symbolic) || value.refs.length !== 1) return undefined;
  const ref = value.refs[0]!;
  const role = byAddress.get(ref);
  if (role?.kind !== 'iam.role') return undefined;
  const t = value.text;
  const attr = (a: string): string => `\${${ref}.${a}}`;
  const names = t === attr('arn') || t === attr('name') || t === attr('id') || parseRoleArn(t)?.name === attr('name');
  return names ? role : undefined;
}

/** Settings of a user pool in their own blocks (a risk configuration without client_id, log delivery) join their pool, as CloudFormation's do. */
function poolSettings(
  managed: readonly TerraformBlock[],
  built: readonly TfBuilt[],
  known: (value: Evaluated | undefined, kind: ResourceKind) => TfBuilt | undefined,
  noTarget: (block: TerraformBlock, what: string) => void,
): void {
  const pools = built.filter((b) => b.kind === 'cognito.userPool' && !(b.block.values instanceof Unknown)).map((b) => b.target);
  for (const [type, setting] of [[RISK_CONFIGURATION, RISK_SETTING], [LOG_DELIVERY, LOG_SETTING]] as const) {
    const found = managed
      .filter((block) => block.type === type)
      .map((block) => ({ name: block.address, reader: new BlockReader(block), pool: block.values instanceof Unknown ? undefined : known(block.get(['user_pool_id']), 'cognito.userPool')?.target, block }));
    if (type === RISK_CONFIGURATION) {
      joinClientSettings(setting, found.map((f) => ({ ...f, client: f.block.values instanceof Unknown ? undefined : known(f.block.get(['client_id']), 'cognito.userPoolClient')?.target })));
    }
    for (const orphan of joinPoolSettings(setting, found, pools, `no ${type} for the whole pool in the inputs`)) {
      noTarget(found.find((f) => f.name === orphan.name)!.block, 'the user pool it configures');
    }
  }
}

/** Identity pool role attachments join their pool exactly as CloudFormation's do. */
function roleAttachments(
  managed: readonly TerraformBlock[],
  byAddress: Map<string, TfBuilt>,
  built: readonly TfBuilt[],
  known: (value: Evaluated | undefined, kind: ResourceKind) => TfBuilt | undefined,
  noTarget: (block: TerraformBlock, what: string) => void,
): void {
  const attachmentsOf = new Map<TfBuilt, RoleAttachment[]>();
  for (const block of managed) {
    if (block.type !== ROLE_ATTACHMENT) continue;
    const pool = block.values instanceof Unknown ? undefined : known(block.get(['identity_pool_id']), 'cognito.identityPool');
    if (!pool) {
      noTarget(block, 'the identity pool it attaches roles to');
      continue;
    }
    const reader = new cognito.RoleAttachmentReader(new BlockReader(block));
    attachmentsOf.set(pool, [...(attachmentsOf.get(pool) ?? []), { logicalId: block.address, reader }]);
  }
  const roleIdOf: RoleIdOf = (value) => {
    const role = roleNamed(value, byAddress, built);
    return role && { id: role.id, ref: role.block.address };
  };
  for (const [pool, list] of attachmentsOf) mapRoleAttachments(pool.target, list, roleIdOf);
  for (const pool of built) {
    // Without an attachment here the roles are set elsewhere: "none" cannot be assumed.
    if (pool.kind === 'cognito.identityPool' && !attachmentsOf.has(pool) && !(pool.block.values instanceof Unknown)) {
      pool.target.unresolved.roles = `no ${ROLE_ATTACHMENT} in the inputs attaches roles to the pool`;
    }
  }
}

/**
 * The operations an API block defines itself: its OpenAPI `body` (read by the CloudFormation
 * OpenAPI reader, the block seen as a document) and, for an HTTP API, the route quick create
 * makes from `target` (no authorization).
 */
function apiOperations(b: TfBuilt, options: TerraformMapOptions): TfBuilt[] {
  const block = b.block;
  // An attribute the plan writes as null is not set (the CloudFormation reader takes null for a value).
  const values = Object.fromEntries(Object.entries(block.values as Record<string, Evaluated>).filter(([, v]) => v !== null));
  const doc: PositionedDocument = {
    value: values,
    locate: (pointer) => block.locate(splitPointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s))),
  };
  const actx: ApiContext = { file: options.idPrefix, doc };
  const reader = new Reader(actx, values, '', '');
  const flavor = b.kind === 'apigateway.restApi' ? 'rest' : 'http';
  const apiBuilt: Built = { logicalId: b.logicalId, type: block.type, kind: b.kind, id: b.id, name: b.name, pointer: '', reader, target: b.target };
  const out: Built[] = openApiResources(apiBuilt, actx, { bodyProperty: 'body', flavor });
  if (flavor === 'http' && block.get(['target']) !== undefined && block.get(['target']) !== null) {
    const key = block.get(['route_key']);
    const routeKey = typeof key === 'string' ? key : '$default';
    const s = httpRoute(apiBuilt, actx, reader, ['target'], routeKey, out);
    if (key instanceof Unknown || key instanceof Symbolic) s.unknown('routeKey', key instanceof Unknown ? key.reason : `${key.text} is only known at deploy time`, []);
    s.set('authorizationType', 'NONE', []);
  }
  return out.map((c) => ({
    logicalId: c.logicalId,
    block,
    kind: c.kind,
    id: c.id,
    name: c.name,
    reader: c.reader,
    target: c.target,
    position: doc.locate(c.pointer),
  }));
}
