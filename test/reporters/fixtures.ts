import type { Finding } from '../../src/model/finding.js';
import type { RuleMeta, ScanResult } from '../../src/model/scan-result.js';
import type { ReportContext } from '../../src/reporters/index.js';

/** Repository root the fixtures pretend to run in. */
export const CWD = '/repo';

export const RULES: RuleMeta[] = [
  {
    id: 'cognito-guest-role-read-only',
    title: 'Guest role cannot write',
    severity: 'critical',
    resource: ['cognito.identityPool', 'iam.role'],
    description: 'The unauthenticated role of an identity pool grants no write or permissions-management actions.',
    rationale: 'Anyone on the internet can get credentials for the guest role.',
    remediation: {
      text: 'Remove write actions from the unauthenticated role.',
      cloudformation: 'Policies:\n  - PolicyDocument:\n      Statement:\n        - Effect: Allow\n          Action: s3:GetObject\n',
      terraform: 'resource "aws_iam_role_policy" "guest" {\n  policy = jsonencode({ Statement = [] })\n}\n',
    },
    references: ['https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html', 'CWE-284'],
    tags: ['iam', 'attack-path'],
    equivalents: { prowler: 'cognito_identity_pool_guest_access' },
    file: 'rules/cognito/cognito-guest-role-read-only.yaml',
  },
  {
    id: 'cognito-client-https-callbacks',
    title: 'Callback URLs use HTTPS',
    severity: 'high',
    resource: ['cognito.userPoolClient'],
    description: 'Every callback URL of an app client uses https (localhost excepted).',
    remediation: { text: 'Use https:// callback URLs.', cli: 'aws cognito-idp update-user-pool-client --callback-urls https://app.example.com/cb' },
    references: ['https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html'],
  },
  {
    id: 'cognito-user-pool-mfa-required',
    title: 'MFA is required',
    severity: 'medium',
    resource: ['cognito.userPool'],
    description: 'MfaConfiguration is ON.',
    remediation: { text: 'Set MfaConfiguration to ON.' },
  },
  {
    id: 'cognito-password-min-length',
    title: 'Passwords have at least 12 characters',
    severity: 'low',
    resource: ['cognito.userPool'],
    description: 'The password policy requires at least 12 characters.',
  },
  {
    id: 'cognito-user-pool-deletion-protection',
    title: 'Deletion protection is on',
    severity: 'info',
    resource: ['cognito.userPool'],
    description: 'DeletionProtection is ACTIVE.',
  },
  {
    id: 'apigateway-method-authorization',
    title: 'Methods require authorization',
    severity: 'high',
    resource: ['apigateway.method'],
    description: 'Every method has an authorizer or IAM auth.',
  },
];

/** A template whose lines the findings point at (numbered so a hash mix-up would show). */
export const TEMPLATE = Array.from({ length: 45 }, (_, i) => `line${i + 1}: value${i + 1}`).join('\n') + '\n';

const userPool = { kind: 'cognito.userPool', id: 'app/template.yaml#UserPool', name: 'UserPool' } as const;

export const FINDINGS: Finding[] = [
  {
    ruleId: 'cognito-guest-role-read-only',
    status: 'fail',
    severity: 'critical',
    message: 'The guest role GuestRole can write: s3:PutObject on *.',
    resource: { kind: 'iam.role', id: 'app/template.yaml#GuestRole', name: 'GuestRole' },
    location: { kind: 'cloudformation', file: '/repo/app/template.yaml', pointer: '/Resources/GuestRole/Properties/Policies', line: 40, column: 7, endLine: 44, endColumn: 1 },
    evidence: [{ path: 'policies[0].statements[0].actions', actual: ['s3:PutObject'] }],
    fingerprint: 'f1'.repeat(32),
  },
  {
    ruleId: 'cognito-client-https-callbacks',
    status: 'fail',
    severity: 'high',
    message: 'Callback URL http://a.example.com/cb|x uses http.',
    resource: { kind: 'cognito.userPoolClient', id: 'app/template.yaml#WebClient', name: 'Web|Client' },
    location: { kind: 'cloudformation', file: 'app/template.yaml', pointer: '/Resources/WebClient/Properties/CallbackURLs/1', line: 12, column: 11, endLine: 12, endColumn: 39 },
    evidence: [{ path: 'callbackURLs[1]', actual: 'http://a.example.com/cb|x', expected: 'https://…' }],
    detail: 'callbackURLs[1]',
    fingerprint: 'f2'.repeat(32),
  },
  {
    ruleId: 'cognito-client-https-callbacks',
    status: 'fail',
    severity: 'high',
    message: 'Callback URL http://legacy.example.com uses http.',
    resource: {
      kind: 'cognito.userPoolClient',
      id: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc/client/1example',
      name: 'legacy client',
      account: '123456789012',
      region: 'eu-west-1',
      arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc/client/1example',
    },
    location: { kind: 'live' },
    evidence: [],
    detail: 'callbackURLs[0]',
    fingerprint: 'f3'.repeat(32),
  },
  {
    ruleId: 'cognito-user-pool-mfa-required',
    status: 'unknown',
    severity: 'medium',
    message: 'MFA is {mfaConfiguration}.',
    reason: 'mfaConfiguration comes from parameter MfaMode, which has no default',
    resource: userPool,
    location: { kind: 'cloudformation', file: 'app/template.yaml', pointer: '/Resources/UserPool/Properties/MfaConfiguration', line: 3, column: 5 },
    evidence: [{ path: 'mfaConfiguration' }],
    fingerprint: 'f4'.repeat(32),
  },
  {
    ruleId: 'cognito-password-min-length',
    status: 'fail',
    severity: 'low',
    message: 'Minimum password length is 8.',
    resource: userPool,
    location: { kind: 'cloudformation', file: 'app/template.yaml', line: 5, column: 5 },
    evidence: [{ path: 'policies.passwordPolicy.minimumLength', actual: 8, expected: 12 }],
    fingerprint: 'f5'.repeat(32),
    suppression: { kind: 'config', justification: 'Legacy app | accepted by security team', expires: '2027-01-01' },
  },
  {
    ruleId: 'cognito-user-pool-deletion-protection',
    status: 'fail',
    severity: 'info',
    message: 'Deletion protection is INACTIVE.',
    resource: userPool,
    location: { kind: 'cloudformation', file: 'app/template.yaml', line: 2, column: 3 },
    evidence: [],
    fingerprint: 'f6'.repeat(32),
  },
];

/** A scan with findings of every severity, an unknown, a suppressed one, a live one and diagnostics. */
export function fullResult(): ScanResult {
  return {
    tool: { name: 'cognito-guard', version: '0.1.0' },
    rules: RULES.map((r) => ({ ...r })),
    findings: FINDINGS.map((f) => structuredClone(f)),
    diagnostics: [
      { severity: 'warning', code: 'skipped-file', message: 'not a CloudFormation template or snapshot', file: 'app/readme.yaml' },
      { severity: 'info', code: 'parameter-default', message: 'used the default of parameter Stage', file: 'app/template.yaml', line: 8, column: 3 },
    ],
    stats: { resources: 4, evaluations: 24, passed: 15, failed: 5, unknown: 1, notApplicable: 3, suppressed: 1 },
    inputs: [{ file: 'app/template.yaml', format: 'cloudformation' }],
  };
}

/** A scan that found nothing. */
export function cleanResult(): ScanResult {
  return {
    tool: { name: 'cognito-guard', version: '0.1.0' },
    rules: RULES.map((r) => ({ ...r })),
    findings: [],
    diagnostics: [],
    stats: { resources: 4, evaluations: 24, passed: 21, failed: 0, unknown: 0, notApplicable: 3, suppressed: 0 },
    inputs: [{ file: 'app/template.yaml', format: 'cloudformation' }],
  };
}

export function context(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    cwd: CWD,
    color: false,
    sourceText: (file) => (file === 'app/template.yaml' || file === '/repo/app/template.yaml' ? TEMPLATE : undefined),
    ...overrides,
  };
}
