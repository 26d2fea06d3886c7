/**
 * The Terraform mappers: each Terraform type gives the same normalized resource as the
 * equivalent CloudFormation resource (properties, unresolved values, AWS defaults), with
 * relations resolved by address. Blocks are built directly (the HCL and plan sources are
 * tested on their own), with a fake `locate` that says which attribute a position is for.
 */
import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../../src/loaders/cloudformation/index.js';
import type { TerraformBlock } from '../../src/loaders/terraform/block.js';
import { mapTerraformBlocks } from '../../src/loaders/terraform/map/index.js';
import { policyDocumentJson } from '../../src/loaders/terraform/policy-document-data.js';
import { Symbolic, Unknown, isRecord, type Evaluated } from '../../src/loaders/values.js';
import type { ResourceKind } from '../../src/model/kinds.js';
import type { Resource } from '../../src/model/resource.js';
import { validatorFor } from '../../src/schemas.js';

/** A block from plain values; `locate` answers with the attribute path as the pointer. */
function block(address: string, values: Record<string, Evaluated> | Unknown): TerraformBlock {
  const [type, name] = address.split('.') as [string, string];
  return {
    mode: 'managed',
    type,
    name,
    address,
    file: 'main.tf',
    values,
    position: { pointer: `/${address}`, line: 1, column: 1 },
    get(path) {
      let node: Evaluated | undefined = values;
      for (const segment of path) {
        if (node instanceof Unknown) return node;
        if (typeof segment === 'number' ? Array.isArray(node) : isRecord(node)) node = (node as Record<string, Evaluated>)[segment as string];
        else return undefined;
      }
      return node;
    },
    locate(path) {
      return { pointer: `/${address}/${path.join('/')}`, line: 10 + path.length, column: 3 };
    },
  };
}

/** `aws_cognito_user_pool.pool.id` as the evaluators write a reference. */
const ref = (address: string, attribute: string): Symbolic => new Symbolic(`\${${address}.${attribute}}`, [address]);

const tf = (...blocks: TerraformBlock[]): Resource[] => mapTerraformBlocks(blocks, { format: 'terraform', idPrefix: 'infra' }).resources;
const cfn = (resources: string): Resource[] => loadCloudFormation('template.yaml', `Resources:\n${resources}`).resources;

/** What must agree between sources: references differ in text (`${Pool}`, `${aws_...pool.id}`), not in meaning. */
function comparable(r: Resource | undefined): unknown {
  expect(r).toBeDefined();
  const text = JSON.stringify({ properties: r!.properties, unresolved: r!.unresolved, defaults: [...(r!.defaults ?? [])].sort() });
  return JSON.parse(text.replace(/\$\{[^}"]+\}/g, '${ref}'));
}

function expectSame(cfnResources: Resource[], tfResources: Resource[], kind: ResourceKind): void {
  const a = cfnResources.find((r) => r.kind === kind);
  const b = tfResources.find((r) => r.kind === kind);
  expect(comparable(b)).toEqual(comparable(a));
  const validate = validatorFor(`resources/${kind}.schema.json`);
  expect(validate(b!.properties), JSON.stringify(validate.errors)).toBe(true);
}

const relation = (resources: Resource[], kind: ResourceKind, name: string): string[] | undefined =>
  resources.find((r) => r.kind === kind)?.relations[name];

describe('Terraform mappers give what the equivalent CloudFormation gives', () => {
  it('aws_cognito_user_pool with nested blocks (password_policy, MFA, recovery, lambda_config, tags)', () => {
    const c = cfn(`  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: users
      MfaConfiguration: "ON"
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true } }
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }
      AutoVerifiedAttributes: [email]
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: verified_email, Priority: 1 }] }
      LambdaConfig: { PreSignUp: "arn:aws:lambda:eu-west-1:123456789012:function:signup" }
      UserPoolTags: { team: identity }
`);
    const t = tf(
      block('aws_cognito_user_pool.pool', {
        name: 'users',
        mfa_configuration: 'ON',
        software_token_mfa_configuration: [{ enabled: true }],
        password_policy: [{ minimum_length: 10, require_numbers: true }],
        admin_create_user_config: [{ allow_admin_create_user_only: true }],
        auto_verified_attributes: ['email'],
        account_recovery_setting: [{ recovery_mechanism: [{ name: 'verified_email', priority: 1 }] }],
        lambda_config: [{ pre_sign_up: 'arn:aws:lambda:eu-west-1:123456789012:function:signup' }],
        tags: { team: 'identity' },
      }),
    );
    expectSame(c, t, 'cognito.userPool');
    // Positions point at the attribute inside its nested block.
    expect(t[0]!.source.properties?.['policies.passwordPolicy.minimumLength']?.pointer).toBe('/aws_cognito_user_pool.pool/password_policy/0/minimum_length');
  });

  it('aws_cognito_user_pool without password_policy or mfa_configuration gets the AWS defaults', () => {
    const c = cfn(`  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties: { UserPoolName: users }\n`);
    const t = tf(block('aws_cognito_user_pool.pool', { name: 'users', password_policy: [] }));
    expectSame(c, t, 'cognito.userPool');
    expect(t[0]!.properties).toMatchObject({ mfaConfiguration: 'OFF', policies: { passwordPolicy: { minimumLength: 8, requireSymbols: true } } });
  });

  it('aws_cognito_user_pool sms_configuration with MFA on enables SMS MFA (Terraform has no enabled_mfas)', () => {
    const c = cfn(`  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      MfaConfiguration: "ON"
      EnabledMfas: [SMS_MFA]
      SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sms", ExternalId: x }
`);
    const t = tf(
      block('aws_cognito_user_pool.pool', {
        mfa_configuration: 'ON',
        sms_configuration: [{ sns_caller_arn: 'arn:aws:iam::123456789012:role/sms', external_id: 'x' }],
      }),
    );
    expectSame(c, t, 'cognito.userPool');
  });

  it('aws_cognito_user_pool_client with token_validity_units, a 0 refresh validity and its pool', () => {
    const c = cfn(`  Pool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      ClientName: web
      UserPoolId: !Ref Pool
      GenerateSecret: true
      CallbackURLs: ["https://app.example.com/cb", "http://localhost/cb"]
      AllowedOAuthFlows: [code]
      AccessTokenValidity: 30
      RefreshTokenValidity: 0
      TokenValidityUnits: { AccessToken: minutes }
`);
    const t = tf(
      block('aws_cognito_user_pool.pool', {}),
      block('aws_cognito_user_pool_client.web', {
        name: 'web',
        user_pool_id: ref('aws_cognito_user_pool.pool', 'id'),
        generate_secret: true,
        callback_urls: ['https://app.example.com/cb', 'http://localhost/cb'],
        allowed_oauth_flows: ['code'],
        access_token_validity: 30,
        refresh_token_validity: 0,
        token_validity_units: [{ access_token: 'minutes' }],
      }),
    );
    expectSame(c, t, 'cognito.userPoolClient');
    expect(relation(t, 'cognito.userPoolClient', 'userPool')).toEqual(['infra#aws_cognito_user_pool.pool']);
    expect(t[1]!.properties).toMatchObject({ accessTokenValiditySeconds: 1800, refreshTokenValiditySeconds: 30 * 86400, preventUserExistenceErrors: 'LEGACY' });
  });

  it('aws_cognito_user_pool_client access_token_validity out of range names the Terraform fix', () => {
    const [client] = tf(block('aws_cognito_user_pool_client.web', { access_token_validity: 60 }));
    expect(client!.properties.invalidValidity).toEqual([
      {
        property: 'accessTokenValiditySeconds',
        problem:
          'access_token_validity 60 (hours, the default unit) is 60 hours, outside the allowed 5 minutes to 1 day, so the deployment would fail; if 60 minutes was meant, set token_validity_units { access_token = "minutes" }',
      },
    ]);
    expect(client!.unresolved.accessTokenValiditySeconds).toMatch(/^access_token_validity 60/);
  });

  it('aws_cognito_identity_provider: the secret is judged, never copied', () => {
    const secret = 'tf-literal-secret-value';
    const c = cfn(`  Idp:
    Type: AWS::Cognito::UserPoolIdentityProvider
    Properties:
      ProviderName: Google
      ProviderType: Google
      ProviderDetails: { client_id: abc, client_secret: ${secret}, authorize_scopes: email }
      AttributeMapping: { email: email }
`);
    const t = tf(
      block('aws_cognito_identity_provider.google', {
        provider_name: 'Google',
        provider_type: 'Google',
        provider_details: { client_id: 'abc', client_secret: secret, authorize_scopes: 'email' },
        attribute_mapping: { email: 'email' },
      }),
    );
    expectSame(c, t, 'cognito.identityProvider');
    expect(t[0]!.properties.clientSecret).toEqual({ present: true, source: 'literal' });
    expect(JSON.stringify(t)).not.toContain(secret);
  });

  it('aws_cognito_identity_provider: a secret read from another resource is a reference', () => {
    const [idp] = tf(
      block('aws_cognito_identity_provider.google', {
        provider_details: { client_id: 'abc', client_secret: new Symbolic('${data.aws_secretsmanager_secret_version.g.secret_string}', []) },
      }),
    );
    expect(idp!.properties.clientSecret).toEqual({ present: true, source: 'reference' });
  });

  it('aws_cognito_user_pool_domain', () => {
    const c = cfn(`  Pool:\n    Type: AWS::Cognito::UserPool\n  Domain:\n    Type: AWS::Cognito::UserPoolDomain\n    Properties: { Domain: auth.example.com, UserPoolId: !Ref Pool, CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:1:certificate/x" } }\n`);
    const t = tf(
      block('aws_cognito_user_pool.pool', {}),
      block('aws_cognito_user_pool_domain.auth', { domain: 'auth.example.com', user_pool_id: ref('aws_cognito_user_pool.pool', 'id'), certificate_arn: 'arn:aws:acm:us-east-1:1:certificate/x' }),
    );
    expectSame(c, t, 'cognito.userPoolDomain');
    expect(relation(t, 'cognito.userPoolDomain', 'userPool')).toEqual(['infra#aws_cognito_user_pool.pool']);
  });

  it('aws_cognito_identity_pool and aws_cognito_identity_pool_roles_attachment', () => {
    const c = cfn(`  Client:
    Type: AWS::Cognito::UserPoolClient
  Guest:
    Type: AWS::IAM::Role
  User:
    Type: AWS::IAM::Role
  Pool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      IdentityPoolName: ids
      AllowUnauthenticatedIdentities: true
      CognitoIdentityProviders: [{ ClientId: !Ref Client, ProviderName: "cognito-idp.eu-west-1.amazonaws.com/pool", ServerSideTokenCheck: true }]
  Attach:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles: { authenticated: !GetAtt User.Arn, unauthenticated: !GetAtt Guest.Arn }
      RoleMappings:
        idp:
          IdentityProvider: "cognito-idp.eu-west-1.amazonaws.com/pool:client"
          Type: Rules
          AmbiguousRoleResolution: Deny
          RulesConfiguration: { Rules: [{ Claim: "custom:role", MatchType: Equals, Value: admin, RoleARN: !GetAtt User.Arn }] }
`);
    const t = tf(
      block('aws_cognito_user_pool_client.web', {}),
      block('aws_iam_role.guest', {}),
      block('aws_iam_role.user', {}),
      block('aws_cognito_identity_pool.main', {
        identity_pool_name: 'ids',
        allow_unauthenticated_identities: true,
        cognito_identity_providers: [{ client_id: ref('aws_cognito_user_pool_client.web', 'id'), provider_name: 'cognito-idp.eu-west-1.amazonaws.com/pool', server_side_token_check: true }],
      }),
      block('aws_cognito_identity_pool_roles_attachment.main', {
        identity_pool_id: ref('aws_cognito_identity_pool.main', 'id'),
        roles: { authenticated: ref('aws_iam_role.user', 'arn'), unauthenticated: ref('aws_iam_role.guest', 'arn') },
        role_mapping: [
          {
            identity_provider: 'cognito-idp.eu-west-1.amazonaws.com/pool:client',
            type: 'Rules',
            ambiguous_role_resolution: 'Deny',
            mapping_rule: [{ claim: 'custom:role', match_type: 'Equals', value: 'admin', role_arn: ref('aws_iam_role.user', 'arn') }],
          },
        ],
      }),
    );
    const pool = (rs: Resource[]) => rs.find((r) => r.kind === 'cognito.identityPool')!;
    // Role mappings are labelled by the CloudFormation label or the Terraform block's index.
    // Roles are written as their resource ids, which differ by file and name only.
    const relabel = (r: Resource) =>
      JSON.parse(
        JSON.stringify(comparable(r))
          .replace(/roleMappings\.(idp|0)/g, 'roleMappings.L')
          .replace(/"(idp|0)":\{"type"/g, '"L":{"type"')
          .replace(/template\.yaml#(\w+)/g, (_, n: string) => n.toLowerCase())
          .replace(/infra#aws_iam_role\.(\w+)/g, '$1'),
      );
    expect(relabel(pool(t))).toEqual(relabel(pool(c)));
    expect(pool(t).properties.roles).toEqual({ authenticated: 'infra#aws_iam_role.user', unauthenticated: 'infra#aws_iam_role.guest' });
    expect(pool(t).relations).toMatchObject({
      unauthenticatedRole: ['infra#aws_iam_role.guest'],
      authenticatedRole: ['infra#aws_iam_role.user'],
      mappedRoles: ['infra#aws_iam_role.user'],
      userPoolClients: ['infra#aws_cognito_user_pool_client.web'],
    });
  });

  it('a roles attachment whose roles map is one reference: the roles are unresolved, not dropped', () => {
    const [pool] = tf(
      block('aws_cognito_identity_pool.main', { identity_pool_name: 'ids', allow_unauthenticated_identities: true }),
      block('aws_cognito_identity_pool_roles_attachment.main', { identity_pool_id: ref('aws_cognito_identity_pool.main', 'id'), roles: ref('module.roles', 'by_kind') }),
    );
    expect(pool!.unresolved.roles).toBe('Roles is one value, not a map of role names to role ARNs, and is only known at deploy time');
    expect(pool!.relations.unauthenticatedRole).toBeUndefined();
  });

  it('aws_cognito_identity_pool without a roles attachment: its roles are unresolved', () => {
    const [pool] = tf(block('aws_cognito_identity_pool.main', { identity_pool_name: 'ids' }));
    expect(pool!.unresolved.roles).toBe('no aws_cognito_identity_pool_roles_attachment in the inputs attaches roles to the pool');
  });

  it('aws_iam_role with inline_policy and managed_policy_arns, aws_iam_role_policy, aws_iam_policy and aws_iam_role_policy_attachment', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
    const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const c = cfn(`  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument: ${JSON.stringify(trust)}
      Policies: [{ PolicyName: inline, PolicyDocument: ${JSON.stringify(doc('s3:GetObject'))} }]
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", !Ref Managed]
  Extra:
    Type: AWS::IAM::RolePolicy
    Properties: { PolicyName: extra, RoleName: !Ref Role, PolicyDocument: ${JSON.stringify(doc('sqs:SendMessage'))} }
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties: { ManagedPolicyName: managed, PolicyDocument: ${JSON.stringify(doc('sns:Publish'))} }
`);
    const t = tf(
      block('aws_iam_role.role', {
        name: 'app',
        assume_role_policy: JSON.stringify(trust),
        inline_policy: [{ name: 'inline', policy: JSON.stringify(doc('s3:GetObject')) }],
        managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      }),
      block('aws_iam_role_policy.extra', { name: 'extra', role: ref('aws_iam_role.role', 'id'), policy: JSON.stringify(doc('sqs:SendMessage')) }),
      block('aws_iam_policy.managed', { name: 'managed', policy: JSON.stringify(doc('sns:Publish')) }),
      block('aws_iam_role_policy_attachment.managed', { role: ref('aws_iam_role.role', 'name'), policy_arn: ref('aws_iam_policy.managed', 'arn') }),
    );
    // CloudFormation lists RolePolicy resources first, then ManagedPolicyArns in order: Terraform's attachments come after its own ARNs.
    const policyNames = (rs: Resource[]) => ((rs.find((r) => r.kind === 'iam.role')!.properties.policies as Array<{ name: string }>).map((p) => p.name)).sort();
    expect(policyNames(t)).toEqual(policyNames(c));
    const role = (rs: Resource[]) => rs.find((r) => r.kind === 'iam.role')!;
    expect(role(t).properties.assumeRolePolicy).toEqual(role(c).properties.assumeRolePolicy);
    expect(role(t).unresolved).toEqual({});
    expect(role(t).relations.policies?.sort()).toEqual(['infra#aws_iam_policy.managed', 'infra#aws_iam_role_policy.extra']);
    const policies = (rs: Resource[]) => rs.filter((r) => r.kind === 'iam.policy').map((r) => ({ ...(comparable(r) as object), roles: undefined }));
    expect(policies(t).map((p) => JSON.stringify(p)).sort()).toEqual(policies(c).map((p) => JSON.stringify(p)).sort());
  });

  it('aws_iam_role_policy_attachment of a policy outside the inputs leaves the role unresolved', () => {
    const [role] = tf(
      block('aws_iam_role.role', { name: 'app' }),
      block('aws_iam_role_policy_attachment.x', { role: 'app', policy_arn: 'arn:aws:iam::123456789012:policy/elsewhere' }),
    );
    expect(role!.unresolved.policies).toBe('managed policy arn:aws:iam::123456789012:policy/elsewhere is not in the inputs');
  });

  it('aws_cognito_user_group and aws_cognito_resource_server join their pool', () => {
    const [pool] = tf(
      block('aws_cognito_user_pool.pool', {}),
      block('aws_cognito_user_group.admins', { name: 'admins', precedence: 1, role_arn: ref('aws_iam_role.admin', 'arn'), user_pool_id: ref('aws_cognito_user_pool.pool', 'id') }),
      block('aws_cognito_resource_server.api', {
        identifier: 'https://api.example.com',
        name: 'api',
        scope: [{ scope_name: 'read', scope_description: 'r' }, { scope_name: 'write', scope_description: 'w' }],
        user_pool_id: ref('aws_cognito_user_pool.pool', 'id'),
      }),
    );
    expect(pool!.properties.groups).toEqual([{ groupName: 'admins', precedence: 1, roleArn: '${aws_iam_role.admin.arn}' }]);
    expect(pool!.properties.resourceServers).toEqual([{ identifier: 'https://api.example.com', name: 'api', scopes: ['read', 'write'] }]);
    expect(validatorFor('resources/cognito.userPool.schema.json')(pool!.properties)).toBe(true);
  });

  it('aws_api_gateway_rest_api with aws_api_gateway_rest_api_policy', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] };
    const c = cfn(`  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: { Name: api, EndpointConfiguration: { Types: [PRIVATE] }, Policy: ${JSON.stringify(policy)} }\n`);
    const t = tf(
      block('aws_api_gateway_rest_api.api', { name: 'api', endpoint_configuration: [{ types: ['PRIVATE'] }] }),
      block('aws_api_gateway_rest_api_policy.api', { rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'), policy: JSON.stringify(policy) }),
    );
    expectSame(c, t, 'apigateway.restApi');
  });

  it('aws_api_gateway_rest_api body: OpenAPI methods and authorizers', () => {
    const body = {
      openapi: '3.0.1',
      components: { securitySchemes: { pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:eu-west-1:1:userpool/x'] } } } },
      paths: { '/open': { get: {} }, '/closed': { post: { security: [{ pool: [] }] } } },
    };
    const [, ...ops] = tf(block('aws_api_gateway_rest_api.api', { name: 'api', body: JSON.stringify(body) }));
    expect(ops.map((r) => [r.kind, r.name, r.properties.authorizationType])).toEqual([
      ['apigateway.authorizer', 'aws_api_gateway_rest_api.api authorizer pool', undefined],
      ['apigateway.method', 'aws_api_gateway_rest_api.api GET /open', 'NONE'],
      ['apigateway.method', 'aws_api_gateway_rest_api.api POST /closed', 'COGNITO_USER_POOLS'],
    ]);
    expect(ops[2]!.relations.authorizer).toEqual(['infra#aws_api_gateway_rest_api.api/authorizer/pool']);
    expect(ops[2]!.source.file).toBe('main.tf');
  });

  it('aws_api_gateway_method: path from aws_api_gateway_resource, authorizer, MOCK OPTIONS integration', () => {
    const c = cfn(`  Api:
    Type: AWS::ApiGateway::RestApi
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets }
  Pet:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Api, ParentId: !Ref Pets, PathPart: "{id}" }
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties: { RestApiId: !Ref Api, Name: pool, Type: COGNITO_USER_POOLS, ProviderARNs: ["arn:aws:cognito-idp:eu-west-1:1:userpool/x"], IdentitySource: method.request.header.Authorization }
  Get:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !Ref Pet, HttpMethod: get, AuthorizationType: COGNITO_USER_POOLS, AuthorizerId: !Ref Auth, Integration: { Type: AWS_PROXY } }
`);
    const t = tf(
      block('aws_api_gateway_rest_api.api', {}),
      block('aws_api_gateway_resource.pets', { rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'), parent_id: ref('aws_api_gateway_rest_api.api', 'root_resource_id'), path_part: 'pets' }),
      block('aws_api_gateway_resource.pet', { rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'), parent_id: ref('aws_api_gateway_resource.pets', 'id'), path_part: '{id}' }),
      block('aws_api_gateway_authorizer.auth', {
        rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'),
        name: 'pool',
        type: 'COGNITO_USER_POOLS',
        provider_arns: ['arn:aws:cognito-idp:eu-west-1:1:userpool/x'],
        identity_source: 'method.request.header.Authorization',
      }),
      block('aws_api_gateway_method.get', {
        rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'),
        resource_id: ref('aws_api_gateway_resource.pet', 'id'),
        http_method: 'get',
        authorization: 'COGNITO_USER_POOLS',
        authorizer_id: ref('aws_api_gateway_authorizer.auth', 'id'),
      }),
      block('aws_api_gateway_integration.get', { http_method: ref('aws_api_gateway_method.get', 'http_method'), type: 'AWS_PROXY' }),
    );
    expectSame(c, t, 'apigateway.method');
    expectSame(c, t, 'apigateway.authorizer');
    expect(t.find((r) => r.kind === 'apigateway.method')!.properties.resourcePath).toBe('/pets/{id}');
    expect(relation(t, 'apigateway.method', 'authorizer')).toEqual(['infra#aws_api_gateway_authorizer.auth']);
  });

  it('aws_api_gateway_authorizer without type or identity_source gets the provider defaults (TOKEN, cached 300 s)', () => {
    const [auth] = tf(block('aws_api_gateway_authorizer.lambda', { name: 'lambda', authorizer_uri: 'arn:aws:apigateway:eu-west-1:lambda:path/x' }));
    expect(auth!.properties).toMatchObject({ type: 'TOKEN', authorizerResultTtlInSeconds: 300, identitySource: 'method.request.header.Authorization' });
    expect([...auth!.defaults!].sort()).toEqual(['authorizerResultTtlInSeconds', 'identitySource', 'type']);
  });

  it('aws_api_gateway_stage and aws_apigatewayv2_stage', () => {
    const c = cfn(`  Api:
    Type: AWS::ApiGateway::RestApi
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: { RestApiId: !Ref Api, StageName: prod, TracingEnabled: true, AccessLogSetting: { DestinationArn: "arn:aws:logs:eu-west-1:1:log-group:x", Format: "$context.requestId" }, Variables: { a: b } }
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: { Name: http, ProtocolType: HTTP }
  V2Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: { ApiId: !Ref Http, StageName: $default, DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5.5 } }
`);
    const t = tf(
      block('aws_api_gateway_rest_api.api', {}),
      block('aws_api_gateway_stage.prod', {
        rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'),
        stage_name: 'prod',
        xray_tracing_enabled: true,
        access_log_settings: [{ destination_arn: 'arn:aws:logs:eu-west-1:1:log-group:x', format: '$context.requestId' }],
        variables: { a: 'b' },
      }),
      block('aws_apigatewayv2_api.http', { name: 'http', protocol_type: 'HTTP' }),
      block('aws_apigatewayv2_stage.default', {
        api_id: ref('aws_apigatewayv2_api.http', 'id'),
        name: '$default',
        default_route_settings: [{ throttling_burst_limit: 10, throttling_rate_limit: 5.5 }],
      }),
    );
    expectSame(c, t, 'apigateway.stage');
    expectSame(c, t, 'apigatewayv2.api');
    expectSame(c, t, 'apigatewayv2.stage');
  });

  it('aws_apigatewayv2_route and aws_apigatewayv2_authorizer (JWT), and a quick-create target', () => {
    const c = cfn(`  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: { Name: http, ProtocolType: HTTP, CorsConfiguration: { AllowOrigins: ["*"] } }
  Jwt:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties: { ApiId: !Ref Http, Name: jwt, AuthorizerType: JWT, IdentitySource: [$request.header.Authorization], JwtConfiguration: { Audience: [client], Issuer: "https://cognito-idp.eu-west-1.amazonaws.com/pool" } }
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties: { ApiId: !Ref Http, RouteKey: "GET /items", AuthorizationType: JWT, AuthorizerId: !Ref Jwt, AuthorizationScopes: [read] }
`);
    const t = tf(
      block('aws_apigatewayv2_api.http', { name: 'http', protocol_type: 'HTTP', cors_configuration: [{ allow_origins: ['*'] }] }),
      block('aws_apigatewayv2_authorizer.jwt', {
        api_id: ref('aws_apigatewayv2_api.http', 'id'),
        name: 'jwt',
        authorizer_type: 'JWT',
        identity_sources: ['$request.header.Authorization'],
        jwt_configuration: [{ audience: ['client'], issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool' }],
      }),
      block('aws_apigatewayv2_route.get', {
        api_id: ref('aws_apigatewayv2_api.http', 'id'),
        route_key: 'GET /items',
        authorization_type: 'JWT',
        authorizer_id: ref('aws_apigatewayv2_authorizer.jwt', 'id'),
        authorization_scopes: ['read'],
      }),
    );
    expectSame(c, t, 'apigatewayv2.api');
    expectSame(c, t, 'apigatewayv2.authorizer');
    expectSame(c, t, 'apigatewayv2.route');
    expect(relation(t, 'apigatewayv2.route', 'authorizer')).toEqual(['infra#aws_apigatewayv2_authorizer.jwt']);
    const quick = tf(block('aws_apigatewayv2_api.quick', { name: 'q', protocol_type: 'HTTP', target: 'arn:aws:lambda:eu-west-1:1:function:f' }));
    expect(quick.map((r) => [r.kind, r.properties.routeKey, r.properties.authorizationType])).toEqual([
      ['apigatewayv2.api', undefined, undefined],
      ['apigatewayv2.route', '$default', 'NONE'],
    ]);
  });

  it('a block whose values cannot be read (count over an unknown value) has every property unresolved', () => {
    const [pool] = tf(block('aws_cognito_user_pool.pool', new Unknown('count depends on var.n, which has no value', '${?}')));
    expect(pool!.unresolved.mfaConfiguration).toBe('count depends on var.n, which has no value');
    expect(pool!.properties).toEqual({});
  });
});

describe('data "aws_iam_policy_document"', () => {
  it('renders statement blocks (effect default, principals, conditions) as the IAM JSON the data source outputs', () => {
    const text = policyDocumentJson({
        statement: [
          {
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: ['cognito-identity.amazonaws.com'] }],
            condition: [
              { test: 'StringEquals', variable: 'cognito-identity.amazonaws.com:aud', values: ['eu-west-1:pool'] },
              { test: 'ForAnyValue:StringLike', variable: 'cognito-identity.amazonaws.com:amr', values: ['unauthenticated'] },
            ],
          },
          { sid: 'Deny', effect: 'Deny', not_actions: ['s3:GetObject'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }] },
        ],
      });
    expect(typeof text).toBe('string');
    expect(JSON.parse(text as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRoleWithWebIdentity'],
          Principal: { Federated: ['cognito-identity.amazonaws.com'] },
          Condition: {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': ['eu-west-1:pool'] },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
          },
        },
        { Sid: 'Deny', Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: ['*'], Principal: '*' },
      ],
    });
  });

  it('a document that merges a source_policy_documents entry known only at deploy time is unknown, never a partial document', () => {
    const doc = policyDocumentJson({ source_policy_documents: [new Symbolic('${data.aws_iam_policy_document.base.json}', [])], statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] });
    expect(doc).toBeInstanceOf(Unknown);
  });

  it('its JSON gives an aws_iam_role the same assume role policy as the CloudFormation document', () => {
    const trust = policyDocumentJson({ statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] }] });
    const [role] = tf(block('aws_iam_role.r', { name: 'r', assume_role_policy: trust }));
    const [cfnRole] = cfn(`  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: [sts:AssumeRole], Principal: { Service: [lambda.amazonaws.com] } }] }
`);
    expect(role!.properties.assumeRolePolicy).toEqual(cfnRole!.properties.assumeRolePolicy);
  });
});
