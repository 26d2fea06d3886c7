import {
  IDENTITY_POOL_DEFAULTS,
  USER_POOL_CLIENT_DEFAULTS as CLIENT_DEFAULTS,
  USER_POOL_CLIENT_OPTION_DEFAULTS as CLIENT_OPTIONS,
  USER_POOL_DEFAULTS as POOL_DEFAULTS,
  RISK_CONFIGURATION_DEFAULTS,
} from '../../aws-defaults.js';
import { IDP_SECRETS, SECRET_KEY } from '../../idp-secrets.js';
import { Scope, asEnum, asInt, camelCasedPlain, type PathSegment, type PropertyReader, type Target } from '../builder.js';
import { Symbolic, Unknown, evaluate, isRecord, type EvalContext, type Evaluated } from '../intrinsics.js';

const MFA = ['OFF', 'ON', 'OPTIONAL'];
/** AccountRecoverySetting mechanism names; a name known only at deploy time is unknown, never a mechanism. */
export const RECOVERY_MECHANISMS = ['verified_email', 'verified_phone_number', 'admin_only'];

/** AWS::Cognito::UserPool -> cognito.userPool */
export function mapUserPool(s: Scope, t?: Target): void {
  s.string('UserPoolName', 'name');
  // A YAML 1.1 parser reads unquoted ON/OFF as booleans; CloudFormation then sees true/false.
  s.enum('MfaConfiguration', 'mfaConfiguration', MFA, { booleans: ['ON', 'OFF'], fallback: POOL_DEFAULTS.mfaConfiguration });
  s.list('EnabledMfas', 'enabledMfas', { convert: (v) => asEnum(v, ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']) });
  if (s.get('SmsConfiguration') !== undefined) {
    s.string('SmsConfiguration.SnsCallerArn', 'smsConfiguration.snsCallerArn');
    t?.link('smsRole', s.get('SmsConfiguration.SnsCallerArn'), ['iam.role']);
    s.string('SmsConfiguration.ExternalId', 'smsConfiguration.externalId');
    s.string('SmsConfiguration.SnsRegion', 'smsConfiguration.snsRegion');
  }
  passwordPolicy(s);
  if (s.get('Policies.SignInPolicy') !== undefined) {
    s.list('Policies.SignInPolicy.AllowedFirstAuthFactors', 'policies.signInPolicy.allowedFirstAuthFactors');
  }
  s.bool('AdminCreateUserConfig.AllowAdminCreateUserOnly', 'adminCreateUserConfig.allowAdminCreateUserOnly', POOL_DEFAULTS.allowAdminCreateUserOnly);
  s.int('AdminCreateUserConfig.UnusedAccountValidityDays', 'adminCreateUserConfig.unusedAccountValidityDays');
  s.list('AutoVerifiedAttributes', 'autoVerifiedAttributes');
  s.list('UsernameAttributes', 'usernameAttributes');
  s.list('AliasAttributes', 'aliasAttributes');
  s.bool('UsernameConfiguration.CaseSensitive', 'usernameConfiguration.caseSensitive', POOL_DEFAULTS.caseSensitive);
  s.list(
    'UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate',
    'userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate',
  );
  s.enum('UserPoolAddOns.AdvancedSecurityMode', 'userPoolAddOns.advancedSecurityMode', ['OFF', 'AUDIT', 'ENFORCED'], {
    fallback: POOL_DEFAULTS.advancedSecurityMode,
  });
  s.enum('UserPoolAddOns.AdvancedSecurityAdditionalFlows.CustomAuthMode', 'userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode', [
    'AUDIT',
    'ENFORCED',
  ]);
  s.enum('UserPoolTier', 'userPoolTier', ['LITE', 'ESSENTIALS', 'PLUS'], { fallback: POOL_DEFAULTS.userPoolTier });
  s.enum('WebAuthnUserVerification', 'webAuthnConfiguration.userVerification', ['required', 'preferred'], {
    fallback: POOL_DEFAULTS.webAuthnUserVerification,
  });
  s.enum('DeletionProtection', 'deletionProtection', ['ACTIVE', 'INACTIVE'], { fallback: POOL_DEFAULTS.deletionProtection });
  s.objects('AccountRecoverySetting.RecoveryMechanisms', 'accountRecoverySetting.recoveryMechanisms', (item) => {
    item.enum('Name', 'name', RECOVERY_MECHANISMS);
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
  if (given instanceof Unknown || (given !== undefined && !isRecord(given))) {
    s.unknown('policies.passwordPolicy', given instanceof Unknown ? given.reason : 'PasswordPolicy is not a mapping', 'Policies.PasswordPolicy');
    return;
  }
  mapPasswordPolicy(s, given !== undefined, {
    minimumLength: 'Policies.PasswordPolicy.MinimumLength',
    requireLowercase: 'Policies.PasswordPolicy.RequireLowercase',
    requireUppercase: 'Policies.PasswordPolicy.RequireUppercase',
    requireNumbers: 'Policies.PasswordPolicy.RequireNumbers',
    requireSymbols: 'Policies.PasswordPolicy.RequireSymbols',
    temporaryPasswordValidityDays: 'Policies.PasswordPolicy.TemporaryPasswordValidityDays',
    passwordHistorySize: 'Policies.PasswordPolicy.PasswordHistorySize',
  });
}

/** Where a source writes each field of a user pool's password policy. */
export type PasswordPolicyKeys = Record<keyof typeof POOL_DEFAULTS.passwordPolicyFields | 'passwordHistorySize', string>;

/**
 * `policies.passwordPolicy`: Cognito's default policy when none is given, else the given fields
 * with the defaults of a given policy (see USER_POOL_DEFAULTS).
 */
export function mapPasswordPolicy(s: Scope, given: boolean, keys: PasswordPolicyKeys): void {
  const out = (key: string): string => `policies.passwordPolicy.${key}`;
  if (!given) {
    for (const [key, value] of Object.entries(POOL_DEFAULTS.passwordPolicy)) s.default(out(key), value);
    return;
  }
  const fields = POOL_DEFAULTS.passwordPolicyFields;
  s.int(keys.minimumLength, out('minimumLength'), fields.minimumLength);
  s.bool(keys.requireLowercase, out('requireLowercase'), fields.requireLowercase);
  s.bool(keys.requireUppercase, out('requireUppercase'), fields.requireUppercase);
  s.bool(keys.requireNumbers, out('requireNumbers'), fields.requireNumbers);
  s.bool(keys.requireSymbols, out('requireSymbols'), fields.requireSymbols);
  s.int(keys.temporaryPasswordValidityDays, out('temporaryPasswordValidityDays'), fields.temporaryPasswordValidityDays);
  s.int(keys.passwordHistorySize, out('passwordHistorySize'));
}

/** A resource that is a setting of the user pool it names: it joins the pool, as the live source reads it with the pool. */
export interface PoolSetting {
  /** The pool property it becomes. */
  out: string;
  /** 'pool' when it sets the whole pool, 'other' when it sets something else (one client), Unknown when that cannot be told. */
  scope(reader: PropertyReader): 'pool' | 'other' | Unknown;
  map(s: Scope): void;
  /** The setting matters for this pool: without one in the inputs the property is unknown (it may be set elsewhere). */
  matters(pool: Target): boolean;
}

/** One resource of a PoolSetting's type, with the pool it names if that pool is in the inputs. */
export interface PoolSettingResource {
  name: string;
  reader: PropertyReader;
  pool: Target | undefined;
}

/**
 * Maps each setting resource into the pool it names; a pool it matters for that none sets gets
 * the property unresolved with `absent` (another stack or module, or the console, may set it).
 * Returns the resources whose pool is not in the inputs.
 */
export function joinPoolSettings(setting: PoolSetting, found: readonly PoolSettingResource[], pools: readonly Target[], absent: string): PoolSettingResource[] {
  const configured = new Set<Target>();
  const orphans: PoolSettingResource[] = [];
  for (const item of found) {
    const pool = item.pool;
    if (!pool) {
      orphans.push(item);
      continue;
    }
    const scope = setting.scope(item.reader);
    if (scope instanceof Unknown) {
      if (!configured.has(pool)) pool.unresolved[setting.out] = `${item.name} may set it: ${scope.reason}`;
      continue;
    }
    if (scope === 'other') continue;
    configured.add(pool);
    delete pool.unresolved[setting.out];
    applySetting(setting, item.reader, pool);
  }
  for (const pool of pools) if (!configured.has(pool) && setting.matters(pool)) pool.unresolved[setting.out] ??= absent;
  return orphans;
}

/** Writes one setting resource into the target it configures, positioned in that resource. */
function applySetting(setting: PoolSetting, reader: PropertyReader, target: Target): void {
  const s = new Scope(reader, target, [], setting.out);
  target.properties[setting.out] = {};
  s.position(setting.out, []);
  setting.map(s);
}

/** A client-level setting resource, with the app client it names if that client is in the inputs. */
export interface ClientSettingResource {
  name: string;
  reader: PropertyReader;
  client: Target | undefined;
}

/**
 * Client-level risk configurations (a ClientId other than ALL; Terraform's client_id) join
 * the app client they name: for that client Cognito uses its own configuration, whole, instead
 * of the pool's (a setting it leaves out is not configured, not inherited). Two for one client
 * leave it unresolved: the one deployed last wins. A client that is not in the inputs is
 * skipped (rules judge the overrides they can see).
 */
export function joinClientSettings(setting: PoolSetting, found: readonly ClientSettingResource[]): void {
  const configured = new Map<Target, string>();
  for (const { name, reader, client } of found) {
    if (!client || setting.scope(reader) !== 'other') continue;
    const earlier = configured.get(client);
    configured.set(client, name);
    if (earlier !== undefined) {
      delete client.properties[setting.out];
      client.unresolved[setting.out] = `${earlier} and ${name} both configure this client and the one deployed last wins`;
      continue;
    }
    applySetting(setting, reader, client);
  }
}

/** Where each risk configuration setting is in a source (CloudFormation's or Terraform's names). */
export interface RiskConfigurationKeys {
  /** The client it configures; ALL (CloudFormation) or absent (Terraform) for the whole pool. */
  clientId: string;
  compromisedCredentials: string;
  compromisedCredentialsAction: string;
  compromisedCredentialsEvents: string;
  accountTakeover: string;
  takeoverAction: Record<'low' | 'medium' | 'high', string>;
}

const TAKEOVER_ACTIONS = ['BLOCK', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'NO_ACTION'];
const RISK_EVENTS = ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'];

/**
 * The pool-level risk configuration (SetRiskConfiguration's settings) as `riskConfiguration`. A
 * setting it leaves out is not configured: Cognito takes no action for it. It matters only with
 * threat protection not known to be off (only then does the live source read it).
 */
export function riskConfigurationSetting(keys: RiskConfigurationKeys): PoolSetting {
  return {
    out: 'riskConfiguration',
    scope: (reader) => {
      const client = reader.get([keys.clientId]);
      if (client instanceof Unknown) return client;
      return client === undefined || client === null || client === 'ALL' ? 'pool' : 'other';
    },
    map: (s) => {
      if (s.get(keys.compromisedCredentials) !== undefined) {
        s.enum(keys.compromisedCredentialsAction, 'compromisedCredentialsAction', ['BLOCK', 'NO_ACTION']);
        s.list(keys.compromisedCredentialsEvents, 'compromisedCredentialsEvents', {
          convert: (v) => asEnum(v, RISK_EVENTS),
          fallback: [...RISK_CONFIGURATION_DEFAULTS.compromisedCredentialsEvents],
        });
      }
      if (s.get(keys.accountTakeover) !== undefined) {
        for (const level of ['low', 'medium', 'high'] as const) s.enum(keys.takeoverAction[level], `accountTakeoverActions.${level}`, TAKEOVER_ACTIONS);
      }
    },
    matters: (pool) => {
      if (pool.unresolved['userPoolAddOns.advancedSecurityMode'] !== undefined) return true;
      const mode = (pool.properties.userPoolAddOns as { advancedSecurityMode?: unknown } | undefined)?.advancedSecurityMode;
      return mode === 'AUDIT' || mode === 'ENFORCED';
    },
  };
}

/** Where each log delivery setting is in a source (CloudFormation's or Terraform's names). */
export interface LogDeliveryKeys {
  logConfigurations: string;
  eventSource: string;
  logLevel: string;
  destinations: Record<'cloudWatchLogs' | 's3' | 'firehose', string>;
}

/**
 * Threat protection's user activity logs (event source userAuthEvents) can be exported only on
 * the Plus plan, which threat protection needs: log delivery matters for a pool on Plus or with
 * threat protection on, or one where either cannot be told.
 */
export function authEventsExportable(pool: Pick<Target, 'properties' | 'unresolved'>): boolean {
  if (pool.unresolved.userPoolTier !== undefined || pool.unresolved['userPoolAddOns.advancedSecurityMode'] !== undefined) return true;
  const mode = (pool.properties.userPoolAddOns as { advancedSecurityMode?: unknown } | undefined)?.advancedSecurityMode;
  return pool.properties.userPoolTier === 'PLUS' || mode === 'AUDIT' || mode === 'ENFORCED';
}

/**
 * A log delivery configuration (SetLogDeliveryConfiguration) as `logDelivery`: for each event
 * source its log level and where it goes, e.g. `logDelivery.userAuthEvents.destination`.
 */
export function logDeliverySetting(keys: LogDeliveryKeys): PoolSetting {
  return {
    out: 'logDelivery',
    scope: () => 'pool',
    map: (s) => {
      const list = s.get(keys.logConfigurations);
      if (list instanceof Unknown || (list !== undefined && !Array.isArray(list))) {
        s.unknown('userAuthEvents', list instanceof Unknown ? list.reason : `${keys.logConfigurations} is not a list`, keys.logConfigurations);
        return;
      }
      (list ?? []).forEach((_, i) => {
        const source = s.get([keys.logConfigurations, i, keys.eventSource]);
        if (typeof source !== 'string') {
          // A configuration whose event source cannot be read may be the auth events one.
          s.unknown('userAuthEvents', source instanceof Unknown ? source.reason : `the event source of a log configuration is not known`, [keys.logConfigurations, i]);
          return;
        }
        const item = s.at([keys.logConfigurations, i], source);
        item.set('eventSource', source, keys.eventSource);
        item.string(keys.logLevel, 'logLevel');
        const destination = (Object.keys(keys.destinations) as Array<keyof LogDeliveryKeys['destinations']>).find((d) => {
          // A plan writes a block it does not set as an empty list.
          const v = item.get(keys.destinations[d]);
          return v !== undefined && !(Array.isArray(v) && v.length === 0);
        });
        if (destination) item.set('destination', destination, keys.destinations[destination]);
      });
    },
    matters: authEventsExportable,
  };
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

interface ValidityRange {
  min: number;
  max: number;
  /** The allowed range as AWS's documentation states it. */
  text: string;
}

// CreateUserPoolClient's allowed durations (TokenValidityUnitsType, AuthSessionValidity). A
// value outside them makes the deployment fail, so it is no lifetime at all.
const ACCESS_ID_RANGE: ValidityRange = { min: 5 * 60, max: 86400, text: '5 minutes to 1 day' };
const REFRESH_RANGE: ValidityRange = { min: 60 * 60, max: 3650 * 86400, text: '60 minutes to 10 years' };
const AUTH_SESSION_RANGE = { min: 3, max: 15 };

/** AWS::Cognito::UserPoolClient -> cognito.userPoolClient */
export function mapUserPoolClient(s: Scope, t: Target): void {
  s.string('ClientName', 'clientName');
  s.string('UserPoolId', 'userPoolId');
  t.link('userPool', s.get('UserPoolId'), ['cognito.userPool']);
  // The secret itself never appears in a template; GenerateSecret only says there is one.
  s.bool('GenerateSecret', 'generateSecret', CLIENT_OPTIONS.generateSecret);
  s.list('ExplicitAuthFlows', 'explicitAuthFlows', { fallback: [...CLIENT_OPTIONS.explicitAuthFlows] });
  s.list('AllowedOAuthFlows', 'allowedOAuthFlows', { convert: (v) => asEnum(v, ['code', 'implicit', 'client_credentials'], { lower: true }) });
  s.bool('AllowedOAuthFlowsUserPoolClient', 'allowedOAuthFlowsUserPoolClient');
  s.list('AllowedOAuthScopes', 'allowedOAuthScopes');
  s.list('CallbackURLs', 'callbackURLs', { nullItems: true });
  s.list('LogoutURLs', 'logoutURLs', { nullItems: true });
  s.string('DefaultRedirectURI', 'defaultRedirectURI');
  s.list('SupportedIdentityProviders', 'supportedIdentityProviders');
  s.enum('PreventUserExistenceErrors', 'preventUserExistenceErrors', ['LEGACY', 'ENABLED'], { fallback: CLIENT_OPTIONS.preventUserExistenceErrors });
  s.bool('EnableTokenRevocation', 'enableTokenRevocation', CLIENT_OPTIONS.enableTokenRevocation);
  s.bool('EnablePropagateAdditionalUserContextData', 'enablePropagateAdditionalUserContextData');
  mapClientValidities(s, {
    access: { amount: 'AccessTokenValidity', unit: 'TokenValidityUnits.AccessToken', setUnit: (u) => `TokenValidityUnits: { AccessToken: ${u} }` },
    id: { amount: 'IdTokenValidity', unit: 'TokenValidityUnits.IdToken', setUnit: (u) => `TokenValidityUnits: { IdToken: ${u} }` },
    refresh: { amount: 'RefreshTokenValidity', unit: 'TokenValidityUnits.RefreshToken', setUnit: (u) => `TokenValidityUnits: { RefreshToken: ${u} }` },
    authSession: 'AuthSessionValidity',
    setAuthSession: 'AuthSessionValidity: 3',
  });
  s.list('ReadAttributes', 'readAttributes');
  s.list('WriteAttributes', 'writeAttributes');
  s.enum('RefreshTokenRotation.Feature', 'refreshTokenRotation.feature', ['ENABLED', 'DISABLED']);
  s.int('RefreshTokenRotation.RetryGracePeriodSeconds', 'refreshTokenRotation.retryGracePeriodSeconds');
}

/** How a source names a token's validity, its unit, and how to write a unit. */
export interface ValiditySyntax {
  /** Source key of the amount: `AccessTokenValidity`, `access_token_validity`. */
  amount: string;
  /** Source path of its unit: `TokenValidityUnits.AccessToken`, `token_validity_units.access_token`. */
  unit: string;
  /** How to set the unit in the source, for the fix a finding suggests. */
  setUnit(unit: string): string;
}

/** The source's names of a client's validities (see {@link mapClientValidities}). */
export interface ClientValidityNames {
  access: ValiditySyntax;
  id: ValiditySyntax;
  refresh: ValiditySyntax;
  authSession: string;
  /** How to set the session validity to its default, for the fix a finding suggests. */
  setAuthSession: string;
}

/**
 * A client's token and session lifetimes in seconds (minutes for the session), with Cognito's
 * defaults, units and allowed ranges; values AWS would reject become `invalidValidity`.
 */
export function mapClientValidities(s: Scope, names: ClientValidityNames): void {
  const invalid: Invalid[] = [];
  tokenValidity(s, invalid, names.access, 'accessTokenValiditySeconds', 'hours', CLIENT_DEFAULTS.accessTokenValiditySeconds, ACCESS_ID_RANGE);
  tokenValidity(s, invalid, names.id, 'idTokenValiditySeconds', 'hours', CLIENT_DEFAULTS.idTokenValiditySeconds, ACCESS_ID_RANGE);
  tokenValidity(s, invalid, names.refresh, 'refreshTokenValiditySeconds', 'days', CLIENT_DEFAULTS.refreshTokenValiditySeconds, REFRESH_RANGE, true);
  const session = s.int(names.authSession, 'authSessionValidityMinutes', CLIENT_DEFAULTS.authSessionValidityMinutes);
  if (session !== undefined && (session < AUTH_SESSION_RANGE.min || session > AUTH_SESSION_RANGE.max)) {
    invalid.push({
      property: 'authSessionValidityMinutes',
      cfn: names.authSession,
      problem: `${names.authSession} ${session} is outside the allowed 3 to 15 minutes, so the deployment would fail; set ${names.setAuthSession}`,
    });
  }
  recordInvalid(s, invalid);
  // A lifetime only known at deploy time may be out of range too: whether the client deploys is
  // not known then, unless another lifetime already shows it cannot.
  if (invalid.length > 0) return;
  const unknown = (
    [
      ['accessTokenValiditySeconds', names.access.amount],
      ['idTokenValiditySeconds', names.id.amount],
      ['refreshTokenValiditySeconds', names.refresh.amount],
      ['authSessionValidityMinutes', names.authSession],
    ] as const
  ).find(([property]) => s.target.unresolved[property] !== undefined);
  if (unknown) s.unknown('invalidValidity', `${unknown[0]} is not known: ${s.target.unresolved[unknown[0]]}`, unknown[1]);
}

/** A validity CloudFormation would reject: the normalized property it would have set and why. */
interface Invalid {
  property: string;
  cfn: string;
  problem: string;
}

/**
 * Invalid validities become `invalidValidity` entries (rule cognito-client-token-validity-in-range
 * reports them; the lifetime rules skip them) and their lifetime property is unresolved: a
 * stack that fails to deploy issues no tokens, so there is no lifetime to judge.
 */
function recordInvalid(s: Scope, invalid: Invalid[]): void {
  if (invalid.length === 0) return;
  s.set(
    'invalidValidity',
    invalid.map(({ property, problem }) => ({ property, problem })),
    invalid[0]!.cfn,
  );
  invalid.forEach(({ property, cfn, problem }, i) => {
    s.position(s.out(`invalidValidity[${i}]`), cfn);
    s.position(s.out(`invalidValidity[${i}].problem`), cfn);
    delete s.target.properties[property];
    s.unknown(property, problem, cfn);
  });
}

const plural = (n: number, unit: string): string => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;

/** Validity in seconds: the value times its unit (or the token's default unit). */
function tokenValidity(
  s: Scope,
  invalid: Invalid[],
  names: ValiditySyntax,
  out: string,
  defaultUnit: string,
  fallbackSeconds: number,
  range: ValidityRange,
  refresh = false,
): void {
  const cfn = names.amount;
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
  // Cognito replaces a RefreshTokenValidity of 0 (in any unit) with its 30-day default
  // (CreateUserPoolClient). Access and ID tokens have no such rule: 0 is below their range.
  if (amount.value === 0 && refresh) {
    s.set(out, fallbackSeconds, cfn);
    return;
  }
  const unitValue = s.get(names.unit);
  let unit = defaultUnit;
  if (unitValue !== undefined) {
    const u = asEnum(unitValue, Object.keys(UNIT_SECONDS), { lower: true });
    if ('reason' in u) {
      s.unknown(out, `${names.unit}: ${u.reason}`, cfn);
      return;
    }
    unit = u.value;
  }
  const seconds = amount.value * UNIT_SECONDS[unit]!;
  if (seconds >= range.min && seconds <= range.max) {
    s.set(out, seconds, cfn);
    return;
  }
  const given = unitValue === undefined ? `${unit}, the default unit` : unit;
  invalid.push({
    property: out,
    cfn,
    problem:
      `${cfn} ${amount.value} (${given}) is ${plural(amount.value, unit)}, outside the allowed ${range.text}, so the deployment would fail; ` +
      likelyFix(amount.value, unit, names, range),
  });
}

/**
 * The unit that makes the number valid, nearest to the one used first (60 with the default
 * hours was almost certainly meant as minutes), or the allowed range when no unit fits.
 */
function likelyFix(amount: number, unit: string, names: ValiditySyntax, range: ValidityRange): string {
  const units = Object.keys(UNIT_SECONDS);
  const at = units.indexOf(unit);
  const candidates = units
    .filter((u) => u !== unit)
    .sort((a, b) => Math.abs(units.indexOf(a) - at) - Math.abs(units.indexOf(b) - at) || units.indexOf(a) - units.indexOf(b));
  const fit = candidates.find((u) => amount * UNIT_SECONDS[u]! >= range.min && amount * UNIT_SECONDS[u]! <= range.max);
  if (fit) return `if ${plural(amount, fit)} was meant, set ${names.setUnit(fit)}`;
  return `set ${names.amount} to a duration from ${range.text} in its ${names.unit}`;
}

/** Where an identity provider's secret comes from (see the identityProvider schema). */
export type SecretSource =
  | 'literal'
  | 'mapping'
  | 'parameterDefault'
  | 'parameter'
  | 'reference'
  | 'ssmParameter'
  | 'noEchoParameter'
  | 'dynamicReference';

// Worst first: a secret in plain text in the template is worse than one typed in at deploy time.
const SOURCE_RANK: SecretSource[] = ['literal', 'mapping', 'parameterDefault', 'parameter', 'reference', 'ssmParameter', 'noEchoParameter', 'dynamicReference'];
const worst = (a: SecretSource, b: SecretSource): SecretSource => (SOURCE_RANK.indexOf(a) <= SOURCE_RANK.indexOf(b) ? a : b);
const worstOf = (sources: SecretSource[]): SecretSource | undefined => (sources.length ? sources.reduce(worst) : undefined);

const isDynamicReference = (text: string): boolean => /^\s*\{\{resolve:[\s\S]*\}\}\s*$/.test(text);

/**
 * Classifies the raw (unevaluated) template value of a secret without ever reading it into the
 * output: plain text (in the property or in Mappings), a parameter's Default, a value supplied
 * at deploy time, a dynamic reference. It judges what the template file holds, so both
 * branches of an `Fn::If` count whatever the condition: the one not taken is committed too.
 */
export function secretSource(raw: unknown, ctx: EvalContext): SecretSource {
  return worstOf(secretSources(raw, ctx)) ?? 'literal';
}

function secretSources(raw: unknown, ctx: EvalContext): SecretSource[] {
  if (typeof raw === 'string') {
    if (raw.includes('{{resolve:')) return ['dynamicReference'];
    // Empty text (a Join delimiter, an empty piece) holds no secret.
    return raw === '' ? [] : ['literal'];
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return ['literal'];
  if (Array.isArray(raw)) return raw.flatMap((r) => secretSources(r, ctx));
  if (!isRecord(raw)) return ['reference'];
  const keys = Object.keys(raw);
  const fn = keys.length === 1 ? keys[0]! : '';
  const arg = raw[fn];
  if (fn === 'Ref') return [typeof arg === 'string' ? nameSource(arg, ctx) : 'reference'];
  if (fn === 'Fn::Sub') {
    const template = Array.isArray(arg) ? arg[0] : arg;
    const vars = Array.isArray(arg) && isRecord(arg[1]) ? arg[1] : {};
    if (typeof template !== 'string') return ['reference'];
    // `{{resolve:secretsmanager:${Env}/google:...}}`: the variables only name the secret.
    if (isDynamicReference(template)) return ['dynamicReference'];
    const out: SecretSource[] = [];
    for (const m of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
      const name = m[1]!.trim();
      out.push(...(Object.hasOwn(vars, name) ? secretSources(vars[name], ctx) : name.includes('.') ? ['reference' as const] : [nameSource(name, ctx)]));
    }
    return out.length ? out : secretSources(template, ctx);
  }
  if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3) return secretSources(arg.slice(1), ctx);
  if (fn === 'Fn::Join' && Array.isArray(arg) && arg.length === 2) return secretSources(arg[1], ctx);
  if (fn === 'Fn::FindInMap' && Array.isArray(arg)) return mappingSources(arg, ctx);
  // The list of Fn::Select and the string of Fn::Split hold the secret, not the index or delimiter.
  if ((fn === 'Fn::Select' || fn === 'Fn::Split') && Array.isArray(arg) && arg.length === 2) return secretSources(arg[1], ctx);
  if (fn === 'Fn::Base64') return secretSources(arg, ctx);
  return ['reference'];
}

function nameSource(name: string, ctx: EvalContext): SecretSource {
  const param = ctx.parameters.get(name);
  if (!param) return 'reference';
  // An SSM parameter type holds the NAME of a Parameter Store parameter (its Default too);
  // CloudFormation reads the value at deploy time. Those types cannot read SecureString, so
  // the value is a plain String in Parameter Store, shown as the stack parameter's resolved
  // value: not in the template, but weaker than a dynamic reference.
  if (param.type.startsWith('AWS::SSM::Parameter::Value')) return 'ssmParameter';
  // A Default sits in the template file in plain text whether or not the parameter is NoEcho
  // and whatever value --param or the deployment passes instead. An empty Default holds nothing.
  if (param.default !== undefined && param.default !== '') return 'parameterDefault';
  return param.noEcho ? 'noEchoParameter' : 'parameter';
}

/**
 * `Fn::FindInMap`: the entry the keys select when they are known, else every entry they could
 * select (all of Mappings is in the template file). Plain text found there is `mapping`.
 */
function mappingSources(arg: unknown[], ctx: EvalContext): SecretSource[] {
  const key = (k: unknown): string | undefined => {
    const v = evaluate(k, ctx);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const pick = (node: unknown, k: unknown): unknown[] => {
    if (!isRecord(node)) return [];
    const known = key(k);
    if (known === undefined) return Object.values(node);
    return Object.hasOwn(node, known) ? [node[known]] : [];
  };
  const values = pick(ctx.mappings, arg[0])
    .flatMap((table) => pick(table, arg[1]))
    .flatMap((row) => pick(row, arg[2]));
  const out = values.flatMap((v) => secretSources(v, ctx)).map((s): SecretSource => (s === 'literal' ? 'mapping' : s));
  // The language extension's { DefaultValue: x } is written in the property itself.
  const fallback = arg[3];
  if (isRecord(fallback) && 'DefaultValue' in fallback) out.push(...secretSources(fallback.DefaultValue, ctx));
  return out.length ? out : ['reference'];
}

/** A raw template value of a ProviderDetails secret and its path below Properties. */
interface RawSecret {
  value: unknown;
  at: PathSegment[];
}

/**
 * The raw template values a secret key of ProviderDetails takes, through `Fn::If` around the
 * whole ProviderDetails (every branch: all are in the template).
 */
function rawSecrets(raw: unknown, key: string, at: PathSegment[]): RawSecret[] {
  if (!isRecord(raw)) return [];
  const keys = Object.keys(raw);
  if (keys.length === 1 && keys[0] === 'Fn::If') {
    const arg = raw['Fn::If'];
    if (!Array.isArray(arg) || arg.length !== 3) return [];
    return [1, 2].flatMap((i) => rawSecrets(arg[i], key, [...at, 'Fn::If', i]));
  }
  return Object.hasOwn(raw, key) ? [{ value: raw[key], at: [...at, key] }] : [];
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
  // The secret is judged on the raw template, whatever the evaluation gives: plain text in a
  // branch not taken, or in a parameter Default overridden at deploy time, is still committed.
  const secrets = IDP_SECRETS.flatMap((key) => rawSecrets(raw.ProviderDetails, key, ['ProviderDetails']));
  const judged = secrets.map(({ value, at }) => ({ at, source: secretSource(value, ctx) }));
  const source = worstOf(judged.map((j) => j.source));
  if (source !== undefined) {
    const at = judged.find((j) => j.source === source)!.at;
    s.set('clientSecret', { present: true, source }, at);
    s.position(s.out('clientSecret.source'), at);
  }
  if (details instanceof Unknown || (details !== undefined && !isRecord(details))) {
    // The reason of an unknown block never carries values, only names.
    s.unknown('providerDetails', details instanceof Unknown ? details.reason : 'ProviderDetails is not a mapping', 'ProviderDetails');
    if (source === undefined) s.unknown('clientSecret', 'ProviderDetails cannot be read statically', 'ProviderDetails');
    return;
  }
  if (details !== undefined) {
    const out: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(details as Record<string, Evaluated>)) {
      // Secrets are never copied; for the provider's secret only where it comes from is kept.
      if (SECRET_KEY.test(key)) continue;
      const path = s.out(`providerDetails.${key}`);
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
  if (source === undefined) s.set('clientSecret', { present: false }, 'ProviderDetails');
}

/** AWS::Cognito::UserPoolDomain -> cognito.userPoolDomain */
export function mapUserPoolDomain(s: Scope, t: Target): void {
  s.string('Domain', 'domain');
  s.string('UserPoolId', 'userPoolId');
  t.link('userPool', s.get('UserPoolId'), ['cognito.userPool']);
  s.string('CustomDomainConfig.CertificateArn', 'customDomainConfig.certificateArn');
  s.int('ManagedLoginVersion', 'managedLoginVersion');
}

/**
 * AWS::Cognito::UserPoolGroup -> cognito.userPoolGroup (ListGroups returns the same names). The
 * group's role is what an identity pool with Token role resolution hands its members.
 */
export function mapUserPoolGroup(s: Scope, t: Target): void {
  s.string('GroupName', 'groupName');
  s.string('UserPoolId', 'userPoolId');
  t.link('userPool', s.get('UserPoolId'), ['cognito.userPool']);
  s.string('Description', 'description');
  s.int('Precedence', 'precedence');
  s.string('RoleArn', 'roleArn');
  t.link('role', s.get('RoleArn'), ['iam.role']);
}

/** AWS::Cognito::IdentityPool -> cognito.identityPool */
export function mapIdentityPool(s: Scope, t: Target): void {
  s.string('IdentityPoolName', 'identityPoolName');
  s.bool('AllowUnauthenticatedIdentities', 'allowUnauthenticatedIdentities', IDENTITY_POOL_DEFAULTS.allowUnauthenticatedIdentities);
  s.bool('AllowClassicFlow', 'allowClassicFlow', IDENTITY_POOL_DEFAULTS.allowClassicFlow);
  s.objects('CognitoIdentityProviders', 'cognitoIdentityProviders', (item) => {
    item.string('ProviderName', 'providerName');
    item.string('ClientId', 'clientId');
    item.bool('ServerSideTokenCheck', 'serverSideTokenCheck', IDENTITY_POOL_DEFAULTS.serverSideTokenCheck);
    t.link('userPoolClients', item.get('ClientId'), ['cognito.userPoolClient']);
    t.link('userPools', item.get('ProviderName'), ['cognito.userPool']);
  });
  s.stringMap('SupportedLoginProviders', 'supportedLoginProviders');
  s.list('OpenIdConnectProviderARNs', 'openIdConnectProviderARNs');
  s.list('SamlProviderARNs', 'samlProviderARNs');
  s.string('DeveloperProviderName', 'developerProviderName');
}

/**
 * One AWS::Cognito::IdentityPoolPrincipalTag, appended to its pool's `principalTags`: which
 * token claims of one identity provider become session tags (attributes for access control).
 */
export function mapPrincipalTag(pool: Target, reader: PropertyReader): void {
  const list = (pool.properties.principalTags ??= []) as unknown[];
  const s = new Scope(reader, pool, [], `principalTags[${list.length}]`);
  list.push({});
  s.position(s.outPrefix, []);
  s.string('IdentityProviderName', 'identityProviderName');
  s.bool('UseDefaults', 'useDefaults');
  s.stringMap('PrincipalTags', 'principalTags');
}

/** One AWS::Cognito::IdentityPoolRoleAttachment: its name and its evaluated properties. */
export interface RoleAttachment {
  logicalId: string;
  reader: PropertyReader;
}

/**
 * The template role a value names (its ARN or name), if it names one: its resource id, and the
 * reference (logical id or address) a relation to it is linked by.
 */
export type RoleIdOf = (value: Evaluated) => { id: string; ref: string } | undefined;

/**
 * The AWS::Cognito::IdentityPoolRoleAttachments of one identity pool, merged into the pool.
 * Each attachment calls SetIdentityPoolRoles, which replaces the pool's whole role
 * configuration, so with several of them the one deployed last wins and that depends on
 * deployment order: then each attachment is kept in `roleAttachments` for rules to judge every
 * candidate, and `roles` and `roleMappings` are unresolved. Relations list every candidate role.
 */
export function mapRoleAttachments(pool: Target, attachments: readonly RoleAttachment[], roleIdOf: RoleIdOf): void {
  if (attachments.length === 1) {
    mapRoleAttachment(new Scope(attachments[0]!.reader, pool), pool, roleIdOf);
    return;
  }
  const why = `${attachments.length} IdentityPoolRoleAttachments (${attachments.map((a) => a.logicalId).join(', ')}) set the roles of this pool and the one deployed last wins: see roleAttachments`;
  pool.unresolved.roles = why;
  pool.unresolved.roleMappings = why;
  attachments.forEach(({ logicalId, reader }, i) => {
    const s = new Scope(reader, pool, [], `roleAttachments[${i}]`);
    s.set('attachment', logicalId, []);
    mapRoleAttachment(s, pool, roleIdOf);
  });
}

/**
 * One role attachment, written below the scope's prefix. A role of the template is written as
 * its resource id, so that the reference names the role whatever form the template used
 * (`!GetAtt Role.Arn`, `!Ref Role`, a `!Sub` naming it); any other role is kept as text (an
 * ARN, or a placeholder) and rules say whether it is among the inputs.
 */
function mapRoleAttachment(s: Scope, pool: Target, roleIdOf: RoleIdOf): void {
  // The relation lists exactly the roles the references name, so the two always agree.
  const roleRef = (scope: Scope, cfn: string, out: string, relation: string): void => {
    const value = scope.get(cfn);
    const role = value === undefined ? undefined : roleIdOf(value);
    if (role === undefined) {
      scope.string(cfn, out);
      return;
    }
    scope.set(out, role.id, cfn);
    const linked = pool.links.length;
    pool.link(relation, value, ['iam.role']);
    // A literal ARN (a plan's known value) names the role without a reference: link the role itself.
    if (pool.links.length === linked) pool.links.push({ relation, refs: [role.ref], kinds: ['iam.role'] });
  };
  const roles = s.get('Roles');
  if (roles instanceof Unknown) {
    s.unknown('roles', roles.reason, 'Roles');
  } else if (isRecord(roles)) {
    for (const key of Object.keys(roles)) {
      const name = key.toLowerCase();
      if (name !== 'authenticated' && name !== 'unauthenticated') continue;
      roleRef(s, ['Roles', key].join('.'), `roles.${name}`, `${name}Role`);
    }
  } else if (roles !== undefined) {
    // One reference standing for the whole map (a deploy-time value): which roles it holds is not known.
    s.unknown('roles', 'Roles is one value, not a map of role names to role ARNs, and is only known at deploy time', 'Roles');
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
        roleRef(rule, 'RoleARN', 'roleARN', 'mappedRoles');
      });
    }
  }
}
