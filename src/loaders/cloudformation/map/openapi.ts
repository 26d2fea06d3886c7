import { joinPointer } from '../../../util/pointer.js';
import { Reader, Scope, Target, asString, type Built, type TemplateContext } from '../builder.js';
import { Unknown, isRecord, type Evaluated } from '../intrinsics.js';
import { parseJsonData } from '../../../util/prototype-keys.js';

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

/** How to read the OpenAPI document of an API resource. */
export interface OpenApiOptions {
  /** Property holding the document: `Body` (RestApi) or `DefinitionBody` (SAM). */
  bodyProperty?: string;
  /** Sets the authorization of an operation with no `security` at all (SAM's DefaultAuthorizer). */
  defaultAuthorization?: (method: Scope) => void;
}

/**
 * The methods (and authorizers) an AWS::ApiGateway::RestApi defines in its OpenAPI/Swagger
 * `Body`, as API Gateway imports them: one apigateway.method per path and verb, with the
 * authorization its `security` requirements select among the security schemes.
 */
export function openApiResources(api: Built, ctx: TemplateContext, options: OpenApiOptions = {}): Built[] {
  const key = options.bodyProperty ?? 'Body';
  let reader = api.reader;
  let body = reader.get([key]);
  if (body === undefined) return [];
  if (typeof body === 'string') {
    try {
      body = parseJsonData(body) as Evaluated;
    } catch {
      warn(api, ctx, `${key} is a string that is not JSON; its methods are not checked`);
      return [];
    }
    reader = new Reader(ctx, { [key]: body }, reader.base, reader.resourcePointer);
  }
  if (!isRecord(body)) {
    warn(api, ctx, `${key} cannot be read statically (${body instanceof Unknown ? body.reason : 'not a mapping'}); its methods are not checked`);
    return [];
  }
  const doc = body as Rec;
  const components = doc.components;
  const schemesValue = doc.securityDefinitions ?? (isRecord(components) ? (components as Rec).securitySchemes : undefined);
  const schemes: Rec = isRecord(schemesValue) ? (schemesValue as Rec) : {};
  const schemesPath = doc.securityDefinitions !== undefined ? [key, 'securityDefinitions'] : [key, 'components', 'securitySchemes'];
  const out: Built[] = [];

  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isRecord(scheme) || !isRecord((scheme as Rec)['x-amazon-apigateway-authorizer'])) continue;
    const s = child(api, ctx, reader, 'apigateway.authorizer', [...schemesPath, name], `authorizer/${name}`, `authorizer ${name}`, out);
    s.set('restApiId', `\${${api.logicalId}}`, []);
    s.target.links.push({ relation: 'restApi', refs: [api.logicalId], kinds: ['apigateway.restApi'] });
    s.set('name', name, []);
    const a = s.at('x-amazon-apigateway-authorizer', '');
    const stored = a.enum('type', 'type', ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'], { lower: true });
    a.list('providerARNs', 'providerARNs');
    s.target.link('userPools', a.get('providerARNs'), ['cognito.userPool']);
    a.int('authorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds', stored === 'TOKEN' || stored === 'REQUEST' ? 300 : undefined);
    a.string('identitySource', 'identitySource');
    a.string('authorizerUri', 'authorizerUri');
  }

  const paths = doc.paths;
  if (paths instanceof Unknown) {
    warn(api, ctx, `${key} paths cannot be read statically (${paths.reason}); its methods are not checked`);
    return out;
  }
  if (!isRecord(paths)) return out;
  for (const [path, item] of Object.entries(paths as Rec)) {
    if (!isRecord(item)) continue;
    for (const [method, op] of Object.entries(item as Rec)) {
      const verb = Object.hasOwn(VERBS, method.toLowerCase()) ? VERBS[method.toLowerCase()] : undefined;
      if (!verb) continue;
      const s = child(api, ctx, reader, 'apigateway.method', [key, 'paths', path, method], `${verb} ${path}`, `${verb} ${path}`, out);
      s.set('restApiId', `\${${api.logicalId}}`, []);
      s.target.links.push({ relation: 'restApi', refs: [api.logicalId], kinds: ['apigateway.restApi'] });
      s.set('resourcePath', path, []);
      s.set('httpMethod', verb, []);
      if (op instanceof Unknown) {
        s.unknown('authorizationType', op.reason, []);
        continue;
      }
      if (!isRecord(op)) continue;
      const operation = op as Rec;
      const security = operation.security !== undefined ? operation.security : doc.security;
      const where = operation.security !== undefined ? 'security' : [];
      if (security === undefined && options.defaultAuthorization) options.defaultAuthorization(s);
      else authorization(s, security, schemes, api.logicalId, where);
      const integration = operation['x-amazon-apigateway-integration'];
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
  return out;
}

/** Creates a resource generated from `api` (an OpenAPI method, a SAM authorizer) and its scope. */
export function child(
  api: Built,
  ctx: TemplateContext,
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
    id: `${ctx.file}#${api.logicalId}/${suffix}`,
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
 * authorizer, IAM (awsSigv4) or a Lambda authorizer. A requirement that names no defined
 * scheme (SAM writes `[{NONE: []}]`) or no `security` at all leaves the method open.
 */
function authorization(s: Scope, security: Evaluated | undefined, schemes: Rec, apiId: string, where: string | string[]): void {
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
        if (authType === 'cognito_user_pools' || authzType === 'cognito_user_pools') found = 'COGNITO_USER_POOLS';
        else if (authType === 'awssigv4') found = 'AWS_IAM';
        else if (authType === 'custom' || authzType === 'token' || authzType === 'request') found = 'CUSTOM';
        else if (typeof sc.type === 'string' && sc.type.toLowerCase() === 'apikey') apiKey = true;
        if (found && type === 'NONE') {
          type = found;
          if (found !== 'AWS_IAM') authorizer = name;
          if (found === 'COGNITO_USER_POOLS' && Array.isArray(value) && value.length > 0) {
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
    s.target.links.push({ relation: 'authorizer', refs: [`${apiId}/authorizer/${authorizer}`], kinds: ['apigateway.authorizer'] });
  }
  if (scopes) s.set('authorizationScopes', scopes, where);
  s.set('apiKeyRequired', apiKey, where);
}

function warn(api: Built, ctx: TemplateContext, message: string): void {
  const pos = ctx.doc.locate(api.pointer);
  ctx.diagnostics.push({
    severity: 'warning',
    code: 'cloudformation-openapi-unreadable',
    message: `${api.logicalId}: ${message}`,
    file: ctx.file,
    ...(pos && { line: pos.line, column: pos.column }),
  });
}
