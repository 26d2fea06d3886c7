/** Every resource kind the scanner knows. Loaders produce these; rules select on them. */
export const RESOURCE_KINDS = [
  'cognito.userPool',
  'cognito.userPoolClient',
  'cognito.identityProvider',
  'cognito.userPoolDomain',
  'cognito.userPoolGroup',
  'cognito.identityPool',
  'iam.role',
  'iam.policy',
  'apigateway.restApi',
  'apigateway.method',
  'apigateway.authorizer',
  'apigateway.stage',
  'apigateway.domainName',
  'apigatewayv2.api',
  'apigatewayv2.route',
  'apigatewayv2.authorizer',
  'apigatewayv2.stage',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** True when `value` names a known resource kind. */
export function isResourceKind(value: unknown): value is ResourceKind {
  return typeof value === 'string' && (RESOURCE_KINDS as readonly string[]).includes(value);
}
