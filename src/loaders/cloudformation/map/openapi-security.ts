import { Unknown, isRecord, type Evaluated } from '../intrinsics.js';
import type { Scope } from '../builder.js';

type Rec = Record<string, Evaluated>;

/** Properties of an API (under `openApi`) that summarize the security of its OpenAPI definition. */
export const OPENAPI_SECURITY = ['openApi.securitySchemes', 'openApi.weakSecuritySchemes', 'openApi.operationsWithoutSecurity'] as const;

/** Records every OPENAPI_SECURITY property of an API whose definition cannot be read as unknown. */
export function unknownOpenApiSecurity(s: Scope, reason: string, from: string | string[]): void {
  for (const out of OPENAPI_SECURITY) s.unknown(out, reason, from);
}

/**
 * The security schemes an OpenAPI definition declares (Swagger 2 `securityDefinitions`, OpenAPI
 * 3 `components.securitySchemes`), and those among them that hand a password or a token to the
 * client in a way OAuth 2.0 Security BCP (RFC 9700) rules out: the resource owner password flow,
 * the implicit flow, HTTP basic authentication.
 */
export function mapSecuritySchemes(s: Scope, schemes: Evaluated | undefined, from: string[]): void {
  if (schemes instanceof Unknown) {
    s.unknown('openApi.securitySchemes', schemes.reason, from);
    s.unknown('openApi.weakSecuritySchemes', schemes.reason, from);
    return;
  }
  const entries = isRecord(schemes) ? Object.entries(schemes as Rec) : [];
  s.set('openApi.securitySchemes', entries.map(([name]) => name), from);
  const weak: string[] = [];
  for (const [name, scheme] of entries) {
    if (scheme instanceof Unknown) {
      s.unknown('openApi.weakSecuritySchemes', `security scheme ${name}: ${scheme.reason}`, [...from, name]);
      return;
    }
    if (!isRecord(scheme)) continue;
    const sc = scheme as Rec;
    const type = typeof sc.type === 'string' ? sc.type.toLowerCase() : '';
    // Swagger 2 names one `flow`; OpenAPI 3 lists `flows` by name.
    const flows = [typeof sc.flow === 'string' ? sc.flow : undefined, ...(isRecord(sc.flows) ? Object.keys(sc.flows) : [])];
    if (type === 'oauth2') {
      for (const flow of ['password', 'implicit']) if (flows.includes(flow)) weak.push(`${name}: OAuth2 ${flow} flow`);
    }
    if (type === 'basic' || (type === 'http' && typeof sc.scheme === 'string' && sc.scheme.toLowerCase() === 'basic')) weak.push(`${name}: HTTP basic authentication`);
  }
  s.set('openApi.weakSecuritySchemes', weak, from);
}

/**
 * Whether an operation's effective security requirements (its own `security`, else the
 * document's) name at least one defined scheme: `security: []`, `[{}]` or requirements that name
 * only undefined schemes leave it open, as API Gateway imports it.
 */
export function securityCovers(security: Evaluated | undefined, schemes: Rec): boolean | Unknown {
  if (security instanceof Unknown) return security;
  if (!Array.isArray(security)) return false;
  return security.some((requirement) => isRecord(requirement) && Object.keys(requirement as Rec).some((name) => Object.hasOwn(schemes, name)));
}
