import type { Diagnostic } from '../../model/finding.js';
import type { Resource } from '../../model/resource.js';

/** What one reader needs: a way to make one AWS call under the scan's limits, and where to put results. */
export interface LiveContext {
  account: string;
  region: string;
  partition: string;
  /**
   * Sends one read call under the scan's rate limit and retry policy and counts it. Resolves to
   * the response, or to undefined when the call failed (AccessDenied, unsupported, region not
   * enabled): the failure is then already recorded as a diagnostic naming `what`, and the caller
   * marks every property that needed the response as unresolved with `reason(what)`.
   */
  call<T>(service: LiveService, api: string, what: string, send: () => Promise<T>): Promise<T | undefined>;
  /** The reason text to store in `resource.unresolved[path]` for a failed call about `what`. */
  reason(what: string): string;
  diagnostics: Diagnostic[];
}
export type LiveService = 'cognito-idp' | 'cognito-identity' | 'iam' | 'apigateway' | 'apigatewayv2' | 'sts';

/** One service reader: reads everything of its service in ctx.region and returns resources. */
export type LiveReader<C> = (client: C, ctx: LiveContext) => Promise<Resource[]>;
