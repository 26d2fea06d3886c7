/**
 * The bundled Action on a Terraform module: the bundle finds the HCL parser's WebAssembly
 * (dist/main.wasm.gz) beside itself and reports the finding at the attribute's line. Built from
 * the current sources into a copy of the action's checkout as the runner has it: dist/,
 * rules/, schemas/ and package.json, no node_modules.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runAction } from './helpers.js';

const checkout = mkdtempSync(join(tmpdir(), 'cg-action-checkout-'));
const fresh = join(checkout, 'dist/action.js');

beforeAll(() => {
  for (const part of ['rules', 'schemas', 'package.json']) cpSync(join(root, part), join(checkout, part), { recursive: true });
  execFileSync(process.execPath, [join(root, 'scripts/build-action.mjs'), '--outfile', fresh], { cwd: root, stdio: 'pipe' });
}, 120_000);

describe('the bundled action on Terraform', () => {
  it('scans a .tf module with a var-file, without node_modules: the finding at the attribute line', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'cg-action-tf-'));
    writeFileSync(join(workspace, 'main.tf'), 'resource "aws_cognito_user_pool" "pool" {\n  name              = "pool"\n  mfa_configuration = "OFF"\n}\n');
    writeFileSync(join(workspace, 'prod.tfvars'), 'stage = "prod"\n');
    const run = await runAction(workspace, { path: 'main.tf', 'var-files': 'prod.tfvars', vars: 'region=eu-west-1' }, { bundle: fresh });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.annotations).toContain(
      '::error title=cognito-user-pool-mfa-enabled%3A User pool has MFA turned on,file=main.tf,line=3,col=3::' +
        '[high] User pool aws_cognito_user_pool.pool has MFA turned off (aws_cognito_user_pool.pool)',
    );
  }, 120_000);
});
