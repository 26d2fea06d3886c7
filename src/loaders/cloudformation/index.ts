import type { Diagnostic } from '../../model/finding.js';
import type { ResourceKind } from '../../model/kinds.js';
import type { Resource } from '../../model/resource.js';
import { unresolveAll, unresolveCompanions } from '../unread.js';
import { pushAll } from '../../util/arrays.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer, splitPointer } from '../../util/pointer.js';
import { parseRoleArn } from '../../util/role-arn.js';
import { parsePositioned, type PositionedDocument } from '../../util/yaml-document.js';
import type { LoadResult } from '../types.js';
import { Reader, Scope, Target, type Built, type TemplateContext } from './builder.js';
import { readInlineSuppressions } from './suppressions.js';
import { expandResources, topLevelIncludes, type UnreadResource } from './language-extensions.js';
import { NO_VALUE, Symbolic, Unknown, createEvalContext, evaluate, evaluateCondition, isRecord, type Evaluated, type ParameterValue } from './intrinsics.js';
import { NESTED_STACK, SAM_APPLICATION, defaultStackFiles, loadNestedStack, type NestedStack, type ResourceRef, type StackFiles } from './nested-stacks.js';
import { apiOperations, mapAuthorizer, mapDeploymentStage, mapDomainName, mapMethod, mapRestApi, mapStage, mapV2DomainName, mapV2Api, mapV2Authorizer, mapV2Route, mapV2Stage } from './map/apigateway.js';
import {
  mapIdentityPool,
  mapIdentityProvider,
  joinClientSettings,
  joinPoolSettings,
  logDeliverySetting,
  riskConfigurationSetting,
  mapPrincipalTag,
  mapRoleAttachments,
  mapUserPool,
  mapUserPoolClient,
  mapUserPoolDomain,
  mapUserPoolGroup,
  type RoleAttachment,
  type RoleIdOf,
} from './map/cognito.js';
import { CLOUDFORMATION_ROLE_LINKS, linkRolePolicies, mapPolicy, mapRole } from './map/iam.js';
import type { ApiFlavor } from './map/openapi.js';
import { API_MAPPING_KEYS, applyApiMappings, type ApiMapping } from '../api-mappings.js';
import { applyWafAssociations, WAF_ASSOCIATION_KEYS, type WafAssociation } from '../waf-associations.js';
import { IMPLICIT_API, IMPLICIT_HTTP_API, implicitApi, mapSamApi, mergedAuth, samEventMethods, type SamApi } from './map/sam.js';
import { CLOUDFORMATION_TAGS } from './tags.js';
import { cloudFormationSecretFlows } from './secret-flow.js';

export { CLOUDFORMATION_TAGS } from './tags.js';
export { readParameterFile } from './parameters.js';
export type { StackFiles } from './nested-stacks.js';

/** User-supplied parameter values (`--param K=V`, parameter files); they override Defaults. */
export interface CloudFormationOptions {
  /**
   * `undefined` as a value means "set, but not known" (e.g. an object in an Amplify
   * parameters.json); a nested stack's parent may also pass deploy-time references and unknowns.
   */
  parameters?: Record<string, ParameterValue>;
  /** Every declared parameter `parameters` does not give is this (a parent passes `Parameters` it cannot read). */
  otherParameters?: Unknown;
  /** The template already parsed with {@link parseCloudFormation}, so it is not parsed twice. */
  document?: PositionedDocument;
  /**
   * Resources another format generates next to the template's own (a Serverless service's
   * function events): built with the template's context, so that they can refer to its
   * resources, conditions and parameters, and be linked like them.
   */
  generate?: (ctx: TemplateContext, byLogicalId: ReadonlyMap<string, Built>) => Built[];
  /** Where nested stacks find their templates; default: relative to `file`, read from disk. */
  stack?: StackFiles;
  /** Start of resource ids (`<idBase>#<LogicalId>`); default `file`. A template nested twice needs two. */
  idBase?: string;
  /**
   * Resources of the stacks above a nested stack, by resource id: a parameter the parent passes
   * as `!GetAtt Role.Arn` refers to the parent's role by its id, and links to it.
   */
  external?: ReadonlyMap<string, ResourceRef>;
}

interface Mapper {
  kind: ResourceKind;
  map(s: Scope, t: Target, b: Built, ctx: TemplateContext, raw: Record<string, unknown>): void;
}

/** CloudFormation types the scanner understands; every other type is ignored. */
const MAPPERS: Record<string, Mapper> = {
  'AWS::Cognito::UserPool': { kind: 'cognito.userPool', map: (s, t) => mapUserPool(s, t) },
  'AWS::Cognito::UserPoolClient': { kind: 'cognito.userPoolClient', map: (s, t) => mapUserPoolClient(s, t) },
  'AWS::Cognito::UserPoolIdentityProvider': {
    kind: 'cognito.identityProvider',
    map: (s, t, _b, ctx, raw) => mapIdentityProvider(s, t, isRecord(raw.Properties) ? raw.Properties : {}, ctx.eval),
  },
  'AWS::Cognito::UserPoolDomain': { kind: 'cognito.userPoolDomain', map: (s, t) => mapUserPoolDomain(s, t) },
  'AWS::Cognito::UserPoolGroup': { kind: 'cognito.userPoolGroup', map: (s, t) => mapUserPoolGroup(s, t) },
  'AWS::Cognito::IdentityPool': { kind: 'cognito.identityPool', map: (s, t) => mapIdentityPool(s, t) },
  'AWS::IAM::Role': { kind: 'iam.role', map: (s) => mapRole(s) },
  'AWS::IAM::Policy': { kind: 'iam.policy', map: (s) => mapPolicy(s, 'AWS::IAM::Policy') },
  'AWS::IAM::ManagedPolicy': { kind: 'iam.policy', map: (s) => mapPolicy(s, 'AWS::IAM::ManagedPolicy') },
  'AWS::IAM::RolePolicy': { kind: 'iam.policy', map: (s) => mapPolicy(s, 'AWS::IAM::RolePolicy') },
  'AWS::ApiGateway::RestApi': { kind: 'apigateway.restApi', map: (s) => mapRestApi(s) },
  'AWS::ApiGateway::Method': { kind: 'apigateway.method', map: (s, t, _b, ctx) => mapMethod(s, t, ctx) },
  'AWS::ApiGateway::Authorizer': { kind: 'apigateway.authorizer', map: (s, t) => mapAuthorizer(s, t) },
  'AWS::ApiGateway::Stage': { kind: 'apigateway.stage', map: (s, t) => mapStage(s, t) },
  // Only a Deployment with a StageName creates a stage (see the loop).
  'AWS::ApiGateway::Deployment': { kind: 'apigateway.stage', map: (s, t) => mapDeploymentStage(s, t) },
  'AWS::ApiGateway::DomainName': { kind: 'apigateway.domainName', map: (s) => mapDomainName(s) },
  'AWS::ApiGatewayV2::DomainName': { kind: 'apigateway.domainName', map: (s) => mapV2DomainName(s) },
  'AWS::ApiGatewayV2::Api': { kind: 'apigatewayv2.api', map: (s) => mapV2Api(s) },
  'AWS::ApiGatewayV2::Route': { kind: 'apigatewayv2.route', map: (s, t, _b, ctx) => mapV2Route(s, t, ctx) },
  'AWS::ApiGatewayV2::Authorizer': { kind: 'apigatewayv2.authorizer', map: (s, t, _b, ctx) => mapV2Authorizer(s, t, ctx) },
  'AWS::ApiGatewayV2::Stage': { kind: 'apigatewayv2.stage', map: (s, t) => mapV2Stage(s, t) },
};

const ROLE_ATTACHMENT = 'AWS::Cognito::IdentityPoolRoleAttachment';
const DEPLOYMENT = 'AWS::ApiGateway::Deployment';
const RISK_CONFIGURATION = 'AWS::Cognito::UserPoolRiskConfigurationAttachment';
const LOG_DELIVERY = 'AWS::Cognito::LogDeliveryConfiguration';
const LOG_SETTING = logDeliverySetting({
  logConfigurations: 'LogConfigurations',
  eventSource: 'EventSource',
  logLevel: 'LogLevel',
  destinations: { cloudWatchLogs: 'CloudWatchLogsConfiguration', s3: 'S3Configuration', firehose: 'FirehoseConfiguration' },
});
const RISK_SETTING = riskConfigurationSetting({
  clientId: 'ClientId',
  compromisedCredentials: 'CompromisedCredentialsRiskConfiguration',
  compromisedCredentialsAction: 'CompromisedCredentialsRiskConfiguration.Actions.EventAction',
  compromisedCredentialsEvents: 'CompromisedCredentialsRiskConfiguration.EventFilter',
  accountTakeover: 'AccountTakeoverRiskConfiguration',
  takeoverAction: {
    low: 'AccountTakeoverRiskConfiguration.Actions.LowAction.EventAction',
    medium: 'AccountTakeoverRiskConfiguration.Actions.MediumAction.EventAction',
    high: 'AccountTakeoverRiskConfiguration.Actions.HighAction.EventAction',
  },
});
const PRINCIPAL_TAG = 'AWS::Cognito::IdentityPoolPrincipalTag';
const SAM_API = 'AWS::Serverless::Api';
const SAM_FUNCTION = 'AWS::Serverless::Function';
const SAM_HTTP_API = 'AWS::Serverless::HttpApi';

/**
 * True when a parsed document is a CloudFormation template (or a Serverless Framework
 * `resources` fragment): a `Resources` mapping whose entries have a `Type` like `AWS::...`,
 * or a `Resources` mapping next to an `AWSTemplateFormatVersion`.
 */
export function looksLikeCloudFormation(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.Resources)) return false;
  if ('AWSTemplateFormatVersion' in value) return true;
  // Only loops or an include (AWS::LanguageExtensions): nothing has a Type before expansion.
  if (Object.keys(value.Resources).some((k) => k.startsWith('Fn::ForEach::') || k === 'Fn::Transform')) return true;
  // Only a Transform section (an AWS::Include of the resources, a SAM template of includes).
  if (value.Transform !== undefined) return true;
  return Object.values(value.Resources).some((r) => isRecord(r) && typeof r.Type === 'string' && /^[A-Za-z0-9]+::/.test(r.Type));
}

/** Parses a template (YAML with CloudFormation's short tags, or JSON) keeping positions. */
export function parseCloudFormation(file: string, text: string): PositionedDocument {
  return parsePositioned(text, file, { customTags: CLOUDFORMATION_TAGS });
}

/**
 * Loads the Cognito, IAM and API Gateway resources of a CloudFormation template (plain, SAM
 * output, CDK output, Amplify, Serverless resource fragments) as normalized resources, with
 * intrinsic functions evaluated against parameter values and Defaults. A syntax error or a
 * document without `Resources` is an InputError with file and line.
 */
export function loadCloudFormation(file: string, text: string, options: CloudFormationOptions = {}): LoadResult {
  const doc = options.document ?? parseCloudFormation(file, text);
  const template = doc.value;
  if (!isRecord(template) || !isRecord(template.Resources)) {
    const pos = doc.locate(isRecord(template) && 'Resources' in template ? '/Resources' : '');
    throw new InputError('not a CloudFormation template: there is no Resources mapping', file, pos?.line ?? 1, pos?.column ?? 1);
  }
  const diagnostics: Diagnostic[] = [];
  const parameters = { ...(options.parameters ?? {}) };
  if (options.otherParameters && isRecord(template.Parameters)) {
    for (const name of Object.keys(template.Parameters)) if (!Object.hasOwn(parameters, name)) parameters[name] = options.otherParameters;
  }
  const ev = createEvalContext(template, parameters);
  const { entries, unread } = expandResources(template.Resources, ev, file, doc);
  pushAll(unread, topLevelIncludes(template.Transform));
  ev.resources = new Set(entries.keys());
  const expanded = Object.fromEntries([...entries].map(([id, e]) => [id, e.raw]));
  const idBase = options.idBase ?? file;
  const ctx: TemplateContext = { file, doc, eval: ev, resources: expanded, diagnostics, memo: new Map(), idBase };
  const nested: NestedStack[] = [];
  const built: Built[] = [];
  const byLogicalId = new Map<string, Built>();
  const attachments: RoleAttachment[] = [];
  const poolSettingsOf: Record<string, Array<{ logicalId: string; reader: Reader }>> = { [RISK_CONFIGURATION]: [], [LOG_DELIVERY]: [] };
  const principalTags: RoleAttachment[] = [];
  const functions: Array<{ logicalId: string; reader: Reader }> = [];
  const wafAssociations: WafAssociation[] = [];
  const apiMappings: ApiMapping[] = [];
  const samApis = new Map<string, SamApi>();
  const globals = isRecord(template.Globals) && isRecord(template.Globals.Api) ? template.Globals.Api : undefined;
  const globalsAuth = globals?.Auth !== undefined ? evaluateOrUndefined(globals.Auth, ctx) : undefined;
  const httpGlobals = isRecord(template.Globals) && isRecord(template.Globals.HttpApi) ? template.Globals.HttpApi : undefined;
  const globalsHttpAuth = httpGlobals?.Auth !== undefined ? evaluateOrUndefined(httpGlobals.Auth, ctx) : undefined;
  const warn = (pointer: string, code: string, message: string): void => {
    const pos = doc.locate(pointer);
    diagnostics.push({ severity: 'warning', code, message, file, ...(pos && { line: pos.line, column: pos.column }) });
  };

  for (const { logicalId, raw, pointer } of entries.values()) {
    if (!isRecord(raw) || typeof raw.Type !== 'string') {
      warn(pointer, 'cloudformation-resource-without-type', `resource ${logicalId} has no Type; it is skipped`);
      continue;
    }
    const mapper = Object.hasOwn(MAPPERS, raw.Type) ? MAPPERS[raw.Type] : undefined;
    const isStack = raw.Type === NESTED_STACK || raw.Type === SAM_APPLICATION;
    const waf = Object.hasOwn(WAF_ASSOCIATION_KEYS, raw.Type) ? WAF_ASSOCIATION_KEYS[raw.Type as keyof typeof WAF_ASSOCIATION_KEYS] : undefined;
    const apiMapping = Object.hasOwn(API_MAPPING_KEYS, raw.Type) ? API_MAPPING_KEYS[raw.Type] : undefined;
    if (!mapper && !isStack && !waf && !apiMapping && raw.Type !== ROLE_ATTACHMENT && raw.Type !== PRINCIPAL_TAG && !Object.hasOwn(poolSettingsOf, raw.Type) && raw.Type !== SAM_API && raw.Type !== SAM_HTTP_API && raw.Type !== SAM_FUNCTION) continue;
    if (raw.Condition !== undefined) {
      // A resource whose condition is false is not created; an undecidable condition keeps it.
      const c = typeof raw.Condition === 'string' ? evaluateCondition(raw.Condition, ev) : undefined;
      if (c === false) continue;
    }
    const base = joinPointer(pointer, 'Properties');
    const props = evaluateProperties(raw.Properties, logicalId, base, warn, ctx);
    const reader = new Reader(ctx, props, base, pointer);
    if (raw.Type === ROLE_ATTACHMENT || raw.Type === PRINCIPAL_TAG) {
      (raw.Type === ROLE_ATTACHMENT ? attachments : principalTags).push({ logicalId, reader });
      continue;
    }
    if (Object.hasOwn(poolSettingsOf, raw.Type)) {
      poolSettingsOf[raw.Type]!.push({ logicalId, reader });
      continue;
    }
    if (waf) {
      wafAssociations.push({ name: logicalId, reader, ...waf });
      continue;
    }
    if (apiMapping) {
      apiMappings.push({ name: logicalId, reader, ...apiMapping });
      continue;
    }
    if (isStack) {
      nested.push({ logicalId, type: raw.Type, pointer, reader, metadata: raw.Metadata });
      continue;
    }
    if (raw.Type === SAM_FUNCTION) {
      functions.push({ logicalId, reader });
      continue;
    }
    if (raw.Type === SAM_API || raw.Type === SAM_HTTP_API) {
      const flavor: ApiFlavor = raw.Type === SAM_API ? 'rest' : 'http';
      const kind = flavor === 'rest' ? 'apigateway.restApi' : 'apigatewayv2.api';
      const b: Built = { logicalId, type: raw.Type, kind, id: `${idBase}#${logicalId}`, name: logicalId, pointer, reader, target: new Target() };
      const api: SamApi = { built: b, auth: mergedAuth(reader.get(['Auth']), flavor === 'rest' ? globalsAuth : globalsHttpAuth), flavor };
      samApis.set(logicalId, api);
      built.push(b);
      byLogicalId.set(logicalId, b);
      if (props instanceof Unknown) {
        b.target.unresolved.name = props.reason;
        continue;
      }
      for (const c of mapSamApi(api, new Scope(reader, b.target), ctx)) {
        built.push(c);
        byLogicalId.set(c.logicalId, c);
      }
      continue;
    }
    if (!mapper) continue;
    if (raw.Type === DEPLOYMENT && !(isRecord(raw.Properties) && raw.Properties.StageName !== undefined)) continue;
    const target = new Target();
    const b: Built = { logicalId, type: raw.Type, kind: mapper.kind, id: `${idBase}#${logicalId}`, name: logicalId, pointer, reader, target };
    built.push(b);
    byLogicalId.set(logicalId, b);
    if (props instanceof Unknown) {
      unresolveAll(target.unresolved, mapper.kind, props.reason);
      continue;
    }
    mapper.map(new Scope(reader, target), target, b, ctx, raw);
    if (raw.Type === 'AWS::ApiGateway::RestApi' || raw.Type === 'AWS::ApiGatewayV2::Api') {
      for (const c of apiOperations(b, ctx)) {
        built.push(c);
        byLogicalId.set(c.logicalId, c);
      }
    }
  }

  const children: LoadResult[] = [];
  const files = options.stack ?? defaultStackFiles(file);
  const external = options.external ?? new Map<string, ResourceRef>();
  // What a reference names: a resource of this template, or one of a stack above it.
  const refTarget = (ref: string): ResourceRef | undefined => byLogicalId.get(ref) ?? external.get(ref);
  for (const stack of nested) {
    const child = loadNestedStack(stack, files, file, loadCloudFormation, refTarget, external);
    if ('loaded' in child) {
      children.push(child.loaded);
      continue;
    }
    unread.push(child.unread);
    const pos = doc.locate(stack.pointer);
    diagnostics.push({ severity: 'warning', code: 'cloudformation-nested-stack-not-read', message: child.unread.reason, file, ...(pos && { line: pos.line, column: pos.column }) });
  }

  for (const u of unread) built.push(...unreadResources(u, ctx));

  const attachmentsOf = new Map<Built, RoleAttachment[]>();
  for (const attachment of attachments) {
    const { logicalId, reader } = attachment;
    const poolRef = reader.get(['IdentityPoolId']);
    const pool = poolRef instanceof Symbolic ? byLogicalId.get(poolRef.refs[0] ?? '') : undefined;
    if (pool?.kind !== 'cognito.identityPool') {
      diagnostics.push({
        severity: 'info',
        code: 'cloudformation-role-attachment-without-pool',
        message: `${logicalId}: the identity pool it attaches roles to is not in this template`,
        file,
        ...(reader.locate([]) && { line: reader.locate([])!.line }),
      });
      continue;
    }
    attachmentsOf.set(pool, [...(attachmentsOf.get(pool) ?? []), attachment]);
  }
  // Only a value that is the role's ARN or name (`!GetAtt R.Arn`, `!Ref R`, an ARN ending in
  // `/${R}`) names the role; `role/${R}-v2` merely mentions it.
  const roleIdOf: RoleIdOf = (value) => {
    if (!(value instanceof Symbolic) || value.refs.length !== 1) return undefined;
    const role = refTarget(value.refs[0]!);
    if (role?.kind !== 'iam.role') return undefined;
    const t = value.text;
    const r = role.logicalId;
    return t === `\${${r}}` || t === `\${${r}.Arn}` || parseRoleArn(t)?.name === `\${${r}}` ? { id: role.id, ref: r } : undefined;
  };
  for (const [pool, list] of attachmentsOf) mapRoleAttachments(pool.target, list, roleIdOf);
  // Principal tag maps join their identity pool (as the live source reads GetPrincipalTagAttributeMap).
  for (const { logicalId, reader } of principalTags) {
    const poolRef = reader.get(['IdentityPoolId']);
    const pool = poolRef instanceof Symbolic ? byLogicalId.get(poolRef.refs[0] ?? '') : undefined;
    if (pool?.kind !== 'cognito.identityPool') {
      diagnostics.push({
        severity: 'info',
        code: 'cloudformation-principal-tag-without-pool',
        message: `${logicalId}: the identity pool it maps principal tags for is not in this template`,
        file,
        ...(reader.locate([]) && { line: reader.locate([])!.line }),
      });
      continue;
    }
    mapPrincipalTag(pool.target, reader);
  }
  for (const pool of built) {
    // Without an attachment here, the roles are set elsewhere (another stack, the console): a
    // pool that lets guests in is useless without a guest role, so "none" cannot be assumed.
    if (pool.kind === 'cognito.identityPool' && !attachmentsOf.has(pool) && !(pool.reader.props instanceof Unknown)) {
      pool.target.unresolved.roles = 'no AWS::Cognito::IdentityPoolRoleAttachment in this template attaches roles to the pool';
    }
  }

  const pools = built.filter((b) => b.kind === 'cognito.userPool' && !(b.reader.props instanceof Unknown)).map((b) => b.target);
  const poolOf = (reader: Reader): Target | undefined => {
    const ref = reader.props instanceof Unknown ? undefined : reader.get(['UserPoolId']);
    const pool = ref instanceof Symbolic ? byLogicalId.get(ref.refs[0] ?? '') : undefined;
    return pool?.kind === 'cognito.userPool' ? pool.target : undefined;
  };
  const settings = (list: Array<{ logicalId: string; reader: Reader }>) => list.map(({ logicalId, reader }) => ({ name: logicalId, reader, pool: poolOf(reader) }));
  const clientOf = (reader: Reader): Target | undefined => {
    const ref = reader.props instanceof Unknown ? undefined : reader.get(['ClientId']);
    const client = ref instanceof Symbolic ? byLogicalId.get(ref.refs[0] ?? '') : undefined;
    return client?.kind === 'cognito.userPoolClient' ? client.target : undefined;
  };
  joinClientSettings(RISK_SETTING, poolSettingsOf[RISK_CONFIGURATION]!.map(({ logicalId, reader }) => ({ name: logicalId, reader, client: clientOf(reader) })));
  const orphans = [
    ...joinPoolSettings(RISK_SETTING, settings(poolSettingsOf[RISK_CONFIGURATION]!), pools, `no ${RISK_CONFIGURATION} for the whole pool (ClientId ALL) in this template`),
    ...joinPoolSettings(LOG_SETTING, settings(poolSettingsOf[LOG_DELIVERY]!), pools, `no ${LOG_DELIVERY} for the pool in this template`),
  ];
  for (const { name, reader } of orphans) {
    const pos = reader.locate([]);
    diagnostics.push({ severity: 'info', code: 'cloudformation-pool-setting-without-pool', message: `${name}: the user pool it configures is not in this template`, file, ...(pos && { line: pos.line, column: pos.column }) });
  }

  const apiFor = (logicalId: string, flavor: ApiFlavor): SamApi | undefined => {
    let api = samApis.get(logicalId);
    const implicit = flavor === 'rest' ? IMPLICIT_API : IMPLICIT_HTTP_API;
    if (!api && logicalId === implicit && !byLogicalId.has(implicit)) {
      const g = flavor === 'rest' ? globals : httpGlobals;
      api = implicitApi(ctx, g ? `/Globals/${flavor === 'rest' ? 'Api' : 'HttpApi'}` : '/Resources', flavor === 'rest' ? globalsAuth : globalsHttpAuth, flavor);
      samApis.set(logicalId, api);
      built.push(api.built);
      byLogicalId.set(logicalId, api.built);
    }
    return api?.flavor === flavor ? api : undefined;
  };
  for (const fn of functions) {
    if (fn.reader.props instanceof Unknown) continue;
    for (const c of samEventMethods(fn, apiFor, ctx)) {
      // An operation both in a DefinitionBody and in an event is one method.
      if (byLogicalId.has(c.logicalId)) continue;
      built.push(c);
      byLogicalId.set(c.logicalId, c);
    }
  }

  for (const c of options.generate?.(ctx, byLogicalId) ?? []) {
    built.push(c);
    byLogicalId.set(c.logicalId, c);
  }

  linkRolePolicies(built, byLogicalId, CLOUDFORMATION_ROLE_LINKS);
  const clients = built.filter((b) => b.type === 'AWS::Cognito::UserPoolClient' && !(b.reader.props instanceof Unknown));
  cloudFormationSecretFlows(template, entries.values(), new Map(clients.map((b) => [b.logicalId, b.target])), doc, ev);
  applyWafAssociations(wafAssociations, built, (arn) => wafProtected(arn, byLogicalId));
  applyApiMappings(apiMappings, built, (id, kinds) => {
    const ref = id instanceof Symbolic ? /^\$\{([^.}]+)\}$/.exec(id.text)?.[1] : undefined;
    const api = ref === undefined ? undefined : byLogicalId.get(ref);
    return api && kinds.includes(api.kind) ? api : undefined;
  });
  markUnreadCompanions(unread, built);

  const resources = built.map((b): Resource => {
    const relations: Record<string, string[]> = {};
    for (const link of b.target.links) {
      for (const ref of link.refs) {
        const other = refTarget(ref);
        if (!other || !link.kinds.includes(other.kind)) continue;
        const ids = (relations[link.relation] ??= []);
        if (!ids.includes(other.id)) ids.push(other.id);
      }
    }
    const pos = doc.locate(b.pointer);
    // Generated resources (OpenAPI methods: `Api/GET /x`) take the suppressions of the template
    // resource they come from; resources a loop makes, those of the loop body.
    const owner = entries.get(b.logicalId) ?? entries.get(b.logicalId.split('/')[0]!) ?? entries.get(splitPointer(b.pointer)[1] ?? '');
    const suppressions = owner && readInlineSuppressions(owner.raw, owner.pointer, doc, file);
    const path = owner && cdkPath(owner.raw);
    return {
      ...(suppressions && { suppressions }),
      kind: b.kind,
      id: b.id,
      name: b.name,
      ...(path !== undefined && { path }),
      properties: b.target.properties,
      relations,
      unresolved: b.target.unresolved,
      defaults: b.target.defaults,
      source: {
        kind: 'cloudformation',
        file,
        pointer: b.pointer,
        ...(pos && { line: pos.line, column: pos.column }),
        properties: b.target.positions,
      },
    };
  });
  for (const child of children) {
    pushAll(resources, child.resources);
    pushAll(diagnostics, child.diagnostics);
  }
  return { resources, diagnostics };
}

/**
 * The stage or user pool a web ACL association's ResourceArn names: `!GetAtt Pool.Arn`, or a
 * stage ARN `arn:...:apigateway:<region>::/restapis/${Api}/stages/<name>` whose stage part is
 * `${Stage}` (Ref of the stage) or the StageName of a stage of that API.
 */
function wafProtected(arn: Evaluated | undefined, byLogicalId: ReadonlyMap<string, Built>): Built | undefined {
  if (!(arn instanceof Symbolic)) return undefined;
  const pool = /^\$\{([^.}]+)\.Arn\}$/.exec(arn.text)?.[1];
  if (pool !== undefined) return byLogicalId.get(pool)?.kind === 'cognito.userPool' ? byLogicalId.get(pool) : undefined;
  const m = /\/restapis\/\$\{([^.}]+)\}\/stages\/(.+)$/.exec(arn.text);
  if (!m) return undefined;
  const [, api, stage] = m as unknown as [string, string, string];
  const ofApi = (b: Built): boolean => {
    const id = b.reader.get(['RestApiId']);
    return b.kind === 'apigateway.stage' && id instanceof Symbolic && id.text === `\${${api}}`;
  };
  const ref = /^\$\{([^.}]+)\}$/.exec(stage)?.[1];
  if (ref !== undefined) {
    const b = byLogicalId.get(ref);
    return b && ofApi(b) ? b : undefined;
  }
  return [...byLogicalId.values()].find((b) => ofApi(b) && b.reader.get(['StageName']) === stage);
}

/**
 * The construct path CDK writes into every resource it synthesizes (`Metadata.aws:cdk:path`,
 * e.g. `MyStack/UserPool/Resource`): what the user wrote in their CDK code, unlike the hashed
 * logical id.
 */
function cdkPath(raw: unknown): string | undefined {
  const path = isRecord(raw) && isRecord(raw.Metadata) ? raw.Metadata['aws:cdk:path'] : undefined;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

function evaluateProperties(
  raw: unknown,
  logicalId: string,
  base: string,
  warn: (pointer: string, code: string, message: string) => void,
  ctx: TemplateContext,
): Record<string, Evaluated> | Unknown {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    warn(base, 'cloudformation-properties-not-a-mapping', `resource ${logicalId}: Properties must be a mapping; its properties are unknown`);
    return new Unknown(`Properties of ${logicalId} is not a mapping`, '${?}');
  }
  const v = evaluate(raw, ctx.eval);
  if (v === NO_VALUE) return {};
  if (v instanceof Unknown) return v;
  if (!isRecord(v)) return new Unknown(`Properties of ${logicalId} is not a mapping`, '${?}');
  return v as Record<string, Evaluated>;
}

function evaluateOrUndefined(raw: unknown, ctx: TemplateContext): Evaluated | undefined {
  const v = evaluate(raw, ctx.eval);
  return v === NO_VALUE ? undefined : v;
}

const ALL_KINDS = [...new Set(Object.values(MAPPERS).map((m) => m.kind))];

/** The kinds a resource of this CloudFormation type becomes (SAM types through what they generate). */
function kindsOfType(type: string): ResourceKind[] {
  if (Object.hasOwn(MAPPERS, type)) return [MAPPERS[type]!.kind];
  if (type === SAM_API) return ['apigateway.restApi', 'apigateway.method'];
  if (type === SAM_FUNCTION) return ['apigateway.method'];
  if (type === ROLE_ATTACHMENT || type === PRINCIPAL_TAG) return ['cognito.identityPool'];
  return [];
}

/** Unread content that may hold a web ACL association, a domain mapping or a principal tag map. */
function markUnreadCompanions(unread: readonly UnreadResource[], built: readonly Built[]): void {
  const companion = (type: string) => Object.hasOwn(WAF_ASSOCIATION_KEYS, type) || Object.hasOwn(API_MAPPING_KEYS, type) || type === PRINCIPAL_TAG;
  const why = unread.find((u) => u.type === undefined || companion(u.type))?.reason;
  if (why !== undefined) unresolveCompanions(built, why);
}

/**
 * Resources the template declares but that cannot be read (a loop over an unknown collection,
 * an include): one resource per kind they could be, every property unresolved, so that each
 * rule of those kinds reports `unknown` at the loop's or the include's line. A known type the
 * scanner does not analyze (a bucket) gives none.
 */
function unreadResources(u: UnreadResource, ctx: TemplateContext): Built[] {
  const kinds = u.type !== undefined ? kindsOfType(u.type) : ALL_KINDS;
  const reader = new Reader(ctx, {}, joinPointer(u.pointer, 'Properties'), u.pointer);
  return kinds.map((kind) => {
    const target = new Target();
    unresolveAll(target.unresolved, kind, u.reason);
    const suffix = kinds.length > 1 ? `:${kind}` : '';
    return { logicalId: `${u.name}${suffix}`, type: u.type ?? 'unknown', kind, id: `${ctx.file}#${u.name}${suffix}`, name: u.name, pointer: u.pointer, reader, target };
  });
}
