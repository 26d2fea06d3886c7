/**
 * AWS::LanguageExtensions: resources made by `Fn::ForEach` are expanded and checked like any
 * other; what cannot be expanded (a collection known only at deploy time, a Resources-level
 * AWS::Include) is reported as unknown, never as "no such resource".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCloudFormation } from '../../src/loaders/cloudformation/index.js';
import { scan } from '../../src/scan.js';
import { errorLine } from '../helpers/errors.js';
import { HARDENED_POOL, hardenedPoolCompanions } from '../helpers/hardened-pool.js';

const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::LanguageExtensions\n';

const POOLS = `${HEADER}Parameters:
  Envs:
    Type: CommaDelimitedList
    Default: "dev,prod"
Resources:
  Fn::ForEach::Pools:
    - Env
    - !Ref Envs
    - Pool\${Env}:
        Type: AWS::Cognito::UserPool
        Properties:
          UserPoolName: !Sub "users-\${Env}"
          MfaConfiguration: "OFF"
      Client&{Env}:
        Type: AWS::Cognito::UserPoolClient
        Properties:
          UserPoolId: !Ref Pool\${Env}
          ClientName: !Ref Env
`;

const load = (text: string, parameters?: Record<string, string>) => loadCloudFormation('t.yaml', text, parameters ? { parameters } : {});
const summary = (text: string, parameters?: Record<string, string>) =>
  load(text, parameters).resources.map((r) => [r.kind, r.name, r.source.line, r.properties.name ?? r.properties.clientName ?? null]);

describe('Fn::ForEach in Resources', () => {
  it('a CommaDelimitedList parameter Default as the collection: one resource per item, located at the loop body', () => {
    expect(summary(POOLS)).toEqual([
      ['cognito.userPool', 'Pooldev', 11, 'users-dev'],
      ['cognito.userPoolClient', 'Clientdev', 16, 'dev'],
      ['cognito.userPool', 'Poolprod', 11, 'users-prod'],
      ['cognito.userPoolClient', 'Clientprod', 16, 'prod'],
    ]);
    const pool = load(POOLS).resources[0]!;
    expect(pool.properties.mfaConfiguration).toBe('OFF');
    expect(pool.source.properties?.mfaConfiguration?.line).toBe(15);
  });

  it('--param Envs=qa overrides the Default; Ref Pool${Env} links each client to its own pool', () => {
    const { resources } = load(POOLS, { Envs: 'qa' });
    expect(resources.map((r) => r.name)).toEqual(['Poolqa', 'Clientqa']);
    expect(resources[1]!.relations.userPool).toEqual(['t.yaml#Poolqa']);
  });

  it('a literal collection with non-alphanumeric items: &{Id} drops them in the logical id, ${Id} keeps them in values', () => {
    const text = `${HEADER}Resources:
  Fn::ForEach::Clients:
    - Host
    - [app.example.com, admin.example.com]
    - Client&{Host}:
        Type: AWS::Cognito::UserPoolClient
        Properties:
          CallbackURLs: ["http://\${Host}/callback"]
`;
    const { resources } = load(text);
    expect(resources.map((r) => [r.name, r.properties.callbackURLs])).toEqual([
      ['Clientappexamplecom', ['http://app.example.com/callback']],
      ['Clientadminexamplecom', ['http://admin.example.com/callback']],
    ]);
  });

  it('nested loops: the inner collection and body see the outer identifier', () => {
    const text = `${HEADER}Mappings:
  Apps:
    web: {Stages: [dev, prod]}
    ops: {Stages: [prod]}
Resources:
  Fn::ForEach::Apps:
    - App
    - [web, ops]
    - Fn::ForEach::Stages:
        - Stage
        - !FindInMap [Apps, !Ref App, Stages]
        - Pool\${App}\${Stage}:
            Type: AWS::Cognito::UserPool
            Properties:
              UserPoolName: \${App}-\${Stage}
`;
    expect(summary(text).map((r) => [r[1], r[3]])).toEqual([
      ['Poolwebdev', 'web-dev'],
      ['Poolwebprod', 'web-prod'],
      ['Poolopsprod', 'ops-prod'],
    ]);
  });

  it('inline suppressions in the loop body apply to every generated resource', () => {
    const text = POOLS.replace(
      '        Type: AWS::Cognito::UserPool\n',
      '        Type: AWS::Cognito::UserPool\n        Metadata:\n          cognito-guard:\n            suppressions:\n              - rule: cognito-user-pool-mfa-enabled\n                reason: MFA is enforced by the upstream IdP (SEC-7)\n',
    );
    const { resources } = load(text);
    expect(resources.filter((r) => r.kind === 'cognito.userPool').map((r) => [r.name, r.suppressions?.[0]?.rule])).toEqual([
      ['Pooldev', 'cognito-user-pool-mfa-enabled'],
      ['Poolprod', 'cognito-user-pool-mfa-enabled'],
    ]);
  });

  it('a loop over an unknown collection of a type the scanner does not analyze (AWS::S3::Bucket) adds nothing', () => {
    const text = `${HEADER}Parameters:\n  Names: {Type: CommaDelimitedList}\nResources:\n  Fn::ForEach::Buckets:\n    - Name\n    - !Ref Names\n    - Bucket\${Name}:\n        Type: AWS::S3::Bucket\n`;
    expect(load(text).resources).toEqual([]);
  });

  it('Fn::ForEach inside Properties makes the mapping unknown instead of dropping the keys it adds', () => {
    const text = `${HEADER}Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      UserPoolName: p\n      Fn::ForEach::Mfa:\n        - X\n        - [a]\n        - MfaConfiguration: "ON"\n`;
    const pool = load(text).resources[0]!;
    expect(pool.unresolved.mfaConfiguration).toBe('Fn::ForEach::Mfa inside properties is not expanded');
  });
});

describe('Fn::ForEach input errors (CloudFormation would reject the template)', () => {
  it('a loop that is not [Identifier, Collection, {OutputKey: OutputValue}]', () => {
    const text = `${HEADER}Resources:\n  Fn::ForEach::Bad:\n    - Env\n    - [a]\n`;
    expect(errorLine(() => load(text))).toBe('t.yaml:4:3: Fn::ForEach::Bad takes [Identifier, Collection, {OutputKey: OutputValue}]');
  });

  it('an item that makes a logical id with a non-alphanumeric character through ${Id}', () => {
    const text = `${HEADER}Resources:\n  Fn::ForEach::Pools:\n    - Env\n    - [my-env]\n    - Pool\${Env}:\n        Type: AWS::Cognito::UserPool\n`;
    expect(errorLine(() => load(text))).toBe(
      't.yaml:7:7: Fn::ForEach::Pools: logical id "Poolmy-env" made from "Pool${Env}" is not alphanumeric (CloudFormation rejects it; &{Env} drops other characters)',
    );
  });

  it('a generated logical id that clashes with a resource', () => {
    const text = `${HEADER}Resources:\n  Poolx:\n    Type: AWS::Cognito::UserPool\n  Fn::ForEach::Pools:\n    - Env\n    - [x]\n    - Pool\${Env}:\n        Type: AWS::Cognito::UserPool\n`;
    expect(errorLine(() => load(text))).toBe('t.yaml:9:7: resource Poolx is defined twice (once by Fn::ForEach)');
  });

  it('an item __proto__ substituted into a property key', () => {
    const text = `${HEADER}Resources:\n  Fn::ForEach::Pools:\n    - Key\n    - [__proto__]\n    - Pool&{Key}:\n        Type: AWS::Cognito::UserPool\n        Properties:\n          \${Key}:\n            MfaConfiguration: "ON"\n`;
    expect(errorLine(() => load(text))).toBe('t.yaml:4:3: Fn::ForEach::Pools: the key "__proto__" is not allowed: it would change how the object is read');
  });
});

describe('what cannot be expanded counts against --fail-on as unknown', () => {
  const UNKNOWN_COLLECTION = `${HEADER}Parameters:
  Teams:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Teams:
    - Team
    - !Ref Teams
    - Pool\${Team}:
        Type: AWS::Cognito::UserPool
        Properties:
${HARDENED_POOL.replace(/^(?=.)/gm, ' '.repeat(10))}${hardenedPoolCompanions('Pool${Team}').replace(/^(?=.)/gm, ' '.repeat(4))}`;
  const INCLUDE = `${HEADER}Resources:
  Fn::Transform:
    Name: AWS::Include
    Parameters:
      Location: s3://bucket/auth.yaml
`;

  it('a loop over a CommaDelimitedList parameter without Default: a user pool whose every property is unknown, at the loop body', () => {
    const [pool, ...rest] = load(UNKNOWN_COLLECTION).resources;
    expect(rest).toEqual([]);
    expect([pool!.kind, pool!.name, pool!.source.line]).toEqual(['cognito.userPool', 'Pool${Team}', 10]);
    expect(pool!.unresolved.mfaConfiguration).toBe('Fn::ForEach::Teams cannot be expanded: parameter Teams has no Default; pass --param Teams=...');
    expect(pool!.properties).toEqual({});
  });

  it('a Resources-level Fn::Transform AWS::Include: resources of every kind, unknown, at the include', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-include-'));
    writeFileSync(join(dir, 't.yaml'), INCLUDE);
    const result = await scan({ inputs: ['t.yaml'], cwd: dir, now: new Date('2026-11-29') });
    // One stand-in per kind, so one finding per rule and kind it applies to.
    expect(result.findings.length).toBe(result.rules.reduce((n, r) => n + r.resource.length, 0));
    expect(result.findings.every((f) => f.status === 'unknown' && f.location.line === 4 && f.resource.name === 'Fn::Transform')).toBe(true);
    expect(result.findings.find((f) => f.ruleId === 'cognito-user-pool-mfa-enabled')?.reason).toBe(
      'mfaConfiguration is not known: Fn::Transform AWS::Include (s3://bucket/auth.yaml) adds resources that are not in the template',
    );
  });

  const bin = resolve(import.meta.dirname, '../../dist/cli/bin.js');
  const cli = (text: string, args: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-foreach-'));
    writeFileSync(join(dir, 't.yaml'), text);
    const res = spawnSync(process.execPath, [bin, 'scan', 't.yaml', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  it.each(['text', 'json', 'sarif', 'markdown'])('cognito-guard scan of a loop over an unknown collection exits 1 and shows the unknown in %s', (format) => {
    const { code, stdout, stderr } = cli(UNKNOWN_COLLECTION, ['--format', format]);
    expect(stderr).toBe('');
    expect(stdout).toContain('Fn::ForEach::Teams cannot be expanded: parameter Teams has no Default');
    expect(stdout).toContain('cognito-user-pool-mfa-enabled');
    expect(code).toBe(1);
  });

  it('cognito-guard scan of the same loop with --param Teams=red,blue exits 0 (both pools hardened)', () => {
    const { code, stdout } = cli(UNKNOWN_COLLECTION, ['--param', 'Teams=red,blue', '--format', 'json']);
    const report = JSON.parse(stdout) as { findings: unknown[]; summary: { open: number } };
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('cognito-guard scan of a Resources-level AWS::Include exits 1', () => {
    const { code, stdout } = cli(INCLUDE, []);
    expect(stdout).toContain('t.yaml:4:3');
    expect(stdout).toContain('Fn::Transform AWS::Include (s3://bucket/auth.yaml) adds resources that are not in the template');
    expect(code).toBe(1);
  });
});

describe('resources of an unknown collection that could be several kinds', () => {
  it('a loop over an unknown collection of AWS::Serverless::Api gives an API and a method, each with its own id', () => {
    const text = `${HEADER}Parameters:\n  Names: {Type: CommaDelimitedList}\nResources:\n  Fn::ForEach::Apis:\n    - Name\n    - !Ref Names\n    - Api\${Name}:\n        Type: AWS::Serverless::Api\n`;
    expect(load(text).resources.map((r) => [r.kind, r.id])).toEqual([
      ['apigateway.restApi', 't.yaml#Api${Name}:apigateway.restApi'],
      ['apigateway.method', 't.yaml#Api${Name}:apigateway.method'],
    ]);
  });
});
