import { IDENTITY_POOL_DEFAULTS, USER_POOL_CLIENT_OPTION_DEFAULTS as CLIENT_OPTIONS, USER_POOL_DEFAULTS as POOL_DEFAULTS } from '../../aws-defaults.js';
import { RECOVERY_MECHANISMS, mapClientValidities, mapPasswordPolicy, type SecretSource } from '../../cloudformation/map/cognito.js';
import { IDP_SECRETS, SECRET_KEY } from '../../idp-secrets.js';
import { Scope, asEnum, type PathSegment, type PropertyReader, type Target } from '../../scope.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from '../../values.js';
import { camelCase } from './reader.js';

const MFA = ['OFF', 'ON', 'OPTIONAL'];

/** aws_cognito_user_pool -> cognito.userPool */
export function mapUserPool(s: Scope, t?: Target): void {
  s.string('name', 'name');
  const mfa = s.enum('mfa_configuration', 'mfaConfiguration', MFA, { fallback: POOL_DEFAULTS.mfaConfiguration });
  if (s.get('sms_configuration') !== undefined) {
    s.string('sms_configuration.sns_caller_arn', 'smsConfiguration.snsCallerArn');
    t?.link('smsRole', s.get('sms_configuration.sns_caller_arn'), ['iam.role']);
    s.string('sms_configuration.external_id', 'smsConfiguration.externalId');
    s.string('sms_configuration.sns_region', 'smsConfiguration.snsRegion');
  }
  if (mfa !== 'OFF') enabledMfas(s);
  const policy = s.get('password_policy');
  if (policy instanceof Unknown || (policy !== undefined && !isRecord(policy) && !Array.isArray(policy))) {
    s.unknown('policies.passwordPolicy', policy instanceof Unknown ? policy.reason : 'password_policy is not a block', 'password_policy');
  } else {
    mapPasswordPolicy(s, policy !== undefined, {
      minimumLength: 'password_policy.minimum_length',
      requireLowercase: 'password_policy.require_lowercase',
      requireUppercase: 'password_policy.require_uppercase',
      requireNumbers: 'password_policy.require_numbers',
      requireSymbols: 'password_policy.require_symbols',
      temporaryPasswordValidityDays: 'password_policy.temporary_password_validity_days',
      passwordHistorySize: 'password_policy.password_history_size',
    });
  }
  if (s.get('sign_in_policy') !== undefined) {
    s.list('sign_in_policy.allowed_first_auth_factors', 'policies.signInPolicy.allowedFirstAuthFactors');
  }
  s.bool('admin_create_user_config.allow_admin_create_user_only', 'adminCreateUserConfig.allowAdminCreateUserOnly', POOL_DEFAULTS.allowAdminCreateUserOnly);
  s.list('auto_verified_attributes', 'autoVerifiedAttributes');
  s.list('username_attributes', 'usernameAttributes');
  s.list('alias_attributes', 'aliasAttributes');
  s.bool('username_configuration.case_sensitive', 'usernameConfiguration.caseSensitive', POOL_DEFAULTS.caseSensitive);
  s.list(
    'user_attribute_update_settings.attributes_require_verification_before_update',
    'userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate',
  );
  s.enum('user_pool_add_ons.advanced_security_mode', 'userPoolAddOns.advancedSecurityMode', ['OFF', 'AUDIT', 'ENFORCED'], {
    fallback: POOL_DEFAULTS.advancedSecurityMode,
  });
  s.enum('user_pool_add_ons.advanced_security_additional_flows.custom_auth_mode', 'userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode', [
    'AUDIT',
    'ENFORCED',
  ]);
  s.enum('user_pool_tier', 'userPoolTier', ['LITE', 'ESSENTIALS', 'PLUS'], { fallback: POOL_DEFAULTS.userPoolTier });
  s.enum('web_authn_configuration.user_verification', 'webAuthnConfiguration.userVerification', ['required', 'preferred'], {
    fallback: POOL_DEFAULTS.webAuthnUserVerification,
  });
  s.enum('deletion_protection', 'deletionProtection', ['ACTIVE', 'INACTIVE'], { fallback: POOL_DEFAULTS.deletionProtection });
  s.objects('account_recovery_setting.recovery_mechanism', 'accountRecoverySetting.recoveryMechanisms', (item) => {
    item.enum('name', 'name', RECOVERY_MECHANISMS);
    item.int('priority', 'priority');
  });
  s.bool('device_configuration.challenge_required_on_new_device', 'deviceConfiguration.challengeRequiredOnNewDevice');
  s.bool('device_configuration.device_only_remembered_on_user_prompt', 'deviceConfiguration.deviceOnlyRememberedOnUserPrompt');
  s.objects('schema', 'schema', (item) => {
    item.string('name', 'name');
    item.string('attribute_data_type', 'attributeDataType');
    item.bool('mutable', 'mutable');
    item.bool('developer_only_attribute', 'developerOnlyAttribute');
    item.bool('required', 'required');
  });
  lambdaConfig(s);
  s.stringMap('tags', 'tags');
}

/**
 * Terraform has no EnabledMfas: the provider calls SetUserPoolMfaConfig with an SMS
 * configuration when `sms_configuration` is set (which enables SMS MFA), TOTP when
 * `software_token_mfa_configuration { enabled = true }`, and email when
 * `email_mfa_configuration` is set.
 */
function enabledMfas(s: Scope): void {
  const found: Array<[string, string]> = [];
  if (s.get('sms_configuration') !== undefined) found.push(['SMS_MFA', 'sms_configuration']);
  const totp = s.get('software_token_mfa_configuration.enabled');
  if (totp instanceof Unknown || totp instanceof Symbolic) {
    s.unknown('enabledMfas', totp instanceof Unknown ? totp.reason : `${totp.text} is only known at deploy time`, 'software_token_mfa_configuration');
    return;
  }
  if (totp === true || totp === 'true') found.push(['SOFTWARE_TOKEN_MFA', 'software_token_mfa_configuration']);
  if (s.get('email_mfa_configuration') !== undefined) found.push(['EMAIL_OTP', 'email_mfa_configuration']);
  if (found.length === 0) return;
  s.set('enabledMfas', found.map(([factor]) => factor), found[0]![1]);
  found.forEach(([, at], i) => s.position(s.out(`enabledMfas[${i}]`), at));
}

/** lambda_config: every trigger by its camelCased name (`pre_sign_up` -> `preSignUp`). */
function lambdaConfig(s: Scope): void {
  const given = s.get('lambda_config');
  if (given === undefined) return;
  const v = Array.isArray(given) && given.length === 1 ? given[0]! : given;
  if (!isRecord(v)) {
    s.unknown('lambdaConfig', v instanceof Unknown ? v.reason : 'lambda_config is not a block', 'lambda_config');
    return;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v as Record<string, Evaluated>)) {
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    const name = camelCase(key);
    if (value instanceof Unknown) {
      s.unknown(`lambdaConfig.${name}`, value.reason, ['lambda_config', key]);
      continue;
    }
    out[name] = plainBlock(value);
    s.position(s.out(`lambdaConfig.${name}`), ['lambda_config', key]);
  }
  s.set('lambdaConfig', out, 'lambda_config');
}

/**
 * A free-form evaluated Terraform value as plain data with camelCased keys, single nested
 * blocks as mappings: deploy-time values keep their `${...}` text, unknown ones become null.
 */
export function plainBlock(v: Evaluated): unknown {
  if (v instanceof Symbolic) return v.text;
  if (v instanceof Unknown) return null;
  if (Array.isArray(v)) return v.length === 1 && isRecord(v[0]) ? plainBlock(v[0]) : v.map(plainBlock);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, Evaluated>)) out[camelCase(k)] = plainBlock(item);
    return out;
  }
  return v;
}

/** aws_cognito_user_pool_client -> cognito.userPoolClient (its generated client_secret is never read). */
export function mapUserPoolClient(s: Scope, t: Target): void {
  s.string('name', 'clientName');
  s.string('user_pool_id', 'userPoolId');
  t.link('userPool', s.get('user_pool_id'), ['cognito.userPool']);
  s.bool('generate_secret', 'generateSecret', CLIENT_OPTIONS.generateSecret);
  s.list('explicit_auth_flows', 'explicitAuthFlows', { fallback: [...CLIENT_OPTIONS.explicitAuthFlows] });
  s.list('allowed_oauth_flows', 'allowedOAuthFlows', { convert: (v) => asEnum(v, ['code', 'implicit', 'client_credentials'], { lower: true }) });
  s.bool('allowed_oauth_flows_user_pool_client', 'allowedOAuthFlowsUserPoolClient');
  s.list('allowed_oauth_scopes', 'allowedOAuthScopes');
  s.list('callback_urls', 'callbackURLs', { nullItems: true });
  s.list('logout_urls', 'logoutURLs', { nullItems: true });
  s.string('default_redirect_uri', 'defaultRedirectURI');
  s.list('supported_identity_providers', 'supportedIdentityProviders');
  s.enum('prevent_user_existence_errors', 'preventUserExistenceErrors', ['LEGACY', 'ENABLED'], { fallback: CLIENT_OPTIONS.preventUserExistenceErrors });
  s.bool('enable_token_revocation', 'enableTokenRevocation', CLIENT_OPTIONS.enableTokenRevocation);
  s.bool('enable_propagate_additional_user_context_data', 'enablePropagateAdditionalUserContextData');
  // token_validity_units defaults to hours, hours and days in the provider: the API's units.
  const unit = (token: string) => ({
    amount: `${token}_validity`,
    unit: `token_validity_units.${token}`,
    setUnit: (u: string) => `token_validity_units { ${token} = "${u}" }`,
  });
  mapClientValidities(s, {
    access: unit('access_token'),
    id: unit('id_token'),
    refresh: unit('refresh_token'),
    authSession: 'auth_session_validity',
    setAuthSession: 'auth_session_validity = 3',
  });
  s.list('read_attributes', 'readAttributes');
  s.list('write_attributes', 'writeAttributes');
  s.enum('refresh_token_rotation.feature', 'refreshTokenRotation.feature', ['ENABLED', 'DISABLED']);
  s.int('refresh_token_rotation.retry_grace_period_seconds', 'refreshTokenRotation.retryGracePeriodSeconds');
}

/**
 * Where a Terraform secret comes from, judged on its evaluated value: text (a literal, or a
 * variable's default or a tfvars value, committed alike) is plain text; a reference to another
 * resource or data source (Secrets Manager, SSM) is a reference; a value only known when the
 * plan is made (a variable without a value) is supplied at deploy time.
 */
function terraformSecretSource(v: Evaluated): SecretSource | undefined {
  if (v === null || v === '') return undefined;
  if (v instanceof Symbolic) return 'reference';
  if (v instanceof Unknown) return v.reference ? 'reference' : 'parameter';
  return 'literal';
}

const SOURCE_RANK: SecretSource[] = ['literal', 'parameter', 'reference'];

/** aws_cognito_identity_provider -> cognito.identityProvider (secrets judged, never copied). */
export function mapIdentityProvider(s: Scope, t: Target): void {
  s.string('provider_name', 'providerName');
  s.string('provider_type', 'providerType');
  s.string('user_pool_id', 'userPoolId');
  t.link('userPool', s.get('user_pool_id'), ['cognito.userPool']);
  s.stringMap('attribute_mapping', 'attributeMapping');
  s.list('idp_identifiers', 'idpIdentifiers');
  const details = s.get('provider_details');
  if (details instanceof Unknown || (details !== undefined && !isRecord(details))) {
    s.unknown('providerDetails', details instanceof Unknown ? details.reason : 'provider_details is not a map', 'provider_details');
    s.unknown('clientSecret', 'provider_details cannot be read statically', 'provider_details');
    return;
  }
  if (details === undefined) return;
  const entries = details as Record<string, Evaluated>;
  let worst: { source: SecretSource; at: PathSegment[] } | undefined;
  for (const key of IDP_SECRETS) {
    if (!Object.hasOwn(entries, key)) continue;
    const source = terraformSecretSource(entries[key]!);
    if (source && (!worst || SOURCE_RANK.indexOf(source) < SOURCE_RANK.indexOf(worst.source))) worst = { source, at: ['provider_details', key] };
  }
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(entries)) {
    // Secrets are never copied; for the provider's secret only where it comes from is kept.
    if (SECRET_KEY.test(key)) continue;
    const path = s.out(`providerDetails.${key}`);
    s.position(path, ['provider_details', key]);
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else if (value instanceof Symbolic) out[key] = value.text;
    else {
      out[key] = null;
      t.unresolved[path] = value instanceof Unknown ? value.reason : `provider_details.${key} is not a string`;
    }
  }
  s.set('providerDetails', out, 'provider_details');
  if (worst) {
    s.set('clientSecret', { present: true, source: worst.source }, worst.at);
    s.position(s.out('clientSecret.source'), worst.at);
  } else {
    s.set('clientSecret', { present: false }, 'provider_details');
  }
}

/** aws_cognito_user_pool_domain -> cognito.userPoolDomain */
export function mapUserPoolDomain(s: Scope, t: Target): void {
  s.string('domain', 'domain');
  s.string('user_pool_id', 'userPoolId');
  t.link('userPool', s.get('user_pool_id'), ['cognito.userPool']);
  s.string('certificate_arn', 'customDomainConfig.certificateArn');
  s.int('managed_login_version', 'managedLoginVersion');
}

/** aws_cognito_identity_pool -> cognito.identityPool */
export function mapIdentityPool(s: Scope, t: Target): void {
  s.string('identity_pool_name', 'identityPoolName');
  // Known in a plan for a pool that exists already; a reference to the pool in a trust policy is then this id.
  s.string('id', 'identityPoolId');
  s.bool('allow_unauthenticated_identities', 'allowUnauthenticatedIdentities', IDENTITY_POOL_DEFAULTS.allowUnauthenticatedIdentities);
  s.bool('allow_classic_flow', 'allowClassicFlow', IDENTITY_POOL_DEFAULTS.allowClassicFlow);
  s.objects('cognito_identity_providers', 'cognitoIdentityProviders', (item) => {
    item.string('provider_name', 'providerName');
    item.string('client_id', 'clientId');
    item.bool('server_side_token_check', 'serverSideTokenCheck', IDENTITY_POOL_DEFAULTS.serverSideTokenCheck);
    t.link('userPoolClients', item.get('client_id'), ['cognito.userPoolClient']);
    t.link('userPools', item.get('provider_name'), ['cognito.userPool']);
  });
  s.stringMap('supported_login_providers', 'supportedLoginProviders');
  s.list('openid_connect_provider_arns', 'openIdConnectProviderARNs');
  s.list('saml_provider_arns', 'samlProviderARNs');
  s.string('developer_provider_name', 'developerProviderName');
}

/** aws_cognito_user_group, folded into its pool's `groups` (as the live source reads ListGroups). */
export function mapUserGroup(s: Scope): void {
  s.string('name', 'groupName');
  s.int('precedence', 'precedence');
  s.string('role_arn', 'roleArn');
}

/** aws_cognito_user_group -> cognito.userPoolGroup (it is also folded into its pool's `groups`). */
export function mapUserPoolGroup(s: Scope, t: Target): void {
  mapUserGroup(s);
  s.string('user_pool_id', 'userPoolId');
  t.link('userPool', s.get('user_pool_id'), ['cognito.userPool']);
  s.string('description', 'description');
  t.link('role', s.get('role_arn'), ['iam.role']);
}

/**
 * aws_cognito_identity_pool_provider_principal_tag, folded into its identity pool's
 * `principalTags` (as the live source reads GetPrincipalTagAttributeMap).
 */
export function mapPrincipalTag(s: Scope): void {
  s.string('identity_provider_name', 'identityProviderName');
  s.bool('use_defaults', 'useDefaults');
  s.stringMap('principal_tags', 'principalTags');
}

/** aws_cognito_resource_server, folded into its pool's `resourceServers`. */
export function mapResourceServer(s: Scope): void {
  s.string('identifier', 'identifier');
  s.string('name', 'name');
  const scopes = s.get('scope');
  if (scopes === undefined) return;
  if (!Array.isArray(scopes)) {
    s.unknown('scopes', scopes instanceof Unknown ? scopes.reason : 'scope is not a list of blocks', 'scope');
    return;
  }
  const names: string[] = [];
  scopes.forEach((item, i) => {
    const name = isRecord(item) ? (item as Record<string, Evaluated>).scope_name : undefined;
    if (typeof name === 'string') names.push(name);
    else s.unknown('scopes', `scope[${i}].scope_name is not known`, ['scope', i]);
  });
  s.set('scopes', names, 'scope');
}

/**
 * The CloudFormation names of an IdentityPoolRoleAttachment, read from an
 * aws_cognito_identity_pool_roles_attachment, so that mapRoleAttachments reads both alike:
 * `Roles` is `roles`; `RoleMappings` (a mapping by label) is the list of `role_mapping`
 * blocks, labelled by index; their `RulesConfiguration.Rules` are `mapping_rule` blocks.
 */
export class RoleAttachmentReader implements PropertyReader {
  constructor(readonly reader: PropertyReader) {}

  private static readonly KEYS: Record<string, string> = {
    Roles: 'roles',
    IdentityPoolId: 'identity_pool_id',
    Type: 'type',
    AmbiguousRoleResolution: 'ambiguous_role_resolution',
    Claim: 'claim',
    MatchType: 'match_type',
    Value: 'value',
    RoleARN: 'role_arn',
  };

  private translate(path: readonly PathSegment[]): PathSegment[] {
    const out: PathSegment[] = [];
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (i === 0 && segment === 'RoleMappings') {
        out.push('role_mapping');
        if (path.length > 1) out.push(Number(path[++i]));
      } else if (segment === 'RulesConfiguration' && path[i + 1] === 'Rules') {
        out.push('mapping_rule');
        i++;
      } else if (i === 1 && path[0] === 'Roles') {
        out.push(segment);
      } else {
        out.push(typeof segment === 'string' && Object.hasOwn(RoleAttachmentReader.KEYS, segment) ? RoleAttachmentReader.KEYS[segment]! : segment);
      }
    }
    return out;
  }

  get(path: readonly PathSegment[]): Evaluated | undefined {
    const v = this.reader.get(this.translate(path));
    if (path.length === 1 && path[0] === 'RoleMappings' && Array.isArray(v)) return Object.fromEntries(v.map((m, i) => [String(i), m]));
    return v;
  }

  locate(path: readonly PathSegment[]) {
    return this.reader.locate(this.translate(path));
  }
}
