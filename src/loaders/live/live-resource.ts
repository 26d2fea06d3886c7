import type { ResourceKind } from '../../model/kinds.js';
import type { Resource } from '../../model/resource.js';
import type { LiveContext, LiveService } from './context.js';

/**
 * A resource read from the live account. Its id is its ARN; it has no file or position until
 * the scan writes the snapshot it is reported against.
 */
export function liveResource(kind: ResourceKind, arn: string, name: string, ctx: LiveContext, global = false): Resource {
  return {
    kind,
    id: arn,
    name,
    // The account is unknown when GetCallerIdentity failed (an emulator): leave it out then.
    ...(/^\d{12}$/.test(ctx.account) && { account: ctx.account }),
    ...(!global && { region: ctx.region }),
    arn,
    properties: {},
    relations: {},
    unresolved: {},
    defaults: [],
    source: { kind: 'live' },
  };
}

/** Sets the dotted property `path` (`endpointConfiguration.types`) when `value` is defined: AWS leaves unset settings out of responses. */
export function put(r: Resource, path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const keys = path.split('.');
  let at = r.properties;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]!] = value;
}

/** Like {@link put}, but applies AWS's default for a setting the response left out and notes it. */
export function putOrDefault(r: Resource, path: string, value: unknown, fallback: unknown): void {
  if (value === undefined || value === null) {
    put(r, path, fallback);
    r.defaults.push(path);
  } else put(r, path, value);
}

/** Adds relation targets (ARNs), skipping duplicates and missing values. */
export function relate(r: Resource, relation: string, ...ids: Array<string | undefined>): void {
  for (const id of ids) {
    if (id === undefined) continue;
    const list = (r.relations[relation] ??= []);
    if (!list.includes(id)) list.push(id);
  }
}

/** Marks every path as unresolved for the same reason. */
export function unresolve(r: Resource, paths: readonly string[], reason: string): void {
  for (const path of paths) r.unresolved[path] = reason;
}

/**
 * Every page of a paginated read: `send(token)` makes the call for one page and `page` picks
 * its items and the next token. A failed page ends the listing with `complete: false` (the
 * failure is already a diagnostic) and so does a token seen before, so a service that repeats
 * itself cannot loop the scan; callers mark what the missing pages would have told as unresolved.
 */
export async function listAll<T, O>(
  ctx: LiveContext,
  service: LiveService,
  api: string,
  what: string,
  send: (token: string | undefined) => Promise<O>,
  page: (out: O) => { items: T[] | undefined; next: string | undefined },
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const out = await ctx.call(service, api, what, () => send(token));
    if (out === undefined) return { items, complete: false };
    const { items: got, next } = page(out);
    items.push(...(got ?? []));
    if (!next) return { items, complete: true };
    if (seen.has(next)) {
      ctx.diagnostics.push({ severity: 'error', code: 'live-pagination-loop', message: `${what}: ${api} returned the page token of an earlier page; the listing is incomplete` });
      return { items, complete: false };
    }
    seen.add(next);
    token = next;
  }
}

/** ARN of a Cognito user pool from its id (`us-east-1_AbC`), in the pool's own region. */
export function userPoolArn(ctx: LiveContext, poolId: string): string {
  const region = poolId.includes('_') ? poolId.slice(0, poolId.indexOf('_')) : ctx.region;
  return `arn:${ctx.partition}:cognito-idp:${region}:${ctx.account}:userpool/${poolId}`;
}

/** An SDK structure with its keys camelCased (`AllowOrigins` -> `allowOrigins`), as the CloudFormation loader does. */
export function camelKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  }
  return out;
}
