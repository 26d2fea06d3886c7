/**
 * Amplify backends: category templates take their values from the root stack where it passes
 * readable ones, then from the `parameters.json` beside them, found without being named.
 */
import { describe, expect, it } from 'vitest';
import { scan, type ScanOutput } from '../../src/scan.js';
import { CORPUS_DIR } from '../helpers/shared.js';
import { workspace } from '../helpers/workspace.js';

const MFA = 'cognito-user-pool-mfa-enabled';
const GUEST = 'cognito-identity-pool-guest-access-disabled';
const GUEST_ROLE = 'cognito-guest-role-least-privilege';
const NOW = new Date('2026-11-22T00:00:00Z');
const AUTH = 'amplify/backend/auth/idv';
const ROOT = 'amplify/backend/awscloudformation/build/root-cloudformation-stack.json';

const CATEGORY = `Parameters:
  env: {Type: String}
  mfaConfiguration: {Type: String}
  allowUnauthenticatedIdentities: {Type: String}
Resources:
  UserPool:
    Type: AWS::Cognito::UserPool
    Properties:
      MfaConfiguration: !Ref mfaConfiguration
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
  IdentityPool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: !Ref allowUnauthenticatedIdentities
`;

/** parameters.json as the Amplify CLI writes it; the root stack below passes other values for some. */
const PARAMETERS = JSON.stringify({ mfaConfiguration: 'ON', allowUnauthenticatedIdentities: true, authRoleArn: { 'Fn::GetAtt': ['AuthRole', 'Arn'] } }, null, 4);

/** The root stack `amplify push` writes: the category stack by its deployment-bucket URL (.json, while the local template is .yml). */
const rootStack = (category: string) =>
  JSON.stringify(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { DeploymentBucketName: { Type: 'String' }, Mystery: { Type: 'String' } },
      Resources: {
        authidv: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: {
            TemplateURL: `https://s3.amazonaws.com/amplify-app-dev-123456-deployment/amplify-cfn-templates/${category}/idv-cloudformation-template.json`,
            Parameters: { env: 'dev', mfaConfiguration: 'OFF', allowUnauthenticatedIdentities: { Ref: 'Mystery' } },
          },
        },
      },
    },
    null,
    2,
  );


const backend = (root = rootStack('auth')) => ({
  [ROOT]: root,
  [`${AUTH}/idv-cloudformation-template.yml`]: CATEGORY,
  [`${AUTH}/parameters.json`]: PARAMETERS,
  'amplify/backend/backend-config.json': JSON.stringify({ auth: { idv: { service: 'Cognito' } } }),
});

const outcomes = (result: ScanOutput, rule: string) => result.findings.filter((f) => f.ruleId === rule).map((f) => [f.status, f.resource.id]);

describe('Amplify backend', () => {
  it('the corpus auth template named alone finds its parameters.json (MFA OFF fails, guests off is clean)', async () => {
    const dir = 'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/amazonrekognitionidv6570cbea';
    const file = `${dir}/amazonrekognitionidv6570cbea-cloudformation-template.yml`;
    const result = await scan({ inputs: [file], cwd: CORPUS_DIR, now: NOW });
    expect(result.inputs).toEqual([
      { file, format: 'amplify' },
      { file: `${dir}/parameters.json`, format: 'amplify' },
    ]);
    expect(result.findings.filter((f) => f.ruleId === MFA && f.resource.name === 'UserPool').map((f) => f.status)).toEqual(['fail']);
    expect(result.findings.filter((f) => f.ruleId === GUEST && f.resource.name === 'IdentityPool')).toEqual([]);
  });

  it('a value the root stack passes (mfaConfiguration OFF) wins over parameters.json (ON)', async () => {
    const cwd = workspace(backend());
    const result = await scan({ inputs: [ROOT], cwd, now: NOW });
    expect(outcomes(result, MFA)).toEqual([['fail', `${AUTH}/idv-cloudformation-template.yml#UserPool`]]);
  });

  it('a value the root stack cannot read (Ref of a parameter without Default) comes from parameters.json', async () => {
    const cwd = workspace(backend());
    const result = await scan({ inputs: [ROOT], cwd, now: NOW });
    expect(outcomes(result, GUEST)).toEqual([['fail', `${AUTH}/idv-cloudformation-template.yml#IdentityPool`]]);
  });

  it('the guest role the root stack creates and passes (unauthRoleArn: !GetAtt UnauthRole.Arn) is judged for the category identity pool', async () => {
    const category = `${CATEGORY}  RoleAttachment:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref IdentityPool
      Roles: {unauthenticated: !Ref unauthRoleArn}
`.replace('Parameters:\n', 'Parameters:\n  unauthRoleArn: {Type: String}\n');
    const root = JSON.parse(rootStack('auth')) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    root.Resources.authidv!.Properties.Parameters = { mfaConfiguration: 'ON', allowUnauthenticatedIdentities: true, unauthRoleArn: { 'Fn::GetAtt': ['UnauthRole', 'Arn'] } };
    root.Resources.UnauthRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }] },
        Policies: [{ PolicyName: 'guests', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
      },
    } as never;
    const cwd = workspace({ ...backend(JSON.stringify(root, null, 2)), [`${AUTH}/idv-cloudformation-template.yml`]: category });
    const result = await scan({ inputs: [ROOT], cwd, now: NOW });
    const pool = result.resources.find((r) => r.name === 'IdentityPool')!;
    expect(pool.relations.unauthenticatedRole).toEqual([`${ROOT}#UnauthRole`]);
    expect(outcomes(result, GUEST_ROLE)).toEqual([['fail', `${AUTH}/idv-cloudformation-template.yml#IdentityPool`]]);
  });

  it('a directory scan loads the category template once, as the root stack nests it, and lists what it read', async () => {
    const cwd = workspace(backend());
    const result = await scan({ inputs: ['amplify'], cwd, now: NOW });
    expect(result.resources.map((r) => r.id)).toEqual([`${AUTH}/idv-cloudformation-template.yml#UserPool`, `${AUTH}/idv-cloudformation-template.yml#IdentityPool`]);
    expect(outcomes(result, MFA).map(([s]) => s)).toEqual(['fail']);
    expect(result.inputs).toEqual([
      { file: ROOT, format: 'amplify' },
      { file: `${AUTH}/idv-cloudformation-template.yml`, format: 'amplify' },
      { file: `${AUTH}/parameters.json`, format: 'amplify' },
    ]);
  });

  it('a category template with a build/ copy: the build copy is loaded, the source is named in an info diagnostic', async () => {
    const cwd = workspace({ ...backend(), [`${AUTH}/build/idv-cloudformation-template.json`]: JSON.stringify({ Parameters: {}, Resources: { UserPool: { Type: 'AWS::Cognito::UserPool', Properties: { MfaConfiguration: 'OFF' } } } }) });
    const result = await scan({ inputs: [AUTH], cwd, now: NOW });
    expect(result.resources.map((r) => r.id)).toEqual([`${AUTH}/build/idv-cloudformation-template.json#UserPool`]);
    expect(result.diagnostics).toContainEqual({
      severity: 'info',
      code: 'amplify-source-template-not-loaded',
      message: `${AUTH}/idv-cloudformation-template.yml: ${AUTH}/build/idv-cloudformation-template.json is its build output and is loaded instead`,
      file: `${AUTH}/idv-cloudformation-template.yml`,
    });
  });

  it('a category the root nests but that is not in the backend directory is unknown, with a warning', async () => {
    const cwd = workspace({ [ROOT]: rootStack('storage') });
    const result = await scan({ inputs: [ROOT], cwd, now: NOW });
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toContainEqual(['warning', 'cloudformation-nested-stack-not-read']);
    expect(outcomes(result, MFA)).toEqual([['unknown', `${ROOT}#authidv:cognito.userPool`]]);
  });
});
