/**
 * One insecure app written five ways (examples/insecure-app and its -sam, -terraform,
 * -serverless and -cdk siblings): each scan reports the same findings (rule, resource, outcome,
 * detail), and each finding points at the offending line of its own file.
 *
 * Resource names differ by format (a logical id, a Terraform address, the name SAM and the
 * Serverless Framework give the operations they create, a CDK logical id with its hash): the
 * tables below name, per format, the resource that plays each part of the CloudFormation app.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/finding.js';
import type { Resource } from '../src/model/resource.js';
import { scan, type ScanOutput } from '../src/scan.js';

/** The parts of the app that have findings, by their CloudFormation logical id. */
type Part =
  | 'UserPool'
  | 'GoogleIdentityProvider'
  | 'WebClient'
  | 'MobileClient'
  | 'PartnerClient'
  | 'IdentityPool'
  | 'UserPoolAuthorizer'
  | 'EventsJwtAuthorizer'
  | 'ListPhotosMethod'
  | 'GuestRole'
  | 'DeletePhotoMethod'
  | 'ExportPhotosMethod'
  | 'AdminStatsRoute'
  | 'PostEventRoute';

const MFA = 'cognito-user-pool-mfa-enabled';
const IDP_SECRET = 'cognito-idp-client-secret-not-plaintext';
const HTTPS = 'cognito-client-https-callbacks';
const PUBLIC_SECRET = 'cognito-public-client-no-secret';
const ACCESS = 'cognito-client-access-token-lifetime';
const ID = 'cognito-client-id-token-lifetime';
const REFRESH = 'cognito-client-refresh-token-lifetime';
const SESSION = 'cognito-client-auth-session-lifetime';
const GUEST = 'cognito-identity-pool-guest-access-disabled';
const GUEST_ROLE = 'cognito-guest-role-least-privilege';
const METHOD = 'apigateway-method-authorization';
const API_KEY = 'apigateway-api-key-not-authentication';
const ROUTE = 'apigatewayv2-route-authorization';
const MIN_LENGTH = 'cognito-user-pool-password-min-length';
const UPPERCASE = 'cognito-user-pool-password-require-uppercase';
const SYMBOLS = 'cognito-user-pool-password-require-symbols';
const SELF_SIGNUP = 'cognito-user-pool-self-signup-disabled';
// Settings the app leaves out: AWS's default fails, and the finding points at the pool.
const THREAT = 'cognito-user-pool-threat-protection-enforced';
const DELETION = 'cognito-user-pool-deletion-protection';
const CASE = 'cognito-user-pool-case-insensitive-usernames';
const RECOVERY = 'cognito-user-pool-account-recovery';
const WAF = 'cognito-user-pool-waf-associated';
const PLAN = 'cognito-user-pool-feature-plan-plus';
const HISTORY = 'cognito-user-pool-password-history';
const CUSTOM_AUTH = 'cognito-user-pool-threat-protection-custom-auth';
const ATTRIBUTE_CHANGE = 'cognito-user-pool-attribute-change-verified';
const LEFT_OUT = [THREAT, DELETION, CASE, RECOVERY, WAF, PLAN, HISTORY, CUSTOM_AUTH, ATTRIBUTE_CHANGE];
const CLASSIC = 'cognito-identity-pool-classic-flow-disabled';
const JWT_SCOPES = 'apigatewayv2-jwt-route-scopes';
const IMPLICIT = 'cognito-client-no-implicit-grant';
const USER_PASSWORD = 'cognito-client-no-user-password-auth';
const EXISTENCE = 'cognito-client-prevent-user-existence-errors';
const ROTATION = 'cognito-client-refresh-token-rotation';
const WRITE = 'cognito-client-write-attributes-least-privilege';
const COGNITO_SCOPES = 'apigateway-cognito-authorizer-scopes';
const POOL_HARDENED = 'apigateway-cognito-authorizer-pool-hardened';
const PRIVESC = 'cognito-role-no-privilege-escalation';
const SIGNUP_TO_API = 'cognito-path-signup-to-api';
const ENUMERATION = 'cognito-path-enumeration-and-spraying';
// Attack paths: their finding points at the first hop's setting; a walk's detail names the
// resources it passes (`@Part`: that part's resource id in each format).
const GUEST_PATH = 'cognito-path-guest-to-aws';
const REVOKED_PATH = 'cognito-path-revoked-session-survives';
const VALIDATION = 'apigateway-request-validation';

/** What every version of the app must report: rule, part, outcome, detail (`-` for none). */
const EXPECTED: ReadonlyArray<[rule: string, part: Part, status: 'fail' | 'unknown', detail: string]> = [
  [MFA, 'UserPool', 'fail', '-'],
  [MIN_LENGTH, 'UserPool', 'fail', '-'],
  [UPPERCASE, 'UserPool', 'fail', '-'],
  [SYMBOLS, 'UserPool', 'fail', '-'],
  [SELF_SIGNUP, 'UserPool', 'fail', '-'],
  ...LEFT_OUT.map((rule): [string, Part, 'fail', string] => [rule, 'UserPool', 'fail', '-']),
  [IDP_SECRET, 'GoogleIdentityProvider', 'fail', '-'],
  [HTTPS, 'WebClient', 'fail', 'callbackURLs[1]'],
  [HTTPS, 'WebClient', 'fail', 'logoutURLs[0]'],
  // The partner callback is a deploy-time input without a value: unknown, never a pass.
  [HTTPS, 'PartnerClient', 'unknown', '-'],
  [PUBLIC_SECRET, 'WebClient', 'fail', '-'],
  [PUBLIC_SECRET, 'MobileClient', 'fail', '-'],
  [ACCESS, 'WebClient', 'fail', '-'],
  [ID, 'WebClient', 'fail', '-'],
  [REFRESH, 'WebClient', 'fail', '-'],
  [SESSION, 'MobileClient', 'fail', '-'],
  [GUEST, 'IdentityPool', 'fail', '-'],
  [GUEST_ROLE, 'IdentityPool', 'fail', 'Action::s3:PutObject'],
  [GUEST_ROLE, 'IdentityPool', 'fail', 'Resource::*::s3:GetObject'],
  [GUEST_ROLE, 'IdentityPool', 'fail', 'Action::iam:PassRole'],
  // The method uses the Cognito authorizer without scopes: any ID token of the pool is accepted.
  [COGNITO_SCOPES, 'ListPhotosMethod', 'fail', '-'],
  // The authorizer trusts the pool anyone can sign up to, and not every method requires a scope:
  // one finding per weak setting of the pool, pointing at the pool's setting.
  ...['adminCreateUserConfig.allowAdminCreateUserOnly', 'mfaConfiguration', 'userPoolAddOns.advancedSecurityMode'].map(
    (path): [string, Part, 'fail', string] => [POOL_HARDENED, 'UserPoolAuthorizer', 'fail', `providerARNs[0]::${path}`],
  ),
  // The same grant judged on the role itself: the role of the deploy-time reference is not part of the detail.
  [PRIVESC, 'GuestRole', 'fail', 'iam:PassRole on ${ref}'],
  [METHOD, 'DeletePhotoMethod', 'fail', '-'],
  [API_KEY, 'ExportPhotosMethod', 'fail', '-'],
  [ROUTE, 'AdminStatsRoute', 'fail', '-'],
  [CLASSIC, 'IdentityPool', 'fail', '-'],
  // The JWT route has no AuthorizationScopes: the finding points at the route (or event) itself.
  [JWT_SCOPES, 'PostEventRoute', 'fail', '-'],
  [IMPLICIT, 'WebClient', 'fail', '-'],
  [USER_PASSWORD, 'WebClient', 'fail', 'explicitAuthFlows[0]'],
  // Settings left out get AWS's defaults: LEGACY errors, no rotation, every standard attribute writable.
  [EXISTENCE, 'WebClient', 'fail', '-'],
  [EXISTENCE, 'MobileClient', 'fail', '-'],
  [EXISTENCE, 'PartnerClient', 'fail', '-'],
  [ROTATION, 'WebClient', 'fail', '-'],
  [ROTATION, 'MobileClient', 'fail', '-'],
  [ROTATION, 'PartnerClient', 'fail', '-'],
  [WRITE, 'WebClient', 'fail', '-'],
  [WRITE, 'MobileClient', 'fail', '-'],
  [WRITE, 'PartnerClient', 'fail', '-'],
  // Attack paths: the detail names the hops after the pool, by their parts (see hopParts).
  // Anyone can sign up, and both authorizers let methods and routes without scopes through.
  [SIGNUP_TO_API, 'UserPool', 'fail', 'UserPoolAuthorizer > ListPhotosMethod'],
  [SIGNUP_TO_API, 'UserPool', 'fail', 'EventsJwtAuthorizer > PostEventRoute'],
  // Every client reveals users (LEGACY by default) and the pool has no WAF, threat protection or MFA.
  [ENUMERATION, 'UserPool', 'fail', 'WebClient'],
  [ENUMERATION, 'UserPool', 'fail', 'MobileClient'],
  [ENUMERATION, 'UserPool', 'fail', 'PartnerClient'],
  // Guests, the classic flow and a guest role that can upload anywhere and pass roles.
  [GUEST_PATH, 'IdentityPool', 'fail', 'GuestRole'],
  // Day-long access and ID tokens.
  [REVOKED_PATH, 'WebClient', 'fail', '-'],
  // No method has a request validator: the finding points at the method (or event) itself.
  ...(['ListPhotosMethod', 'DeletePhotoMethod', 'ExportPhotosMethod'] as const).map((part): [string, Part, 'fail', string] => [VALIDATION, part, 'fail', '-']),
];

/** Findings on a setting left out point at the resource: its logical id, Terraform block or CDK logical id. */
const CLIENT_KEY = /^\s+\w+Client:$/m;
const CLIENT_BLOCK = /^resource "aws_cognito_user_pool_client" "\w+" \{$/m;
const CDK_CLIENT_KEY = /^\s*"UserPool\w+Client\w+": \{$/m;

interface Format {
  /** What the test scans. */
  input: string;
  /** The file every finding must point into. */
  file: string;
  /** The format the scan names for it (`inputs[].format` of the JSON report). */
  format: string;
  /** The resource name each part has in this format. */
  names: Record<Part, string>;
  /** CDK: the construct path each part shows (its `aws:cdk:path`, with or without the trailing `/Resource`). */
  paths?: Partial<Record<Part, string>>;
  /** What the offending line (or the few lines of the offending value) must say, per rule. */
  offending: Record<string, RegExp>;
}

const SAME_NAMES: Record<Part, string> = {
  UserPool: 'UserPool',
  GoogleIdentityProvider: 'GoogleIdentityProvider',
  WebClient: 'WebClient',
  MobileClient: 'MobileClient',
  PartnerClient: 'PartnerClient',
  IdentityPool: 'IdentityPool',
  UserPoolAuthorizer: 'UserPoolAuthorizer',
  EventsJwtAuthorizer: 'EventsJwtAuthorizer',
  ListPhotosMethod: 'ListPhotosMethod',
  GuestRole: 'GuestRole',
  DeletePhotoMethod: 'DeletePhotoMethod',
  ExportPhotosMethod: 'ExportPhotosMethod',
  AdminStatsRoute: 'AdminStatsRoute',
  PostEventRoute: 'PostEventRoute',
};

/** The same offending line for each rule about a setting the app leaves out. */
const leftOut = (pool: RegExp): Record<string, RegExp> => Object.fromEntries(LEFT_OUT.map((rule) => [rule, pool]));

/** CloudFormation property names as YAML keys (the CloudFormation, SAM and Serverless `resources:` versions). */
const YAML_KEYS: Record<string, RegExp> = {
  [MFA]: /MfaConfiguration: "OFF"/,
  [MIN_LENGTH]: /MinimumLength: 8/,
  [UPPERCASE]: /RequireUppercase: false/,
  [SYMBOLS]: /RequireSymbols: false/,
  [SELF_SIGNUP]: /AllowAdminCreateUserOnly: false/,
  [SIGNUP_TO_API]: /AllowAdminCreateUserOnly: false/,
  ...leftOut(/^\s+UserPool:$/),
  // The enumeration path's first hop is the pool's missing WAF web ACL: it points at the pool.
  [ENUMERATION]: /^\s+UserPool:$/,
  [IDP_SECRET]: /client_secret: GOCSPX/,
  [HTTPS]: /- http:\/\/|PartnerCallbackUrl|partnerCallbackUrl/,
  [PUBLIC_SECRET]: /GenerateSecret: true/,
  [ACCESS]: /AccessTokenValidity: 24/,
  [ID]: /IdTokenValidity: 24/,
  [REFRESH]: /RefreshTokenValidity: 3650/,
  [SESSION]: /AuthSessionValidity: 15/,
  [GUEST]: /AllowUnauthenticatedIdentities: true/,
  [METHOD]: /AuthorizationType: NONE/,
  [API_KEY]: /AuthorizationType: NONE|ApiKeyRequired: true/,
  [ROUTE]: /AuthorizationType: NONE/,
  [CLASSIC]: /AllowClassicFlow: true/,
  [JWT_SCOPES]: /PostEventRoute:/,
  [COGNITO_SCOPES]: /ListPhotosMethod:/,
  [VALIDATION]: /^\s+(ListPhotos|DeletePhoto|ExportPhotos)Method:$/,
  [POOL_HARDENED]: /MfaConfiguration: "OFF"|AllowAdminCreateUserOnly: false|^\s+UserPool:$/,
  [IMPLICIT]: /AllowedOAuthFlows: \[implicit/,
  [USER_PASSWORD]: /ExplicitAuthFlows: \[ALLOW_USER_PASSWORD_AUTH/,
  [EXISTENCE]: CLIENT_KEY,
  [ROTATION]: CLIENT_KEY,
  [WRITE]: CLIENT_KEY,
};

const FORMATS: Record<string, Format> = {
  cloudformation: {
    input: 'examples/insecure-app/template.yaml',
    file: 'examples/insecure-app/template.yaml',
    format: 'cloudformation',
    names: SAME_NAMES,
    offending: YAML_KEYS,
  },
  sam: {
    input: 'examples/insecure-app-sam/template.yaml',
    file: 'examples/insecure-app-sam/template.yaml',
    format: 'cloudformation',
    // SAM names the operations it creates from function events `<api> <VERB> <path>`.
    names: {
      ...SAME_NAMES,
      UserPoolAuthorizer: 'PhotosApi authorizer UserPoolAuthorizer',
      EventsJwtAuthorizer: 'EventsApi authorizer EventsJwtAuthorizer',
      ListPhotosMethod: 'PhotosApi GET /photos',
      DeletePhotoMethod: 'PhotosApi DELETE /photos',
      ExportPhotosMethod: 'PhotosApi POST /photos',
      AdminStatsRoute: 'EventsApi GET /admin/stats',
      PostEventRoute: 'EventsApi POST /events',
    },
    offending: {
      ...YAML_KEYS,
      // The event's Properties (the route SAM makes from it has no scopes to point at).
      [JWT_SCOPES]: /^\s+Properties:$/,
      [COGNITO_SCOPES]: /^\s+Properties:$/,
      [VALIDATION]: /^\s+Properties:$/,
      [METHOD]: /Authorizer: NONE/,
      [API_KEY]: /Authorizer: NONE|ApiKeyRequired: true/,
      [ROUTE]: /Authorizer: NONE/,
    },
  },
  terraform: {
    input: 'examples/insecure-app-terraform',
    file: 'examples/insecure-app-terraform/main.tf',
    format: 'terraform',
    names: {
      UserPool: 'aws_cognito_user_pool.user_pool',
      GoogleIdentityProvider: 'aws_cognito_identity_provider.google',
      WebClient: 'aws_cognito_user_pool_client.web',
      MobileClient: 'aws_cognito_user_pool_client.mobile',
      PartnerClient: 'aws_cognito_user_pool_client.partner',
      IdentityPool: 'aws_cognito_identity_pool.identity_pool',
      UserPoolAuthorizer: 'aws_api_gateway_authorizer.user_pool',
      EventsJwtAuthorizer: 'aws_apigatewayv2_authorizer.events_jwt',
      ListPhotosMethod: 'aws_api_gateway_method.list_photos',
      GuestRole: 'aws_iam_role.guest',
      DeletePhotoMethod: 'aws_api_gateway_method.delete_photo',
      ExportPhotosMethod: 'aws_api_gateway_method.export_photos',
      AdminStatsRoute: 'aws_apigatewayv2_route.admin_stats',
      PostEventRoute: 'aws_apigatewayv2_route.post_event',
    },
    offending: {
      [MFA]: /mfa_configuration\s*=\s*"OFF"/,
      [MIN_LENGTH]: /minimum_length\s*=\s*8/,
      [UPPERCASE]: /require_uppercase\s*=\s*false/,
      [SYMBOLS]: /require_symbols\s*=\s*false/,
      [SELF_SIGNUP]: /allow_admin_create_user_only\s*=\s*false/,
      [SIGNUP_TO_API]: /allow_admin_create_user_only\s*=\s*false/,
      ...leftOut(/resource "aws_cognito_user_pool" "user_pool"/),
      // The enumeration path's first hop is the pool's missing WAF web ACL: it points at the pool.
      [ENUMERATION]: /resource "aws_cognito_user_pool" "user_pool"/,
      [IDP_SECRET]: /client_secret\s*=\s*"GOCSPX/,
      [HTTPS]: /^\s*"http:\/\/|var\.partner_callback_url/,
      [PUBLIC_SECRET]: /generate_secret\s*=\s*true/,
      [ACCESS]: /access_token_validity\s*=\s*24/,
      [ID]: /id_token_validity\s*=\s*24/,
      [REFRESH]: /refresh_token_validity\s*=\s*3650/,
      [SESSION]: /auth_session_validity\s*=\s*15/,
      [GUEST]: /allow_unauthenticated_identities\s*=\s*true/,
      [METHOD]: /authorization\s*=\s*"NONE"/,
      [API_KEY]: /authorization\s*=\s*"NONE"|api_key_required\s*=\s*true/,
      [ROUTE]: /authorization_type\s*=\s*"NONE"/,
      [CLASSIC]: /allow_classic_flow\s*=\s*true/,
      [JWT_SCOPES]: /resource "aws_apigatewayv2_route" "post_event"/,
      [COGNITO_SCOPES]: /resource "aws_api_gateway_method" "list_photos"/,
      [VALIDATION]: /resource "aws_api_gateway_method" "\w+"/,
      [POOL_HARDENED]: /mfa_configuration\s*=\s*"OFF"|allow_admin_create_user_only\s*=\s*false|resource "aws_cognito_user_pool" "user_pool"/,
      [IMPLICIT]: /allowed_oauth_flows\s*=\s*\["implicit"/,
      [USER_PASSWORD]: /explicit_auth_flows\s*=\s*\["ALLOW_USER_PASSWORD_AUTH"/,
      [EXISTENCE]: CLIENT_BLOCK,
      [ROTATION]: CLIENT_BLOCK,
      [WRITE]: CLIENT_BLOCK,
    },
  },
  serverless: {
    input: 'examples/insecure-app-serverless/serverless.yml',
    file: 'examples/insecure-app-serverless/serverless.yml',
    format: 'serverless',
    // `http` events make methods of ApiGatewayRestApi, `httpApi` events routes of HttpApi: named as SAM's.
    names: {
      ...SAME_NAMES,
      UserPoolAuthorizer: 'ApiGatewayRestApi authorizer cognito',
      EventsJwtAuthorizer: 'HttpApi authorizer eventsJwtAuthorizer',
      ListPhotosMethod: 'ApiGatewayRestApi GET /photos',
      DeletePhotoMethod: 'ApiGatewayRestApi DELETE /photos',
      ExportPhotosMethod: 'ApiGatewayRestApi POST /photos',
      AdminStatsRoute: 'HttpApi GET /admin/stats',
      PostEventRoute: 'HttpApi POST /events',
    },
    offending: {
      ...YAML_KEYS,
      // An event without an authorizer: the finding points at the event.
      [METHOD]: /method: delete/,
      [API_KEY]: /method: post|private: true/,
      [ROUTE]: /httpApi: GET \/admin\/stats/,
      [JWT_SCOPES]: /^\s+- httpApi:$/,
      [COGNITO_SCOPES]: /^\s+- http:$/,
      [VALIDATION]: /^\s+- http:$/,
    },
  },
  cdk: {
    input: 'examples/insecure-app-cdk',
    file: 'examples/insecure-app-cdk/cdk.out/SnapshotsStack.template.json',
    format: 'cdk',
    names: {
      UserPool: 'UserPool6BA7E5F2',
      GoogleIdentityProvider: 'UserPoolGoogleIdentityProvider4F2B9D0A',
      WebClient: 'UserPoolWebClient3C1E77A2',
      MobileClient: 'UserPoolMobileClientB94D0F61',
      PartnerClient: 'UserPoolPartnerClient0E5C8B3D',
      IdentityPool: 'IdentityPool',
      UserPoolAuthorizer: 'UserPoolAuthorizer1D6E0C8A',
      EventsJwtAuthorizer: 'EventsApiJwtAuthorizer6C0A9E35',
      ListPhotosMethod: 'PhotosApiphotosGET5E2A9C41',
      GuestRole: 'GuestRole8E4D0B1F',
      DeletePhotoMethod: 'PhotosApiphotosDELETE0F7B3D92',
      ExportPhotosMethod: 'PhotosApiphotosPOST8A4C6E13',
      AdminStatsRoute: 'EventsApiGETadminstats7E3B5C90',
      PostEventRoute: 'EventsApiPOSTevents2D8F1A6C',
    },
    paths: {
      UserPool: 'SnapshotsStack/UserPool',
      GoogleIdentityProvider: 'SnapshotsStack/UserPool/GoogleIdentityProvider',
      WebClient: 'SnapshotsStack/UserPool/WebClient',
      MobileClient: 'SnapshotsStack/UserPool/MobileClient',
      PartnerClient: 'SnapshotsStack/UserPool/PartnerClient',
      IdentityPool: 'SnapshotsStack/IdentityPool',
      UserPoolAuthorizer: 'SnapshotsStack/UserPoolAuthorizer',
      ListPhotosMethod: 'SnapshotsStack/PhotosApi/Default/photos/GET',
      GuestRole: 'SnapshotsStack/GuestRole',
      DeletePhotoMethod: 'SnapshotsStack/PhotosApi/Default/photos/DELETE',
      ExportPhotosMethod: 'SnapshotsStack/PhotosApi/Default/photos/POST',
      AdminStatsRoute: 'SnapshotsStack/EventsApi/GET--admin--stats',
      PostEventRoute: 'SnapshotsStack/EventsApi/POST--events',
    },
    offending: {
      [MFA]: /"MfaConfiguration": "OFF"/,
      [MIN_LENGTH]: /"MinimumLength": 8/,
      [UPPERCASE]: /"RequireUppercase": false/,
      [SYMBOLS]: /"RequireSymbols": false/,
      [SELF_SIGNUP]: /"AllowAdminCreateUserOnly": false/,
      [SIGNUP_TO_API]: /"AllowAdminCreateUserOnly": false/,
      ...leftOut(/"UserPool6BA7E5F2": \{/),
      // The enumeration path's first hop is the pool's missing WAF web ACL: it points at the pool.
      [ENUMERATION]: /"UserPool6BA7E5F2": \{/,
      [IDP_SECRET]: /"client_secret": "GOCSPX/,
      [HTTPS]: /^\s*"http:\/\/|"Ref": "PartnerCallbackUrl"/,
      [PUBLIC_SECRET]: /"GenerateSecret": true/,
      [ACCESS]: /"AccessTokenValidity": 24/,
      [ID]: /"IdTokenValidity": 24/,
      [REFRESH]: /"RefreshTokenValidity": 3650/,
      [SESSION]: /"AuthSessionValidity": 15/,
      [GUEST]: /"AllowUnauthenticatedIdentities": true/,
      [METHOD]: /"AuthorizationType": "NONE"/,
      [API_KEY]: /"AuthorizationType": "NONE"|"ApiKeyRequired": true/,
      [ROUTE]: /"AuthorizationType": "NONE"/,
      [CLASSIC]: /"AllowClassicFlow": true/,
      [JWT_SCOPES]: /"EventsApiPOSTevents2D8F1A6C": \{/,
      [COGNITO_SCOPES]: /"PhotosApiphotosGET5E2A9C41": \{/,
      [VALIDATION]: /"PhotosApiphotos(GET|DELETE|POST)\w+": \{/,
      [POOL_HARDENED]: /"MfaConfiguration": "OFF"|"AllowAdminCreateUserOnly": false|"UserPool6BA7E5F2": \{/,
      [IMPLICIT]: /"AllowedOAuthFlows": \[\s*"implicit"/,
      [USER_PASSWORD]: /"ALLOW_USER_PASSWORD_AUTH"/,
      [EXISTENCE]: CDK_CLIENT_KEY,
      [ROTATION]: CDK_CLIENT_KEY,
      [WRITE]: CDK_CLIENT_KEY,
    },
  },
};

const key = (rule: string, name: string, status: string, detail: string): string => `${rule} | ${name} | ${status} | ${detail}`;

/**
 * An attack path's detail (the ids of the resources it passes after the first, joined by ` > `)
 * with each resource named by its part, so that it reads the same in every format; any other
 * detail as it is.
 */
function hopParts(detail: string, format: Format, resources: readonly Resource[]): string {
  const names = new Map(resources.map((r) => [r.id, r.name]));
  const parts = new Map(Object.entries(format.names).map(([part, name]) => [name, part]));
  const hops = detail.split(' > ').map((id) => parts.get(names.get(id) ?? ''));
  return hops.every((p) => p !== undefined) ? hops.join(' > ') : detail;
}

for (const format of Object.values(FORMATS)) {
  format.offending[GUEST_PATH] = format.offending[GUEST]!;
  format.offending[REVOKED_PATH] = format.offending[ACCESS]!;
}

/** The text of the lines a finding points at; at most three, so that a finding on a whole resource cannot pass. */
function pointedText(f: Finding, lines: string[]): string {
  const first = f.location.line ?? 0;
  const last = Math.min(f.location.endLine ?? first, first + 2);
  return lines.slice(first - 1, last).join('\n');
}

const scans = new Map<string, Promise<ScanOutput>>();
const scanOf = (format: Format): Promise<ScanOutput> => {
  if (!scans.has(format.input)) scans.set(format.input, scan({ inputs: [format.input], now: new Date('2026-11-22T00:00:00Z') }));
  return scans.get(format.input)!;
};

describe('one insecure app, five formats', () => {
  for (const [name, format] of Object.entries(FORMATS)) {
    it(`${format.input} (${name}) reports the same findings as the CloudFormation app`, async () => {
      const result = await scanOf(format);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.inputs.find((i) => i.file === format.file)?.format).toBe(format.format);
      const got = result.findings.map((f) => key(f.ruleId, f.resource.name, f.status, hopParts(f.detail ?? '-', format, result.resources))).sort();
      const want = EXPECTED.map(([rule, part, status, detail]) => key(rule, format.names[part], status, detail)).sort();
      expect(got).toEqual(want);
    });

    it(`${format.input} (${name}) points every finding at the offending line of ${format.file}`, async () => {
      const result = await scanOf(format);
      const lines = readFileSync(format.file, 'utf8').split('\n');
      expect(result.findings.length).toBe(EXPECTED.length);
      for (const f of result.findings) {
        const where = `${f.ruleId} on ${f.resource.name} (${f.detail ?? '-'}) at ${f.location.file}:${f.location.line}`;
        expect(f.location.file, where).toBe(format.file);
        const text = pointedText(f, lines);
        // A guest role finding points at the action it is about. In Terraform the policy is the
        // JSON text a data "aws_iam_policy_document" renders: the finding points at the argument
        // that attaches that document (statement lines inside the data block are not tracked yet).
        const action = f.ruleId === PRIVESC ? f.detail!.split(' ')[0]! : (f.detail ?? '-').split('::').pop()!;
        const expected =
          f.ruleId !== GUEST_ROLE && f.ruleId !== PRIVESC
            ? format.offending[f.ruleId]
            : format.format === 'terraform'
              ? /policy\s*=\s*data\.aws_iam_policy_document\.guest_uploads\.json/
              : new RegExp(action);
        expect(expected, `no expectation for ${f.ruleId}`).toBeDefined();
        expect(text, where).toMatch(expected!);
      }
    });
  }

  it('examples/insecure-app-cdk shows the construct path of every finding', async () => {
    const format = FORMATS.cdk!;
    const result = await scanOf(format);
    const byName = new Map(Object.entries(format.names).map(([part, n]) => [n, part as Part]));
    expect(result.findings.length).toBe(EXPECTED.length);
    for (const f of result.findings) {
      const part = byName.get(f.resource.name);
      expect(part, f.resource.name).toBeDefined();
      const path = format.paths![part!]!;
      expect([path, `${path}/Resource`], f.resource.name).toContain(f.resource.path);
    }
  });
});
