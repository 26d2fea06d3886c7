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
      tags: { team: 'identity' },
    });
    expect(pool.defaults).toContain('policies.passwordPolicy.requireNumbers');
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
      ['managed', undefined],
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
      Apple: { present: false },
    });
    expect(byName(resources, 'Literal').properties.providerDetails).toEqual({ client_id: 'literal-client-id', authorize_scopes: 'openid email' });
    expect(byName(resources, 'Literal').source.properties?.clientSecret?.line).toBe(19);
    const supplied = load('identity-providers.yaml', { GoogleSecret: 'fixture-supplied-secret-value', HiddenSecret: 'fixture-hidden-secret-value' });
    expect(byName(supplied.resources, 'FromDefault').properties.clientSecret).toEqual({ present: true, source: 'parameter' });
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
    });
    expect(method.relations).toEqual({ restApi: [id(f, 'Api')], authorizer: [id(f, 'Authorizer')] });
    expect(method.defaults).toEqual(['apiKeyRequired']);
    expect(byName(resources, 'Authorizer').relations).toEqual({ restApi: [id(f, 'Api')], userPools: [id(f, 'Pool')] });
    expect(byName(resources, 'TokenAuthorizer').properties.authorizerResultTtlInSeconds).toBe(300);
    expect(byName(resources, 'TokenAuthorizer').defaults).toEqual(['authorizerResultTtlInSeconds']);
    expect(byName(resources, 'Stage').properties).toEqual({ restApiId: '${Api}', stageName: 'prod', tracingEnabled: true });
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
