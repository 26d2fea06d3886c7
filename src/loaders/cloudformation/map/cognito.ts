import { USER_POOL_CLIENT_DEFAULTS as CLIENT_DEFAULTS } from '../../aws-defaults.js';
import { asEnum, asInt, camelCasedPlain, type Scope, type Target } from '../builder.js';
import { Symbolic, Unknown, evaluateCondition, isRecord, type EvalContext, type Evaluated } from '../intrinsics.js';

const MFA = ['OFF', 'ON', 'OPTIONAL'];

/** AWS::Cognito::UserPool -> cognito.userPool */
export function mapUserPool(s: Scope): void {
  s.string('UserPoolName', 'name');
  // A YAML 1.1 parser reads unquoted ON/OFF as booleans; CloudFormation then sees true/false.
  s.enum('MfaConfiguration', 'mfaConfiguration', MFA, { booleans: ['ON', 'OFF'], fallback: 'OFF' });
  s.list('EnabledMfas', 'enabledMfas', { convert: (v) => asEnum(v, ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']) });
  if (s.get('SmsConfiguration') !== undefined) {
    s.string('SmsConfiguration.SnsCallerArn', 'smsConfiguration.snsCallerArn');
    s.string('SmsConfiguration.ExternalId', 'smsConfiguration.externalId');
    s.string('SmsConfiguration.SnsRegion', 'smsConfiguration.snsRegion');
  }
  passwordPolicy(s);
  if (s.get('Policies.SignInPolicy') !== undefined) {
    s.list('Policies.SignInPolicy.AllowedFirstAuthFactors', 'policies.signInPolicy.allowedFirstAuthFactors');
  }
  s.bool('AdminCreateUserConfig.AllowAdminCreateUserOnly', 'adminCreateUserConfig.allowAdminCreateUserOnly', false);
  s.int('AdminCreateUserConfig.UnusedAccountValidityDays', 'adminCreateUserConfig.unusedAccountValidityDays');
  s.list('AutoVerifiedAttributes', 'autoVerifiedAttributes');
  s.list('UsernameAttributes', 'usernameAttributes');
  s.list('AliasAttributes', 'aliasAttributes');
  s.bool('UsernameConfiguration.CaseSensitive', 'usernameConfiguration.caseSensitive');
  s.list(
    'UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate',
    'userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate',
  );
  s.enum('UserPoolAddOns.AdvancedSecurityMode', 'userPoolAddOns.advancedSecurityMode', ['OFF', 'AUDIT', 'ENFORCED']);
  s.enum('UserPoolAddOns.AdvancedSecurityAdditionalFlows.CustomAuthMode', 'userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode', [
    'AUDIT',
    'ENFORCED',
  ]);
  s.enum('UserPoolTier', 'userPoolTier', ['LITE', 'ESSENTIALS', 'PLUS']);
  s.enum('DeletionProtection', 'deletionProtection', ['ACTIVE', 'INACTIVE']);
  s.objects('AccountRecoverySetting.RecoveryMechanisms', 'accountRecoverySetting.recoveryMechanisms', (item) => {
    item.string('Name', 'name');
    item.int('Priority', 'priority');
  });
  s.bool('DeviceConfiguration.ChallengeRequiredOnNewDevice', 'deviceConfiguration.challengeRequiredOnNewDevice');
  s.bool('DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt', 'deviceConfiguration.deviceOnlyRememberedOnUserPrompt');
  s.objects('Schema', 'schema', (item) => {
    item.string('Name', 'name');
    item.string('AttributeDataType', 'attributeDataType');
    item.bool('Mutable', 'mutable');
    item.bool('DeveloperOnlyAttribute', 'developerOnlyAttribute');
    item.bool('Required', 'required');
  });
  lambdaConfig(s);
  s.stringMap('UserPoolTags', 'tags');
}

function passwordPolicy(s: Scope): void {
  const given = s.get('Policies.PasswordPolicy');
  if (given === undefined) {
    // Without a PasswordPolicy, Cognito applies its default: 8 characters, all four character
    // classes, temporary passwords valid for 7 days.
    s.default('policies.passwordPolicy.minimumLength', 8);
    for (const key of ['requireLowercase', 'requireUppercase', 'requireNumbers', 'requireSymbols']) {
      s.default(`policies.passwordPolicy.${key}`, true);
    }
    s.default('policies.passwordPolicy.temporaryPasswordValidityDays', 7);
    return;
  }
  if (given instanceof Unknown || !isRecord(given)) {
    s.unknown('policies.passwordPolicy', given instanceof Unknown ? given.reason : 'PasswordPolicy is not a mapping', 'Policies.PasswordPolicy');
    return;
  }
  // With a PasswordPolicy, each character class left out is not required (CreateUserPool treats
  // an absent Require* as false), unlike the no-policy default.
  s.int('Policies.PasswordPolicy.MinimumLength', 'policies.passwordPolicy.minimumLength', 8);
  s.bool('Policies.PasswordPolicy.RequireLowercase', 'policies.passwordPolicy.requireLowercase', false);
  s.bool('Policies.PasswordPolicy.RequireUppercase', 'policies.passwordPolicy.requireUppercase', false);
  s.bool('Policies.PasswordPolicy.RequireNumbers', 'policies.passwordPolicy.requireNumbers', false);
  s.bool('Policies.PasswordPolicy.RequireSymbols', 'policies.passwordPolicy.requireSymbols', false);
  s.int('Policies.PasswordPolicy.TemporaryPasswordValidityDays', 'policies.passwordPolicy.temporaryPasswordValidityDays', 7);
  s.int('Policies.PasswordPolicy.PasswordHistorySize', 'policies.passwordPolicy.passwordHistorySize');
}

function lambdaConfig(s: Scope): void {
  const v = s.get('LambdaConfig');
  if (v === undefined) return;
  if (!isRecord(v)) {
    s.unknown('lambdaConfig', v instanceof Unknown ? v.reason : 'LambdaConfig is not a mapping', 'LambdaConfig');
    return;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v as Record<string, Evaluated>)) {
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    if (value instanceof Unknown) {
      s.unknown(`lambdaConfig.${name}`, value.reason, ['LambdaConfig', key]);
      continue;
    }
    out[name] = camelCasedPlain(value);
    s.position(s.out(`lambdaConfig.${name}`), ['LambdaConfig', key]);
  }
  s.set('lambdaConfig', out, 'LambdaConfig');
}


const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** AWS::Cognito::UserPoolClient -> cognito.userPoolClient */
export function mapUserPoolClient(s: Scope, t: Target): void {
  s.string('ClientName', 'clientName');
  s.string('UserPoolId', 'userPoolId');
  t.link('userPool', s.get('UserPoolId'), ['cognito.userPool']);
  // The secret itself never appears in a template; GenerateSecret only says there is one.
  s.bool('GenerateSecret', 'generateSecret', false);
  s.list('ExplicitAuthFlows', 'explicitAuthFlows', { fallback: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  s.list('AllowedOAuthFlows', 'allowedOAuthFlows', { convert: (v) => asEnum(v, ['code', 'implicit', 'client_credentials'], { lower: true }) });
  s.bool('AllowedOAuthFlowsUserPoolClient', 'allowedOAuthFlowsUserPoolClient');
  s.list('AllowedOAuthScopes', 'allowedOAuthScopes');
  s.list('CallbackURLs', 'callbackURLs', { nullItems: true });
  s.list('LogoutURLs', 'logoutURLs', { nullItems: true });
  s.string('DefaultRedirectURI', 'defaultRedirectURI');
  s.list('SupportedIdentityProviders', 'supportedIdentityProviders');
  s.enum('PreventUserExistenceErrors', 'preventUserExistenceErrors', ['LEGACY', 'ENABLED'], { fallback: 'LEGACY' });
  s.bool('EnableTokenRevocation', 'enableTokenRevocation', true);
  s.bool('EnablePropagateAdditionalUserContextData', 'enablePropagateAdditionalUserContextData');
  tokenValidity(s, 'AccessTokenValidity', 'AccessToken', 'accessTokenValiditySeconds', 'hours', CLIENT_DEFAULTS.accessTokenValiditySeconds);
  tokenValidity(s, 'IdTokenValidity', 'IdToken', 'idTokenValiditySeconds', 'hours', CLIENT_DEFAULTS.idTokenValiditySeconds);
  tokenValidity(s, 'RefreshTokenValidity', 'RefreshToken', 'refreshTokenValiditySeconds', 'days', CLIENT_DEFAULTS.refreshTokenValiditySeconds);
  s.int('AuthSessionValidity', 'authSessionValidityMinutes', CLIENT_DEFAULTS.authSessionValidityMinutes);
  s.list('ReadAttributes', 'readAttributes');
  s.list('WriteAttributes', 'writeAttributes');
  s.enum('RefreshTokenRotation.Feature', 'refreshTokenRotation.feature', ['ENABLED', 'DISABLED']);
  s.int('RefreshTokenRotation.RetryGracePeriodSeconds', 'refreshTokenRotation.retryGracePeriodSeconds');
}

/** Validity in seconds: the value times its unit in TokenValidityUnits (or the token's default unit). */
function tokenValidity(s: Scope, cfn: string, unitKey: string, out: string, defaultUnit: string, fallbackSeconds: number): void {
  const v = s.get(cfn);
  if (v === undefined) {
    s.default(out, fallbackSeconds);
    return;
  }
  const amount = asInt(v);
  if ('reason' in amount) {
    s.unknown(out, amount.reason, cfn);
    return;
  }
  const unitValue = s.get(`TokenValidityUnits.${unitKey}`);
  let unit = defaultUnit;
  if (unitValue !== undefined) {
    const u = asEnum(unitValue, Object.keys(UNIT_SECONDS), { lower: true });
    if ('reason' in u) {
      s.unknown(out, `TokenValidityUnits.${unitKey}: ${u.reason}`, cfn);
      return;
    }
    unit = u.value;
  }
  s.set(out, amount.value * UNIT_SECONDS[unit]!, cfn);
}

const SECRET_KEY = /secret|password|private_key/i;

/** Where an identity provider's client secret comes from (see the identityProvider schema). */
export type SecretSource = 'literal' | 'parameterDefault' | 'parameter' | 'noEchoParameter' | 'dynamicReference' | 'reference';

// Worst first: a secret in plain text in the template is worse than one typed in at deploy time.
const SOURCE_RANK: SecretSource[] = ['literal', 'parameterDefault', 'parameter', 'reference', 'noEchoParameter', 'dynamicReference'];
const worst = (a: SecretSource, b: SecretSource): SecretSource => (SOURCE_RANK.indexOf(a) <= SOURCE_RANK.indexOf(b) ? a : b);

/**
 * Classifies the raw (unevaluated) template value of a secret without ever reading it into the
 * output: plain text, a parameter's Default, a value supplied at deploy time, a dynamic reference.
 */
export function secretSource(raw: unknown, ctx: EvalContext): SecretSource {
  if (typeof raw === 'string') return raw.includes('{{resolve:') ? 'dynamicReference' : 'literal';
  if (typeof raw === 'number' || typeof raw === 'boolean') return 'literal';
  if (Array.isArray(raw)) return raw.map((r) => secretSource(r, ctx)).reduce(worst, 'dynamicReference');
  if (!isRecord(raw)) return 'reference';
  const keys = Object.keys(raw);
  const fn = keys.length === 1 ? keys[0]! : '';
  const arg = raw[fn];
  if (fn === 'Ref') return typeof arg === 'string' ? nameSource(arg, ctx) : 'reference';
  if (fn === 'Fn::Sub') {
    const template = Array.isArray(arg) ? arg[0] : arg;
    const vars = Array.isArray(arg) && isRecord(arg[1]) ? arg[1] : {};
    if (typeof template !== 'string') return 'reference';
    let source: SecretSource = template.includes('{{resolve:') ? 'dynamicReference' : 'literal';
    let any = false;
    for (const m of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
      const name = m[1]!.trim();
      const s = name in vars ? secretSource(vars[name], ctx) : name.includes('.') ? 'reference' : nameSource(name, ctx);
      source = any ? worst(source, s) : s;
      any = true;
    }
    return source;
  }
  if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string') {
    const c = evaluateCondition(arg[0], ctx);
    if (c === true) return secretSource(arg[1], ctx);
    if (c === false) return secretSource(arg[2], ctx);
    return worst(secretSource(arg[1], ctx), secretSource(arg[2], ctx));
  }
  if (fn === 'Fn::Join' || fn === 'Fn::Select' || fn === 'Fn::Base64') return secretSource(arg, ctx);
  return 'reference';
}

function nameSource(name: string, ctx: EvalContext): SecretSource {
  const param = ctx.parameters.get(name);
  if (!param) return 'reference';
  const supplied = Object.prototype.hasOwnProperty.call(ctx.values, name);
  // A Default sits in the template in plain text whether or not the parameter is NoEcho.
  if (!supplied && param.default !== undefined) return 'parameterDefault';
  return param.noEcho ? 'noEchoParameter' : 'parameter';
}

/** AWS::Cognito::UserPoolIdentityProvider -> cognito.identityProvider (secrets redacted). */
export function mapIdentityProvider(s: Scope, t: Target, raw: Record<string, unknown>, ctx: EvalContext): void {
  s.string('ProviderName', 'providerName');
  s.string('ProviderType', 'providerType');
  s.string('UserPoolId', 'userPoolId');
  t.link('userPool', s.get('UserPoolId'), ['cognito.userPool']);
  s.stringMap('AttributeMapping', 'attributeMapping');
  s.list('IdpIdentifiers', 'idpIdentifiers');
  const details = s.get('ProviderDetails');
  const rawDetails = isRecord(raw.ProviderDetails) ? raw.ProviderDetails : undefined;
  let secretPresent = false;
  if (details instanceof Unknown || (details !== undefined && !isRecord(details))) {
    // The reason of an unknown block never carries values, only names.
    s.unknown('providerDetails', details instanceof Unknown ? details.reason : 'ProviderDetails is not a mapping', 'ProviderDetails');
    s.unknown('clientSecret', 'ProviderDetails cannot be read statically', 'ProviderDetails');
    return;
  }
  if (details !== undefined) {
    const out: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(details as Record<string, Evaluated>)) {
      const path = s.out(`providerDetails.${key}`);
      if (SECRET_KEY.test(key)) {
        // Secrets are never copied; for the client secret only where it comes from is kept.
        if (key === 'client_secret') {
          secretPresent = true;
          const rawValue = rawDetails?.[key];
          s.set('clientSecret', { present: true, source: secretSource(rawValue, ctx) }, ['ProviderDetails', key]);
          s.position(s.out('clientSecret.source'), ['ProviderDetails', key]);
        }
        continue;
      }
      s.position(path, ['ProviderDetails', key]);
      if (typeof value === 'string') out[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
      else if (value instanceof Symbolic) out[key] = value.text;
      else {
        out[key] = null;
        t.unresolved[path] = value instanceof Unknown ? value.reason : `ProviderDetails.${key} is not a string`;
      }
    }
    s.set('providerDetails', out, 'ProviderDetails');
  }
  if (!secretPresent) s.set('clientSecret', { present: false }, 'ProviderDetails');
}

/** AWS::Cognito::UserPoolDomain -> cognito.userPoolDomain */
export function mapUserPoolDomain(s: Scope, t: Target): void {
  s.string('Domain', 'domain');
  s.string('UserPoolId', 'userPoolId');
  t.link('userPool', s.get('UserPoolId'), ['cognito.userPool']);
  s.string('CustomDomainConfig.CertificateArn', 'customDomainConfig.certificateArn');
  s.int('ManagedLoginVersion', 'managedLoginVersion');
}

/** AWS::Cognito::IdentityPool -> cognito.identityPool */
export function mapIdentityPool(s: Scope, t: Target): void {
  s.string('IdentityPoolName', 'identityPoolName');
  s.bool('AllowUnauthenticatedIdentities', 'allowUnauthenticatedIdentities', false);
  s.bool('AllowClassicFlow', 'allowClassicFlow', false);
  s.objects('CognitoIdentityProviders', 'cognitoIdentityProviders', (item) => {
    item.string('ProviderName', 'providerName');
    item.string('ClientId', 'clientId');
    item.bool('ServerSideTokenCheck', 'serverSideTokenCheck');
    t.link('userPoolClients', item.get('ClientId'), ['cognito.userPoolClient']);
    t.link('userPools', item.get('ProviderName'), ['cognito.userPool']);
  });
  s.stringMap('SupportedLoginProviders', 'supportedLoginProviders');
  s.list('OpenIdConnectProviderARNs', 'openIdConnectProviderARNs');
  s.list('SamlProviderARNs', 'samlProviderARNs');
  s.string('DeveloperProviderName', 'developerProviderName');
}

/**
 * AWS::Cognito::IdentityPoolRoleAttachment, merged into its identity pool: `s` reads the
 * attachment and writes to the pool.
 */
export function mapRoleAttachment(s: Scope, pool: Target): void {
  const roles = s.get('Roles');
  if (roles instanceof Unknown) {
    s.unknown('roles', roles.reason, 'Roles');
  } else if (isRecord(roles)) {
    for (const [key, value] of Object.entries(roles as Record<string, Evaluated>)) {
      const name = key.toLowerCase();
      if (name !== 'authenticated' && name !== 'unauthenticated') continue;
      // A role given as a literal ARN or a parameter is kept as text with no relation: the
      // role is not among the inputs and rules say so.
      s.string(['Roles', key].join('.'), `roles.${name}`);
      pool.link(`${name}Role`, value, ['iam.role']);
    }
  }
  const mappings = s.get('RoleMappings');
  if (mappings instanceof Unknown) {
    s.unknown('roleMappings', mappings.reason, 'RoleMappings');
  } else if (isRecord(mappings)) {
    for (const [label, mapping] of Object.entries(mappings as Record<string, Evaluated>)) {
      if (!isRecord(mapping)) continue;
      // Keyed by the CloudFormation label: the real key (the IdentityProvider,
      // "cognito-idp.<region>.amazonaws.com/<pool>:<client>") has dots a property path cannot address.
      const item = s.at(['RoleMappings', label], `roleMappings.${label}`);
      item.position(item.outPrefix, []);
      item.enum('Type', 'type', ['Token', 'Rules'], { lower: true });
      item.enum('AmbiguousRoleResolution', 'ambiguousRoleResolution', ['AuthenticatedRole', 'Deny'], { lower: true });
      item.objects('RulesConfiguration.Rules', 'rulesConfiguration.rules', (rule) => {
        rule.string('Claim', 'claim');
        rule.string('MatchType', 'matchType');
        rule.string('Value', 'value');
        rule.string('RoleARN', 'roleARN');
        pool.link('mappedRoles', rule.get('RoleARN'), ['iam.role']);
      });
    }
  }
}
