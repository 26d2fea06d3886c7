import { joinPointer } from '../../util/pointer.js';
import { Reader, asString, type Built, type Scope, type TemplateContext } from '../cloudformation/builder.js';
import { NO_VALUE, evaluate } from '../cloudformation/intrinsics.js';
import { apiChild, operation, type ApiFlavor } from '../cloudformation/map/openapi.js';
import { implicitApi, type SamApi } from '../cloudformation/map/sam.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from '../values.js';
import { API_GATEWAY_DEFAULTS } from '../aws-defaults.js';
import { mapRequestValidation } from '../request-validator.js';

type Rec = Record<string, Evaluated>;

/** The REST API the Serverless Framework creates for `http` events. */
export const SERVERLESS_REST_API = 'ApiGatewayRestApi';
/** The HTTP API the Serverless Framework creates for `httpApi` events. */
export const SERVERLESS_HTTP_API = 'HttpApi';

/** What the event mapping reads of a service, its variables already resolved. */
export interface ServiceParts {
  functions: unknown;
  provider: unknown;
  /** Filled in: the logical id of every generated method or route, with the function it comes from. */
  owners: Map<string, string>;
}

/**
 * The methods (`http` events, REST API) and routes (`httpApi` events, HTTP API) the Serverless
 * Framework compiles a service's function events into, with their authorizers: the same
 * resources the SAM mapping makes of `Api` / `HttpApi` events, on the implicit
 * `ApiGatewayRestApi` / `HttpApi`, each positioned at its event in the service file. An event
 * with no authorizer is open (NONE), as the framework deploys it.
 */
export function functionEventResources(ctx: TemplateContext, byLogicalId: ReadonlyMap<string, Built>, service: ServiceParts): Built[] {
  const out: Built[] = [];
  const fns = evaluated(service.functions, ctx);
  if (!isRecord(fns)) return out;
  const provider = evaluated(service.provider, ctx);
  const p: Rec = isRecord(provider) ? (provider as Rec) : {};
  const apis = new Map<ApiFlavor, SamApi>();
  const made = new Set<string>();
  const apiFor = (flavor: ApiFlavor, eventPointer: string): SamApi => {
    let api = apis.get(flavor);
    if (api) return api;
    const logicalId = flavor === 'rest' ? SERVERLESS_REST_API : SERVERLESS_HTTP_API;
    const own = byLogicalId.get(logicalId);
    if (own && own.kind === (flavor === 'rest' ? 'apigateway.restApi' : 'apigatewayv2.api')) {
      // The service's `resources` extend the generated API (the framework merges them).
      api = { built: own, auth: undefined, flavor };
    } else {
      const key = flavor === 'rest' ? 'apiGateway' : 'httpApi';
      api = implicitApi(ctx, p[key] !== undefined ? `/provider/${key}` : eventPointer, undefined, flavor, logicalId);
      out.push(api.built);
      made.add(logicalId);
      if (flavor === 'http') httpAuthorizers(api, p.httpApi, ctx, out);
    }
    apis.set(flavor, api);
    return api;
  };

  for (const [fnName, fn] of Object.entries(fns as Rec)) {
    if (!isRecord(fn)) continue;
    const events = (fn as Rec).events;
    const eventsPointer = joinPointer('/functions', fnName, 'events');
    if (events instanceof Unknown) {
      warn(ctx, eventsPointer, `function ${fnName}: its events cannot be read statically (${events.reason}); its API methods are not checked`);
      continue;
    }
    if (!Array.isArray(events)) continue;
    events.forEach((event, i) => {
      if (!isRecord(event)) return;
      const e = event as Rec;
      const key = e.http !== undefined ? 'http' : e.httpApi !== undefined ? 'httpApi' : undefined;
      if (!key) return;
      const flavor: ApiFlavor = key === 'http' ? 'rest' : 'http';
      const base = joinPointer(eventsPointer, i, key);
      const value = e[key]!;
      const reader = new Reader(ctx, isRecord(value) ? (value as Rec) : {}, base, base);
      const route = routeOf(value, flavor);
      if ('reason' in route) {
        warn(ctx, base, `function ${fnName}: ${key} event ${i} ${route.reason}; its ${flavor === 'rest' ? 'method' : 'route'} is not checked`);
        return;
      }
      const api = apiFor(flavor, base);
      const label = flavor === 'rest' || route.path !== '$default' ? `${route.verb} ${route.path}` : '$default';
      if (made.has(`${api.built.logicalId}/${label}`)) {
        warn(ctx, base, `function ${fnName}: ${label} is defined by another event too; the Serverless Framework rejects the service`);
        return;
      }
      const generated: Built[] = [];
      const s = operation(api.built, ctx, reader, flavor, [], route.verb, route.path, generated, { path: 'path', verb: 'method' });
      if (flavor === 'rest') {
        restAuthorization(s, api, ctx, byLogicalId, generated, made);
        // `cors: true` also deploys an OPTIONS method (MOCK, no authorization) answering the
        // pre-flight; the rules exempt OPTIONS, so it is not generated.
        s.set('corsPreflight', false, []);
        // `request` (schemas, required parameters) makes the framework add a request validator.
        const request = isRecord(value) ? (value as Rec).request : undefined;
        mapRequestValidation(s, request === undefined ? undefined : new Unknown('the request validator the Serverless Framework makes for `request` is not modelled', '${?}'), request === undefined ? [] : 'request');
      } else {
        httpAuthorization(s, api, p.httpApi);
      }
      for (const g of generated) {
        made.add(g.logicalId);
        service.owners.set(g.logicalId, fnName);
        out.push(g);
      }
    });
  }
  return out;
}

function evaluated(raw: unknown, ctx: TemplateContext): Evaluated | undefined {
  if (raw === undefined) return undefined;
  const v = evaluate(raw, ctx.eval);
  return v === NO_VALUE ? undefined : v;
}

function warn(ctx: TemplateContext, pointer: string, message: string): void {
  const pos = ctx.doc.locate(pointer);
  ctx.diagnostics.push({ severity: 'warning', code: 'serverless-event-unreadable', message, file: ctx.file, ...(pos && { line: pos.line, column: pos.column }) });
}

/**
 * The verb and path of an event: `{ method, path }` or the short form `GET users/{id}`. REST
 * paths are relative to the API root (`users` is `/users`); an HTTP API's `*` (path or whole
 * event) is its `$default` route and a `*` method is ANY.
 */
function routeOf(value: Evaluated, flavor: ApiFlavor): { verb: string; path: string } | { reason: string } {
  let method: Evaluated | undefined;
  let path: Evaluated | undefined;
  if (typeof value === 'string') {
    if (flavor === 'http' && value.trim() === '*') return { verb: 'ANY', path: '$default' };
    const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(value);
    if (!m) return { reason: `"${value.slice(0, 40)}" is not METHOD PATH` };
    [method, path] = [m[1]!, m[2]!];
  } else if (isRecord(value)) {
    ({ method, path } = value as Rec);
  } else {
    return { reason: `cannot be read statically (${value instanceof Unknown ? value.reason : 'not a mapping'})` };
  }
  const v = asString(method ?? null);
  const p = asString(path ?? (flavor === 'http' ? '*' : null));
  if ('reason' in v) return { reason: `has a method that cannot be read (${v.reason})` };
  if ('reason' in p) return { reason: `has a path that cannot be read (${p.reason})` };
  const verb = v.value === '*' || v.value.toLowerCase() === 'any' ? 'ANY' : v.value.toUpperCase();
  if (flavor === 'http' && p.value.trim() === '*') return { verb: 'ANY', path: '$default' };
  const trimmed = p.value.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return { verb, path: `/${trimmed}` };
}

/**
 * An event's `authorizer`, or undefined when the event is settled without one: none given is an
 * open method (NONE, reported at the event's `method:` line, the line to change), an unknown
 * value makes the authorization unknown.
 */
function readAuthorizer(s: Scope): Evaluated | undefined {
  const a = s.get('authorizer');
  if (a === undefined) {
    s.default('authorizationType', 'NONE');
    s.position(s.out('authorizationType'), 'method');
    return undefined;
  }
  if (a instanceof Unknown) {
    s.unknown('authorizationType', a.reason, 'authorizer');
    return undefined;
  }
  return a;
}

/**
 * The authorization of an `http` event, as the framework reads `authorizer`: `aws_iam`; a
 * Cognito user pool (an ARN of `cognito-idp`, or `type: COGNITO_USER_POOLS`); a Lambda
 * authorizer (a function of the service by name, a function ARN, `type: TOKEN` / `REQUEST`);
 * an existing authorizer (`authorizerId` with its `type`); none. `private: true` requires an
 * API key.
 */
function restAuthorization(s: Scope, api: SamApi, ctx: TemplateContext, byLogicalId: ReadonlyMap<string, Built>, out: Built[], made: Set<string>): void {
  s.bool('private', 'apiKeyRequired', false);
  const a = readAuthorizer(s);
  if (a === undefined) return;
  const def: Rec = isRecord(a) ? (a as Rec) : {};
  const shorthand = isRecord(a) ? undefined : asString(a);
  if (shorthand && 'reason' in shorthand) {
    s.unknown('authorizationType', shorthand.reason, 'authorizer');
    return;
  }
  const text = shorthand?.value;
  const arn: Evaluated | undefined = text !== undefined ? (text.startsWith('arn:') || a instanceof Symbolic ? a : undefined) : def.arn;
  const fnName = text !== undefined && arn === undefined ? text : undefined;
  const declared = def.type !== undefined ? asString(def.type) : undefined;
  if (declared && 'reason' in declared) {
    s.unknown('authorizationType', declared.reason, 'authorizer.type');
    return;
  }
  const typeWord = (text ?? declared?.value ?? '').toUpperCase();
  if (typeWord === 'AWS_IAM') {
    s.set('authorizationType', 'AWS_IAM', 'authorizer');
    return;
  }
  let type: 'COGNITO_USER_POOLS' | 'TOKEN' | 'REQUEST' | undefined;
  if (declared) {
    const t = declared.value.toUpperCase();
    if (t === 'COGNITO_USER_POOLS') type = t;
    else if (t === 'TOKEN' || t === 'REQUEST') type = t;
    else if (t === 'CUSTOM') type = 'TOKEN';
    else {
      s.unknown('authorizationType', `authorizer type ${declared.value} is not one API Gateway knows`, 'authorizer.type');
      return;
    }
  } else if (def.authorizerId !== undefined) {
    s.unknown('authorizationType', 'authorizerId is given without the type of that authorizer', 'authorizer');
    return;
  } else if (arn !== undefined) {
    const pool = isCognitoArn(arn, byLogicalId);
    if (pool === undefined) {
      s.unknown('authorizationType', `the authorizer ARN cannot be read statically (${arn instanceof Unknown ? arn.reason : 'it is only known at deploy time'})`, 'authorizer');
      return;
    }
    type = pool ? 'COGNITO_USER_POOLS' : 'TOKEN';
  } else {
    type = 'TOKEN';
  }
  const where = isRecord(a) ? 'authorizer.type' : 'authorizer';
  s.set('authorizationType', type === 'COGNITO_USER_POOLS' ? type : 'CUSTOM', declared ? where : 'authorizer');
  if (type === 'COGNITO_USER_POOLS' && def.scopes !== undefined) s.list('authorizer.scopes', 'authorizationScopes');
  if (def.authorizerId !== undefined) {
    // An authorizer defined elsewhere (the service's `resources`, another stack).
    s.target.link('authorizer', def.authorizerId, ['apigateway.authorizer']);
    return;
  }
  const name = nameOf(def.name, arn, fnName ?? def.name);
  if (!name) return;
  s.set('authorizerId', name, 'authorizer');
  const logicalId = `${api.built.logicalId}/authorizer/${name}`;
  s.target.links.push({ relation: 'authorizer', refs: [logicalId], kinds: ['apigateway.authorizer'] });
  if (made.has(logicalId) || byLogicalId.has(logicalId)) return;
  const z = apiChild(api.built, ctx, s.reader as Reader, 'rest', 'authorizer', ['authorizer'], `authorizer/${name}`, `authorizer ${name}`, out);
  made.add(logicalId);
  z.set('name', name, isRecord(a) ? 'name' : []);
  z.set('type', type, isRecord(a) && def.type !== undefined ? 'type' : []);
  if (type === 'COGNITO_USER_POOLS') {
    if (isRecord(a)) z.scalarList('arn', 'providerARNs');
    else z.set('providerARNs', [text], []);
    z.target.link('userPools', arn, ['cognito.userPool']);
  } else if (isRecord(a)) {
    // The framework's default result cache is API Gateway's 300 seconds.
    z.int('resultTtlInSeconds', 'authorizerResultTtlInSeconds', API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
  } else {
    z.default('authorizerResultTtlInSeconds', API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
  }
  if (isRecord(a)) z.string('identitySource', 'identitySource', type === 'REQUEST' ? undefined : 'method.request.header.Authorization');
  else z.default('identitySource', 'method.request.header.Authorization');
}

/** True for a Cognito user pool ARN (or a reference to a pool of the service), false for another ARN, undefined when unknown. */
function isCognitoArn(arn: Evaluated, byLogicalId: ReadonlyMap<string, Built>): boolean | undefined {
  if (typeof arn === 'string') return arn.startsWith('arn:aws:cognito-idp') || /^arn:aws[a-z-]*:cognito-idp:/.test(arn);
  if (arn instanceof Symbolic) {
    if (/:cognito-idp:/.test(arn.text)) return true;
    if (arn.refs.length === 1) {
      const kind = byLogicalId.get(arn.refs[0]!)?.kind;
      if (kind === 'cognito.userPool') return true;
    }
    return /:lambda:|:function:/.test(arn.text) ? false : undefined;
  }
  return undefined;
}

/** The authorizer's name as the framework derives it: `name`, else the function's name, else the last part of the ARN. */
function nameOf(name: Evaluated | undefined, arn: Evaluated | undefined, fallback: Evaluated | undefined): string | undefined {
  for (const v of [name, fallback]) if (typeof v === 'string' && v !== '') return v;
  if (typeof arn === 'string') return arn.split(/[:/]/).at(-1) || undefined;
  if (arn instanceof Symbolic && arn.refs.length === 1) return arn.refs[0];
  return undefined;
}

/**
 * The authorization of an `httpApi` event: `authorizer: { name }` naming one of
 * `provider.httpApi.authorizers` (`type: jwt`, the default, or `type: request`, a Lambda),
 * `authorizer: { type: aws_iam }`, an existing authorizer (`id` with its `type`), or none.
 */
function httpAuthorization(s: Scope, api: SamApi, httpApi: Evaluated | undefined): void {
  const a = readAuthorizer(s);
  if (a === undefined) return;
  const def: Rec = isRecord(a) ? (a as Rec) : { name: a };
  const declared = def.type !== undefined ? asString(def.type) : undefined;
  if (declared && 'reason' in declared) {
    s.unknown('authorizationType', declared.reason, 'authorizer.type');
    return;
  }
  const at = isRecord(a) ? 'authorizer.type' : 'authorizer';
  if (declared?.value.toLowerCase() === 'aws_iam') {
    s.set('authorizationType', 'AWS_IAM', at);
    return;
  }
  const name = def.name !== undefined ? asString(def.name) : undefined;
  if (name === undefined) {
    if (def.id !== undefined && declared) {
      const t = declared.value.toLowerCase();
      if (t === 'jwt' || t === 'request') {
        s.set('authorizationType', t === 'jwt' ? 'JWT' : 'CUSTOM', at);
        return;
      }
    }
    s.unknown('authorizationType', def.id !== undefined ? 'authorizer.id names an authorizer outside the service without its type' : 'the authorizer names no authorizer', 'authorizer');
    return;
  }
  if ('reason' in name) {
    s.unknown('authorizationType', name.reason, isRecord(a) ? 'authorizer.name' : 'authorizer');
    return;
  }
  const authorizers = isRecord(httpApi) ? (httpApi as Rec).authorizers : undefined;
  const found = isRecord(authorizers) && Object.hasOwn(authorizers, name.value) ? (authorizers as Rec)[name.value] : undefined;
  if (!isRecord(found)) {
    s.unknown('authorizationType', `authorizer ${name.value} is not defined in provider.httpApi.authorizers`, isRecord(a) ? 'authorizer.name' : 'authorizer');
    return;
  }
  const type = authorizerType(found as Rec);
  if (type === undefined) {
    s.unknown('authorizationType', `the type of authorizer ${name.value} cannot be read`, 'authorizer');
    return;
  }
  s.set('authorizationType', type === 'JWT' ? 'JWT' : 'CUSTOM', isRecord(a) ? 'authorizer.name' : 'authorizer');
  s.set('authorizerId', name.value, isRecord(a) ? 'authorizer.name' : 'authorizer');
  s.target.links.push({ relation: 'authorizer', refs: [`${api.built.logicalId}/authorizer/${name.value}`], kinds: ['apigatewayv2.authorizer'] });
  if (type === 'JWT' && def.scopes !== undefined) s.list('authorizer.scopes', 'authorizationScopes');
}

function authorizerType(def: Rec): 'JWT' | 'REQUEST' | undefined {
  if (def.type === undefined) return def.functionName !== undefined || def.functionArn !== undefined ? 'REQUEST' : 'JWT';
  const t = typeof def.type === 'string' ? def.type.toLowerCase() : undefined;
  return t === 'jwt' ? 'JWT' : t === 'request' ? 'REQUEST' : undefined;
}

/** `provider.httpApi.authorizers`: JWT (issuer and audience) and Lambda (`type: request`) authorizers of the HTTP API. */
function httpAuthorizers(api: SamApi, httpApi: Evaluated | undefined, ctx: TemplateContext, out: Built[]): void {
  if (!isRecord(httpApi) || !isRecord((httpApi as Rec).authorizers)) return;
  const reader = new Reader(ctx, httpApi as Rec, '/provider/httpApi', '/provider/httpApi');
  for (const [name, def] of Object.entries((httpApi as Rec).authorizers as Rec)) {
    if (!isRecord(def)) continue;
    const a = apiChild(api.built, ctx, reader, 'http', 'authorizer', ['authorizers', name], `authorizer/${name}`, `authorizer ${name}`, out);
    a.set('name', name, []);
    const type = authorizerType(def as Rec);
    if (type === undefined) {
      a.unknown('authorizerType', 'type is neither jwt nor request', 'type');
      continue;
    }
    a.set('authorizerType', type, (def as Rec).type !== undefined ? 'type' : []);
    a.scalarList('identitySource', 'identitySource');
    if (type === 'JWT') {
      a.string('issuerUrl', 'jwtConfiguration.issuer');
      if (Array.isArray(a.get('audience'))) a.list('audience', 'jwtConfiguration.audience');
      else a.scalarList('audience', 'jwtConfiguration.audience');
      a.target.link('userPools', a.get('issuerUrl'), ['cognito.userPool']);
    } else {
      a.int('resultTtlInSeconds', 'authorizerResultTtlInSeconds', API_GATEWAY_DEFAULTS.lambdaAuthorizerResultTtlInSeconds);
      a.bool('enableSimpleResponses', 'enableSimpleResponses');
    }
  }
}
