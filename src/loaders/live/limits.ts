import type { LiveService } from './context.js';

/**
 * A request-rate budget several read APIs share. Cognito user pools enforce quotas per category
 * of operations, per account and Region, shared by every caller: a scheduled scan draws on the
 * same budget as the customer's admin tools, so it keeps to a small share of it.
 */
export interface RateCategory {
  name: string;
  /** The documented default quota in requests per second. */
  quotaRps: number;
}

// Cognito user pools ("Amazon Cognito user pools API operation categories and request rate
// quotas"): the read operations the scanner calls fall in three categories.
const USER_POOL_READ: RateCategory = { name: 'cognito-idp:UserPoolRead', quotaRps: 15 };
const USER_POOL_CLIENT_READ: RateCategory = { name: 'cognito-idp:UserPoolClientRead', quotaRps: 15 };
const USER_POOL_RESOURCE_READ: RateCategory = { name: 'cognito-idp:UserPoolResourceRead', quotaRps: 20 };

const COGNITO_IDP_CATEGORIES: Record<string, RateCategory> = {
  ListUserPools: USER_POOL_READ,
  DescribeUserPool: USER_POOL_READ,
  GetUserPoolMfaConfig: USER_POOL_READ,
  GetLogDeliveryConfiguration: USER_POOL_READ,
  ListUserPoolClients: USER_POOL_CLIENT_READ,
  DescribeUserPoolClient: USER_POOL_CLIENT_READ,
  DescribeRiskConfiguration: USER_POOL_RESOURCE_READ,
  ListIdentityProviders: USER_POOL_RESOURCE_READ,
  DescribeIdentityProvider: USER_POOL_RESOURCE_READ,
  DescribeUserPoolDomain: USER_POOL_RESOURCE_READ,
  ListResourceServers: USER_POOL_RESOURCE_READ,
  ListGroups: USER_POOL_RESOURCE_READ,
};

// The other services publish no per-category read quotas as low as Cognito's; identity pools
// allow 5 requests per second for their describe operations, IAM and API Gateway throttle their
// control planes at a few requests per second per account. One budget per service.
const SERVICE_CATEGORIES: Record<Exclude<LiveService, 'cognito-idp'>, RateCategory> = {
  'cognito-identity': { name: 'cognito-identity', quotaRps: 5 },
  iam: { name: 'iam', quotaRps: 10 },
  apigateway: { name: 'apigateway', quotaRps: 10 },
  apigatewayv2: { name: 'apigatewayv2', quotaRps: 10 },
  sts: { name: 'sts', quotaRps: 10 },
};

/** The scan takes this share of each category's default quota unless `--max-rps` says otherwise. */
export const DEFAULT_QUOTA_SHARE = 0.2;
/** `--max-rps` can never take more than this share of a category's default quota. */
export const MAX_QUOTA_SHARE = 0.5;
/** Calls in flight at once per service. */
export const DEFAULT_CONCURRENCY = 4;

/** The rate category an API call counts against. */
export function categoryOf(service: LiveService, api: string): RateCategory {
  if (service === 'cognito-idp') return COGNITO_IDP_CATEGORIES[api] ?? USER_POOL_RESOURCE_READ;
  return SERVICE_CATEGORIES[service];
}

/** The requests per second the scan allows itself in `category`. */
export function rateFor(category: RateCategory, maxRps: number | undefined): number {
  if (maxRps === undefined) return category.quotaRps * DEFAULT_QUOTA_SHARE;
  return Math.min(maxRps, category.quotaRps * MAX_QUOTA_SHARE);
}

/** Time source and sleep, injected so tests do not wait. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces the calls of each category evenly at its rate (every call reserves the next free slot,
 * so concurrent callers never burst) and bounds the calls in flight per service.
 */
export class RateLimiter {
  private readonly nextSlot = new Map<string, number>();
  private readonly inFlight = new Map<LiveService, number>();
  private readonly queued = new Map<LiveService, Array<() => void>>();
  /** Milliseconds spent waiting for a slot, summed over calls. */
  waitedMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxRps: number | undefined,
    private readonly concurrency = DEFAULT_CONCURRENCY,
  ) {}

  /** Runs `fn` once a slot of its category and a place among its service's calls are free. */
  async run<T>(service: LiveService, api: string, fn: () => Promise<T>): Promise<T> {
    await this.enter(service);
    try {
      const category = categoryOf(service, api);
      const interval = 1000 / rateFor(category, this.maxRps);
      const now = this.clock.now();
      const slot = Math.max(now, this.nextSlot.get(category.name) ?? now);
      this.nextSlot.set(category.name, slot + interval);
      if (slot > now) {
        this.waitedMs += slot - now;
        await this.clock.sleep(slot - now);
      }
      return await fn();
    } finally {
      this.leave(service);
    }
  }

  private async enter(service: LiveService): Promise<void> {
    const n = this.inFlight.get(service) ?? 0;
    if (n < this.concurrency) {
      this.inFlight.set(service, n + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = this.queued.get(service) ?? [];
      queue.push(resolve);
      this.queued.set(service, queue);
    });
  }

  private leave(service: LiveService): void {
    const next = this.queued.get(service)?.shift();
    // The place passes straight to the next waiter; the count stays the same.
    if (next) next();
    else this.inFlight.set(service, (this.inFlight.get(service) ?? 1) - 1);
  }
}
