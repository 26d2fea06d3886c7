/** The account part CloudFormation writes for "the account this stack deploys to". */
export const THIS_ACCOUNT = '${AWS::AccountId}';

/** The parts of an IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`. */
export interface RoleArn {
  partition: string;
  /** Twelve digits, or {@link THIS_ACCOUNT} in a template. */
  account: string;
  /** Everything after `role/`: the path, if any, then the name. */
  resource: string;
  name: string;
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d*|\$\{AWS::AccountId\}):role\/(.+)$/;

/** Parses an IAM role ARN (or a template's ARN with `${AWS::AccountId}`); undefined for anything else. */
export function parseRoleArn(text: string): RoleArn | undefined {
  const m = ROLE_ARN.exec(text);
  if (!m) return undefined;
  const resource = m[3]!;
  return { partition: m[1]!, account: m[2]!, resource, name: resource.slice(resource.lastIndexOf('/') + 1) };
}
