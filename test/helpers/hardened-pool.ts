/**
 * The properties (CloudFormation YAML) of a user pool that every default user-pool rule passes:
 * MFA required with TOTP, admin-only sign-up, a strong password policy, threat protection
 * enforced, deletion protection, case-insensitive usernames and recovery by verified email.
 * Tests about something else use it so that the pool itself adds no finding.
 */
export const HARDENED_POOL = `MfaConfiguration: "ON"
EnabledMfas: [SOFTWARE_TOKEN_MFA]
AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }
Policies:
  PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, PasswordHistorySize: 5 }
UserPoolTier: PLUS
UserPoolAddOns: { AdvancedSecurityMode: ENFORCED }
DeletionProtection: ACTIVE
UsernameConfiguration: { CaseSensitive: false }
AccountRecoverySetting: { RecoveryMechanisms: [{ Name: verified_email, Priority: 1 }] }
`;
