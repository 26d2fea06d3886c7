/**
 * The properties (CloudFormation YAML) of a user pool that every default user-pool rule passes on
 * its own properties: MFA required with TOTP, admin-only sign-up, a strong password policy with
 * history, the Plus plan with threat protection enforced (custom auth too), deletion protection,
 * case-insensitive usernames and recovery by verified email. Tests about something else use it so
 * that the pool itself adds no finding; the rules that read other resources (risk configuration,
 * log delivery, WAF) also need {@link hardenedPoolCompanions}.
 */
export const HARDENED_POOL = `MfaConfiguration: "ON"
EnabledMfas: [SOFTWARE_TOKEN_MFA]
AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }
Policies:
  PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, PasswordHistorySize: 5 }
UserPoolTier: PLUS
UserPoolAddOns: { AdvancedSecurityMode: ENFORCED, AdvancedSecurityAdditionalFlows: { CustomAuthMode: ENFORCED } }
DeletionProtection: ACTIVE
UsernameConfiguration: { CaseSensitive: false }
AccountRecoverySetting: { RecoveryMechanisms: [{ Name: verified_email, Priority: 1 }] }
`;

/**
 * The resources (CloudFormation YAML, indented for `Resources:`) that complete a hardened pool
 * named `pool`: what threat protection does about risky sign-ins, its user activity logs, and a
 * WAF web ACL in front of the pool's endpoints.
 */
export function hardenedPoolCompanions(pool: string): string {
  return `  ${pool}Risk:
    Type: AWS::Cognito::UserPoolRiskConfigurationAttachment
    Properties:
      UserPoolId: !Ref ${pool}
      ClientId: ALL
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: BLOCK } }
      AccountTakeoverRiskConfiguration:
        Actions:
          HighAction: { EventAction: BLOCK, Notify: true }
          MediumAction: { EventAction: MFA_REQUIRED, Notify: true }
          LowAction: { EventAction: MFA_IF_CONFIGURED, Notify: false }
  ${pool}Logs:
    Type: AWS::Cognito::LogDeliveryConfiguration
    Properties:
      UserPoolId: !Ref ${pool}
      LogConfigurations:
        - EventSource: userAuthEvents
          LogLevel: INFO
          CloudWatchLogsConfiguration: { LogGroupArn: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/cognito/auth-events }
  ${pool}Waf:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !GetAtt ${pool}.Arn
      WebACLArn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/users/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d
`;
}
