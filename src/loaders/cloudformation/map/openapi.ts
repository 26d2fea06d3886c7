import { joinPointer } from '../../../util/pointer.js';
import { Reader, Scope, Target, asString, type Built, type TemplateContext } from '../builder.js';
import { Unknown, isRecord, type Evaluated } from '../intrinsics.js';
import { parseJsonData } from '../../../util/prototype-keys.js';
import { API_GATEWAY_DEFAULTS } from '../../aws-defaults.js';
import { mapRequestValidation, type RequestValidatorFlags } from '../../request-validator.js';
import { mapSecuritySchemes, securityCovers, unknownOpenApiSecurity } from './openapi-security.js';

const VERBS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

type Rec = Record<string, Evaluated>;

/**
 * What reading an OpenAPI body needs of its input: the file ids are made from and positions.
 * A CloudFormation template is one; a Terraform block's attribute, seen as a document, another.
 */
export type ApiContext = Pick<TemplateContext, 'file' | 'doc' | 'idBase'>;

/** REST APIs (API Gateway v1) and HTTP APIs (v2) import OpenAPI alike but model the result apart. */
export type ApiFlavor = 'rest' | 'http';

interface FlavorInfo {
  api: 'apigateway.restApi' | 'apigatewayv2.api';
  operation: 'apigateway.method' | 'apigatewayv2.route';
  authorizer: 'apigateway.authorizer' | 'apigatewayv2.authorizer';
  /** Property and relation naming the API on its operations and authorizers. */
  apiId: 'restApiId' | 'apiId';
  relation: 'restApi' | 'api';
  /** Suffix of the generated resource standing for operations that cannot be read. */
  unreadable: string;
  /** Properties of that resource nothing can be said about. */
  unknownProperties: string[];
}

const FLAVORS: Record<ApiFlavor, FlavorInfo> = {
  rest: {
    api: 'apigateway.restApi',
    operation: 'apigateway.method',
    authorizer: 'apigateway.authorizer',
    apiId: 'restApiId',
    relation: 'restApi',
    unreadable: 'methods',
    unknownProperties: ['resourcePath', 'httpMethod', 'authorizationType', 'validateRequestBody', 'validateRequestParameters'],
  },
  http: {
    api: 'apigatewayv2.api',
    operation: 'apigatewayv2.route',
    authorizer: 'apigatewayv2.authorizer',
    apiId: 'apiId',
    relation: 'api',
    unreadable: 'routes',
    unknownProperties: ['routeKey', 'authorizationType'],
  },
};

/** How to read the OpenAPI document of an API resource. */
export interface OpenApiOptions {
  /** Property holding the document: `Body` (RestApi, ApiGatewayV2::Api) or `DefinitionBody` (SAM). */
  bodyProperty?: string;
  /** Which API Gateway imports the document; default `rest`. */
  flavor?: ApiFlavor;
  /**
   * Sets the authorization of an operation with no `security` at all (SAM's DefaultAuthorizer).
   * Returns false to leave the operation as the document has it.
   */
  defaultAuthorization?: (operation: Scope, verb: string) => boolean;
}

/**
 * The operations (and authorizers) an API defines in its OpenAPI/Swagger `Body`, as API
 * Gateway imports them: for a REST API one apigateway.method per path and verb, for an HTTP
 * API one apigatewayv2.route per route key (`x-amazon-apigateway-any-method` on `$default` is
 * the `$default` route), with the authorization its `security` requirements select among the
 * security schemes. A document that cannot be read gives one operation whose route and
 * authorization are unknown, so that rules report it instead of passing an API they never saw.
 */
export function openApiResources(api: Built, ctx: ApiContext, options: OpenApiOptions = {}): Built[] {
  const key = options.bodyProperty ?? 'Body';
  const flavor = options.flavor ?? 'rest';
  let reader = api.reader;
  let body = reader.get([key]);
  if (body === undefined) return [];
  if (typeof body === 'string') {
    try {
      body = parseJsonData(body) as Evaluated;
    } catch {
      unknownOpenApiSecurity(new Scope(reader, api.target), `${key} is a string that is not JSON`, key);
      return unreadableOperations(api, ctx, flavor, key, `${key} is a string that is not JSON`);
    }
    reader = new Reader(ctx, { [key]: body }, reader.base, reader.resourcePointer);
  }
  if (!isRecord(body)) {
    const reason = `${key} cannot be read statically (${body instanceof Unknown ? body.reason : 'not a mapping'})`;
    unknownOpenApiSecurity(new Scope(reader, api.target), reason, key);
    return unreadableOperations(api, ctx, flavor, key, reason);
  }
  const doc = body as Rec;
  const components = doc.components;
  const schemesValue = doc.securityDefinitions ?? (isRecord(components) ? (components as Rec).securitySchemes : undefined);
  const schemes: Rec = isRecord(schemesValue) ? (schemesValue as Rec) : {};
  const schemesPath = doc.securityDefinitions !== undefined ? [key, 'securityDefinitions'] : [key, 'components', 'securitySchemes'];
  const out: Built[] = [];
  const summary = new Scope(reader, api.target);
  mapSecuritySchemes(summary, schemesValue, schemesPath);
  // Operations no security requirement covers (OPTIONS pre-flights aside), or why that is not known.
  const open: Array<{ label: string; at: string[] }> = [];
  let openUnknown: string | undefined;
  const recordOpen = () => {
    if (openUnknown !== undefined) summary.unknown('openApi.operationsWithoutSecurity', openUnknown, open[0]?.at ?? [key, 'paths']);
    else summary.set('openApi.operationsWithoutSecurity', open.map((o) => o.label), open[0]?.at ?? [key, 'paths']);
  };

  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isRecord(scheme) || !isRecord((scheme as Rec)['x-amazon-apigateway-authorizer'])) continue;
    const s = apiChild(api, ctx, reader, flavor, 'authorizer', [...schemesPath, name], `authorizer/${name}`, `authorizer ${name}`, out);
    s.set('name', name, []);
    const a = s.at('x-amazon-apigateway-authorizer', '');
    if (flavor === 'http') {
      const stored = a.enum('type', 'authorizerType', ['JWT', 'REQUEST'], { lower: true });
      a.list('jwtConfiguration.audience', 'jwtConfiguration.audience');
      a.string('jwtConfiguration.issuer', 'jwtConfiguration.issuer');
      s.target.link('userPools', a.get('jwtConfiguration.issuer'), ['cognito.userPool']);
      // In the OpenAPI extension the identity source is one comma-separated string.
      const source = asString(a.get('identitySource') ?? null);
      if ('value' in source) a.set('identitySource', source.value.split(',').map((x) => x.trim()), 'identitySource');
      a.int('authorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds', stored === 'REQUEST' ? API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds : undefined);
      a.bool('enableSimpleResponses', 'enableSimpleResponses');
      continue;
    }
    const stored = a.enum('type', 'type', ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'], { lower: true });
    a.list('providerARNs', 'providerARNs');
    s.target.link('userPools', a.get('providerARNs'), ['cognito.userPool']);
    a.int('authorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds', stored === 'TOKEN' || stored === 'REQUEST' ? API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds : undefined);
    a.string('identitySource', 'identitySource');
    a.string('authorizerUri', 'authorizerUri');
  }

  const paths = doc.paths;
  if (paths instanceof Unknown) {
    openUnknown = `${key} paths cannot be read statically (${paths.reason})`;
    recordOpen();
    out.push(...unreadableOperations(api, ctx, flavor, key, `${key} paths cannot be read statically (${paths.reason})`, [key, 'paths']));
    return out;
  }
  if (!isRecord(paths)) {
    recordOpen();
    return out;
  }
  for (const [path, item] of Object.entries(paths as Rec)) {
    if (item instanceof Unknown) {
      openUnknown ??= `${key} path ${path} cannot be read statically (${item.reason})`;
      out.push(...unreadableOperations(api, ctx, flavor, key, `${key} path ${path} cannot be read statically (${item.reason})`, [key, 'paths', path], path));
      continue;
    }
    if (!isRecord(item)) continue;
    for (const [method, op] of Object.entries(item as Rec)) {
      const verb = Object.hasOwn(VERBS, method.toLowerCase()) ? VERBS[method.toLowerCase()] : undefined;
      if (!verb) continue;
      const s = operation(api, ctx, reader, flavor, [key, 'paths', path, method], verb, path, out);
      if (op instanceof Unknown) {
        s.unknown('authorizationType', op.reason, []);
        openUnknown ??= `${key} ${verb} ${path}: ${op.reason}`;
        continue;
      }
      if (!isRecord(op)) continue;
      const definition = op as Rec;
      const security = definition.security !== undefined ? definition.security : doc.security;
      const where = definition.security !== undefined ? 'security' : [];
      const defaulted = security === undefined && options.defaultAuthorization?.(s, verb) === true;
      if (!defaulted) authorization(s, flavor, security, schemes, api.logicalId, where);
      const covered = defaulted || verb === 'OPTIONS' || securityCovers(security, schemes);
      if (covered instanceof Unknown) openUnknown ??= `${key} ${verb} ${path}: ${covered.reason}`;
      else if (!covered) open.push({ label: `${verb} ${path}`, at: [key, 'paths', path, method] });
      if (flavor === 'http') continue;
      const own = definition[VALIDATOR] !== undefined;
      const validator = own ? definition[VALIDATOR] : doc[VALIDATOR];
      if (typeof validator === 'string') s.set('requestValidatorId', validator, own ? VALIDATOR : []);
      mapRequestValidation(s, validator === undefined ? undefined : openApiValidator(validator, doc[`${VALIDATOR}s`]), own ? VALIDATOR : []);
      const integration = definition['x-amazon-apigateway-integration'];
      let integrationType: string | undefined;
      if (isRecord(integration)) {
        const c = asString((integration as Rec).type ?? null);
        if ('value' in c) {
          integrationType = c.value.toUpperCase();
          s.set('integrationType', integrationType, ['x-amazon-apigateway-integration', 'type']);
        }
      }
      s.set('corsPreflight', verb === 'OPTIONS' && integrationType === 'MOCK', []);
    }
  }
  recordOpen();
  return out;
}

const VALIDATOR = 'x-amazon-apigateway-request-validator';

/**
 * The flags of the validator an operation (or the whole document) names among the document's
 * `x-amazon-apigateway-request-validators`; API Gateway rejects a name that is not defined there.
 */
function openApiValidator(name: Evaluated, validators: Evaluated | undefined): RequestValidatorFlags | Unknown {
  if (name instanceof Unknown) return name;
  if (validators instanceof Unknown) return validators;
  const v = typeof name === 'string' && isRecord(validators) && Object.hasOwn(validators, name) ? (validators as Rec)[name] : undefined;
  if (v instanceof Unknown) return v;
  if (!isRecord(v)) return new Unknown(`request validator ${String(name)} is not defined in ${VALIDATOR}s`, '${?}');
  const flags = v as Rec;
  return { body: flags.validateRequestBody, parameters: flags.validateRequestParameters };
}

/** Where an operation's API, path and verb were written, relative to its definition. */
export interface OperationPositions {
  api?: string;
  path?: string;
  verb?: string;
}

/**
 * Creates one operation of `api`: an apigateway.method (`resourcePath`, `httpMethod`) or an
 * apigatewayv2.route (`routeKey`; `ANY` on `$default` is the `$default` route).
 */
export function operation(
  api: Built,
  ctx: ApiContext,
  reader: Reader,
  flavor: ApiFlavor,
  cfn: string[],
  verb: string,
  path: string,
  out: Built[],
  at: OperationPositions = {},
): Scope {
  if (flavor === 'rest') {
    const label = `${verb} ${path}`;
    const s = apiChild(api, ctx, reader, flavor, 'operation', cfn, label, label, out, at.api);
    s.set('resourcePath', path, at.path ?? []);
    s.set('httpMethod', verb, at.verb ?? []);
    return s;
  }
  const routeKey = verb === 'ANY' && (path === '$default' || path === '/$default') ? '$default' : `${verb} ${path}`;
  return httpRoute(api, ctx, reader, cfn, routeKey, out, at);
}

/** Creates one apigatewayv2.route of an HTTP API (`routeKey` as API Gateway stores it). */
export function httpRoute(api: Built, ctx: ApiContext, reader: Reader, cfn: string[], routeKey: string, out: Built[], at: OperationPositions = {}): Scope {
  const s = apiChild(api, ctx, reader, 'http', 'operation', cfn, routeKey, routeKey, out, at.api);
  s.set('routeKey', routeKey, at.path ?? []);
  s.set('protocolType', 'HTTP', at.api ?? []);
  return s;
}

/**
 * The operations of an API whose definition is not in the inputs (an S3 location) or cannot be
 * read: one generated operation whose route and authorization are unknown, with the reason.
 */
export function unreadableOperations(
  api: Built,
  ctx: ApiContext,
  flavor: ApiFlavor,
  key: string,
  reason: string,
  cfn: string[] = [key],
  path?: string,
): Built[] {
  const f = FLAVORS[flavor];
  const out: Built[] = [];
  const suffix = path === undefined ? f.unreadable : `${f.unreadable} ${path}`;
  const s = apiChild(api, ctx, api.reader, flavor, 'operation', cfn, suffix, path === undefined ? `${f.unreadable} (${key})` : `${suffix} (${key})`, out);
  for (const property of f.unknownProperties) s.unknown(property, reason, []);
  if (flavor === 'http') s.set('protocolType', 'HTTP', []);
  return out;
}

/** Creates an operation or authorizer of `api`, linked to it. */
export function apiChild(
  api: Built,
  ctx: ApiContext,
  reader: Reader,
  flavor: ApiFlavor,
  role: 'operation' | 'authorizer',
  cfn: string[],
  suffix: string,
  label: string,
  out: Built[],
  apiAt: string | [] = [],
): Scope {
  const f = FLAVORS[flavor];
  const s = child(api, ctx, reader, role === 'operation' ? f.operation : f.authorizer, cfn, suffix, label, out);
  s.set(f.apiId, `\${${api.logicalId}}`, apiAt);
  s.target.links.push({ relation: f.relation, refs: [api.logicalId], kinds: [f.api] });
  return s;
}

/** Creates a resource generated from `api` (an OpenAPI method, a SAM authorizer) and its scope. */
export function child(
  api: Built,
  ctx: ApiContext,
  reader: Reader,
  kind: Built['kind'],
  cfn: string[],
  suffix: string,
  label: string,
  out: Built[],
): Scope {
  const target = new Target();
  const pointer = joinPointer(reader.base, ...cfn);
  const built: Built = {
    logicalId: `${api.logicalId}/${suffix}`,
    type: api.type,
    kind,
    id: `${ctx.idBase ?? ctx.file}#${api.logicalId}/${suffix}`,
    name: `${api.logicalId} ${label}`,
    pointer: ctx.doc.locate(pointer) ? pointer : reader.base,
    reader,
    target,
  };
  out.push(built);
  return new Scope(reader, target, cfn, '');
}

/**
 * API Gateway applies the first security requirement naming a scheme it knows: a Cognito
 * authorizer (REST), a JWT authorizer (HTTP), IAM (awsSigv4) or a Lambda authorizer. A
 * requirement that names no defined scheme (SAM writes `[{NONE: []}]`) or no `security` at
 * all leaves the operation open.
 */
function authorization(s: Scope, flavor: ApiFlavor, security: Evaluated | undefined, schemes: Rec, apiId: string, where: string | string[]): void {
  if (security instanceof Unknown) {
    s.unknown('authorizationType', security.reason, where);
    return;
  }
  let type = 'NONE';
  let authorizer: string | undefined;
  let scopes: string[] | undefined;
  let apiKey = false;
  if (Array.isArray(security)) {
    for (const requirement of security) {
      if (!isRecord(requirement)) continue;
      for (const [name, value] of Object.entries(requirement as Rec)) {
        const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined;
        if (!isRecord(scheme)) continue;
        const sc = scheme as Rec;
        const authType = typeof sc['x-amazon-apigateway-authtype'] === 'string' ? (sc['x-amazon-apigateway-authtype'] as string).toLowerCase() : '';
        const authz = isRecord(sc['x-amazon-apigateway-authorizer']) ? (sc['x-amazon-apigateway-authorizer'] as Rec) : undefined;
        const authzType = typeof authz?.type === 'string' ? authz.type.toLowerCase() : '';
        let found: string | undefined;
        if (flavor === 'rest' && (authType === 'cognito_user_pools' || authzType === 'cognito_user_pools')) found = 'COGNITO_USER_POOLS';
        else if (flavor === 'http' && authzType === 'jwt') found = 'JWT';
        else if (authType === 'awssigv4') found = 'AWS_IAM';
        else if (authType === 'custom' || authzType === 'token' || authzType === 'request') found = 'CUSTOM';
        else if (typeof sc.type === 'string' && sc.type.toLowerCase() === 'apikey') apiKey = true;
        if (found && type === 'NONE') {
          type = found;
          if (found !== 'AWS_IAM') authorizer = name;
          if ((found === 'COGNITO_USER_POOLS' || found === 'JWT') && Array.isArray(value) && value.length > 0) {
            scopes = value.map((v) => {
              const c = asString(v);
              return 'value' in c ? c.value : '${?}';
            });
          }
        }
      }
    }
  }
  s.set('authorizationType', type, where);
  if (authorizer) {
    s.set('authorizerId', authorizer, where);
    const kind = FLAVORS[flavor].authorizer;
    s.target.links.push({ relation: 'authorizer', refs: [`${apiId}/authorizer/${authorizer}`], kinds: [kind] });
  }
  if (scopes) s.set('authorizationScopes', scopes, where);
  // HTTP APIs have no API keys.
  if (flavor === 'rest') s.set('apiKeyRequired', apiKey, where);
}
