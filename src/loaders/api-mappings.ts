import type { ResourceKind } from '../model/kinds.js';
import { Scope, type PropertyReader, type Target } from './scope.js';
import { Symbolic, Unknown, type Evaluated } from './values.js';

/**
 * Custom domain mappings. A base path mapping (AWS::ApiGateway::BasePathMapping(V2),
 * aws_api_gateway_base_path_mapping) or API mapping (AWS::ApiGatewayV2::ApiMapping,
 * aws_apigatewayv2_api_mapping) puts an API behind a custom domain name; the API gets the domain
 * in `customDomains`. A mapping whose API cannot be told makes `customDomains` unknown for every
 * API of the kinds it may name, so that no rule assumes those APIs have no custom domain.
 */

/** One mapping: its properties, and the keys of its API id and of its domain name. */
export interface ApiMapping {
  name: string;
  reader: PropertyReader;
  apiKey: string;
  domainKey: string;
  kinds: readonly ResourceKind[];
}

const REST: readonly ResourceKind[] = ['apigateway.restApi'];
const ANY: readonly ResourceKind[] = ['apigateway.restApi', 'apigatewayv2.api'];

/** The mapping resource types of each source, with the keys of their API id and domain. */
export const API_MAPPING_KEYS: Record<string, Omit<ApiMapping, 'name' | 'reader'>> = {
  'AWS::ApiGateway::BasePathMapping': { apiKey: 'RestApiId', domainKey: 'DomainName', kinds: REST },
  'AWS::ApiGateway::BasePathMappingV2': { apiKey: 'RestApiId', domainKey: 'DomainNameArn', kinds: REST },
  // An API mapping can name a REST API too: the V2 domain API manages every custom domain.
  'AWS::ApiGatewayV2::ApiMapping': { apiKey: 'ApiId', domainKey: 'DomainName', kinds: ANY },
  aws_api_gateway_base_path_mapping: { apiKey: 'api_id', domainKey: 'domain_name', kinds: REST },
  aws_apigatewayv2_api_mapping: { apiKey: 'api_id', domainKey: 'domain_name', kinds: ANY },
};

/** A resource a mapping may put behind a domain. */
export interface MappedCandidate {
  kind: ResourceKind;
  target: Target;
}

/** Adds each mapping's domain to the API it names; `resolve` finds that API among the inputs. */
export function applyApiMappings(
  mappings: readonly ApiMapping[],
  candidates: readonly MappedCandidate[],
  resolve: (api: Evaluated | undefined, kinds: readonly ResourceKind[]) => MappedCandidate | undefined,
): void {
  const undecided = new Map<ResourceKind, string>();
  for (const m of mappings) {
    const id = m.reader.get([m.apiKey]);
    const api = id instanceof Unknown ? undefined : resolve(id, m.kinds);
    if (!api) {
      const why = id instanceof Unknown ? id.reason : `it names ${id instanceof Symbolic ? id.text : String(id)}, which is not in the inputs`;
      for (const kind of m.kinds) undecided.set(kind, `custom domain mapping ${m.name} may name it: ${why}`);
      continue;
    }
    const list = (api.target.properties.customDomains ??= []) as string[];
    const s = new Scope(m.reader, api.target);
    const domain = m.reader.get([m.domainKey]);
    const out = `customDomains[${list.length}]`;
    list.push(domain instanceof Symbolic ? domain.text : typeof domain === 'string' ? domain : '${?}');
    s.position(out, m.domainKey);
  }
  for (const c of candidates) {
    const reason = undecided.get(c.kind);
    if (reason !== undefined && c.target.properties.customDomains === undefined) c.target.unresolved.customDomains = reason;
  }
}
