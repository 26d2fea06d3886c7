import { recordSecretFlows, type SecretSink } from '../../client-secret-flow.js';
import type { PathSegment, Target } from '../../scope.js';
import { Unknown, isRecord, type Evaluated } from '../../values.js';
import type { TerraformBlock, TerraformOutput } from '../block.js';

/**
 * Where a configuration lets an app client's secret (`aws_cognito_user_pool_client.x.client_secret`)
 * be read by more than the service that needs it: Lambda environment variables
 * (GetFunctionConfiguration returns them in plain text), SSM parameters that are not
 * SecureString, Amplify environment variables, CloudFront function code, S3 objects, local
 * files and root outputs not marked sensitive. Terraform marks the secret sensitive, but that only hides it in the CLI's output.
 */
const SINKS: Record<string, (b: TerraformBlock) => Array<{ what: string; path: PathSegment[]; doubt?: string }>> = {
  aws_lambda_function: (b) => entries(b, ['environment', 0, 'variables'], 'Lambda function environment variable'),
  aws_amplify_app: (b) => entries(b, ['environment_variables'], 'Amplify environment variable'),
  aws_amplify_branch: (b) => entries(b, ['environment_variables'], 'Amplify environment variable'),
  aws_cloudfront_function: () => [{ what: 'CloudFront function code', path: ['code'] }],
  aws_s3_object: () => [{ what: 'S3 object content', path: ['content'] }],
  aws_s3_bucket_object: () => [{ what: 'S3 object content', path: ['content'] }],
  local_file: () => [{ what: 'file content', path: ['content'] }],
  aws_ssm_parameter: (b) => {
    const type = b.get(['type']);
    if (type === 'SecureString') return [];
    const doubt = type instanceof Unknown ? `its type is not known (${type.reason})` : typeof type === 'string' ? undefined : 'its type is not known';
    return ['value', 'insecure_value'].map((k) => ({ what: 'SSM parameter (not SecureString)', path: [k], ...(doubt !== undefined && { doubt }) }));
  },
};

function entries(b: TerraformBlock, path: PathSegment[], what: string): Array<{ what: string; path: PathSegment[] }> {
  const map = b.get(path);
  if (!isRecord(map)) return map === undefined || map === null ? [] : [{ what, path }];
  return Object.keys(map).map((k) => ({ what: `${what} ${k}`, path: [...path, k] }));
}

/** Sets `secretExposedTo` on the inputs' app clients (`clients`: by address, with their block). */
export function terraformSecretFlows(blocks: readonly TerraformBlock[], outputs: readonly TerraformOutput[], clients: ReadonlyMap<string, { target: Target; block: TerraformBlock }>): void {
  if (clients.size === 0) return;
  const sinks: SecretSink[] = [];
  for (const block of blocks) {
    if (block.mode !== 'managed' || !Object.hasOwn(SINKS, block.type) || block.values instanceof Unknown) continue;
    for (const s of SINKS[block.type]!(block)) {
      const value: Evaluated | undefined = block.get(s.path);
      if (value === undefined || value === null) continue;
      sinks.push({ what: `${s.what} of ${block.address}`, value, doubt: s.doubt, position: block.locate(s.path), file: block.file });
    }
  }
  // An output marked sensitive is still in the state, but only `terraform output -json` or the state shows it.
  for (const o of outputs) {
    if (o.sensitive === true) continue;
    const doubt = o.sensitive instanceof Unknown ? o.sensitive.reason : undefined;
    sinks.push({ what: `output ${o.name} (not sensitive)`, value: o.value, doubt, position: o.position, file: o.file });
  }
  recordSecretFlows(new Map([...clients].map(([address, c]) => [address, c.target])), sinks, 'client_secret', (address) => clients.get(address)?.block.file);
}
