import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';
import {
  CLOUDFORMATION_TAGS,
  loadCloudFormation,
  looksLikeCloudFormation,
  parseCloudFormation,
} from '../../src/loaders/cloudformation/index.js';
import { validatorFor } from '../../src/schemas.js';
import { errorLine } from '../helpers/errors.js';

const fixture = (name: string) => `test/fixtures/cloudformation/${name}`;
const load = (name: string, parameters?: Record<string, string | undefined>) =>
  loadCloudFormation(fixture(name), readFileSync(fixture(name), 'utf8'), parameters ? { parameters } : {});
const byName = (resources: Resource[], name: string): Resource => {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}`);
  return r;
};
const id = (file: string, logicalId: string) => `${fixture(file)}#${logicalId}`;

describe('CloudFormation loader: Cognito and IAM (YAML with short tags)', () => {
  const { resources, diagnostics } = load('cognito.yaml');

  it('maps known types, skips unknown types and resources whose Condition is false', () => {
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => [r.kind, r.name])).toEqual([
      ['cognito.userPool', 'UserPool'],
      ['cognito.userPoolClient', 'Client'],
      ['cognito.userPoolDomain', 'Domain'],
      ['cognito.identityPool', 'IdentityPool'],
      ['iam.role', 'AuthRole'],
      ['iam.policy', 'ManagedOne'],
      ['iam.policy', 'ExtraPolicy'],
      ['iam.role', 'OtherRole'],
    ]);
    expect(byName(resources, 'UserPool').id).toBe(id('cognito.yaml', 'UserPool'));
  });

  it('every resource matches its kind schema', () => {
    for (const r of resources) {
      const validate = validatorFor(`resources/${r.kind}.schema.json`);
      expect(validate(r.properties), `${r.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('normalizes user pool values, applies parameter Defaults and records AWS defaults', () => {
    const pool = byName(resources, 'UserPool');
    expect(pool.properties).toEqual({
      name: 'dev-pool',
      mfaConfiguration: 'OPTIONAL',
      policies: {
        passwordPolicy: {
          minimumLength: 12,
          requireLowercase: false,
          requireUppercase: false,
          requireNumbers: false,
          requireSymbols: true,
          temporaryPasswordValidityDays: 7,
        },
      },
      adminCreateUserConfig: { allowAdminCreateUserOnly: false },
      usernameConfiguration: { caseSensitive: true },
      userPoolAddOns: { advancedSecurityMode: 'OFF' },
      userPoolTier: 'ESSENTIALS',
      webAuthnConfiguration: { userVerification: 'preferred' },
      deletionProtection: 'INACTIVE',
      tags: { team: 'identity' },
    });
    expect(pool.defaults).toContain('policies.passwordPolicy.requireNumbers');
    expect(pool.defaults).toEqual(
      expect.arrayContaining(['usernameConfiguration.caseSensitive', 'userPoolAddOns.advancedSecurityMode', 'userPoolTier', 'deletionProtection']),
    );
    expect(pool.defaults).not.toContain('mfaConfiguration');
    expect(pool.unresolved).toEqual({});
  });

  it('records the line of each resource and of each property it read', () => {
    const pool = byName(resources, 'UserPool');
    expect(pool.source).toMatchObject({ kind: 'cloudformation', file: fixture('cognito.yaml'), pointer: '/Resources/UserPool', line: 22, column: 3 });
    const at = (r: Resource, path: string) => r.source.properties?.[path]?.line;
    // The value came from a parameter Default but points at the property in the resource.
    expect(at(pool, 'mfaConfiguration')).toBe(26);
    expect(at(pool, 'policies.passwordPolicy.minimumLength')).toBe(29);
    expect(at(pool, 'adminCreateUserConfig.allowAdminCreateUserOnly')).toBe(32);
    expect(at(pool, 'policies.passwordPolicy.requireNumbers')).toBeUndefined();
    const client = byName(resources, 'Client');
    expect(client.source.line).toBe(38);
    expect(at(client, 'accessTokenValiditySeconds')).toBe(43);
    expect(at(client, 'callbackURLs[1]')).toBe(51);
    expect(at(client, 'callbackURLs[3]')).toBe(53);
    expect(client.source.properties?.accessTokenValiditySeconds?.pointer).toBe('/Resources/Client/Properties/AccessTokenValidity');
  });

  it('computes token validity in seconds from TokenValidityUnits and defaults', () => {
    const client = byName(resources, 'Client').properties;
    expect(client.accessTokenValiditySeconds).toBe(30 * 60);
    expect(client.idTokenValiditySeconds).toBe(2 * 3600);
    expect(client.refreshTokenValiditySeconds).toBe(10 * 86400);
    expect(client.authSessionValidityMinutes).toBe(3);
    expect(byName(resources, 'Client').defaults).toEqual(['generateSecret', 'explicitAuthFlows', 'enableTokenRevocation', 'authSessionValidityMinutes']);
  });

  it('keeps placeholders in partially known URLs and marks unknown items null', () => {
    const client = byName(resources, 'Client');
    expect(client.properties.callbackURLs).toEqual([
      'https://app.example.com/cb',
      'https://${CallbackDomain}/cb',
      null,
      'http://localhost:3000/cb',
    ]);
    expect(client.unresolved).toEqual({ 'callbackURLs[2]': 'parameter CallbackDomain has no Default; pass --param CallbackDomain=...' });
    expect(client.properties.logoutURLs).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(client.properties.allowedOAuthFlows).toEqual(['code', 'implicit']);
    expect(client.properties.preventUserExistenceErrors).toBe('ENABLED');
  });

  it('links relations by reference', () => {
    const f = 'cognito.yaml';
    expect(byName(resources, 'Client').relations).toEqual({ userPool: [id(f, 'UserPool')] });
    expect(byName(resources, 'Domain').relations).toEqual({ userPool: [id(f, 'UserPool')] });
    const identityPool = byName(resources, 'IdentityPool');
    expect(identityPool.relations).toEqual({
      userPoolClients: [id(f, 'Client')],
      userPools: [id(f, 'UserPool')],
      authenticatedRole: [id(f, 'AuthRole')],
    });
    // A template role is written as its resource id; a literal role ARN is kept as text with no
    // relation: that role is not among the inputs.
    expect(identityPool.properties.roles).toEqual({ authenticated: id(f, 'AuthRole'), unauthenticated: 'arn:aws:iam::123456789012:role/guest' });
    expect(identityPool.source.properties?.['roles.unauthenticated']?.line).toBe(75);
    expect(identityPool.unresolved).toEqual({ allowUnauthenticatedIdentities: 'parameter AllowGuests has no Default; pass --param AllowGuests=...' });
    expect(byName(resources, 'ExtraPolicy').relations).toEqual({ roles: [id(f, 'AuthRole')] });
    // Attached through the role's ManagedPolicyArns only.
    expect(byName(resources, 'ManagedOne').relations).toEqual({ roles: [id(f, 'AuthRole')] });
  });

  it('gives a role its inline, attached, customer-managed and AWS managed policies', () => {
    const role = byName(resources, 'AuthRole');
    const policies = role.properties.policies as Array<{ name?: string; type: string; arn?: string; document?: { statements: unknown[] } }>;
    expect(policies.map((p) => [p.type, p.name ?? p.arn])).toEqual([
      ['inline', 'inline'],
      ['inline', 'extra'],
      ['awsManaged', 'AmazonS3ReadOnlyAccess'],
      // No ManagedPolicyName: the logical id stands in for the generated name.
      ['managed', 'ManagedOne'],
    ]);
    expect(policies[0]?.document?.statements).toEqual([
      { effect: 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::bucket/${cognito-identity.amazonaws.com:sub}/*'] },
    ]);
    expect(policies[2]?.arn).toBe('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(policies[3]?.document?.statements).toEqual([{ effect: 'Allow', action: ['dynamodb:*'], resource: ['*'] }]);
    expect(role.relations.policies).toEqual([id('cognito.yaml', 'ExtraPolicy'), id('cognito.yaml', 'ManagedOne')]);
    expect(role.source.properties?.['policies[2]']?.line).toBe(95);
    expect(role.unresolved).toEqual({});
    const other = byName(resources, 'OtherRole');
    expect(other.unresolved).toEqual({ policies: 'managed policy arn:aws:iam::123456789012:policy/customer-managed is not in the inputs' });
    expect((other.properties.assumeRolePolicy as { statements: Array<{ principal: unknown }> }).statements[0]?.principal).toEqual({ aws: ['*'] });
  });

  it('user-supplied parameters override Defaults and decide conditions', () => {
    const prod = load('cognito.yaml', { Stage: 'prod', MfaMode: 'ON', AllowGuests: 'true', CallbackDomain: 'auth.example.com' });
    expect(byName(prod.resources, 'ProdOnlyPool').properties.mfaConfiguration).toBe('OFF');
    const pool = byName(prod.resources, 'UserPool');
    expect(pool.properties.name).toBe('prod-pool');
    expect(pool.properties.mfaConfiguration).toBe('ON');
    expect(pool.properties.adminCreateUserConfig).toEqual({ allowAdminCreateUserOnly: true });
    const client = byName(prod.resources, 'Client');
    expect(client.properties.callbackURLs).toEqual(['https://app.example.com/cb', 'https://auth.example.com/cb', 'auth.example.com']);
    expect(client.unresolved).toEqual({});
    expect(byName(prod.resources, 'IdentityPool').properties.allowUnauthenticatedIdentities).toBe(true);
  });
});

describe('CloudFormation loader: competing IdentityPoolRoleAttachments', () => {
  const file = 'two-attachments.yaml';
  const template = `
Resources:
  Pool: { Type: AWS::Cognito::IdentityPool, Properties: { AllowUnauthenticatedIdentities: true } }
  ReadRole: { Type: AWS::IAM::Role, Properties: { RoleName: read, AssumeRolePolicyDocument: {} } }
  AdminRole: { Type: AWS::IAM::Role, Properties: { RoleName: admin, AssumeRolePolicyDocument: {} } }
  FirstRoles:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles: { unauthenticated: !GetAtt ReadRole.Arn, authenticated: !GetAtt ReadRole.Arn }
      RoleMappings:
        users:
          IdentityProvider: cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client
          Type: Rules
          AmbiguousRoleResolution: Deny
          RulesConfiguration:
            Rules: [{ Claim: "cognito:groups", MatchType: Contains, Value: admins, RoleARN: !GetAtt AdminRole.Arn }]
  SecondRoles:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles: { unauthenticated: !ImportValue SharedGuestRoleArn }
      RoleMappings:
        users:
          IdentityProvider: cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client
          Type: Token
          AmbiguousRoleResolution: AuthenticatedRole
`;
  const { resources } = loadCloudFormation(file, template);
  const pool = byName(resources, 'Pool');

  it('two attachments on one pool: each is kept in roleAttachments with its role mappings, roles and roleMappings are unresolved', () => {
    expect(pool.properties.roles).toBeUndefined();
    expect(pool.properties.roleMappings).toBeUndefined();
    const why = '2 IdentityPoolRoleAttachments (FirstRoles, SecondRoles) set the roles of this pool and the one deployed last wins: see roleAttachments';
    expect(pool.unresolved).toEqual({
      roles: why,
      roleMappings: why,
      'roleAttachments[1].roles.unauthenticated': 'Fn::ImportValue SharedGuestRoleArn is an export of another stack',
    });
    expect(pool.properties.roleAttachments).toEqual([
      {
        attachment: 'FirstRoles',
        roles: { unauthenticated: `${file}#ReadRole`, authenticated: `${file}#ReadRole` },
        roleMappings: {
          users: {
            type: 'Rules',
            ambiguousRoleResolution: 'Deny',
            rulesConfiguration: { rules: [{ claim: 'cognito:groups', matchType: 'Contains', value: 'admins', roleARN: `${file}#AdminRole` }] },
          },
        },
      },
      { attachment: 'SecondRoles', roleMappings: { users: { type: 'Token', ambiguousRoleResolution: 'AuthenticatedRole' } } },
    ]);
    expect(pool.source.properties?.['roleAttachments[1].roles.unauthenticated']?.line).toBe(22);
    expect(pool.source.properties?.['roleAttachments[0].roleMappings.users']?.line).toBe(12);
  });

  it('two attachments on one pool: relations list every candidate role', () => {
    expect(pool.relations).toEqual({
      unauthenticatedRole: [`${file}#ReadRole`],
      authenticatedRole: [`${file}#ReadRole`],
      mappedRoles: [`${file}#AdminRole`],
    });
  });

  it('two attachments on one pool: the pool matches its kind schema', () => {
    const validate = validatorFor('resources/cognito.identityPool.schema.json');
    expect(validate(pool.properties), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('CloudFormation loader: identity provider secrets', () => {
  const { resources, diagnostics } = load('identity-providers.yaml');

  it('never copies a secret, and says where each client secret comes from', () => {
    const sources = Object.fromEntries(
      resources.filter((r) => r.kind === 'cognito.identityProvider').map((r) => [r.name, r.properties.clientSecret]),
    );
    expect(sources).toEqual({
      Literal: { present: true, source: 'literal' },
      FromDefault: { present: true, source: 'parameterDefault' },
      FromNoEcho: { present: true, source: 'noEchoParameter' },
      FromSecretsManager: { present: true, source: 'dynamicReference' },
      Apple: { present: true, source: 'literal' },
    });
    expect(byName(resources, 'Literal').properties.providerDetails).toEqual({ client_id: 'literal-client-id', authorize_scopes: 'openid email' });
    expect(byName(resources, 'Literal').source.properties?.clientSecret?.line).toBe(19);
    const supplied = load('identity-providers.yaml', { GoogleSecret: 'fixture-supplied-secret-value', HiddenSecret: 'fixture-hidden-secret-value' });
    // The Default is still in the template file, whatever value is passed at deploy time.
    expect(byName(supplied.resources, 'FromDefault').properties.clientSecret).toEqual({ present: true, source: 'parameterDefault' });
    const everything = JSON.stringify([resources, diagnostics, supplied]);
    for (const secret of [
      'fixture-literal-secret-value',
      'fixture-default-secret-value',
      'fixture-supplied-secret-value',
      'fixture-hidden-secret-value',
      'fixture-apple-private-key-value',
      'idp/amazon',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('Sign in with Apple: a plain-text private_key is a plain-text secret, never copied', () => {
    const apple = byName(resources, 'Apple');
    expect(apple.properties.clientSecret).toEqual({ present: true, source: 'literal' });
    expect(apple.source.properties?.clientSecret?.pointer).toBe('/Resources/Apple/Properties/ProviderDetails/private_key');
    expect(apple.properties.providerDetails).toEqual({ client_id: 'apple', team_id: 'TEAM', key_id: 'KEY' });
  });

  it('a resource whose Properties is not a mapping gives a warning and unresolved properties', () => {
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'cloudformation-properties-not-a-mapping',
        message: 'resource Broken: Properties must be a mapping; its properties are unknown',
        file: fixture('identity-providers.yaml'),
        line: 62,
        column: 5,
      },
    ]);
    const broken = byName(resources, 'Broken');
    expect(broken.kind).toBe('cognito.userPoolClient');
    expect(broken.properties).toEqual({});
    expect(broken.unresolved.generateSecret).toBe('Properties of Broken is not a mapping');
    expect(broken.defaults).toEqual([]);
  });
});

describe('CloudFormation loader: API Gateway (JSON)', () => {
  const { resources, diagnostics } = load('api.json');
  const f = 'api.json';

  it('every resource matches its kind schema', () => {
    expect(diagnostics).toEqual([]);
    for (const r of resources) {
      const validate = validatorFor(`resources/${r.kind}.schema.json`);
      expect(validate(r.properties), `${r.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('turns an OpenAPI Body into one method per path and verb, with its authorization', () => {
    const methods = resources.filter((r) => r.id.startsWith(`${id(f, 'Api')}/`) && r.kind === 'apigateway.method');
    expect(methods.map((m) => [m.name, m.properties.authorizationType, m.properties.apiKeyRequired, m.properties.corsPreflight])).toEqual([
      ['Api GET /pets', 'COGNITO_USER_POOLS', false, false],
      ['Api OPTIONS /pets', 'NONE', false, true],
      ['Api ANY /pets', 'AWS_IAM', false, false],
      ['Api POST /public', 'NONE', false, false],
      ['Api DELETE /public', 'CUSTOM', true, false],
    ]);
    const get = methods[0]!;
    expect(get.id).toBe(`${id(f, 'Api')}/GET /pets`);
    expect(get.properties).toMatchObject({ resourcePath: '/pets', httpMethod: 'GET', authorizationScopes: ['pets/read'], integrationType: 'AWS_PROXY' });
    expect(get.relations).toEqual({ restApi: [id(f, 'Api')], authorizer: [`${id(f, 'Api')}/authorizer/CognitoAuth`] });
    expect(get.source.line).toBe(11);
    expect(get.source.properties?.authorizationType?.line).toBe(12);
    const authorizer = byName(resources, 'Api authorizer CognitoAuth');
    expect(authorizer.kind).toBe('apigateway.authorizer');
    expect(authorizer.relations.userPools).toEqual([id(f, 'Pool')]);
  });

  it('maps template methods, authorizers, stages and HTTP API resources', () => {
    const method = byName(resources, 'GetPet');
    expect(method.properties).toEqual({
      restApiId: '${Api}',
      resourcePath: '/pets/{id}',
      httpMethod: 'GET',
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: '${Authorizer}',
      apiKeyRequired: false,
      integrationType: 'AWS_PROXY',
      corsPreflight: false,
      validateRequestBody: false,
      validateRequestParameters: false,
    });
    expect(method.relations).toEqual({ restApi: [id(f, 'Api')], authorizer: [id(f, 'Authorizer')] });
    expect(method.defaults).toEqual(['apiKeyRequired', 'validateRequestBody', 'validateRequestParameters']);
    expect(byName(resources, 'Authorizer').relations).toEqual({ restApi: [id(f, 'Api')], userPools: [id(f, 'Pool')] });
    expect(byName(resources, 'TokenAuthorizer').properties.authorizerResultTtlInSeconds).toBe(300);
    expect(byName(resources, 'TokenAuthorizer').defaults).toEqual(['authorizerResultTtlInSeconds']);
    expect(byName(resources, 'Stage').properties).toEqual({ restApiId: '${Api}', stageName: 'prod', tracingEnabled: true, cacheClusterEnabled: false });
    expect(byName(resources, 'Pool').properties.mfaConfiguration).toBe('ON');
    const jwt = byName(resources, 'JwtAuthorizer');
    expect(jwt.properties.jwtConfiguration).toEqual({ audience: ['client-id'], issuer: 'https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}' });
    expect(jwt.relations).toEqual({ api: [id(f, 'HttpApi')], userPools: [id(f, 'Pool')] });
    expect(byName(resources, 'Route').relations).toEqual({ api: [id(f, 'HttpApi')], authorizer: [id(f, 'JwtAuthorizer')] });
    expect(byName(resources, 'Route').properties.authorizationType).toBe('JWT');
    expect(byName(resources, 'OpenRoute').properties.authorizationType).toBe('NONE');
    expect(byName(resources, 'OpenRoute').defaults).toEqual(['authorizationType']);
    expect(byName(resources, 'HttpStage').properties.defaultRouteSettings).toEqual({ throttlingBurstLimit: 10, throttlingRateLimit: 2.5 });
  });
});

describe('CloudFormation loader: SAM', () => {
  const text = [
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    '  Api:',
    '    Auth:',
    '      DefaultAuthorizer: Cognito',
    '      Authorizers:',
    '        Cognito: { UserPoolArn: !GetAtt Pool.Arn }',
    'Resources:',
    '  Pool:',
    '    Type: AWS::Cognito::UserPool',
    '  Fn:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Events:',
    '        Private: { Type: Api, Properties: { Path: /me, Method: get } }',
    '        Public:',
    '          Type: Api',
    '          Properties: { Path: /health, Method: any, Auth: { Authorizer: NONE } }',
    '        Broken: { Type: Api, Properties: { Path: /x, Method: get, Auth: { Authorizer: Missing } } }',
    '        Queue: { Type: SQS, Properties: { Queue: arn } }',
    '',
  ].join('\n');
  const { resources, diagnostics } = loadCloudFormation('sam.yaml', text);

  it('creates the implicit API and applies Globals.Api.Auth to function events', () => {
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => r.name)).toEqual(['Pool', 'ServerlessRestApi', 'ServerlessRestApi GET /me', 'ServerlessRestApi ANY /health', 'ServerlessRestApi GET /x']);
    const me = byName(resources, 'ServerlessRestApi GET /me');
    expect(me.properties).toMatchObject({ authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'Cognito', resourcePath: '/me' });
    expect(me.source.line).toBe(15);
    expect(byName(resources, 'ServerlessRestApi ANY /health').properties.authorizationType).toBe('NONE');
    const broken = byName(resources, 'ServerlessRestApi GET /x');
    expect(broken.properties.authorizationType).toBeUndefined();
    expect(broken.unresolved.authorizationType).toBe('authorizer Missing is not defined in Auth.Authorizers of ServerlessRestApi');
  });
});

describe('CloudFormation parsing', () => {
  it('resolves short tags to the long form', () => {
    const doc = parseCloudFormation('t.yaml', 'a: !GetAtt A.B.C\nb: !Ref X\nc: !If [C, !Sub "x", !Condition D]\n');
    expect(doc.value).toEqual({ a: { 'Fn::GetAtt': ['A', 'B.C'] }, b: { Ref: 'X' }, c: { 'Fn::If': ['C', { 'Fn::Sub': 'x' }, { Condition: 'D' }] } });
    expect(CLOUDFORMATION_TAGS.length).toBeGreaterThan(0);
  });

  it('a syntax error is an InputError with file, line and column', () => {
    expect(errorLine(() => loadCloudFormation('bad.yaml', 'Resources:\n  A:\n    Type: [unclosed\n'))).toMatch(/^bad\.yaml:\d+:\d+: syntax error/);
    expect(errorLine(() => loadCloudFormation('bad.json', '{"Resources": {"A": }'))).toMatch(/^bad\.json:1:\d+: syntax error/);
  });

  it('a tag on the wrong kind of node is an InputError with its line', () => {
    const text = 'Resources:\n  A:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      UserPoolName: !Ref [a, b]\n';
    expect(errorLine(() => loadCloudFormation('tag.yaml', text))).toBe('tag.yaml:5:21: syntax error: !Ref takes a scalar');
    expect(errorLine(() => loadCloudFormation('tag.yaml', 'Resources:\n  A: !GetAtt nodot\n'))).toMatch(/^tag\.yaml:2:6: .*!GetAtt takes/);
  });

  it('a document without Resources is not CloudFormation', () => {
    expect(looksLikeCloudFormation({ service: 'x', resources: { Resources: {} } })).toBe(false);
    expect(looksLikeCloudFormation({ Resources: { A: { Type: 'AWS::SNS::Topic' } } })).toBe(true);
    expect(looksLikeCloudFormation({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} })).toBe(true);
    expect(looksLikeCloudFormation({ Resources: { A: { kind: 'x' } } })).toBe(false);
    expect(errorLine(() => loadCloudFormation('x.yaml', 'a: 1\n'))).toBe('x.yaml:1:1: not a CloudFormation template: there is no Resources mapping');
  });
});

describe('CloudFormation loader: identity provider secret sources through intrinsics', () => {
  const file = 'idp-secret-sources.yaml';
  const passed = { Stage: 'prod', SecretWithDefault: 'fixture-passed-value', SecretSupplied: 'fixture-supplied-value' };
  const sources = (parameters?: Record<string, string>) =>
    Object.fromEntries(
      load(file, parameters)
        .resources.filter((r) => r.kind === 'cognito.identityProvider')
        .map((r) => [r.name, (r.properties.clientSecret as { source?: string }).source]),
    );
  // Plain text in the template file is judged the same whatever is passed at deploy time.
  const expected = {
    FindInMapKnownKeys: 'mapping',
    FindInMapUnknownKey: 'mapping',
    FindInMapDynamicReference: 'dynamicReference',
    IfAroundDetailsUnknownCondition: 'literal',
    IfAroundDetailsKnownCondition: 'literal',
    IfAroundSecret: 'literal',
    NoEchoWithDefault: 'parameterDefault',
    EmptyDefault: 'noEchoParameter',
    SubOfParameter: 'noEchoParameter',
    SubBuildsDynamicReference: 'dynamicReference',
    SsmParameterType: 'ssmParameter',
    SsmSecure: 'dynamicReference',
    AppleLiteralKey: 'literal',
    AppleKeyFromSecretsManager: 'dynamicReference',
    SelectFromSuppliedList: 'noEchoParameter',
  };

  it('Fn::FindInMap from Mappings, Fn::If around ProviderDetails or the secret, NoEcho Default: judged from the template', () => {
    expect(sources()).toEqual(expected);
  });

  it('every resource matches its kind schema', () => {
    for (const r of [...load(file).resources, ...load('token-validity.yaml').resources]) {
      const validate = validatorFor(`resources/${r.kind}.schema.json`);
      expect(validate(r.properties), `${r.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('--param over a parameter with a plain-text Default leaves it parameterDefault; conditions decided by --param change nothing', () => {
    expect(sources(passed)).toEqual(expected);
  });

  it('points at the plain-text secret inside the Fn::If branch that holds it', () => {
    const { resources } = load(file);
    expect(byName(resources, 'IfAroundDetailsUnknownCondition').source.properties?.clientSecret?.pointer).toBe(
      '/Resources/IfAroundDetailsUnknownCondition/Properties/ProviderDetails/Fn::If/2/client_secret',
    );
    expect(byName(resources, 'IfAroundDetailsKnownCondition').source.properties?.clientSecret?.pointer).toBe(
      '/Resources/IfAroundDetailsKnownCondition/Properties/ProviderDetails/Fn::If/2/client_secret',
    );
    // The condition is unknown without --param Stage: ProviderDetails is, the secret's source is not.
    expect(byName(resources, 'IfAroundDetailsUnknownCondition').unresolved).toEqual({
      providerDetails: 'parameter Stage has no Default; pass --param Stage=...',
    });
  });
});

describe('CloudFormation loader: token validity', () => {
  const file = 'token-validity.yaml';
  const client = (name: string, parameters?: Record<string, string>) => byName(load(file, parameters).resources, name);

  it('RefreshTokenValidity: 0 is Cognito\'s 30-day default, whatever the unit', () => {
    for (const name of ['RefreshZero', 'RefreshZeroHours']) {
      expect(client(name).properties.refreshTokenValiditySeconds, name).toBe(30 * 86400);
      expect(client(name).properties.invalidValidity, name).toBeUndefined();
    }
  });

  it('AccessTokenValidity: 60 in the default hours is out of range, with the minutes fix; the lifetime is unresolved', () => {
    const c = client('AccessSixtyHours');
    const problem =
      'AccessTokenValidity 60 (hours, the default unit) is 60 hours, outside the allowed 5 minutes to 1 day, so the deployment would fail; ' +
      'if 60 minutes was meant, set TokenValidityUnits: { AccessToken: minutes }';
    expect(c.properties.invalidValidity).toEqual([{ property: 'accessTokenValiditySeconds', problem }]);
    expect(c.properties.accessTokenValiditySeconds).toBeUndefined();
    expect(c.unresolved).toEqual({ accessTokenValiditySeconds: problem });
    expect(c.source.properties?.['invalidValidity[0].problem']?.pointer).toBe('/Resources/AccessSixtyHours/Properties/AccessTokenValidity');
    // IdTokenValidity 60 with IdToken: minutes is the hour it says.
    expect(c.properties.idTokenValiditySeconds).toBe(3600);
    expect(client('AccessSixtyMinutes').properties.accessTokenValiditySeconds).toBe(3600);
  });

  it('the range ends are valid: 5 minutes and 1 day, 10 years, AuthSessionValidity 15', () => {
    const c = client('Edges');
    expect(c.properties.invalidValidity).toBeUndefined();
    expect([c.properties.accessTokenValiditySeconds, c.properties.idTokenValiditySeconds, c.properties.refreshTokenValiditySeconds, c.properties.authSessionValidityMinutes]).toEqual([
      300, 86400, 3650 * 86400, 15,
    ]);
  });

  it('too short and too long: access token 0, ID token 4 minutes, refresh 30 minutes, 5000 days, auth session 2 and 60', () => {
    const problems = (name: string) => (client(name).properties.invalidValidity as Array<{ property: string; problem: string }>).map((i) => `${i.property}: ${i.problem}`);
    expect(problems('TooShort')).toEqual([
      'accessTokenValiditySeconds: AccessTokenValidity 0 (hours, the default unit) is 0 hours, outside the allowed 5 minutes to 1 day, so the deployment would fail; set AccessTokenValidity to a duration from 5 minutes to 1 day in its TokenValidityUnits.AccessToken',
      'idTokenValiditySeconds: IdTokenValidity 4 (minutes) is 4 minutes, outside the allowed 5 minutes to 1 day, so the deployment would fail; if 4 hours was meant, set TokenValidityUnits: { IdToken: hours }',
      'refreshTokenValiditySeconds: RefreshTokenValidity 30 (minutes) is 30 minutes, outside the allowed 60 minutes to 10 years, so the deployment would fail; if 30 hours was meant, set TokenValidityUnits: { RefreshToken: hours }',
      'authSessionValidityMinutes: AuthSessionValidity 2 is outside the allowed 3 to 15 minutes, so the deployment would fail; set AuthSessionValidity: 3',
    ]);
    expect(problems('TooLong')).toEqual([
      'accessTokenValiditySeconds: AccessTokenValidity 3600 (hours, the default unit) is 3600 hours, outside the allowed 5 minutes to 1 day, so the deployment would fail; if 3600 seconds was meant, set TokenValidityUnits: { AccessToken: seconds }',
      'refreshTokenValiditySeconds: RefreshTokenValidity 5000 (days, the default unit) is 5000 days, outside the allowed 60 minutes to 10 years, so the deployment would fail; if 5000 hours was meant, set TokenValidityUnits: { RefreshToken: hours }',
      'authSessionValidityMinutes: AuthSessionValidity 60 is outside the allowed 3 to 15 minutes, so the deployment would fail; set AuthSessionValidity: 3',
    ]);
    expect(client('TooLong').properties.authSessionValidityMinutes).toBeUndefined();
  });

  it('a value from --param is judged like a literal: AccessMinutes=90 in hours is out of range', () => {
    expect(client('FromParameter').unresolved.accessTokenValiditySeconds).toBe('parameter AccessMinutes has no Default; pass --param AccessMinutes=...');
    const c = client('FromParameter', { AccessMinutes: '90' });
    expect((c.properties.invalidValidity as Array<{ problem: string }>)[0]!.problem).toMatch(/^AccessTokenValidity 90 \(hours, the default unit\) is 90 hours, .* if 90 minutes was meant/);
  });
});

describe('CloudFormation loader: API Gateway operations an API defines itself', () => {
  const schemaValid = (resources: Resource[]): void => {
    for (const r of resources) {
      const validate = validatorFor(`resources/${r.kind}.schema.json`);
      expect(validate(r.properties), `${r.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  };

  it('an HTTP API quick-created with Target has one open $default route, or the route RouteKey names', () => {
    const text = [
      'Resources:',
      '  Quick:',
      '    Type: AWS::ApiGatewayV2::Api',
      '    Properties: { ProtocolType: HTTP, Target: arn:aws:lambda:us-east-1:1:function:f, CredentialsArn: arn:aws:iam::1:role/r }',
      '  Keyed:',
      '    Type: AWS::ApiGatewayV2::Api',
      '    Properties:',
      '      ProtocolType: HTTP',
      '      RouteKey: POST /orders',
      '      Target: arn:aws:lambda:us-east-1:1:function:f',
      '',
    ].join('\n');
    const { resources, diagnostics } = loadCloudFormation('quick.yaml', text);
    expect(diagnostics).toEqual([]);
    schemaValid(resources);
    const routes = resources.filter((r) => r.kind === 'apigatewayv2.route');
    expect(routes.map((r) => [r.name, r.properties])).toEqual([
      ['Quick $default', { apiId: '${Quick}', routeKey: '$default', protocolType: 'HTTP', authorizationType: 'NONE' }],
      ['Keyed POST /orders', { apiId: '${Keyed}', routeKey: 'POST /orders', protocolType: 'HTTP', authorizationType: 'NONE' }],
    ]);
    expect(routes[0]!.relations).toEqual({ api: ['quick.yaml#Quick'] });
    expect(routes[1]!.source.line).toBe(10);
  });

  it('an HTTP API OpenAPI Body becomes routes and apigatewayv2 authorizers; any-method on /$default is the $default route', () => {
    const text = [
      'Resources:',
      '  Pool: { Type: AWS::Cognito::UserPool }',
      '  Http:',
      '    Type: AWS::ApiGatewayV2::Api',
      '    Properties:',
      '      Body:',
      '        openapi: 3.0.1',
      '        security: [{ jwt: [orders/read] }]',
      '        components:',
      '          securitySchemes:',
      '            jwt:',
      '              type: oauth2',
      '              x-amazon-apigateway-authorizer:',
      '                type: jwt',
      '                identitySource: $request.header.Authorization',
      '                jwtConfiguration: { issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}", audience: [app] }',
      '            lambda:',
      '              type: apiKey',
      '              x-amazon-apigateway-authorizer: { type: request, identitySource: "$request.header.A, $request.querystring.b", authorizerUri: arn }',
      '        paths:',
      '          /orders:',
      '            get: {}',
      '            post: { security: [{ lambda: [] }] }',
      '            x-amazon-apigateway-any-method: { security: [] }',
      '          /$default:',
      '            x-amazon-apigateway-any-method: {}',
      '',
    ].join('\n');
    const { resources, diagnostics } = loadCloudFormation('http.yaml', text);
    expect(diagnostics).toEqual([]);
    schemaValid(resources);
    // `security: []` opts ANY /orders out of the global requirement.
    expect(byName(resources, 'Http').properties).toEqual({
      protocolType: 'HTTP',
      disableExecuteApiEndpoint: false,
      openApi: { securitySchemes: ['jwt', 'lambda'], weakSecuritySchemes: [], operationsWithoutSecurity: ['ANY /orders'] },
    });
    expect(byName(resources, 'Http').defaults).toEqual(['protocolType', 'disableExecuteApiEndpoint']);
    const routes = resources.filter((r) => r.kind === 'apigatewayv2.route');
    expect(routes.map((r) => [r.properties.routeKey, r.properties.authorizationType, r.properties.authorizerId ?? null])).toEqual([
      ['GET /orders', 'JWT', 'jwt'],
      ['POST /orders', 'CUSTOM', 'lambda'],
      ['ANY /orders', 'NONE', null],
      ['$default', 'JWT', 'jwt'],
    ]);
    expect(routes[0]!.properties.authorizationScopes).toEqual(['orders/read']);
    expect(routes[0]!.relations).toEqual({ api: ['http.yaml#Http'], authorizer: ['http.yaml#Http/authorizer/jwt'] });
    const jwt = byName(resources, 'Http authorizer jwt');
    expect(jwt.kind).toBe('apigatewayv2.authorizer');
    expect(jwt.properties).toMatchObject({ authorizerType: 'JWT', identitySource: ['$request.header.Authorization'], jwtConfiguration: { audience: ['app'] } });
    expect(jwt.relations.userPools).toEqual(['http.yaml#Pool']);
    expect(byName(resources, 'Http authorizer lambda').properties).toMatchObject({
      authorizerType: 'REQUEST',
      identitySource: ['$request.header.A', '$request.querystring.b'],
      authorizerResultTtlInSeconds: 300,
    });
  });

  it('BodyS3Location of a REST or an HTTP API gives one operation whose route and authorization are unknown', () => {
    const text = [
      'Resources:',
      '  Rest:',
      '    Type: AWS::ApiGateway::RestApi',
      '    Properties: { BodyS3Location: { Bucket: b, Key: k } }',
      '  Http:',
      '    Type: AWS::ApiGatewayV2::Api',
      '    Properties: { BodyS3Location: { Bucket: b, Key: k } }',
      '',
    ].join('\n');
    const { resources } = loadCloudFormation('s3.yaml', text);
    schemaValid(resources);
    const reason = 'the OpenAPI definition is in S3 (BodyS3Location), not in the inputs';
    const methods = byName(resources, 'Rest methods (BodyS3Location)');
    expect(methods.kind).toBe('apigateway.method');
    expect(methods.unresolved).toEqual({ resourcePath: reason, httpMethod: reason, authorizationType: reason, validateRequestBody: reason, validateRequestParameters: reason });
    expect(byName(resources, 'Rest').unresolved).toMatchObject({ 'openApi.securitySchemes': reason, 'openApi.operationsWithoutSecurity': reason });
    expect(methods.source.line).toBe(4);
    const routes = byName(resources, 'Http routes (BodyS3Location)');
    expect(routes.kind).toBe('apigatewayv2.route');
    expect(routes.unresolved).toEqual({ routeKey: reason, authorizationType: reason });
  });

  it('SAM HttpApi: authorizers, DefaultAuthorizer, Globals.HttpApi.Auth, and an event with no Path or Method is the $default route', () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  HttpApi:',
      '    Auth:',
      '      DefaultAuthorizer: Jwt',
      '      Authorizers:',
      '        Jwt: { JwtConfiguration: { issuer: https://issuer.example.com, audience: [a] }, IdentitySource: $request.header.Authorization }',
      'Resources:',
      '  Explicit:',
      '    Type: AWS::Serverless::HttpApi',
      '    Properties:',
      '      Auth:',
      '        Authorizers:',
      '          Lambda: { FunctionArn: arn:aws:lambda:us-east-1:1:function:auth, EnableSimpleResponses: true }',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Events:',
      '        CatchAll: { Type: HttpApi }',
      '        Open: { Type: HttpApi, Properties: { Path: /health, Method: GET, Auth: { Authorizer: NONE } } }',
      '        Lambda: { Type: HttpApi, Properties: { ApiId: !Ref Explicit, Path: /orders, Method: post, Auth: { Authorizer: Lambda } } }',
      '        Defaulted: { Type: HttpApi, Properties: { ApiId: !Ref Explicit, Path: /orders, Method: get } }',
      '',
    ].join('\n');
    const { resources, diagnostics } = loadCloudFormation('sam-http.yaml', text);
    expect(diagnostics).toEqual([]);
    schemaValid(resources);
    expect(resources.map((r) => `${r.kind} ${r.name}`)).toEqual([
      // Authorizers that come from Globals are not resources of their own (as for SAM Api).
      'apigatewayv2.api Explicit',
      'apigatewayv2.authorizer Explicit authorizer Lambda',
      'apigatewayv2.api ServerlessHttpApi',
      'apigatewayv2.route ServerlessHttpApi $default',
      'apigatewayv2.route ServerlessHttpApi GET /health',
      'apigatewayv2.route Explicit POST /orders',
      'apigatewayv2.route Explicit GET /orders',
    ]);
    expect(byName(resources, 'ServerlessHttpApi $default').properties).toMatchObject({ routeKey: '$default', authorizationType: 'JWT', authorizerId: 'Jwt' });
    expect(byName(resources, 'ServerlessHttpApi GET /health').properties.authorizationType).toBe('NONE');
    expect(byName(resources, 'Explicit POST /orders').properties).toMatchObject({ authorizationType: 'CUSTOM', authorizerId: 'Lambda' });
    expect(byName(resources, 'Explicit POST /orders').relations.authorizer).toEqual(['sam-http.yaml#Explicit/authorizer/Lambda']);
    expect(byName(resources, 'Explicit GET /orders').properties).toMatchObject({ authorizationType: 'JWT', authorizerId: 'Jwt' });
    expect(byName(resources, 'Explicit authorizer Lambda').properties).toMatchObject({ authorizerType: 'REQUEST', enableSimpleResponses: true });
  });

  it('a SAM DefinitionUri (S3 or a packaged file) gives unknown operations', () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Rest:',
      '    Type: AWS::Serverless::Api',
      '    Properties: { StageName: prod, DefinitionUri: { Bucket: b, Key: k } }',
      '  Http:',
      '    Type: AWS::Serverless::HttpApi',
      '    Properties: { DefinitionUri: ./api.yaml }',
      '',
    ].join('\n');
    const { resources } = loadCloudFormation('uri.yaml', text);
    expect(byName(resources, 'Rest methods (DefinitionUri)').unresolved.authorizationType).toBe('the OpenAPI definition is in S3, not in the inputs');
    expect(byName(resources, 'Http routes (DefinitionUri)').unresolved.routeKey).toBe(
      'the OpenAPI definition is in a file (./api.yaml) the template is packaged with, not in the inputs',
    );
  });

  it('a Route resource carries the protocol of its API, unresolved when the API is not in the template', () => {
    const text = [
      'Resources:',
      '  Ws: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: websocket } }',
      '  Connect: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Ws, RouteKey: $connect } }',
      '  Elsewhere: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !ImportValue api, RouteKey: $default } }',
      '',
    ].join('\n');
    const { resources } = loadCloudFormation('ws.yaml', text);
    expect(byName(resources, 'Connect').properties.protocolType).toBe('WEBSOCKET');
    expect(byName(resources, 'Connect').source.properties?.protocolType?.line).toBe(3);
    expect(byName(resources, 'Elsewhere').properties.protocolType).toBeUndefined();
    expect(byName(resources, 'Elsewhere').unresolved.protocolType).toBe('Fn::ImportValue api is an export of another stack');
  });
});
