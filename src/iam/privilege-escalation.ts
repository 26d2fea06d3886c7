/**
 * Actions that let whoever holds them gain more access than they were given: concrete IAM
 * actions (`service:Action`, AWS's spelling, no wildcards), so that a read of the same service
 * (`iam:GetRole`, `cognito-idp:AdminGetUser`) is not mistaken for escalation. A wildcard in a
 * policy (`iam:*`, `cognito-idp:Admin*`) is escalation when it expands to one of these.
 * Sources: the Cognito privilege-escalation and persistence pages of HackTricks Cloud
 * (`aws-cognito-privesc`), Rhino Security Labs' IAM escalation methods, and Prowler's
 * `iam_policy_allows_privilege_escalation` patterns. Access levels alone miss these:
 * `iam:PassRole` and `lambda:UpdateFunctionCode` are "Write", yet each hands over another
 * principal's rights.
 */
export const PRIVILEGE_ESCALATION_ACTIONS: readonly string[] = [
  // Hand a role to a service, or become a role directly.
  'iam:PassRole',
  'sts:AssumeRole',
  // Rewrite who gets which permissions, or lift the boundary that caps them.
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:PutUserPermissionsBoundary',
  'iam:AddUserToGroup',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  // Re-point an identity pool at a stronger role, let a new IdP mint identities, mint a
  // developer-authenticated token for any identity, or rewrite the principal tags ABAC reads.
  'cognito-identity:SetIdentityPoolRoles',
  'cognito-identity:UpdateIdentityPool',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-identity:SetPrincipalTagAttributeMap',
  // Act as any user of a pool: set passwords, sign in for them, add them to privileged groups,
  // rewrite the attributes that authorization reads, switch off their MFA.
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminConfirmSignUp',
  'cognito-idp:AdminInitiateAuth',
  'cognito-idp:AdminRespondToAuthChallenge',
  'cognito-idp:AdminLinkProviderForUser',
  'cognito-idp:AdminSetUserMFAPreference',
  // Reconfigure the pool: new clients and IdPs, weaker MFA and risk settings, imported users.
  'cognito-idp:UpdateUserPool',
  'cognito-idp:SetUserPoolMfaConfig',
  'cognito-idp:CreateUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
  'cognito-idp:CreateIdentityProvider',
  'cognito-idp:UpdateIdentityProvider',
  'cognito-idp:SetRiskConfiguration',
  'cognito-idp:CreateUserImportJob',
  // Run code under a function's (usually stronger) execution role.
  'lambda:CreateFunction',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'lambda:AddPermission',
  // Run code or commands on compute that carries its own role.
  'ec2:RunInstances',
  'ssm:SendCommand',
  'ssm:StartSession',
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:CreateChangeSet',
  'glue:CreateDevEndpoint',
  'glue:UpdateDevEndpoint',
  'codebuild:CreateProject',
  'codebuild:UpdateProject',
  'codebuild:StartBuild',
  'sagemaker:CreateNotebookInstance',
  'sagemaker:CreatePresignedNotebookInstanceUrl',
];

const ESCALATION = new Set(PRIVILEGE_ESCALATION_ACTIONS.map((a) => a.toLowerCase()));

/** True when the concrete action (any case) is a privilege-escalation action. */
export function isPrivilegeEscalation(action: string): boolean {
  return ESCALATION.has(action.toLowerCase());
}
