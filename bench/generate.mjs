/**
 * Generates a CloudFormation template (JSON) or a snapshot with `n` resources: groups of a user
 * pool, an app client, an identity pool and its guest role, with a realistic mix of good and
 * bad settings so that every rule has work to do.
 */
export function generateTemplate(n) {
  const Resources = {};
  const groups = Math.ceil(n / 4);
  for (let i = 0; i < groups; i++) {
    const bad = i % 3 === 0;
    Resources[`Pool${i}`] = {
      Type: 'AWS::Cognito::UserPool',
      Properties: { UserPoolName: `pool-${i}`, MfaConfiguration: bad ? 'OFF' : i % 3 === 1 ? 'OPTIONAL' : 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] },
    };
    Resources[`Client${i}`] = {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: {
        UserPoolId: { Ref: `Pool${i}` },
        GenerateSecret: bad,
        AllowedOAuthFlows: bad ? ['implicit'] : ['code'],
        CallbackURLs: [`https://app${i}.example.com/cb`, bad ? `http://app${i}.example.com/cb` : 'http://localhost:3000/cb'],
        AccessTokenValidity: bad ? 24 : 1,
        RefreshTokenValidity: bad ? 365 : 30,
      },
    };
    Resources[`Identities${i}`] = {
      Type: 'AWS::Cognito::IdentityPool',
      Properties: {
        AllowUnauthenticatedIdentities: bad,
        CognitoIdentityProviders: [{ ClientId: { Ref: `Client${i}` }, ProviderName: { 'Fn::GetAtt': [`Pool${i}`, 'ProviderName'] } }],
      },
    };
    Resources[`Guest${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }],
        },
        Policies: [
          {
            PolicyName: 'guest',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: bad ? ['s3:PutObject', 'dynamodb:*'] : ['mobileanalytics:PutEvents'], Resource: bad ? '*' : `arn:aws:mobileanalytics:::app/${i}` }],
            },
          },
        ],
      },
    };
    Resources[`Roles${i}`] = {
      Type: 'AWS::Cognito::IdentityPoolRoleAttachment',
      Properties: { IdentityPoolId: { Ref: `Identities${i}` }, Roles: { unauthenticated: { 'Fn::GetAtt': [`Guest${i}`, 'Arn'] } } },
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources };
}

export function generateSnapshot(n) {
  const resources = [];
  const groups = Math.ceil(n / 4);
  for (let i = 0; i < groups; i++) {
    const bad = i % 3 === 0;
    const pool = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_P${i}`;
    const client = `${pool}/client/c${i}`;
    const ip = `arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:${i}`;
    const role = `arn:aws:iam::123456789012:role/guest-${i}`;
    resources.push(
      { kind: 'cognito.userPool', id: pool, properties: { mfaConfiguration: bad ? 'OFF' : 'ON', enabledMfas: ['SOFTWARE_TOKEN_MFA'] } },
      {
        kind: 'cognito.userPoolClient', id: client, relations: { userPool: [pool] },
        properties: { generateSecret: bad, allowedOAuthFlows: bad ? ['implicit'] : ['code'], callbackURLs: [`https://a${i}.example.com/cb`], accessTokenValiditySeconds: bad ? 86400 : 3600, idTokenValiditySeconds: 3600, refreshTokenValiditySeconds: 2592000, authSessionValidityMinutes: 3 },
      },
      { kind: 'cognito.identityPool', id: ip, relations: { unauthenticatedRole: [role] }, properties: { allowUnauthenticatedIdentities: bad, allowClassicFlow: false, roles: { unauthenticated: role } } },
      {
        kind: 'iam.role', id: role,
        properties: { maxSessionDuration: 3600, policies: [{ name: 'guest', type: 'inline', document: { statements: [{ effect: 'Allow', action: bad ? ['s3:PutObject'] : ['mobileanalytics:PutEvents'], resource: [bad ? '*' : `arn:aws:mobileanalytics:::app/${i}`] }] } }] },
      },
    );
  }
  return { version: 1, resources };
}

/**
 * The same groups as `generateTemplate`, as one Terraform module (`main.tf` text): a user pool,
 * an app client, an identity pool with its roles attachment, and a guest role with an inline
 * policy (jsonencode), referring to each other by address.
 */
export function generateTerraform(n) {
  const blocks = [];
  const groups = Math.ceil(n / 4);
  for (let i = 0; i < groups; i++) {
    const bad = i % 3 === 0;
    const mfa = bad ? 'OFF' : i % 3 === 1 ? 'OPTIONAL' : 'ON';
    blocks.push(`resource "aws_cognito_user_pool" "pool_${i}" {
  name              = "pool-${i}"
  mfa_configuration = "${mfa}"
${bad ? '' : `
  software_token_mfa_configuration {
    enabled = true
  }
`}}

resource "aws_cognito_user_pool_client" "client_${i}" {
  name                   = "client-${i}"
  user_pool_id           = aws_cognito_user_pool.pool_${i}.id
  generate_secret        = ${bad}
  allowed_oauth_flows    = ["${bad ? 'implicit' : 'code'}"]
  callback_urls          = ["https://app${i}.example.com/cb", "${bad ? `http://app${i}.example.com/cb` : 'http://localhost:3000/cb'}"]
  access_token_validity  = ${bad ? 24 : 1}
  refresh_token_validity = ${bad ? 365 : 30}
}

resource "aws_cognito_identity_pool" "identities_${i}" {
  identity_pool_name               = "identities_${i}"
  allow_unauthenticated_identities = ${bad}

  cognito_identity_providers {
    client_id     = aws_cognito_user_pool_client.client_${i}.id
    provider_name = aws_cognito_user_pool.pool_${i}.endpoint
  }
}

resource "aws_iam_role" "guest_${i}" {
  name = "guest-${i}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Federated = "cognito-identity.amazonaws.com" }, Action = "sts:AssumeRoleWithWebIdentity" }]
  })

  inline_policy {
    name = "guest"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ${bad ? '["s3:PutObject", "dynamodb:*"]' : '["mobileanalytics:PutEvents"]'}, Resource = "${bad ? '*' : `arn:aws:mobileanalytics:::app/${i}`}" }]
    })
  }
}

resource "aws_cognito_identity_pool_roles_attachment" "roles_${i}" {
  identity_pool_id = aws_cognito_identity_pool.identities_${i}.id
  roles = {
    unauthenticated = aws_iam_role.guest_${i}.arn
  }
}
`);
  }
  return blocks.join('\n');
}

/**
 * A Serverless Framework service (`serverless.yml` as an object; write it as YAML): the groups of
 * `generateTemplate` under `resources:`, and one function whose `http` events (one per 40
 * resources, every third one without an authorizer) make the REST API's methods.
 */
export function generateServerless(n) {
  const events = [];
  for (let i = 0; i < Math.ceil(n / 40); i++) {
    const http = { path: `items/${i}`, method: 'get' };
    if (i % 3 !== 0) http.authorizer = { type: 'COGNITO_USER_POOLS', arn: { 'Fn::GetAtt': [`Pool${i}`, 'Arn'] } };
    events.push({ http });
  }
  return {
    service: 'bench',
    frameworkVersion: '3',
    provider: { name: 'aws', runtime: 'nodejs20.x', stage: "${opt:stage, 'dev'}" },
    functions: { api: { handler: 'handler.api', events } },
    resources: generateTemplate(n),
  };
}
