/**
 * AWS::Include works anywhere in a template except Parameters and the version: in the Transform
 * section (it can bring whole resources), in Resources, as a resource's definition, and inside
 * Properties next to other keys. What it brings is in S3, so every place it can add to is
 * unknown: never judged from what the template happens to show, never a clean exit 0.
 */
import { describe, expect, it } from 'vitest';
import { HARDENED_POOL, hardenedPoolCompanions } from '../helpers/hardened-pool.js';
import { CLEAN_TEMPLATE, runCli, workspace } from './run-cli.js';

const INCLUDE = 'Fn::Transform:\n  Name: AWS::Include\n  Parameters: {Location: "s3://bucket/part.yaml"}\n';
const indent = (text: string, spaces: number) => text.replace(/^(?=.)/gm, ' '.repeat(spaces));
const MFA_ON = HARDENED_POOL;

/** Runs `scan t.yaml --format json` and returns the exit code and the findings. */
function scanJson(template: string) {
  const dir = workspace({ 't.yaml': template });
  const { code, stdout, stderr } = runCli(['scan', 't.yaml', '--format', 'json'], dir);
  const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; status: string; reason?: string; resource: { name: string }; location: { line: number } }> };
  return { code, stderr, findings: report.findings };
}

describe('AWS::Include wherever it is written', () => {
  it('a Transform section {Name: AWS::Include} next to a pool with MFA on: exit 1, every rule unknown at the Transform', () => {
    const text = `Transform:\n  Name: AWS::Include\n  Parameters: {Location: "s3://bucket/resources.yaml"}\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n${indent(MFA_ON, 6)}${hardenedPoolCompanions('Pool')}`;
    const { code, stderr, findings } = scanJson(text);
    expect(stderr).toBe('');
    const mfa = findings.find((f) => f.ruleId === 'cognito-user-pool-mfa-enabled');
    expect(mfa).toMatchObject({ status: 'unknown', resource: { name: 'Transform' }, location: { line: 1 } });
    expect(mfa!.reason).toBe('mfaConfiguration is not known: Transform AWS::Include (s3://bucket/resources.yaml) adds template content that is not in the template');
    expect(new Set(findings.map((f) => f.status))).toEqual(new Set(['unknown']));
    expect(code).toBe(1);
  });

  it('a Transform list [AWS::Serverless-2016-10-31, {Name: AWS::Include}] with empty Resources, found by walking a directory: scanned, exit 1', () => {
    const text = `Transform:\n  - AWS::Serverless-2016-10-31\n  - Name: AWS::Include\n    Parameters: {Location: "s3://bucket/resources.yaml"}\nResources: {}\n`;
    const dir = workspace({ 'stack/t.yaml': text, 'stack/clean.yaml': CLEAN_TEMPLATE });
    const { code, stdout, stderr } = runCli(['scan', 'stack'], dir);
    expect(stderr).toBe('');
    expect(stdout).toContain('stack/t.yaml:3:5');
    expect(stdout).toContain('Transform AWS::Include (s3://bucket/resources.yaml) adds template content that is not in the template');
    expect(code).toBe(1);
  });

  it('a Transform section with only the SAM transform (a name, not an include): the pool with MFA on is clean', () => {
    const text = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n${indent(MFA_ON, 6)}${hardenedPoolCompanions('Pool')}`;
    const { code, findings } = scanJson(text);
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('a resource whose whole definition is Fn::Transform AWS::Include: exit 1 with unknowns, not "has no Type; it is skipped"', () => {
    const text = `Resources:\n  Pool:\n${indent(INCLUDE, 4)}  Topic:\n    Type: AWS::SNS::Topic\n`;
    const { code, stderr, findings } = scanJson(text);
    expect(stderr).toBe('');
    const mfa = findings.find((f) => f.ruleId === 'cognito-user-pool-mfa-enabled');
    expect(mfa).toMatchObject({ status: 'unknown', resource: { name: 'Pool' }, location: { line: 2 } });
    expect(mfa!.reason).toBe('mfaConfiguration is not known: Fn::Transform AWS::Include (s3://bucket/part.yaml) adds to resource Pool what is not in the template');
    expect(code).toBe(1);
  });

  it('Type: AWS::Cognito::UserPool with Fn::Transform AWS::Include beside it: the pool is unknown, not judged from the MFA OFF default', () => {
    const text = `Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n${indent(INCLUDE, 4)}`;
    const { code, findings } = scanJson(text);
    expect(new Set(findings.map((f) => f.status))).toEqual(new Set(['unknown']));
    expect(findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['cognito-user-pool-mfa-enabled', 'cognito-user-pool-mfa-required', 'cognito-user-pool-mfa-not-sms-only']),
    );
    expect(code).toBe(1);
  });

  it('Properties with Fn::Transform AWS::Include next to MfaConfiguration: "ON": unknown, not clean', () => {
    const text = `Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n${indent(MFA_ON + INCLUDE, 6)}`;
    const { code, findings } = scanJson(text);
    const mfa = findings.find((f) => f.ruleId === 'cognito-user-pool-mfa-enabled');
    expect(mfa).toMatchObject({ status: 'unknown', reason: 'mfaConfiguration is not known: Fn::Transform (a macro) next to other keys adds what is not in the template' });
    expect(code).toBe(1);
  });
});
