/**
 * Nested stacks (`AWS::CloudFormation::Stack`, `AWS::Serverless::Application`) whose template is
 * a local file: loaded with the parameters the parent passes, in their own file and lines, once.
 * A template that cannot be read locally is unknown, never clean.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanOutput } from '../../src/scan.js';
import { rejectionLine as rejection, workspace } from '../helpers/workspace.js';

const MFA = 'cognito-user-pool-mfa-enabled';
const NOW = new Date('2026-11-22T00:00:00Z');


/** A child template whose pool's MFA comes from a parameter (Default ON: clean when nothing is passed). */
const CHILD = `Parameters:
  Mfa:
    Type: String
    Default: "ON"
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      MfaConfiguration: !Ref Mfa
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
`;

const parent = (stack: string): string => `Parameters:
  Unset:
    Type: String
Resources:
${stack}`;

/** A nested stack resource `Auth` with its TemplateURL and Parameters (YAML lines below `Parameters:`). */
const nest = (url: string, parameters = ''): string =>
  `  Auth:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${url}\n${parameters ? `      Parameters:\n${parameters}` : ''}`;

const mfaOf = (result: ScanOutput, id: string) => result.findings.filter((f) => f.ruleId === MFA && f.resource.id === id);


describe('nested stacks', () => {
  it('stacks/child.yaml nested with Mfa OFF: the child pool fails at its own line, id child#Pool', async () => {
    const cwd = workspace({
      'parent.yaml': parent(nest('./stacks/child.yaml', '        Mfa: "OFF"\n')),
      'stacks/child.yaml': CHILD,
    });
    const result = await scan({ inputs: ['parent.yaml'], cwd, now: NOW });
    const found = mfaOf(result, 'stacks/child.yaml#Pool');
    expect(found.map((f) => [f.status, f.location.file, f.location.line])).toEqual([['fail', 'stacks/child.yaml', 9]]);
    expect(result.inputs).toEqual([
      { file: 'parent.yaml', format: 'cloudformation' },
      { file: 'stacks/child.yaml', format: 'cloudformation' },
    ]);
  });

  it('a child parameter the parent does not pass takes the child Default', async () => {
    const cwd = workspace({
      'parent.yaml': parent(nest('child.yaml')),
      'child.yaml': CHILD,
    });
    const result = await scan({ inputs: ['parent.yaml'], cwd, now: NOW });
    expect(result.resources.map((r) => r.id)).toEqual(['child.yaml#Pool']);
    expect(mfaOf(result, 'child.yaml#Pool')).toEqual([]);
  });

  it('a parameter the parent cannot know (!Ref of a parameter without Default) is unknown in the child, naming the nested stack', async () => {
    const cwd = workspace({
      'parent.yaml': parent(nest('child.yaml', '        Mfa: !Ref Unset\n')),
      'child.yaml': CHILD,
    });
    const result = await scan({ inputs: ['parent.yaml'], cwd, now: NOW });
    const found = mfaOf(result, 'child.yaml#Pool');
    expect(found.map((f) => f.status)).toEqual(['unknown']);
    expect(found[0]!.reason).toContain('parameter Mfa passed by nested stack Auth: parameter Unset has no Default');
  });

  it('a role the parent passes as !GetAtt Role.Arn links the child identity pool to the parent role, not to a child role of the same logical id', async () => {
    const child = `Parameters:\n  RoleArn: {Type: String}\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}\n  Pool:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      AllowUnauthenticatedIdentities: false\n  Attach:\n    Type: AWS::Cognito::IdentityPoolRoleAttachment\n    Properties:\n      IdentityPoolId: !Ref Pool\n      Roles: {authenticated: !Ref RoleArn}\n`;
    const cwd = workspace({
      'parent.yaml': parent(
        '  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}\n  Auth:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters:\n        RoleArn: !GetAtt Role.Arn\n',
      ),
      'child.yaml': child,
    });
    const result = await scan({ inputs: ['parent.yaml'], cwd, now: NOW });
    const pool = result.resources.find((r) => r.id === 'child.yaml#Pool')!;
    expect(pool.properties.roles).toEqual({ authenticated: 'parent.yaml#Role' });
    expect(pool.relations.authenticatedRole).toEqual(['parent.yaml#Role']);
  });

  it('a directory holding parent and child loads the child once, with the parameters the parent passes', async () => {
    const cwd = workspace({
      'infra/a-child.yaml': CHILD,
      'infra/parent.yaml': parent(nest('a-child.yaml', '        Mfa: "OFF"\n')),
    });
    const result = await scan({ inputs: ['infra'], cwd, now: NOW });
    expect(result.resources.map((r) => r.id)).toEqual(['infra/a-child.yaml#Pool']);
    expect(mfaOf(result, 'infra/a-child.yaml#Pool').map((f) => f.status)).toEqual(['fail']);
    expect(result.inputs.map((i) => i.file)).toEqual(['infra/parent.yaml', 'infra/a-child.yaml']);
  });

  it('one child nested twice gets two sets of ids, each with its own parameters', async () => {
    const stack = (id: string, mfa: string) => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters:\n        Mfa: "${mfa}"\n`;
    const cwd = workspace({ 'parent.yaml': parent(stack('Dev', 'OFF') + stack('Prod', 'ON')), 'child.yaml': CHILD });
    const result = await scan({ inputs: ['parent.yaml'], cwd, now: NOW });
    expect(result.resources.map((r) => r.id)).toEqual(['child.yaml#Pool', 'child.yaml(Prod)#Pool']);
    expect(mfaOf(result, 'child.yaml#Pool').map((f) => f.status)).toEqual(['fail']);
    expect(mfaOf(result, 'child.yaml(Prod)#Pool')).toEqual([]);
  });

  it('AWS::Serverless::Application with a local Location loads like a nested stack', async () => {
    const cwd = workspace({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31\nResources:\n  Auth:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: ./child.yaml\n      Parameters:\n        Mfa: "OFF"\n`,
      'child.yaml': CHILD,
    });
    const result = await scan({ inputs: ['template.yaml'], cwd, now: NOW });
    expect(mfaOf(result, 'child.yaml#Pool').map((f) => f.status)).toEqual(['fail']);
  });

  it('a TemplateURL in S3 gives a warning and unknown findings at the stack, never a clean result', async () => {
    const cwd = workspace({
      'parent.yaml': parent(nest('https://s3.amazonaws.com/bucket/child.yaml')),
    });
    const result = await scan({ inputs: ['parent.yaml'], cwd, now: NOW });
    expect(result.diagnostics).toContainEqual({
      severity: 'warning',
      code: 'cloudformation-nested-stack-not-read',
      message: 'nested stack Auth: its template (https://s3.amazonaws.com/bucket/child.yaml) is not a local file, so what it creates is not checked',
      file: 'parent.yaml',
      line: 5,
      column: 3,
    });
    const mfa = result.findings.filter((f) => f.ruleId === MFA);
    expect(mfa.map((f) => [f.status, f.resource.name, f.location.line])).toEqual([['unknown', 'Auth', 5]]);
  });

  it('a Serverless Application Repository application is unknown too', async () => {
    const cwd = workspace({
      'template.yaml': `Resources:\n  Auth:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location:\n        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/auth\n        SemanticVersion: 1.0.0\n`,
    });
    const result = await scan({ inputs: ['template.yaml'], cwd, now: NOW });
    expect(result.findings.filter((f) => f.ruleId === MFA).map((f) => f.status)).toEqual(['unknown']);
  });

  it('a local TemplateURL that does not exist is an input error at its line', async () => {
    const cwd = workspace({ 'parent.yaml': parent(nest('missing.yaml')) });
    expect(await rejection(scan({ inputs: ['parent.yaml'], cwd }))).toBe('parent.yaml:8:7: nested stack Auth: TemplateURL missing.yaml: no such file (missing.yaml)');
  });

  it('a TemplateURL naming a file that is not a template (../.aws/credentials) is an input error, and the file is not read', async () => {
    const cwd = workspace({ 'parent.yaml': parent(nest('../.aws/credentials')) });
    expect(await rejection(scan({ inputs: ['parent.yaml'], cwd }))).toBe('parent.yaml:8:7: nested stack Auth: TemplateURL ../.aws/credentials is not a template file (.yaml, .yml, .json, .template)');
  });

  it('a.yaml nesting b.yaml nesting a.yaml is an input error naming the cycle', async () => {
    const cycle = (to: string) => `Resources:\n  Next:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${to}\n`;
    const cwd = workspace({ 'a.yaml': cycle('b.yaml'), 'b.yaml': cycle('a.yaml') });
    expect(await rejection(scan({ inputs: ['a.yaml'], cwd }))).toBe('b.yaml:5:7: nested stack Next: its template includes itself (a.yaml -> b.yaml -> a.yaml)');
  });

  it('a child that does not parse is an input error in the child file', async () => {
    const cwd = workspace({
      'parent.yaml': parent(nest('child.yaml')),
      'child.yaml': 'Resources:\n  Pool: [\n',
    });
    expect(await rejection(scan({ inputs: ['parent.yaml'], cwd }))).toMatch(/^child\.yaml:\d+:\d+: /);
  });
});

describe('cognito-guard scan (built binary) on nested stacks', () => {
  const bin = join(resolve(import.meta.dirname, '../..'), 'dist/cli/bin.js');
  const run = (cwd: string, args: string[]) => spawnSync(process.execPath, [bin, 'scan', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('a stack that includes itself exits 2 with one line naming the parent line', () => {
    const cwd = workspace({ 'self.yaml': 'Resources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./self.yaml\n' });
    const res = run(cwd, ['self.yaml']);
    expect(res.status).toBe(2);
    expect(res.stderr).toBe('cognito-guard: self.yaml:5:7: nested stack Again: its template includes itself (self.yaml -> self.yaml)\n');
  });

  it('a stack in S3 exits 1 (unknown counts against --fail-on), the warning in the JSON diagnostics', () => {
    const cwd = workspace({ 'parent.yaml': parent(nest('https://s3.amazonaws.com/bucket/child.yaml')) });
    const res = run(cwd, ['parent.yaml', '--format', 'json']);
    expect(res.status).toBe(1);
    const report = JSON.parse(res.stdout) as { findings: Array<{ ruleId: string; status: string }>; diagnostics: Array<{ code: string }> };
    expect(report.diagnostics.map((d) => d.code)).toContain('cloudformation-nested-stack-not-read');
    expect(report.findings.filter((f) => f.ruleId === MFA).map((f) => f.status)).toEqual(['unknown']);
  });
});
