import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Diagnostic } from '../../model/finding.js';
import type { Resource } from '../../model/resource.js';
import { InputError } from '../../util/input-error.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import { readRestApis, readHttpApis } from './apigateway.js';
import { readUserPools } from './cognito-idp.js';
import { readIdentityPools } from './cognito-identity.js';
import type { LiveContext, LiveService } from './context.js';
import { readRoles } from './iam.js';
import { RateLimiter, systemClock, type Clock } from './limits.js';

/** Temporary or long-term credentials handed to the SDK clients. */
export interface LiveCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** What every client is built from: the SDK's default chain fills in whatever is not given. */
export interface ClientConfig {
  region: string;
  profile?: string;
  credentials?: LiveCredentials;
}

/** Builds the SDK clients; tests inject their own. */
export interface ClientFactory {
  cognitoIdp(config: ClientConfig): CognitoIdentityProviderClient;
  cognitoIdentity(config: ClientConfig): CognitoIdentityClient;
  iam(config: ClientConfig): IAMClient;
  apigateway(config: ClientConfig): APIGatewayClient;
  apigatewayv2(config: ClientConfig): ApiGatewayV2Client;
  sts(config: ClientConfig): STSClient;
}

// The SDK's adaptive retry mode slows the client down when AWS answers with throttling errors,
// on top of the scan's own spacing of calls. Endpoints (AWS_ENDPOINT_URL and the service
// variables) are read by the SDK itself.
const sdkConfig = ({ region, profile, credentials }: ClientConfig) => ({
  region,
  retryMode: 'adaptive' as const,
  maxAttempts: 5,
  ...(profile !== undefined && { profile }),
  ...(credentials !== undefined && { credentials }),
});

/** The real SDK clients. */
export const sdkClients: ClientFactory = {
  cognitoIdp: (c) => new CognitoIdentityProviderClient(sdkConfig(c)),
  cognitoIdentity: (c) => new CognitoIdentityClient(sdkConfig(c)),
  iam: (c) => new IAMClient(sdkConfig(c)),
  apigateway: (c) => new APIGatewayClient(sdkConfig(c)),
  apigatewayv2: (c) => new ApiGatewayV2Client(sdkConfig(c)),
  sts: (c) => new STSClient(sdkConfig(c)),
};

/**
 * The commercial Regions where Cognito user pools are offered; `--all-regions` scans each. A
 * Region the account has not enabled answers with an invalid-token error, recorded as a
 * diagnostic.
 */
export const ALL_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2',
  'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

/** What `scan --live` and `export --live` read from. */
export interface LiveOptions {
  /** Regions to scan; default: the SDK's region (AWS_REGION, the profile's region). */
  regions?: string[];
  allRegions?: boolean;
  profile?: string;
  /** One role per account, each assumed through STS; default: the caller's own account. */
  roleArns?: string[];
  externalId?: string;
  /** Requests per second per quota category (capped at half the category's default quota). */
  maxRps?: number;
  clients?: ClientFactory;
  clock?: Clock;
  /** Called with a one-line status after each call (the CLI shows it on a terminal). */
  onProgress?: (line: string) => void;
}

/** Calls made, throttles met and time waited, for the end-of-scan report. */
export interface CallStats {
  /** API name -> calls made (a retried call counts once). */
  calls: Record<string, number>;
  succeeded: number;
  /** Successful calls other than STS's: what was actually read. */
  reads: number;
  failed: number;
  /** Throttling answers that were retried (by the SDK or by the scan). */
  throttled: number;
  /** Milliseconds spent waiting for rate slots and retry back-offs. */
  waitedMs: number;
}

/** Everything a live read produced. */
export interface LiveRead {
  resources: Resource[];
  diagnostics: Diagnostic[];
  stats: CallStats;
  accounts: string[];
  regions: string[];
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException']);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'NotAuthorizedException', 'UnauthorizedOperation', 'AuthorizationErrorException']);
// An opt-in Region the account has not enabled rejects every request's credentials.
const REGION_NOT_ENABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'OptInRequired']);
const UNSUPPORTED = new Set(['UnknownOperationException', 'UnsupportedOperationException', 'UnsupportedOperation', 'InvalidAction']);
/** Attempts the scan itself makes at a call that keeps being throttled after the SDK's retries. */
const SCAN_ATTEMPTS = 3;

function errorName(err: unknown): string {
  const e = err as { name?: string; code?: string; Code?: string };
  return e.code ?? e.Code ?? e.name ?? 'Error';
}

function isThrottling(err: unknown): boolean {
  return THROTTLING.has(errorName(err)) || (err as { $retryable?: { throttling?: boolean } }).$retryable?.throttling === true;
}

/**
 * Names the failure without the error's message: AWS messages quote ARNs and principals, and
 * an emulator's may quote the request; the error's name says enough.
 */
function classify(err: unknown): { code: string; text: string } {
  const name = errorName(err);
  if (DENIED.has(name)) return { code: 'live-access-denied', text: `access denied (${name})` };
  if (REGION_NOT_ENABLED.has(name)) return { code: 'live-region-not-enabled', text: `credentials rejected, the Region may not be enabled for the account (${name})` };
  if (UNSUPPORTED.has(name) || /not ?implemented|unsupported/i.test(name)) return { code: 'live-unsupported', text: `operation not supported by the endpoint (${name})` };
  if (isThrottling(err)) return { code: 'live-throttled', text: `still throttled after retries (${name})` };
  return { code: 'live-call-failed', text: name };
}

/** The LiveContext of one account and Region, sharing the scan's limiter, stats and diagnostics. */
export function createLiveContext(input: {
  account: string;
  region: string;
  partition: string;
  limiter: RateLimiter;
  stats: CallStats;
  diagnostics: Diagnostic[];
  clock: Clock;
  onCall?: () => void;
}): LiveContext {
  const { limiter, stats, clock } = input;
  const failures = new Map<string, string>();
  const where = `${input.account || 'unknown account'}/${input.region}`;
  return {
    account: input.account,
    region: input.region,
    partition: input.partition,
    diagnostics: input.diagnostics,
    reason: (what) => failures.get(what) ?? `${what} could not be read`,
    async call<T>(service: LiveService, api: string, what: string, send: () => Promise<T>): Promise<T | undefined> {
      stats.calls[api] = (stats.calls[api] ?? 0) + 1;
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await limiter.run(service, api, send);
          const meta = (res as { $metadata?: { attempts?: number; totalRetryDelay?: number } } | undefined)?.$metadata;
          if (meta?.attempts !== undefined && meta.attempts > 1) {
            stats.throttled += meta.attempts - 1;
            stats.waitedMs += meta.totalRetryDelay ?? 0;
          }
          stats.succeeded++;
          if (service !== 'sts') stats.reads++;
          input.onCall?.();
          return res;
        } catch (err) {
          if (isThrottling(err) && attempt < SCAN_ATTEMPTS) {
            stats.throttled++;
            const backoff = 1000 * 2 ** (attempt - 1);
            stats.waitedMs += backoff;
            await clock.sleep(backoff);
            continue;
          }
          stats.failed++;
          const { code, text } = classify(err);
          const message = `${where}: ${api} on ${what} failed: ${text}`;
          failures.set(what, `${api} failed: ${text}`);
          input.diagnostics.push({ severity: 'warning', code, message });
          input.onCall?.();
          return undefined;
        }
      }
    },
  };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

async function defaultRegion(profile: string | undefined): Promise<string> {
  const env = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (env) return env;
  try {
    // The SDK's region provider reads the profile's region from ~/.aws/config; no call is made.
    const region = await new STSClient(profile !== undefined ? { profile } : {}).config.region();
    if (region) return region;
  } catch {
    // no region configured anywhere: the error below says what to do
  }
  throw new InputError('--live: no Region: pass --region, --all-regions or set AWS_REGION');
}

/** One account to scan: the caller's own, or one reached through a role. */
interface Account {
  roleArn?: string;
  credentials?: LiveCredentials;
}

/**
 * Reads every supported resource of each account and Region. Failed calls become warning
 * diagnostics and unresolved properties; an InputError only when not one read call succeeded.
 */
export async function readLive(options: LiveOptions): Promise<LiveRead> {
  const clients = options.clients ?? sdkClients;
  const clock = options.clock ?? systemClock;
  const regions = options.allRegions ? ALL_REGIONS : options.regions?.length ? [...new Set(options.regions)] : [await defaultRegion(options.profile)];
  const profile = options.profile !== undefined ? { profile: options.profile } : {};
  const stats: CallStats = { calls: {}, succeeded: 0, reads: 0, failed: 0, throttled: 0, waitedMs: 0 };
  const diagnostics: Diagnostic[] = [];
  const resources: Resource[] = [];
  const limiter = new RateLimiter(clock, options.maxRps);
  const accounts: string[] = [];
  const home = regions[0]!;
  const progress = (): void =>
    options.onProgress?.(`${TOOL_NAME}: live: ${stats.succeeded + stats.failed} calls, ${resources.length} resources, ${stats.throttled} throttled`);
  const contextFor = (account: string, region: string): LiveContext =>
    createLiveContext({ account, region, partition: partitionOf(region), limiter, stats, diagnostics, clock, onCall: progress });

  for (const target of await accountsToScan(options, clients, contextFor('', home), profile)) {
    const config = (region: string): ClientConfig => ({ region, ...profile, ...(target.credentials && { credentials: target.credentials }) });
    const sts = contextFor(accountOfRole(target.roleArn), home);
    const identity = await sts.call('sts', 'GetCallerIdentity', `the caller identity`, () => clients.sts(config(home)).send(new GetCallerIdentityCommand({})));
    const account = identity?.Account ?? accountOfRole(target.roleArn);
    if (account) accounts.push(account);
    const read: Resource[] = [];
    for (const region of regions) {
      const ctx = contextFor(account, region);
      read.push(...(await readUserPools(clients.cognitoIdp(config(region)), ctx)));
      read.push(...(await readIdentityPools(clients.cognitoIdentity(config(region)), ctx)));
      read.push(...(await readRestApis(clients.apigateway(config(region)), ctx)));
      read.push(...(await readHttpApis(clients.apigatewayv2(config(region)), ctx)));
    }
    // IAM is global: the roles this account's pools and groups name, each read once.
    const roleArns = [...new Set(read.flatMap((r) => ROLE_RELATIONS.flatMap((rel) => r.relations[rel] ?? [])))].filter((arn) => /^arn:[^:]+:iam::/.test(arn));
    if (roleArns.length) read.push(...(await readRoles(clients.iam(config(home)), contextFor(account, home), roleArns)));
    resources.push(...read);
  }
  // Exit 2 only when not one read succeeded: bad credentials, no endpoint, every call denied.
  if (stats.reads === 0) throw new InputError(`--live: nothing could be read: ${diagnostics[0]?.message ?? 'no call succeeded'}`);
  const unique = new Map(resources.map((r) => [r.id, r]));
  return {
    resources: [...unique.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    diagnostics,
    stats,
    accounts: [...new Set(accounts)],
    regions: [...regions],
  };
}

const ROLE_RELATIONS = ['authenticatedRole', 'unauthenticatedRole', 'mappedRoles', 'groupRoles', 'smsRole'];

function accountOfRole(roleArn: string | undefined): string {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn ?? '')?.[1] ?? '';
}

/**
 * Each --role-arn assumed through STS with the caller's credentials; a role that cannot be
 * assumed is a diagnostic and its account is skipped.
 */
async function accountsToScan(options: LiveOptions, clients: ClientFactory, ctx: LiveContext, profile: { profile?: string }): Promise<Account[]> {
  if (!options.roleArns?.length) return [{}];
  const sts = clients.sts({ region: ctx.region, ...profile });
  const out: Account[] = [];
  for (const roleArn of options.roleArns) {
    const res = await ctx.call('sts', 'AssumeRole', `role ${roleArn}`, () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: `${TOOL_NAME}-${TOOL_VERSION}`.replace(/[^\w+=,.@-]/g, '-'),
          ...(options.externalId !== undefined && { ExternalId: options.externalId }),
        }),
      ),
    );
    const c = res?.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) continue;
    out.push({
      roleArn,
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken && { sessionToken: c.SessionToken }), ...(c.Expiration && { expiration: c.Expiration }) },
    });
  }
  if (out.length === 0) throw new InputError(`--live: no role could be assumed: ${ctx.diagnostics[0]?.message ?? 'AssumeRole failed'}`);
  return out;
}

/** The one-line report of calls, throttles and waits printed after a live read. */
export function statsLine(stats: CallStats): string {
  const total = Object.values(stats.calls).reduce((a, b) => a + b, 0);
  const perApi = Object.entries(stats.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
  return `${TOOL_NAME}: live: ${total} API calls (${perApi}); ${stats.failed} failed; ${stats.throttled} throttled and retried; waited ${(stats.waitedMs / 1000).toFixed(1)} s`;
}

/** The snapshot (schemas/snapshot.schema.json) of a live read: sorted, one resource per ARN. */
export function renderSnapshot(read: LiveRead, now: Date): string {
  const snapshot = {
    version: 1,
    generator: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: now.toISOString(),
    scope: { accounts: read.accounts, regions: read.regions },
    resources: read.resources.map((r) => ({
      kind: r.kind,
      id: r.id,
      name: r.name,
      ...(r.account !== undefined && { account: r.account }),
      ...(r.region !== undefined && { region: r.region }),
      ...(r.arn !== undefined && { arn: r.arn }),
      properties: r.properties,
      relations: r.relations,
      unresolved: r.unresolved,
      defaults: r.defaults,
    })),
  };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
