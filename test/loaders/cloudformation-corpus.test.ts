import { CORPUS_DIR } from '../helpers/shared.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';
import { loadCloudFormation, looksLikeCloudFormation, parseCloudFormation, readParameterFile } from '../../src/loaders/cloudformation/index.js';
import { validatorFor } from '../../src/schemas.js';

const CORPUS = CORPUS_DIR;
interface Entry {
  format: string;
  local_path: string;
}
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { files: Entry[] };
const entries = manifest.files.filter((e) => /cloudformation|sam|serverless-framework-yaml \(resources fragment\)/.test(e.format));

const read = (path: string) => readFileSync(join(CORPUS, path), 'utf8');
const load = (path: string, parameters?: Record<string, string | undefined>) => loadCloudFormation(path, read(path), parameters ? { parameters } : {});
const named = (resources: Resource[], name: string): Resource => {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}`);
  return r;
};

describe('CloudFormation corpus', () => {
  it('selects the CloudFormation, SAM and resource-fragment files of the manifest', () => {
    expect(entries.length).toBeGreaterThanOrEqual(25);
  });

  it.each(entries.map((e) => [e.local_path]))('%s loads, and every resource matches its kind schema', (path) => {
    const doc = parseCloudFormation(path, read(path));
    expect(looksLikeCloudFormation(doc.value)).toBe(true);
    const { resources } = load(path);
    for (const r of resources) {
      const validate = validatorFor(`resources/${r.kind}.schema.json`);
      expect(validate(r.properties), `${r.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(r.source.line).toBeGreaterThan(0);
    }
  });

  it('serverless.yml files are not CloudFormation', () => {
    for (const e of manifest.files.filter((x) => x.format === 'serverless-framework-yaml')) {
      expect(looksLikeCloudFormation(parseCloudFormation(e.local_path, read(e.local_path)).value)).toBe(false);
    }
  });

  it('cfn_nag: MFA Off/off/OFF are OFF, unquoted ON is ON, Defaults of parameters are used', () => {
    const dir = 'stelligent__cfn_nag/spec/test_templates/yaml/cognito/';
    const off = load(`${dir}cognito_user_pool_mfa_configuration_off_all_variations.yaml`).resources;
    expect(off.map((r) => r.properties.mfaConfiguration)).toEqual(['OFF', 'OFF', 'OFF']);
    const on = load(`${dir}cognito_user_pool_mfa_configuration_on_not_wrapped_in_quotes.yaml`).resources;
    expect(on.map((r) => r.properties.mfaConfiguration)).toEqual(['ON', 'ON']);
    const viaParams = load(`${dir}cognito_user_pool_mfa_configuration_violations_all_variations_with_param_refs.yaml`).resources;
    expect(viaParams.map((r) => r.properties.mfaConfiguration)).toEqual(['OFF', 'OFF', 'OFF']);
    const defaults = load(`${dir}cognito_identity_pool_allowunauthenticatedidentities_default_value_param_refs.yaml`).resources;
    expect(defaults.map((r) => r.properties.allowUnauthenticatedIdentities)).toEqual([true, true, false, false]);
    const noDefaults = load(`${dir}cognito_identity_pool_allowunauthenticatedidentities_param_refs_no_default_values.yaml`).resources;
    for (const pool of noDefaults) {
      expect(pool.properties.allowUnauthenticatedIdentities).toBeUndefined();
      expect(pool.unresolved.allowUnauthenticatedIdentities).toMatch(/has no Default; pass --param /);
    }
    const methods = load('stelligent__cfn_nag/spec/test_templates/yaml/api_gateway/api_gateway_method_authorization_type_none_with_param_refs.yaml').resources;
    expect(methods.map((r) => r.properties.authorizationType)).toEqual(['NONE', 'NONE', 'NONE']);
  });

  it('checkov and KICS fixtures: capitalised booleans, absent MFA is the OFF default', () => {
    const failed = load('bridgecrewio__checkov/tests/cloudformation/checks/resource/aws/example_CognitoUnauthenticatedIdentities/FAILED.yml').resources;
    expect(failed[0]?.properties).toMatchObject({ allowUnauthenticatedIdentities: true, allowClassicFlow: true });
    const kics = load('Checkmarx__kics/assets/queries/cloudFormation/aws/cognito_userpool_without_mfa/test/positive2.json').resources;
    expect(named(kics, 'UserPool2').properties.mfaConfiguration).toBe('OFF');
    expect(named(kics, 'UserPool4').defaults).toContain('mfaConfiguration');
    expect(named(kics, 'UserPool4').source.line).toBe(17);
  });

  it('aws-cdk identity pool: relations to both roles, IdP secrets redacted', () => {
    const path = 'aws__aws-cdk/packages/@aws-cdk/aws-cognito-identitypool-alpha/test/integ.identitypool.js.snapshot/integ-identitypool.template.json';
    const { resources } = load(path);
    const pool = resources.find((r) => r.kind === 'cognito.identityPool' && r.properties.identityPoolName === 'my-id-pool')!;
    expect(pool.properties).toMatchObject({ allowUnauthenticatedIdentities: true, allowClassicFlow: true });
    expect(pool.relations.unauthenticatedRole).toEqual([`${path}#identitypoolUnauthenticatedRoleE61CAC70`]);
    expect(pool.relations.authenticatedRole).toEqual([`${path}#identitypoolAuthenticatedRoleB074B49D`]);
    const unauth = named(resources, 'identitypoolUnauthenticatedRoleE61CAC70');
    expect(JSON.stringify(unauth.properties.policies)).toContain('dynamodb:Get*');
    const idps = resources.filter((r) => r.kind === 'cognito.identityProvider');
    expect(idps.map((r) => r.properties.clientSecret)).toEqual([
      { present: true, source: 'literal' },
      { present: true, source: 'literal' },
    ]);
    const text = JSON.stringify(resources);
    expect(text).not.toContain('google-client-secret');
    expect(text).not.toContain('amzn-client-secret');
  });

  it('Amplify auth template: parameters.json decides the values, without it they are unresolved', () => {
    const dir = 'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/amazonrekognitionidv6570cbea/';
    const path = `${dir}amazonrekognitionidv6570cbea-cloudformation-template.yml`;
    const bare = named(load(path).resources, 'UserPool');
    expect(bare.properties.mfaConfiguration).toBeUndefined();
    expect(bare.unresolved.mfaConfiguration).toBe('parameter mfaConfiguration has no Default; pass --param mfaConfiguration=...');
    const parameters = readParameterFile(`${dir}parameters.json`, read(`${dir}parameters.json`));
    const { resources } = load(path, parameters);
    const pool = named(resources, 'UserPool');
    expect(pool.properties.mfaConfiguration).toBe('OFF');
    expect(pool.properties.policies).toMatchObject({ passwordPolicy: { minimumLength: 8, requireSymbols: false } });
    expect(named(resources, 'IdentityPool').properties.allowUnauthenticatedIdentities).toBe(false);
    expect(named(resources, 'UserPoolClient').properties.generateSecret).toBe(false);
    // authRoleArn is an Fn::GetAtt object in parameters.json: set, but unknown.
    expect(named(resources, 'IdentityPool').unresolved['roles.authenticated']).toMatch(/authRoleArn/);
  });

  it('SAM-translated API: GET / is unauthenticated, conditional paths are kept, authorizers are found', () => {
    const path = 'aws__serverless-application-model/tests/translator/output/api_with_auth_and_conditions_all_max.json';
    const { resources } = load(path);
    const method = named(resources, 'MyApi GET /');
    expect(method.properties).toMatchObject({ authorizationType: 'NONE', resourcePath: '/', httpMethod: 'GET' });
    expect(method.source.line).toBe(22);
    expect(named(resources, 'MyApi PUT /users').properties.authorizationType).toBe('COGNITO_USER_POOLS');
    expect(named(resources, 'MyApi authorizer MyLambdaTokenAuthNoneFunctionInvokeRole').properties.authorizerResultTtlInSeconds).toBe(0);
  });

  it('Serverless resource fragments and CDK output: references outside the template stay opaque in policies', () => {
    const fragment = load('AnomalyInnovations__serverless-stack-demo-api/resources/cognito-identity-pool.yml').resources;
    const role = named(fragment, 'CognitoAuthRole');
    expect(role.unresolved).toEqual({});
    expect(JSON.stringify(role.properties.policies)).toContain('${AttachmentsBucket.Arn}/private/${cognito-identity.amazonaws.com:sub}/*');
    const userPool = load('AnomalyInnovations__serverless-stack-demo-api/resources/cognito-user-pool.yml').resources;
    expect(named(userPool, 'CognitoUserPoolClient').properties.explicitAuthFlows).toEqual(['ADMIN_NO_SRP_AUTH']);
    const cdk = load('AnomalyInnovations__serverless-stack-demo-ext-resources/build/cdk.out/dev-notes-ext-infra-cognito.template.json').resources;
    const authRole = cdk.find((r) => r.kind === 'iam.role')!;
    expect(authRole.unresolved).toEqual({});
    expect(JSON.stringify(authRole.properties.policies)).toContain('cognito-identity:*');
  });

  it('SAM input: function events get the same authorization the SAM transform gives them', () => {
    const input = load('aws__serverless-application-model/tests/translator/input/api_with_auth_and_conditions_all_max.yaml').resources;
    const output = load('aws__serverless-application-model/tests/translator/output/api_with_auth_and_conditions_all_max.json').resources;
    const auth = (resources: Resource[]) =>
      Object.fromEntries(
        resources
          .filter((r) => r.kind === 'apigateway.method')
          .map((r) => [r.name, [r.properties.authorizationType, r.properties.authorizerId ?? null]]),
      );
    expect(Object.keys(auth(input))).toHaveLength(6);
    expect(auth(input)).toEqual(auth(output));
    expect(named(input, 'MyApi GET /').source.line).toBe(67);
    const airline = load('aws-samples__aws-serverless-airline-booking/src/backend/loyalty/template.yaml').resources;
    expect(named(airline, 'LoyaltyApi GET /loyalty/{customerId}').properties.authorizationType).toBe('AWS_IAM');
  });
});
