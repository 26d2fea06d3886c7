/**
 * Where an app client's secret flows in Terraform configurations (the rule fixtures cover
 * CloudFormation and plans): through locals and string templates into a Lambda environment
 * variable, into an output made readable with nonsensitive(), not into a sensitive output. The
 * finding names the place, never the secret.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';

const RULE = 'cognito-client-secret-not-exposed';

const MAIN_TF = `resource "aws_cognito_user_pool" "pool" { name = "pool" }
resource "aws_cognito_user_pool_client" "lambda" {
  name            = "lambda"
  user_pool_id    = aws_cognito_user_pool.pool.id
  generate_secret = true
}
resource "aws_cognito_user_pool_client" "output" {
  name            = "output"
  user_pool_id    = aws_cognito_user_pool.pool.id
  generate_secret = true
}
resource "aws_cognito_user_pool_client" "sensitive" {
  name            = "sensitive"
  user_pool_id    = aws_cognito_user_pool.pool.id
  generate_secret = true
}
locals { secret = aws_cognito_user_pool_client.lambda.client_secret }
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  environment {
    variables = {
      CLIENT_ID     = aws_cognito_user_pool_client.lambda.id
      CLIENT_SECRET = "\${local.secret}"
    }
  }
}
output "leaked" { value = nonsensitive(aws_cognito_user_pool_client.output.client_secret) }
output "kept" {
  value     = aws_cognito_user_pool_client.sensitive.client_secret
  sensitive = true
}
`;

describe('client secret flow in a Terraform configuration', () => {
  it('a .tf sending secrets to a Lambda variable (through a local) and to a nonsensitive output: fail at each sink; a sensitive output passes', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cg-secret-'));
    writeFileSync(join(cwd, 'main.tf'), MAIN_TF);
    const result = await scan({ inputs: ['main.tf'], cwd });
    const found = result.findings
      .filter((f) => f.ruleId === RULE)
      .map((f) => ({ status: f.status, client: f.resource.name, line: f.location.line, message: f.message }));
    expect(found).toEqual([
      {
        status: 'fail',
        client: 'aws_cognito_user_pool_client.lambda',
        line: 24,
        message: 'The client secret of app client aws_cognito_user_pool_client.lambda flows to Lambda function environment variable CLIENT_SECRET of aws_lambda_function.api',
      },
      {
        status: 'fail',
        client: 'aws_cognito_user_pool_client.output',
        line: 28,
        message: 'The client secret of app client aws_cognito_user_pool_client.output flows to output leaked (not sensitive)',
      },
    ]);
  });
});
