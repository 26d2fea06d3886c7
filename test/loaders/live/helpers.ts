import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { mockClient } from 'aws-sdk-client-mock';
import { evaluate } from '../../../src/engine/evaluate.js';
import { buildGraph } from '../../../src/engine/graph.js';
import { FUNCTIONS } from '../../../src/functions/index.js';
import { loadCloudFormation } from '../../../src/loaders/cloudformation/index.js';
import type { LiveContext, LiveService } from '../../../src/loaders/live/context.js';
import type { Diagnostic } from '../../../src/model/finding.js';
import type { Resource } from '../../../src/model/resource.js';
import { compileRules } from '../../../src/rules/compile.js';
import { loadRules } from '../../../src/rules/load.js';
import { validatorFor } from '../../../src/schemas.js';

/** One recorded API exchange: the request fields it answers, and the response or the error. */
export interface Exchange {
  input: Record<string, unknown>;
  output?: unknown;
  /** AWS error name (AccessDeniedException, ThrottlingException...) thrown instead of answering. */
  error?: string;
  /** Throw ThrottlingException the first time, then answer. */
  throttleOnce?: boolean;
}

/** A fixture of test/fixtures/live: responses in the SDK's (AWS's documented) shapes, by API name. */
export interface LiveFixture {
  account: string;
  region: string;
  roleArns?: string[];
  calls: Record<string, Exchange[]>;
}

export function loadFixture(name: string): LiveFixture {
  return JSON.parse(readFileSync(new URL(`../../fixtures/live/${name}.json`, import.meta.url), 'utf8')) as LiveFixture;
}

// A page token names the page: a request without one is for the first page only.
const TOKENS = ['NextToken', 'Marker', 'position'];

/**
 * A client whose commands answer from the fixture: the exchange whose `input` fields all equal
 * the request's (page tokens included). A request the fixture does not know fails the test.
 */
export function mockFromFixture<C>(clientClass: new (config: object) => C, commands: Record<string, new (input: never) => unknown>, fixture: LiveFixture) {
  const mock = mockClient(clientClass as never);
  mocks.push(mock);
  const throttled = new Set<Exchange>();
  for (const [api, command] of Object.entries(commands)) {
    mock.on(command as never).callsFake((input: Record<string, unknown>) => {
      const exchange = (fixture.calls[api] ?? []).find(
        (e) => Object.entries(e.input).every(([k, v]) => isDeepStrictEqual(input[k], v)) && TOKENS.every((t) => input[t] === e.input[t]),
      );
      if (!exchange) throw new Error(`fixture has no ${api} for ${JSON.stringify(input)}`);
      if (exchange.throttleOnce && !throttled.has(exchange)) {
        throttled.add(exchange);
        throw awsError('ThrottlingException', 'Rate exceeded');
      }
      if (exchange.error) throw awsError(exchange.error, `${api} failed`);
      return structuredClone(exchange.output);
    });
  }
  return new (clientClass as new (config: object) => C)({ region: fixture.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

const mocks: Array<{ restore(): void }> = [];

/** Puts the clients' real `send` back (call after each test). */
export function restoreMocks(): void {
  for (const mock of mocks.splice(0)) mock.restore();
}

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A LiveContext for reader tests: retries a throttled call once, records failures, counts calls. */
export interface TestContext extends LiveContext {
  calls: string[];
  throttles: number;
}

export function testContext(fixture: LiveFixture): TestContext {
  const diagnostics: Diagnostic[] = [];
  const ctx: TestContext = {
    account: fixture.account,
    region: fixture.region,
    partition: 'aws',
    diagnostics,
    calls: [],
    throttles: 0,
    reason: (what) => `${what} could not be read`,
    async call<T>(_service: LiveService, api: string, what: string, send: () => Promise<T>): Promise<T | undefined> {
      for (let attempt = 0; ; attempt++) {
        ctx.calls.push(api);
        try {
          return await send();
        } catch (err) {
          const name = (err as Error).name;
          if (name === 'ThrottlingException' && attempt === 0) {
            ctx.throttles++;
            continue;
          }
          diagnostics.push({ severity: 'error', code: 'live-call-failed', message: `${what}: ${api} failed with ${name}` });
          return undefined;
        }
      }
    },
  };
  return ctx;
}

/** The fixture with one exchange changed (an error injected, a throttle added). */
export function withExchange(fixture: LiveFixture, api: string, index: number, change: Partial<Exchange>): LiveFixture {
  const copy = structuredClone(fixture);
  copy.calls[api]![index] = { ...copy.calls[api]![index]!, ...change };
  return copy;
}

/**
 * Every bundled rule's outcome on every resource of its kinds, as sorted `rule kind status`
 * lines, and each finding's `rule status detail`: resources of a live scan and of a template
 * differ in ids and names, not in outcomes.
 */
export async function outcomes(resources: Resource[]): Promise<string[]> {
  const rules = compileRules(await loadRules(), {}, { profile: { name: 'all', rules: {} }, functions: FUNCTIONS });
  const graph = await buildGraph(resources, FUNCTIONS);
  const now = new Date('2026-01-01T00:00:00Z');
  const out: string[] = [];
  for (const rule of rules) {
    for (const resource of graph.resources) {
      if (rule.kinds.includes(resource.kind)) out.push(`${rule.id} ${resource.kind} ${rule.check(resource, { graph, now }).status}`);
    }
  }
  for (const f of evaluate(graph, rules, { now }).findings) out.push(`finding ${f.ruleId} ${f.status} ${f.detail ?? ''}`);
  return out.sort();
}

/** The resources of a CloudFormation template of test/fixtures/live. */
export function templateResources(name: string): Resource[] {
  const file = fileURLToPath(new URL(`../../fixtures/live/${name}`, import.meta.url));
  return loadCloudFormation(file, readFileSync(file, 'utf8')).resources;
}

/** Property-schema errors of each resource, by id (empty when every resource is valid). */
export function schemaErrors(resources: Resource[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const r of resources) {
    const validate = validatorFor(`resources/${r.kind}.schema.json`);
    if (!validate(r.properties)) errors[r.id] = JSON.stringify(validate.errors);
  }
  return errors;
}
