import { Reader, Target, asString, type Built, type Scope, type TemplateContext } from '../builder.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from '../intrinsics.js';
import { child, openApiResources } from './openapi.js';
import { pushAll } from '../../../util/arrays.js';

type Rec = Record<string, Evaluated>;

/** A SAM API: its restApi resource and its `Auth` (Globals.Api.Auth merged in). */
export interface SamApi {
  built: Built;
  auth: Evaluated | undefined;
}

/** SAM's name for the API it creates for function events that name no RestApiId. */
export const IMPLICIT_API = 'ServerlessRestApi';

/** `Globals.Api.Auth` merged under an API's own `Auth`, as the SAM transform does. */
export function mergedAuth(own: Evaluated | undefined, globals: Evaluated | undefined): Evaluated | undefined {
  if (own instanceof Unknown || globals instanceof Unknown) return own instanceof Unknown ? own : globals;
  if (!isRecord(globals)) return own;
  if (!isRecord(own)) return globals;
  const g = globals as Rec;
  const o = own as Rec;
  const authorizers = isRecord(g.Authorizers) && isRecord(o.Authorizers) ? { ...(g.Authorizers as Rec), ...(o.Authorizers as Rec) } : (o.Authorizers ?? g.Authorizers);
  return { ...g, ...o, ...(authorizers !== undefined && { Authorizers: authorizers }) };
}

/**
 * AWS::Serverless::Api -> apigateway.restApi, its `Auth.Authorizers` as apigateway.authorizer
 * resources and the operations of its `DefinitionBody` as methods; operations with no
 * `security` get the DefaultAuthorizer, as the SAM transform applies it to every path.
 */
export function mapSamApi(api: SamApi, s: Scope, ctx: TemplateContext): Built[] {
  s.string('Name', 'name');
  const out: Built[] = [];
  const own = s.get('Auth');
  if (isRecord(own) && isRecord((own as Rec).Authorizers)) {
    for (const [name, def] of Object.entries((own as Rec).Authorizers as Rec)) {
      if (!isRecord(def)) continue;
      const a = child(api.built, ctx, api.built.reader, 'apigateway.authorizer', ['Auth', 'Authorizers', name], `authorizer/${name}`, `authorizer ${name}`, out);
      a.set('restApiId', `\${${api.built.logicalId}}`, []);
      a.target.links.push({ relation: 'restApi', refs: [api.built.logicalId], kinds: ['apigateway.restApi'] });
      a.set('name', name, []);
      const d = def as Rec;
      if (d.UserPoolArn !== undefined) {
        a.set('type', 'COGNITO_USER_POOLS', []);
        if (Array.isArray(d.UserPoolArn)) a.list('UserPoolArn', 'providerARNs');
        else a.scalarList('UserPoolArn', 'providerARNs');
        a.target.link('userPools', d.UserPoolArn, ['cognito.userPool']);
      } else {
        a.enum('FunctionPayloadType', 'type', ['TOKEN', 'REQUEST'], { fallback: 'TOKEN' });
        // Identity.ReauthorizeEvery is the result cache TTL; SAM's default is API Gateway's 300.
        a.int('Identity.ReauthorizeEvery', 'authorizerResultTtlInSeconds', 300);
      }
    }
  }
  const defaultAuthorization = (method: Scope): void => samAuthorization(method, api, undefined, undefined, []);
  pushAll(out, openApiResources(api.built, ctx, { bodyProperty: 'DefinitionBody', defaultAuthorization }));
  return out;
}

/**
 * The methods SAM creates for the `Api` events of an AWS::Serverless::Function, each on the
 * API its RestApiId names (or the implicit ServerlessRestApi).
 */
export function samEventMethods(fn: { logicalId: string; reader: Reader }, apiFor: (logicalId: string) => SamApi | undefined, ctx: TemplateContext): Built[] {
  const events = fn.reader.get(['Events']);
  if (!isRecord(events)) return [];
  const out: Built[] = [];
  for (const [name, event] of Object.entries(events as Rec)) {
    if (!isRecord(event)) continue;
    const e = event as Rec;
    if (typeof e.Type !== 'string' || e.Type.toLowerCase() !== 'api' || !isRecord(e.Properties)) continue;
    const p = e.Properties as Rec;
    const restApi = p.RestApiId;
    const apiId = restApi === undefined ? IMPLICIT_API : restApi instanceof Symbolic ? restApi.refs[0] : undefined;
    const api = apiId ? apiFor(apiId) : undefined;
    const path = asString(p.Path ?? null);
    const verbValue = asString(p.Method ?? null);
    if (!api || 'reason' in path || 'reason' in verbValue) {
      const pos = fn.reader.locate(['Events', name]);
      ctx.diagnostics.push({
        severity: 'warning',
        code: 'sam-event-unreadable',
        message: `${fn.logicalId}: Api event ${name} names an API or path that cannot be read statically; its method is not checked`,
        file: ctx.file,
        ...(pos && { line: pos.line, column: pos.column }),
      });
      continue;
    }
    const verb = verbValue.value.toLowerCase() === 'any' ? 'ANY' : verbValue.value.toUpperCase();
    const s = child(api.built, ctx, fn.reader, 'apigateway.method', ['Events', name, 'Properties'], `${verb} ${path.value}`, `${verb} ${path.value}`, out);
    s.set('restApiId', `\${${api.built.logicalId}}`, 'RestApiId');
    s.target.links.push({ relation: 'restApi', refs: [api.built.logicalId], kinds: ['apigateway.restApi'] });
    s.set('resourcePath', path.value, 'Path');
    s.set('httpMethod', verb, 'Method');
    const auth = s.get('Auth');
    samAuthorization(s, api, isRecord(auth) ? (auth as Rec).Authorizer : undefined, isRecord(auth) ? (auth as Rec).ApiKeyRequired : undefined, ['Auth']);
    s.set('corsPreflight', false, 'Method');
  }
  return out;
}

/** The authorization SAM gives a method: its own Authorizer, else the API's DefaultAuthorizer, else none. */
function samAuthorization(s: Scope, api: SamApi, authorizer: Evaluated | undefined, apiKey: Evaluated | undefined, where: string[]): void {
  const auth = api.auth;
  if (auth instanceof Unknown) {
    s.unknown('authorizationType', `Auth of ${api.built.logicalId}: ${auth.reason}`, where);
    return;
  }
  const a: Rec = isRecord(auth) ? (auth as Rec) : {};
  const key = apiKey ?? a.ApiKeyRequired;
  if (key === undefined) s.default('apiKeyRequired', false);
  else if (key === true || (typeof key === 'string' && key.toLowerCase() === 'true')) s.set('apiKeyRequired', true, where);
  else if (key === false || (typeof key === 'string' && key.toLowerCase() === 'false')) s.set('apiKeyRequired', false, where);
  else s.unknown('apiKeyRequired', 'ApiKeyRequired is only known at deploy time', where);
  const chosen = authorizer ?? a.DefaultAuthorizer;
  if (chosen === undefined) {
    s.default('authorizationType', 'NONE');
    return;
  }
  const name = asString(chosen);
  if ('reason' in name) {
    s.unknown('authorizationType', name.reason, where);
    return;
  }
  if (name.value === 'NONE' || name.value === 'AWS_IAM') {
    s.set('authorizationType', name.value, where);
    return;
  }
  const def = isRecord(a.Authorizers) ? (a.Authorizers as Rec)[name.value] : undefined;
  if (!isRecord(def)) {
    s.unknown('authorizationType', `authorizer ${name.value} is not defined in Auth.Authorizers of ${api.built.logicalId}`, where);
    return;
  }
  s.set('authorizationType', (def as Rec).UserPoolArn !== undefined ? 'COGNITO_USER_POOLS' : 'CUSTOM', where);
  s.set('authorizerId', name.value, where);
  s.target.links.push({ relation: 'authorizer', refs: [`${api.built.logicalId}/authorizer/${name.value}`], kinds: ['apigateway.authorizer'] });
}

/** The implicit API SAM creates for function events without a RestApiId. */
export function implicitApi(ctx: TemplateContext, pointer: string, globalsAuth: Evaluated | undefined): SamApi {
  const reader = new Reader(ctx, {}, pointer, pointer);
  const built: Built = {
    logicalId: IMPLICIT_API,
    type: 'AWS::Serverless::Api',
    kind: 'apigateway.restApi',
    id: `${ctx.file}#${IMPLICIT_API}`,
    name: IMPLICIT_API,
    pointer,
    reader,
    target: new Target(),
  };
  return { built, auth: globalsAuth };
}
