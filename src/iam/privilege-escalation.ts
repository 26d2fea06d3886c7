/**
 * Actions that let whoever holds them gain more access than they were given, as IAM action
 * patterns. Sources: the Cognito privilege-escalation and persistence pages of HackTricks
 * Cloud, Rhino Security Labs' IAM escalation methods, and Prowler's
 * `iam_policy_allows_privilege_escalation` patterns. Access levels alone miss these: `iam:PassRole`
 * and `lambda:UpdateFunctionCode` are "Write", yet each hands over another principal's rights.
 */
export const PRIVILEGE_ESCALATION_ACTIONS: readonly string[] = [
  // Hand a role to a service, or become a role directly.
  'iam:PassRole',
  'sts:AssumeRole',
  // Rewrite who gets which permissions.
  'iam:*',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:AddUserToGroup',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  // Re-point an identity pool at a stronger role, or let a new IdP mint identities.
  'cognito-identity:SetIdentityPoolRoles',
  'cognito-identity:UpdateIdentityPool',
  // Act as any user of a pool (set passwords, add to privileged groups, mint clients/IdPs).
  'cognito-idp:Admin*',
  'cognito-idp:UpdateUserPool',
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
  'glue:CreateDevEndpoint',
  'glue:UpdateDevEndpoint',
  'codebuild:CreateProject',
  'codebuild:StartBuild',
  'sagemaker:CreateNotebookInstance',
  'sagemaker:CreatePresignedNotebookInstanceUrl',
];
