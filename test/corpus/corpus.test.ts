/**
 * Real third-party IaC (../shared/corpus, read in place): every CloudFormation entry of the
 * manifest loads, and the findings the manifest expects for our rule families are reported
 * while its `expected_pass` settings are not flagged.
 *
 * The manifest states expectations in prose (and in other tools' ids: cfn_nag W57/F78/W59,
 * Checkov CKV_AWS_366/CKV_AWS_59, KICS); the table below is their translation into our rule
 * ids, one row per resource. Where our rules are deliberately stricter than the anchor tool
 * (MFA OPTIONAL is a medium finding of its own rule; an API key alone is flagged by its own
 * rule), the row names the rule that corresponds to the anchor's check.
 */
import { CORPUS_DIR } from '../helpers/shared.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOutput } from '../../src/scan.js';

const corpus = CORPUS_DIR;
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as {
  files: Array<{ format: string; local_path: string; expected_findings: string[]; expected_pass: string[] }>;
};

/** fail / unknown: a finding with that status; clean: the resource was loaded and the rule did not flag it. */
type Expect = [rule: string, resource: string, outcome: 'fail' | 'unknown' | 'clean'];

const GUEST = 'cognito-identity-pool-guest-access-disabled';
const GUEST_ROLE = 'cognito-guest-role-least-privilege';
const MFA = 'cognito-user-pool-mfa-enabled';
const MFA_REQUIRED = 'cognito-user-pool-mfa-required';
const SMS_ONLY = 'cognito-user-pool-mfa-not-sms-only';
const METHOD = 'apigateway-method-authorization';
const API_KEY = 'apigateway-api-key-not-authentication';
const PUBLIC_SECRET = 'cognito-public-client-no-secret';
const IDP_SECRET = 'cognito-idp-client-secret-not-plaintext';
const HTTPS = 'cognito-client-https-callbacks';

const cfnNag = 'stelligent__cfn_nag/spec/test_templates/yaml';
const checkov = 'bridgecrewio__checkov/tests/cloudformation/checks/resource/aws';
const sam = 'aws__serverless-application-model/tests/translator';
const amplifyAuth = 'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/amazonrekognitionidv6570cbea';

const cases: Record<string, { expect: Expect[]; paramFiles?: string[]; scanDir?: string; alsoRead?: string[] }> = {
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
    expect: [[MFA, 'CognitoUserPool', 'fail'], [PUBLIC_SECRET, 'CognitoUserPoolClient', 'clean']],
  },
  'AnomalyInnovations__serverless-stack-demo-api/resources/cognito-identity-pool.yml': {
    expect: [[GUEST, 'CognitoIdentityPool', 'clean']],
  },
  'AnomalyInnovations__serverless-stack-demo-ext-resources/build/cdk.out/dev-notes-ext-infra-cognito.template.json': {
    expect: [
      [MFA, 'UserPool6BA7E5F2', 'fail'],
      [PUBLIC_SECRET, 'UserPoolClient2F5918F7', 'clean'],
      [HTTPS, 'UserPoolClient2F5918F7', 'clean'],
      [GUEST, 'IdentityPool', 'clean'],
    ],
  },
  // Scanned as a directory: the Amplify source finds parameters.json beside the template.
  [`${amplifyAuth}/amazonrekognitionidv6570cbea-cloudformation-template.yml`]: {
    scanDir: amplifyAuth,
    alsoRead: [`${amplifyAuth}/parameters.json`],
    expect: [[MFA, 'UserPool', 'fail'], [GUEST, 'IdentityPool', 'clean']],
  },
  'aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/userPoolGroups/template.json': { expect: [] },
  'aws__aws-cdk/packages/@aws-cdk-testing/framework-integ/test/aws-cognito/test/integ.user-pool-client-explicit-props.js.snapshot/integ-user-pool-client-explicit-props.template.json': {
    expect: [
      [MFA, 'myuserpool01998219', 'fail'],
      // A secret on a client that also allows the implicit grant (a browser flow).
      [PUBLIC_SECRET, 'myuserpoolmyuserpoolclientAFB2274E', 'fail'],
    ],
  },
  'aws__aws-cdk/packages/@aws-cdk/aws-cognito-identitypool-alpha/test/integ.identitypool.js.snapshot/integ-identitypool.template.json': {
    expect: [
      [GUEST, 'identitypoolE2A6D099', 'fail'],
      [GUEST_ROLE, 'identitypoolE2A6D099', 'fail'],
      [GUEST, 'identitypoolwounauth11D2BE08', 'clean'],
      [IDP_SECRET, 'PoolProviderGoogle76A1E8D0', 'fail'],
      [IDP_SECRET, 'OtherPoolProviderAmazon4EB0592F', 'fail'],
    ],
  },
  [`${sam}/output/api_with_auth_and_conditions_all_max.json`]: { expect: [[METHOD, 'MyApi GET /', 'fail']] },
  [`${sam}/output/cognito_userpool_with_event.json`]: { expect: [[MFA, 'UserPool', 'fail']] },
  [`${sam}/input/cognito_userpool_with_event.yaml`]: { expect: [[MFA, 'UserPool', 'fail']] },
  'aws-samples__amazon-cognito-passwordless-email-auth/cognito/template.yaml': {
    expect: [[MFA, 'UserPool', 'fail'], [PUBLIC_SECRET, 'UserPoolClient', 'clean']],
  },
  'awslabs__aws-servicebroker/templates/cognito/template.yaml': {
    expect: [
      [GUEST, 'IdentityPool', 'fail'],
      [GUEST_ROLE, 'IdentityPool', 'fail'],
      [MFA, 'UserPool', 'clean'],
      [MFA_REQUIRED, 'UserPool', 'clean'],
      [SMS_ONLY, 'UserPool', 'fail'],
    ],
  },
};

const isCloudFormationEntry = (format: string): boolean =>
  /cloudformation/.test(format) || format === 'sam-yaml' || format.startsWith('serverless-framework-yaml (resources fragment)');

describe('real-world corpus', () => {
  const entries = manifest.files.filter((f) => isCloudFormationEntry(f.format));

  it('covers every CloudFormation entry of the manifest in the expectation table', () => {
    expect(existsSync(corpus)).toBe(true);
    // SAM source templates (format sam-yaml) without a row only have to load.
    const missing = entries.filter((e) => e.format !== 'sam-yaml' && !(e.local_path in cases)).map((e) => e.local_path);
    expect(missing).toEqual([]);
  });

  for (const entry of entries) {
    it(`loads and judges ${entry.local_path}`, async () => {
      const spec = cases[entry.local_path] ?? { expect: [] };
      const result: ScanOutput = await scan({
        inputs: [spec.scanDir ?? entry.local_path],
        cwd: corpus,
        parameterFiles: spec.paramFiles ?? [],
        now: new Date('2026-11-22T00:00:00Z'),
      });
      expect(result.inputs.map((i) => i.file)).toEqual([entry.local_path, ...(spec.alsoRead ?? [])]);
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
