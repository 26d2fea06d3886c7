/**
 * The bundled example app: the SARIF for its template validates against the SARIF 2.1.0 schema
 * and GitHub's ingestion rules, and every result points at the line of the offending property.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reporters } from '../src/reporters/index.js';
import { loadCatalogue } from '../src/rules/catalogue.js';
import { loadRules } from '../src/rules/load.js';
import { scan } from '../src/scan.js';
import { validateSarif } from './helpers/sarif.js';

const TEMPLATE = 'examples/insecure-app/template.yaml';
const lines = readFileSync(TEMPLATE, 'utf8').split('\n');

/** What the offending line must mention, per rule. */
const OFFENDING: Record<string, RegExp> = {
  'cognito-client-access-token-lifetime': /AccessTokenValidity:/,
  'cognito-client-id-token-lifetime': /IdTokenValidity:/,
  'cognito-client-refresh-token-lifetime': /RefreshTokenValidity:/,
  'cognito-client-auth-session-lifetime': /AuthSessionValidity:/,
  'cognito-public-client-no-secret': /GenerateSecret: true|AllowedOAuthFlows:|snapshots:\/\/|implicit/,
  'cognito-idp-client-secret-not-plaintext': /client_secret:/,
  'cognito-identity-pool-guest-access-disabled': /AllowUnauthenticatedIdentities: true/,
  // Findings on the identity pool point at the grant in its guest role's policy.
  'cognito-guest-role-least-privilege': /^\s+- s3:(PutObject|GetObject)$|^\s+Action: iam:PassRole$/,
  'cognito-role-no-privilege-escalation': /^\s+Action: iam:PassRole$/,
  'cognito-client-https-callbacks': /http:\/\/|!Ref PartnerCallbackUrl/,
  'cognito-user-pool-mfa-enabled': /MfaConfiguration: "OFF"/,
  'cognito-user-pool-password-min-length': /MinimumLength: 8/,
  'cognito-user-pool-password-require-uppercase': /RequireUppercase: false/,
  'cognito-user-pool-password-require-symbols': /RequireSymbols: false/,
  'cognito-user-pool-self-signup-disabled': /AllowAdminCreateUserOnly: false/,
  // Settings the pool leaves out (AWS's default applies) are reported at the pool itself.
  'cognito-user-pool-threat-protection-enforced': /^  UserPool:$/,
  'cognito-user-pool-deletion-protection': /^  UserPool:$/,
  'cognito-user-pool-case-insensitive-usernames': /^  UserPool:$/,
  'cognito-user-pool-account-recovery': /^  UserPool:$/,
  'cognito-user-pool-waf-associated': /^  UserPool:$/,
  'cognito-user-pool-attribute-change-verified': /^  UserPool:$/,
  'cognito-user-pool-threat-protection-custom-auth': /^  UserPool:$/,
  'cognito-user-pool-feature-plan-plus': /^  UserPool:$/,
  'cognito-user-pool-password-history': /^  UserPool:$/,
  'apigateway-method-authorization': /AuthorizationType: NONE/,
  'apigateway-api-key-not-authentication': /AuthorizationType: NONE|ApiKeyRequired: true/,
  'apigatewayv2-route-authorization': /AuthorizationType: NONE/,
  'cognito-identity-pool-classic-flow-disabled': /AllowClassicFlow: true/,
  // The route has no AuthorizationScopes: the result points at the route.
  'apigatewayv2-jwt-route-scopes': /PostEventRoute:/,
  // The method has no AuthorizationScopes: the result points at the method.
  'apigateway-cognito-authorizer-scopes': /ListPhotosMethod:/,
  'apigateway-request-validation': /^  (ListPhotos|DeletePhoto|ExportPhotos)Method:$/,
  // The authorizer's pool settings: the result points at the pool's setting (or the pool, for one left out).
  'apigateway-cognito-authorizer-pool-hardened': /MfaConfiguration: "OFF"|AllowAdminCreateUserOnly: false|^  UserPool:$/,
  'cognito-client-no-implicit-grant': /AllowedOAuthFlows: \[implicit/,
  'cognito-client-no-user-password-auth': /ExplicitAuthFlows: \[ALLOW_USER_PASSWORD_AUTH/,
  // A setting left out (AWS's default applies) is reported at the client's logical id.
  'cognito-client-prevent-user-existence-errors': /^ {2}\w+Client:$/,
  'cognito-client-refresh-token-rotation': /^ {2}\w+Client:$/,
  'cognito-client-write-attributes-least-privilege': /^ {2}\w+Client:$/,
  // Attack paths point at their first hop: the pool's self sign-up, the pool's missing WAF web ACL.
  'cognito-path-signup-to-api': /AllowAdminCreateUserOnly: false/,
  'cognito-path-enumeration-and-spraying': /^  UserPool:$/,
  // Attack paths point at their first hop's setting: guest access, day-long access tokens.
  'cognito-path-guest-to-aws': /AllowUnauthenticatedIdentities: true/,
  'cognito-path-revoked-session-survives': /AccessTokenValidity:/,
};

describe('examples/insecure-app', async () => {
  const result = await scan({ inputs: [TEMPLATE], now: new Date('2026-11-22T00:00:00Z') });
  const sarif = JSON.parse(
    reporters.sarif(result, { cwd: process.cwd(), color: false, sourceText: (f) => result.sources.get(f), toolVersion: '0.0.0-test' }),
  ) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };

  it('produces SARIF that is valid for the schema and for GitHub', () => {
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(10);
  });

  it('points every result at the line of the offending property', () => {
    for (const r of sarif.runs[0]!.results) {
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toBe(TEMPLATE);
      const line = lines[loc.region.startLine - 1] ?? '';
      const expected = OFFENDING[r.ruleId];
      expect(expected, `no expectation for ${r.ruleId}`).toBeDefined();
      expect(line, `${r.ruleId} at line ${loc.region.startLine}`).toMatch(expected!);
    }
  });

  it('names every hop of the sign-up-to-API paths: the pool, the authorizer, the method or route without scopes', () => {
    const hops = result.findings
      .filter((f) => f.ruleId === 'cognito-path-signup-to-api')
      .map((f) => (f.related ?? []).map((h) => `${h.resource.name}:${lines[(h.location.line ?? 0) - 1]?.trim()}`));
    expect(hops.sort()).toEqual([
      ['UserPool:AllowAdminCreateUserOnly: false', 'EventsJwtAuthorizer:AuthorizerType: JWT', 'PostEventRoute:AuthorizationType: JWT'],
      ['UserPool:AllowAdminCreateUserOnly: false', 'UserPoolAuthorizer:Type: COGNITO_USER_POOLS', 'ListPhotosMethod:AuthorizationType: COGNITO_USER_POOLS'],
    ]);
    // A setting the template leaves out is named as such in the hop.
    const rest = result.findings.find((f) => f.ruleId === 'cognito-path-signup-to-api' && f.message.includes('ListPhotosMethod'));
    expect(rest?.message).toContain('(ListPhotosMethod: authorizationType = "COGNITO_USER_POOLS", authorizationScopes not set)');
  });

  it('shows a failed finding of every section of the rule catalogue, and at least three attack paths', async () => {
    const section = new Map(loadCatalogue().rows.map((r) => [r.id, r.section]));
    const rowsOf = new Map((await loadRules()).map((r) => [r.id, r.catalogue ?? []]));
    const failed = result.findings.filter((f) => f.status === 'fail');
    const sections = new Set(failed.flatMap((f) => (rowsOf.get(f.ruleId) ?? []).map((row) => section.get(row))));
    expect([...sections].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const paths = new Set(failed.filter((f) => (rowsOf.get(f.ruleId) ?? []).some((row) => section.get(row) === 7)).map((f) => f.ruleId));
    expect(paths.size).toBeGreaterThanOrEqual(3);
    // Each path names its hops (SARIF relatedLocations), the first being where the finding points.
    for (const f of failed.filter((x) => paths.has(x.ruleId))) {
      expect(f.related?.length, f.ruleId).toBeGreaterThan(0);
      expect(f.related![0]!.location.line, f.ruleId).toBe(f.location.line);
    }
  });

  it('the fixed app has nothing to report', async () => {
    const fixed = await scan({ inputs: ['examples/fixed-app'] });
    expect(fixed.findings).toEqual([]);
    expect(fixed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(fixed.stats.resources).toBeGreaterThan(15);
  });
});
