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
