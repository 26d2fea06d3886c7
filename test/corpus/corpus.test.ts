/**
 * Real third-party IaC (../shared/corpus, read in place): every entry of the manifest
 * (CloudFormation, SAM, CDK, Amplify, Terraform, Serverless, the fragments and files they pull
 * in) loads, and the findings the manifest expects for our rule families are reported while
 * its `expected_pass` settings are not flagged.
 *
 * The manifest states expectations in prose (and in other tools' ids: cfn_nag W57/F78/W59,
 * Checkov CKV_AWS_366/CKV_AWS_59, KICS); the table below is their translation into our rule
 * ids, one row per resource. Where our rules are deliberately stricter than the anchor tool
 * (MFA OPTIONAL is a medium finding of its own rule; an API key alone is flagged by its own
 * rule), the row names the rule that corresponds to the anchor's check.
 *
 * Expectations outside the rule catalogue (Lambda and service role permissions, which are not
 * Cognito-assumable roles) or that need data no source provides (a custom resource's effect, an
 * external issuer's client ids) are in PENDING: each names the manifest text it stands for, is
 * checked against the manifest, and shows as a todo in the test output: never as a pass. Every
 * expectation about a catalogue rule is in the table.
 */
import { CORPUS_DIR } from '../helpers/shared.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOutput } from '../../src/scan.js';
import type { ConfigFile } from '../../src/rules/config.js';

const corpus = CORPUS_DIR;
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as {
  files: Array<{ format: string; local_path: string; expected_findings: string[]; expected_pass: string[] }>;
};
const entryOf = (path: string): (typeof manifest.files)[number] | undefined => manifest.files.find((f) => f.local_path === path);

/** fail / unknown: a finding with that status; clean: the resource was loaded and the rule did not flag it. */
type Expect = [rule: string, resource: string, outcome: 'fail' | 'unknown' | 'clean'];

const GUEST = 'cognito-identity-pool-guest-access-disabled';
const GUEST_ROLE = 'cognito-guest-role-least-privilege';
const MFA = 'cognito-user-pool-mfa-enabled';
const MFA_REQUIRED = 'cognito-user-pool-mfa-required';
const SMS_ONLY = 'cognito-user-pool-mfa-not-sms-only';
const METHOD = 'apigateway-method-authorization';
const API_KEY = 'apigateway-api-key-not-authentication';
const LAMBDA_CACHE = 'apigateway-lambda-authorizer-cache';
const PUBLIC_SECRET = 'cognito-public-client-no-secret';
const IDP_SECRET = 'cognito-idp-client-secret-not-plaintext';
const HTTPS = 'cognito-client-https-callbacks';
const SELF_SIGNUP = 'cognito-user-pool-self-signup-disabled';
const MIN_LENGTH = 'cognito-user-pool-password-min-length';
const MFA_FACTOR = 'cognito-user-pool-mfa-factor-configured';
const CLASSIC = 'cognito-identity-pool-classic-flow-disabled';
const TOKEN_CHECK = 'cognito-identity-pool-server-side-token-check';
const AMBIGUOUS = 'cognito-identity-pool-role-mapping-ambiguous-deny';
const AUTH_SCOPE = 'cognito-authenticated-role-least-privilege';
const TRUST_AUD = 'cognito-role-trust-aud-condition';
const TRUST_AMR = 'cognito-role-trust-amr-condition';
const GROUP_TRUST = 'cognito-user-pool-group-role-trust';
const PRIVESC = 'cognito-role-no-privilege-escalation';
/** Both trust-policy rules judge the role clean. */
const trustClean = (...roles: string[]): Expect[] => roles.flatMap((r): Expect[] => [[TRUST_AUD, r, 'clean'], [TRUST_AMR, r, 'clean']]);
const USER_PASSWORD = 'cognito-client-no-user-password-auth';
const IMPLICIT = 'cognito-client-no-implicit-grant';
const EXISTENCE = 'cognito-client-prevent-user-existence-errors';
const ROTATION = 'cognito-client-refresh-token-rotation';
const ADMIN_AUTH_REVIEW = 'cognito-client-admin-password-auth-review';
const STRICT: ConfigFile = { profile: 'strict' };

const cfnNag = 'stelligent__cfn_nag/spec/test_templates/yaml';
const checkov = 'bridgecrewio__checkov/tests/cloudformation/checks/resource/aws';
const sam = 'aws__serverless-application-model/tests/translator';
const amplifyAuth = 'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/amazonrekognitionidv6570cbea';

const lgallard = 'lgallard__terraform-aws-cognito-user-pool';
/** The root module of lgallard's Terraform module: its files are one module, loaded together. */
const EXAMPLE = 'module.aws_cognito_user_pool_complete_example.';
const lgallardModule = ['main.tf', 'client.tf', 'domain.tf', 'identity-provider.tf', 'variables.tf'].map((f) => `${lgallard}/${f}`);
const squidfunk = 'squidfunk__terraform-aws-cognito-auth/modules/identity';
const apigwv2 = 'terraform-aws-modules__terraform-aws-apigateway-v2';
const demoApi = 'AnomalyInnovations__serverless-stack-demo-api';
const amplifyParameters = `${amplifyAuth}/parameters.json`;

interface Case {
  expect: Expect[];
  /**
   * The config the entry is scanned with, when not the recommended profile's defaults: `strict`
   * for expectations only a review or inventory rule judges, or a rule's param where the
   * manifest is stricter than our default.
   */
  config?: ConfigFile;
  paramFiles?: string[];
  /** What to scan when not the entry alone (a Terraform module's files, the directory of a parameter file). */
  inputs?: string[];
  /**
   * input: the entry is one of the scan's inputs (the default). pulled-in: a file another input
   * reads (a Terraform `file()` target): the scan lists it as an input or as skipped, never
   * fails on it. parameters: a parameter file its source applies (Amplify's parameters.json).
   */
  role?: 'input' | 'pulled-in' | 'parameters';
}

const cases: Record<string, Case> = {
  [`${cfnNag}/cognito/cognito_identity_pool_allowunauthenticatedidentities_true.yaml`]: {
    expect: [[GUEST, 'CognitoIdentityPool1', 'fail'], [GUEST, 'CognitoIdentityPool2', 'fail']],
  },
  [`${cfnNag}/cognito/cognito_identity_pool_allowunauthenticatedidentities_false.yaml`]: {
    expect: [[GUEST, 'CognitoIdentityPool1', 'clean'], [GUEST, 'CognitoIdentityPool2', 'clean']],
  },
  [`${cfnNag}/cognito/cognito_identity_pool_allowunauthenticatedidentities_default_value_param_refs.yaml`]: {
    expect: [
      [GUEST, 'CognitoIdentityPool1', 'fail'],
      [GUEST, 'CognitoIdentityPool2', 'fail'],
      [GUEST, 'CognitoIdentityPool3', 'clean'],
      [GUEST, 'CognitoIdentityPool4', 'clean'],
    ],
  },
  // cfn_nag expects no finding: the value is unknown. We do not pass it silently either.
  [`${cfnNag}/cognito/cognito_identity_pool_allowunauthenticatedidentities_param_refs_no_default_values.yaml`]: {
    expect: [1, 2, 3, 4].map((i): Expect => [GUEST, `CognitoIdentityPool${i}`, 'unknown']),
  },
  [`${cfnNag}/cognito/cognito_user_pool_mfa_configuration_off_all_variations.yaml`]: {
    expect: [1, 2, 3].map((i): Expect => [MFA, `CognitoUserPool${i}`, 'fail']),
  },
  [`${cfnNag}/cognito/cognito_user_pool_mfa_configuration_on_not_wrapped_in_quotes.yaml`]: {
    expect: [1, 2].flatMap((i): Expect[] => [[MFA, `CognitoUserPool${i}`, 'clean'], [MFA_REQUIRED, `CognitoUserPool${i}`, 'clean']]),
  },
  [`${cfnNag}/cognito/cognito_user_pool_mfa_configuration_on_wrapped_in_quotes.yaml`]: {
    expect: [1, 2].flatMap((i): Expect[] => [[MFA, `CognitoUserPool${i}`, 'clean'], [MFA_REQUIRED, `CognitoUserPool${i}`, 'clean']]),
  },
  [`${cfnNag}/cognito/cognito_user_pool_mfa_configuration_optional_uppercase.yaml`]: {
    expect: [1, 2].flatMap((i): Expect[] => [[MFA, `CognitoUserPool${i}`, 'clean'], [MFA_REQUIRED, `CognitoUserPool${i}`, 'fail']]),
  },
  [`${cfnNag}/cognito/cognito_user_pool_mfa_configuration_violations_all_variations_with_param_refs.yaml`]: {
    expect: [4, 5, 6].map((i): Expect => [MFA, `CognitoUserPool${i}`, 'fail']),
  },
  [`${cfnNag}/api_gateway/api_gateway_method_authorization_type_none_with_param_refs.yaml`]: {
    expect: [1, 2, 3].map((i): Expect => [METHOD, `ApiGatewayMethod${i}`, 'fail']),
  },
  [`${checkov}/example_CognitoUnauthenticatedIdentities/FAILED.yml`]: { expect: [[GUEST, 'Fail', 'fail']] },
  [`${checkov}/example_CognitoUnauthenticatedIdentities/PASSED.yaml`]: { expect: [[GUEST, 'Pass', 'clean']] },
  [`${checkov}/example_APIGatewayAuthorization/APIGatewayAuthorization-FAILED.yaml`]: {
    expect: [[METHOD, 'MyMethod0', 'fail'], [METHOD, 'MyMethod1', 'fail']],
  },
  [`${checkov}/example_APIGatewayAuthorization/APIGatewayAuthorization-PASSED.yaml`]: {
    expect: [
      [METHOD, 'MyMethod0', 'clean'],
      [METHOD, 'MyMethod1', 'clean'],
      [METHOD, 'MyMethod2', 'clean'],
      [METHOD, 'MyMethod3', 'clean'],
      // Checkov counts an API key as enough; we agree for this rule and flag it under its own.
      [API_KEY, 'MyMethod3', 'fail'],
    ],
  },
  'Checkmarx__kics/assets/queries/cloudFormation/aws/cognito_userpool_without_mfa/test/positive2.json': {
    expect: [[MFA, 'UserPool2', 'fail'], [MFA, 'UserPool4', 'fail']],
  },
  'Checkmarx__kics/assets/queries/cloudFormation/aws/api_gateway_without_configured_authorizer/test/negative4.json': { expect: [] },
  'AnomalyInnovations__serverless-stack-demo-api/resources/cognito-user-pool.yml': {
    config: STRICT,
    expect: [
      // ADMIN_NO_SRP_AUTH: the review rule (on in strict) asks whether a server really needs it.
      [ADMIN_AUTH_REVIEW, 'CognitoUserPoolClient', 'fail'],
      [MFA, 'CognitoUserPool', 'fail'],
      [PUBLIC_SECRET, 'CognitoUserPoolClient', 'clean'],
      [SELF_SIGNUP, 'CognitoUserPool', 'fail'],
      // No password policy: Cognito's default asks for 8 characters.
      [MIN_LENGTH, 'CognitoUserPool', 'fail'],
    ],
  },
  'AnomalyInnovations__serverless-stack-demo-api/resources/cognito-identity-pool.yml': {
    expect: [[GUEST, 'CognitoIdentityPool', 'clean'], [AUTH_SCOPE, 'CognitoIdentityPool', 'fail'], ...trustClean('CognitoAuthRole')],
  },
  'AnomalyInnovations__serverless-stack-demo-ext-resources/build/cdk.out/dev-notes-ext-infra-cognito.template.json': {
    expect: [
      [MFA, 'UserPool6BA7E5F2', 'fail'],
      [SELF_SIGNUP, 'UserPool6BA7E5F2', 'fail'],
      [PUBLIC_SECRET, 'UserPoolClient2F5918F7', 'clean'],
      [HTTPS, 'UserPoolClient2F5918F7', 'clean'],
      [GUEST, 'IdentityPool', 'clean'],
      [AUTH_SCOPE, 'IdentityPool', 'fail'],
    ],
  },
  // Scanned as a directory: the Amplify source finds parameters.json beside the template.
  [`${amplifyAuth}/amazonrekognitionidv6570cbea-cloudformation-template.yml`]: {
    inputs: [amplifyAuth],
    config: STRICT,
    expect: [
      [MFA, 'UserPool', 'fail'],
      [GUEST, 'IdentityPool', 'clean'],
      [SELF_SIGNUP, 'UserPool', 'fail'],
      [MIN_LENGTH, 'UserPool', 'fail'],
      // No ExplicitAuthFlows: Cognito's default flows include ALLOW_CUSTOM_AUTH (the review rule, on in strict).
      ['cognito-client-custom-auth-review', 'UserPoolClient', 'fail'],
      ['cognito-client-custom-auth-review', 'UserPoolClientWeb', 'fail'],
    ],
  },
  'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/userPoolGroups/template.json': {
    config: STRICT,
    expect: [
      // SetIdentityPoolRoles on *: the inventory (on in strict) cannot list the role, because its
      // PassRole policy names parameters without a Default: reported unknown, not passed over.
      ['cognito-trust-admin-principals-inventory', 'LambdaExecutionRole', 'unknown'],
      ...trustClean('adminGroupRole', 'poweruserGroupRole', 'viewerGroupRole'),
      // "group role trust policies have aud + amr=authenticated conditions", judged on each group.
      ...['adminGroup', 'poweruserGroup', 'viewerGroup'].map((g): Expect => [GROUP_TRUST, g, 'clean']),
      // The Lambda role that calls SetIdentityPoolRoles is no Cognito role: not this rule's (see PENDING).
      [PRIVESC, 'LambdaExecutionRole', 'clean'],
    ],
  },
  'aws__aws-cdk/packages/@aws-cdk-testing/framework-integ/test/aws-cognito/test/integ.user-pool-client-explicit-props.js.snapshot/integ-user-pool-client-explicit-props.template.json': {
    expect: [
      [MFA, 'myuserpool01998219', 'fail'],
      [SELF_SIGNUP, 'myuserpool01998219', 'clean'],
      // A secret on a client that also allows the implicit grant (a browser flow).
      [PUBLIC_SECRET, 'myuserpoolmyuserpoolclientAFB2274E', 'fail'],
      [USER_PASSWORD, 'myuserpoolmyuserpoolclientAFB2274E', 'fail'],
      [IMPLICIT, 'myuserpoolmyuserpoolclientAFB2274E', 'fail'],
      [EXISTENCE, 'myuserpoolmyuserpoolclientAFB2274E', 'clean'],
      [ROTATION, 'myuserpoolmyuserpoolclientAFB2274E', 'clean'],
      // Every writable custom attribute counts (our default flags only names that look like
      // authorization data; attribute_one and attribute_two do not).
      ['cognito-client-write-attributes-least-privilege', 'myuserpoolmyuserpoolclientAFB2274E', 'fail'],
    ],
    config: { rules: { 'cognito-client-write-attributes-least-privilege': { params: { authorizationAttributePattern: '^custom:' } } } },
  },
  'aws__aws-cdk/packages/@aws-cdk/aws-cognito-identitypool-alpha/test/integ.identitypool.js.snapshot/integ-identitypool.template.json': {
    expect: [
      [GUEST, 'identitypoolE2A6D099', 'fail'],
      [CLASSIC, 'identitypoolE2A6D099', 'fail'],
      [GUEST_ROLE, 'identitypoolE2A6D099', 'fail'],
      [GUEST, 'identitypoolwounauth11D2BE08', 'clean'],
      [TOKEN_CHECK, 'identitypoolE2A6D099', 'clean'],
      [TOKEN_CHECK, 'identitypoolwounauth11D2BE08', 'clean'],
      [AMBIGUOUS, 'identitypoolE2A6D099', 'clean'],
      [AUTH_SCOPE, 'identitypoolE2A6D099', 'fail'],
      [IMPLICIT, 'PooltestClientFE8D4935', 'fail'],
      [IMPLICIT, 'OtherPoolUserPoolAuthenticationProviderClient08F670F8', 'fail'],
      [IDP_SECRET, 'PoolProviderGoogle76A1E8D0', 'fail'],
      [IDP_SECRET, 'OtherPoolProviderAmazon4EB0592F', 'fail'],
    ],
  },
  [`${sam}/output/api_with_auth_and_conditions_all_max.json`]: { expect: [[METHOD, 'MyApi GET /', 'fail']] },
  [`${sam}/output/cognito_userpool_with_event.json`]: { expect: [[MFA, 'UserPool', 'fail'], [MIN_LENGTH, 'UserPool', 'fail']] },
  [`${sam}/input/cognito_userpool_with_event.yaml`]: {
    expect: [
      [MFA, 'UserPool', 'fail'],
      [MIN_LENGTH, 'UserPool', 'fail'],
      [SELF_SIGNUP, 'UserPool', 'fail'],
      // AttributesRequireVerificationBeforeUpdate: [email].
      ['cognito-user-pool-attribute-change-verified', 'UserPool', 'clean'],
    ],
  },
  'aws-samples__amazon-cognito-passwordless-email-auth/cognito/template.yaml': {
    expect: [
      [MFA, 'UserPool', 'fail'],
      [PUBLIC_SECRET, 'UserPoolClient', 'clean'],
      [SELF_SIGNUP, 'UserPool', 'fail'],
      // MinimumLength 8 with every Require* false.
      [MIN_LENGTH, 'UserPool', 'fail'],
      ...['lowercase', 'uppercase', 'numbers', 'symbols'].map((c): Expect => [`cognito-user-pool-password-require-${c}`, 'UserPool', 'fail']),
    ],
  },
  'awslabs__aws-servicebroker/templates/cognito/template.yaml': {
    expect: [
      [GUEST, 'IdentityPool', 'fail'],
      [GUEST_ROLE, 'IdentityPool', 'fail'],
      [AUTH_SCOPE, 'IdentityPool', 'fail'],
      [MFA, 'UserPool', 'clean'],
      [MFA_REQUIRED, 'UserPool', 'clean'],
      [SMS_ONLY, 'UserPool', 'fail'],
      [SELF_SIGNUP, 'UserPool', 'fail'],
      // The SNS role trusts cognito-idp.amazonaws.com without requiring the pool's ExternalId.
      ['cognito-user-pool-sms-role-confused-deputy', 'UserPool', 'fail'],
      ...trustClean('CognitoUnAuthRole', 'CognitoAuthRole'),
    ],
  },
  'aws-samples__aws-serverless-airline-booking/src/backend/loyalty/template.yaml': {
    // DefaultAuthorizer AWS_IAM covers every path of the API.
    expect: [[METHOD, 'LoyaltyApi GET /loyalty/{customerId}', 'clean']],
  },
  [`${sam}/input/api_with_auth_and_conditions_all_max.yaml`]: {
    expect: [
      [METHOD, 'MyApi GET /', 'fail'],
      // ReauthorizeEvery 0: the Lambda authorizer does not cache; 20 seconds does.
      [LAMBDA_CACHE, 'MyApi authorizer MyLambdaTokenAuthNoneFunctionInvokeRole', 'clean'],
      [LAMBDA_CACHE, 'MyApi authorizer MyLambdaTokenAuth', 'fail'],
      // UserPoolArn 'arn:aws:1' and friends name no pool: the authorizer's pools cannot be judged.
      ['apigateway-cognito-authorizer-pool-hardened', 'MyApi authorizer MyCognitoAuth', 'unknown'],
      ['apigateway-cognito-authorizer-pool-hardened', 'MyApi authorizer MyCognitoAuthMultipleUserPools', 'unknown'],
    ],
  },
  [amplifyParameters]: {
    // Scanned as a directory with no --param-file: the Amplify source applies parameters.json
    // (mfaConfiguration OFF, allowUnauthenticatedIdentities false) to the template beside it.
    inputs: [amplifyAuth],
    role: 'parameters',
    expect: [[MFA, 'UserPool', 'fail'], [GUEST, 'IdentityPool', 'clean']],
  },

  // Terraform (HCL). Resource names are addresses.
  'bridgecrewio__checkov/tests/terraform/checks/resource/aws/example_CognitoUnauthenticatedIdentities/main.tf': {
    expect: [[GUEST, 'aws_cognito_identity_pool.fail', 'fail'], [GUEST, 'aws_cognito_identity_pool.pass', 'clean']],
  },
  'Checkmarx__kics/assets/queries/terraform/aws/cognito_userpool_without_mfa/test/positive.tf': {
    // mfa_configuration absent is Cognito's OFF.
    expect: [
      [MFA, 'aws_cognito_user_pool.positive1', 'fail'],
      [MFA, 'aws_cognito_user_pool.positive2', 'fail'],
      // MFA ON with neither an SMS configuration nor TOTP.
      [MFA_FACTOR, 'aws_cognito_user_pool.positive3', 'fail'],
    ],
  },
  'Checkmarx__kics/assets/queries/terraform/aws/cognito_userpool_without_mfa/test/negative.tf': {
    expect: [
      [MFA, 'aws_cognito_user_pool.negative1', 'clean'],
      [MFA_REQUIRED, 'aws_cognito_user_pool.negative1', 'clean'],
      // Stricter than KICS, each under its own rule: SMS as the only factor, MFA only optional.
      [SMS_ONLY, 'aws_cognito_user_pool.negative1', 'fail'],
      [MFA, 'aws_cognito_user_pool.negative2', 'clean'],
      [MFA_REQUIRED, 'aws_cognito_user_pool.negative2', 'fail'],
    ],
  },
  // The manifest states no finding for the module itself; its notes do: mfa_configuration is
  // var.mfa_configuration, whose default is OPTIONAL, and `count` evaluates to 1 with the defaults.
  [`${lgallard}/main.tf`]: {
    inputs: lgallardModule,
    expect: [[MFA, 'aws_cognito_user_pool.pool[0]', 'clean'], [MFA_REQUIRED, 'aws_cognito_user_pool.pool[0]', 'fail']],
  },
  [`${lgallard}/client.tf`]: { inputs: lgallardModule, expect: [] },
  [`${lgallard}/domain.tf`]: { inputs: lgallardModule, expect: [] },
  [`${lgallard}/identity-provider.tf`]: { inputs: lgallardModule, expect: [] },
  [`${lgallard}/variables.tf`]: { inputs: lgallardModule, expect: [] },
  // Everything is inside the call of the local module ../../ (the root module above), with the example's inputs.
  [`${lgallard}/examples/complete/main.tf`]: {
    config: STRICT,
    expect: [
      // client 'test3': the implicit grant, and ADMIN_NO_SRP_AUTH for the review rule.
      [IMPLICIT, `${EXAMPLE}aws_cognito_user_pool_client.client["test3_2"]`, 'fail'],
      [ADMIN_AUTH_REVIEW, `${EXAMPLE}aws_cognito_user_pool_client.client["test3_2"]`, 'fail'],
      // client 'test2' has no secret: right for a public client, so deliberately not flagged.
      [PUBLIC_SECRET, `${EXAMPLE}aws_cognito_user_pool_client.client["test2_1"]`, 'clean'],
      [MFA_REQUIRED, `${EXAMPLE}aws_cognito_user_pool.pool_with_schema_ignore[0]`, 'fail'],
      ['cognito-user-pool-deletion-protection', `${EXAMPLE}aws_cognito_user_pool.pool_with_schema_ignore[0]`, 'clean'],
      // The module builds its add-ons and password policy from locals in a file the corpus does
      // not hold (dynamic blocks over local.user_pool_add_ons / local.password_policy): unknown.
      ['cognito-user-pool-threat-protection-enforced', `${EXAMPLE}aws_cognito_user_pool.pool_with_schema_ignore[0]`, 'unknown'],
      [MIN_LENGTH, `${EXAMPLE}aws_cognito_user_pool.pool_with_schema_ignore[0]`, 'unknown'],
    ],
  },
  [`${squidfunk}/main.tf`]: {
    config: STRICT,
    expect: [
      [ADMIN_AUTH_REVIEW, 'aws_cognito_user_pool_client._', 'fail'],
      [MFA, 'aws_cognito_user_pool._', 'fail'],
      [SELF_SIGNUP, 'aws_cognito_user_pool._', 'fail'],
      [MIN_LENGTH, 'aws_cognito_user_pool._', 'fail'],
      [GUEST, 'aws_cognito_identity_pool._', 'clean'],
      [TOKEN_CHECK, 'aws_cognito_identity_pool._', 'clean'],
      [PUBLIC_SECRET, 'aws_cognito_user_pool_client._', 'clean'],
      // USER_PASSWORD_AUTH, the legacy name (ADMIN_NO_SRP_AUTH is the review rule's, off in recommended).
      [USER_PASSWORD, 'aws_cognito_user_pool_client._', 'fail'],
    ],
  },
  // The trust policy main.tf renders through data "template_file" (the template language of templatefile()): aud and amr are pinned.
  [`${squidfunk}/iam/policies/assume-role/cognito-identity.json`]: { inputs: [squidfunk], role: 'pulled-in', expect: trustClean('aws_iam_role.cognito') },
  [`${apigwv2}/examples/complete-http/main.tf`]: {
    expect: [
      // The routes ('ANY /', '$default', authorizer_key 'cognito') are made by the local module's
      // for_each over var.routes with try()/lookup() merges it cannot evaluate: unknown, never passed.
      ['apigatewayv2-route-authorization', 'module.api_gateway.aws_apigatewayv2_route.this', 'unknown'],
      ['apigatewayv2-jwt-route-scopes', 'module.api_gateway.aws_apigatewayv2_route.this', 'unknown'],[MFA, 'aws_cognito_user_pool.this', 'fail'], [SELF_SIGNUP, 'aws_cognito_user_pool.this', 'fail'], [MIN_LENGTH, 'aws_cognito_user_pool.this', 'fail']],
  },
  [`${apigwv2}/main.tf`]: { expect: [] },

  // Serverless Framework. http events are methods of ApiGatewayRestApi, named as SAM names its operations.
  [`${demoApi}/serverless.yml`]: {
    // Three of its five fragments are not in the corpus: they load as unknown stand-ins, with a warning.
    expect: [
      ...['POST /notes', 'GET /notes/{id}', 'GET /notes', 'PUT /notes/{id}', 'DELETE /notes/{id}', 'POST /billing'].map(
        (op): Expect => [METHOD, `ApiGatewayRestApi ${op}`, 'clean'],
      ),
      // From the ${file(resources/...)} fragments it includes.
      [MFA, 'CognitoUserPool', 'fail'],
      [GUEST, 'CognitoIdentityPool', 'clean'],
    ],
  },
  'karmaniverous__aws-api-template/serverless.yml': {
    expect: [
      [METHOD, 'ApiGatewayRestApi GET /hello', 'fail'],
      [METHOD, 'ApiGatewayRestApi GET /secure-hello', 'clean'],
      [MFA, 'UserPool', 'fail'],
      [PUBLIC_SECRET, 'UserClient', 'clean'],
      // No password policy (Cognito's default asks for 8 characters) and self sign-up.
      [SELF_SIGNUP, 'UserPool', 'fail'],
      [MIN_LENGTH, 'UserPool', 'fail'],
      // http://localhost:${env:WEB_LOCALHOST_PORT}: loopback http, flagged once the param says so.
      [HTTPS, 'UserClient', 'fail'],
    ],
    config: { rules: { 'cognito-client-https-callbacks': { params: { allowLoopbackHttp: false } } } },
  },
};

/** An expectation of the manifest (`expectation`: a part of its text) that the scan cannot judge yet, and what it needs. */
interface Pending {
  file: string;
  expectation: string;
  needs: string;
}

const LAMBDA_ROLE = 'rule: Lambda/service role permissions and trust (out of Cognito scope so far)';

const PENDING: Pending[] = [
  { file: 'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/userPoolGroups/template.json', expectation: 'role mapping set out-of-band', needs: 'data no source provides: the role mapping is set at deploy time by a Lambda-backed custom resource, whose effect no template shows (the identity pool is in another stack)' },
  { file: 'aws-samples__aws-serverless-airline-booking/src/backend/loyalty/template.yaml', expectation: 'AppSync service role trust', needs: LAMBDA_ROLE },
  { file: 'aws-samples__aws-serverless-airline-booking/src/backend/loyalty/template.yaml', expectation: 'execute-api:Invoke scoped', needs: LAMBDA_ROLE },
  { file: `${sam}/output/cognito_userpool_with_event.json`, expectation: 'Lambda permission carries SourceArn', needs: LAMBDA_ROLE },
  { file: `${squidfunk}/main.tf`, expectation: 'lambda permission has source_arn', needs: LAMBDA_ROLE },
  { file: `${apigwv2}/examples/complete-http/main.tf`, expectation: 'audience values are placeholders', needs: 'data no source provides: whether an audience is a real client id of its issuer (the module authorizer\'s issuer is outside the inputs; aws_apigatewayv2_authorizer.external names a non-Cognito issuer); apigatewayv2-jwt-audience-pinned reports the module authorizer unknown' },
  { file: 'aws-samples__amazon-cognito-passwordless-email-auth/cognito/template.yaml', expectation: 'Lambda permissions scoped', needs: LAMBDA_ROLE },
  { file: 'karmaniverous__aws-api-template/serverless.yml', expectation: 'Lambda execution role allows cognito-idp:AdminInitiateAuth', needs: LAMBDA_ROLE },
];

/** The format a source reports for an input, where the manifest's format says it for certain. */
const sourceFormat = (format: string): string | undefined =>
  format === 'terraform-hcl' ? 'terraform' : format === 'serverless-framework-yaml' ? 'serverless' : undefined;

const scans = new Map<string, Promise<ScanOutput>>();
/** One scan per set of inputs (the files of a Terraform module share theirs). */
function scanOnce(inputs: string[], paramFiles: string[], config: ConfigFile = {}): Promise<ScanOutput> {
  const key = JSON.stringify([inputs, paramFiles, config]);
  if (!scans.has(key)) scans.set(key, scan({ inputs, cwd: corpus, parameterFiles: paramFiles, config, now: new Date('2026-11-22T00:00:00Z') }));
  return scans.get(key)!;
}

describe('real-world corpus', () => {
  it('covers every entry of the manifest in the expectation table', () => {
    expect(existsSync(corpus)).toBe(true);
    const missing = manifest.files.filter((e) => !(e.local_path in cases)).map((e) => e.local_path);
    expect(missing).toEqual([]);
  });

  it('names in PENDING only expectations the manifest states, for its own entries', () => {
    const stray = PENDING.filter((p) => {
      const entry = entryOf(p.file);
      return !entry || ![...entry.expected_findings, ...entry.expected_pass].some((text) => text.includes(p.expectation));
    });
    expect(stray).toEqual([]);
  });

  for (const entry of manifest.files) {
    const spec = cases[entry.local_path] ?? { expect: [] };
    const role = spec.role ?? 'input';
    it(`loads and judges ${entry.local_path}`, async () => {
      const result = await scanOnce(spec.inputs ?? [entry.local_path], spec.paramFiles ?? [], spec.config);
      const files = result.inputs.map((i) => i.file);
      if (role === 'input') expect(files).toContain(entry.local_path);
      if (role === 'pulled-in') expect([...files, ...result.skipped.map((s) => s.path)].some((f) => f.endsWith(entry.local_path.slice(dirname(entry.local_path).length)))).toBe(true);
      const format = sourceFormat(entry.format);
      if (format) expect(result.inputs.find((i) => i.file === entry.local_path)?.format).toBe(format);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const [rule, name, outcome] of spec.expect) {
        expect(result.rules.map((r) => r.id), `rule ${rule} is loaded`).toContain(rule);
        expect(result.resources.map((r) => r.name), `${name} was loaded`).toContain(name);
        const found = result.findings.filter((f) => f.ruleId === rule && f.resource.name === name);
        if (outcome === 'clean') expect(found, `${rule} on ${name}`).toEqual([]);
        else expect(found.map((f) => f.status), `${rule} on ${name}`).toContain(outcome);
      }
    });
  }

  // Shown as todo, never counted as passed.
  for (const p of PENDING) it.todo(`pending: ${p.file}: "${p.expectation}" needs ${p.needs}`);

  it('without its parameter file, the Amplify template reports MFA as unknown, not as a pass', async () => {
    // The template alone, in an Amplify backend whose parameters.json is missing.
    const cwd = mkdtempSync(join(tmpdir(), 'cg-corpus-amplify-'));
    const file = 'amplify/backend/auth/idv/idv-cloudformation-template.yml';
    mkdirSync(join(cwd, dirname(file)), { recursive: true });
    copyFileSync(join(corpus, `${amplifyAuth}/amazonrekognitionidv6570cbea-cloudformation-template.yml`), join(cwd, file));
    const result = await scan({ inputs: [file], cwd });
    expect(result.inputs).toEqual([{ file, format: 'amplify' }]);
    const mfa = result.findings.filter((f) => f.ruleId === MFA && f.resource.name === 'UserPool');
    expect(mfa.map((f) => f.status)).toEqual(['unknown']);
    expect(mfa[0]?.reason).toMatch(/mfaConfiguration/i);
  });

  it('never copies an IdP client secret from a template into any output', async () => {
    const file = 'aws__aws-cdk/packages/@aws-cdk/aws-cognito-identitypool-alpha/test/integ.identitypool.js.snapshot/integ-identitypool.template.json';
    const result = await scan({ inputs: [file], cwd: corpus });
    const everything = JSON.stringify({ ...result, sources: undefined });
    expect(readFileSync(join(corpus, file), 'utf8')).toContain('google-client-secret');
    expect(everything).not.toContain('google-client-secret');
    expect(everything).not.toContain('amzn-client-secret');
  });
});
