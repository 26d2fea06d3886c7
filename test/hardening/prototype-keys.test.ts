/**
 * Hostile keys and names (issue 6): `__proto__` must never become an object's prototype, and a
 * name that exists on Object.prototype (`constructor`, `toString`...) must never resolve to
 * something found there. Runs the built binary (`npm test` builds first): exit code and the
 * exact one-line error, or the finding and its reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';
import { loadCloudFormation } from '../../src/loaders/cloudformation/index.js';

const bin = resolve(import.meta.dirname, '../../dist/cli/bin.js');

/** Writes `files` into a fresh directory and runs the CLI there. */
function run(files: Record<string, string>, args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'cg-proto-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, name)), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
  const res = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

interface JsonReport {
  findings: Array<{ ruleId: string; status: string; reason?: string; resource: { name: string }; location: { line?: number } }>;
}
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const mfaOf = (report: JsonReport) => report.findings.filter((f) => f.ruleId === 'cognito-user-pool-mfa-enabled').map((f) => `${f.resource.name} ${f.status}`);

const POOL_MFA_UNDER_PROTO = `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      __proto__:
        MfaConfiguration: "ON"
`;

describe('a __proto__ key is an input error with file:line, in every kind of input', () => {
  const protoError = (file: string, where: string, pointer: string) =>
    `cognito-guard: ${file}:${where}: the key "__proto__" is not allowed (at ${pointer}): it would change how the object is read\n`;

  it('YAML template: Properties: {__proto__: {MfaConfiguration: ON}} (would hide MFA OFF)', () => {
    const { code, stdout, stderr } = run({ 't.yaml': POOL_MFA_UNDER_PROTO }, ['scan', 't.yaml']);
    expect(stderr).toBe(protoError('t.yaml', '5:7', '/Resources/Pool/Properties/__proto__'));
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it('JSON template: "Properties": {"MfaConfiguration": "ON", "__proto__": {"MfaConfiguration": "OFF"}} (would hide nothing, still rejected)', () => {
    const text = '{"Resources": {"Pool": {"Type": "AWS::Cognito::UserPool",\n "Properties": {"MfaConfiguration": "ON", "__proto__": {"MfaConfiguration": "OFF"}}}}}\n';
    const { code, stderr } = run({ 't.json': text }, ['scan', 't.json']);
    expect(stderr).toBe(protoError('t.json', '2:43', '/Resources/Pool/Properties/__proto__'));
    expect(code).toBe(2);
  });

  it('snapshot: properties.__proto__ of a user pool', () => {
    const snapshot = {
      version: 1,
      resources: [{ kind: 'cognito.userPool', id: 'pool-1', properties: { __proto__: { mfaConfiguration: 'ON' } } }],
    };
    // JSON.stringify of a literal with __proto__ would drop it: write the text by hand.
    const text = JSON.stringify(snapshot, null, 2).replace('"properties": {}', '"properties": {\n        "__proto__": { "mfaConfiguration": "ON" }\n      }');
    expect(text).toContain('"__proto__"');
    const { code, stderr } = run({ 'snap.json': text }, ['scan', 'snap.json']);
    expect(stderr).toBe(protoError('snap.json', '8:9', '/resources/0/properties/__proto__'));
    expect(code).toBe(2);
  });

  it('config file: rules: {__proto__: {...}}', () => {
    const files = { 't.yaml': 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n', 'cfg.yml': 'rules:\n  __proto__:\n    severity: info\n' };
    const { code, stderr } = run(files, ['scan', 't.yaml', '--config', 'cfg.yml']);
    expect(stderr).toBe(protoError('cfg.yml', '2:3', '/rules/__proto__'));
    expect(code).toBe(2);
  });

  it('parameter file (flat): {"__proto__": {"Mfa": "ON"}}', () => {
    const files = { 't.yaml': 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n', 'p.json': '{\n  "__proto__": {"Mfa": "ON"}\n}\n' };
    const { code, stderr } = run(files, ['scan', 't.yaml', '--param-file', 'p.json']);
    expect(stderr).toBe(protoError('p.json', '2:3', '/__proto__'));
    expect(code).toBe(2);
  });

  it('parameter file (CloudFormation CLI): [{"ParameterKey": "__proto__", ...}]', () => {
    const files = { 't.yaml': 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n', 'p.json': '[\n  {"ParameterKey": "__proto__", "ParameterValue": "x"}\n]\n' };
    const { code, stderr } = run(files, ['scan', 't.yaml', '--param-file', 'p.json']);
    expect(stderr).toBe('cognito-guard: p.json:2:4: parameter file: item 0: ParameterKey "__proto__" is not a parameter name\n');
    expect(code).toBe(2);
  });

  it('--param __proto__=x', () => {
    const { code, stderr } = run({ 't.yaml': 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n' }, ['scan', 't.yaml', '--param', '__proto__=x']);
    expect(stderr).toBe('cognito-guard: --param name "__proto__" is not allowed: it would change how the object is read\n');
    expect(code).toBe(2);
  });

  it('rule file: params: {__proto__: ...}', () => {
    const rule = 'id: my-rule\ntitle: t\nseverity: low\nresource: cognito.userPool\ndescription: d\nparams:\n  __proto__:\n    type: integer\n    default: 1\nassert:\n  path: mfaConfiguration\n  op: exists\n';
    const { code, stderr } = run({ 'r/my-rule.yaml': rule }, ['rules', 'validate', 'r']);
    expect(stderr).toBe(protoError('r/my-rule.yaml', '7:3', '/params/__proto__'));
    expect(code).toBe(2);
  });

  it('a Tags list with Key: __proto__ leaves the tag unresolved instead of setting the map prototype', () => {
    const text = 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Tags:\n        - Key: __proto__\n          Value: x\n        - Key: team\n          Value: y\n';
    const [role] = loadCloudFormation('t.yaml', text).resources;
    const tags = role!.properties.tags as Record<string, string>;
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(['team']);
    expect(role!.unresolved['tags.__proto__']).toMatch(/__proto__/);
  });

  it('a policy document given as a JSON string with a __proto__ condition key is not a valid document', () => {
    const text = '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"__proto__": ["x"]}}}]}';
    expect(() => parsePolicyDocument(text)).toThrow('policy document is not valid JSON: the key "__proto__" is not allowed');
  });
});

describe('constructor and prototype keys are ordinary data', () => {
  it('Properties: {constructor: {MfaConfiguration: ON}, prototype: {MfaConfiguration: ON}} still has MFA OFF', () => {
    const text = 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      constructor:\n        MfaConfiguration: "ON"\n      prototype:\n        MfaConfiguration: "ON"\n';
    const { code, stdout } = run({ 't.yaml': text }, ['scan', 't.yaml', '--format', 'json']);
    expect(mfaOf(json(stdout))).toEqual(['Pool fail']);
    expect(code).toBe(1);
  });

  it('a parameter and a mapping named constructor resolve to their own values', () => {
    const text = [
      'Parameters:',
      '  constructor: {Type: String, Default: "ON"}',
      'Mappings:',
      '  toString:',
      '    valueOf: {Mfa: "ON"}',
      'Resources:',
      '  A:',
      '    Type: AWS::Cognito::UserPool',
      '    Properties: {MfaConfiguration: !Ref constructor}',
      '  B:',
      '    Type: AWS::Cognito::UserPool',
      '    Properties: {MfaConfiguration: !FindInMap [toString, valueOf, Mfa]}',
      '',
    ].join('\n');
    const { resources } = loadCloudFormation('t.yaml', text);
    expect(resources.map((r) => [r.name, r.properties.mfaConfiguration])).toEqual([
      ['A', 'ON'],
      ['B', 'ON'],
    ]);
  });
});

describe('names that exist on Object.prototype are unknown names, never a crash or a prototype value', () => {
  const pool = (mfa: string, extra = '') =>
    `Mappings:\n  M:\n    prod: {Mfa: "ON"}\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool${extra}\n    Properties:\n      MfaConfiguration: ${mfa}\n`;
  const unknownReason = (files: Record<string, string>) => {
    const { code, stdout, stderr } = run(files, ['scan', 't.yaml', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const f = json(stdout).findings.find((x) => x.ruleId === 'cognito-user-pool-mfa-enabled');
    expect(f?.status).toBe('unknown');
    return f!.reason;
  };

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])('MfaConfiguration: !Ref %s', (name) => {
    expect(unknownReason({ 't.yaml': pool(`!Ref ${name}`) })).toBe(`mfaConfiguration is not known: Ref ${name} names neither a parameter nor a resource of this template`);
  });

  it.each([
    ['[constructor, prod, Mfa]', 'mapping constructor has no entry prod/Mfa'],
    ['[M, __proto__, constructor]', 'mapping M has no entry __proto__/constructor'],
    ['[M, prod, toString]', 'mapping M has no entry prod/toString'],
    ['[M, hasOwnProperty, valueOf]', 'mapping M has no entry hasOwnProperty/valueOf'],
  ])('MfaConfiguration: !FindInMap %s', (args, why) => {
    expect(unknownReason({ 't.yaml': pool(`!FindInMap ${args}`) })).toBe(`mfaConfiguration is not known: Fn::FindInMap: ${why}`);
  });

  it('MfaConfiguration: !If [valueOf, "ON", "ON"]', () => {
    expect(unknownReason({ 't.yaml': pool('!If [valueOf, "ON", "ON"]') })).toBe('mfaConfiguration is not known: condition valueOf is not defined in Conditions');
  });

  it('MfaConfiguration: !Sub "${toString}"', () => {
    expect(unknownReason({ 't.yaml': pool('!Sub "${toString}"') })).toBe(
      'mfaConfiguration is not known: Ref toString names neither a parameter nor a resource of this template',
    );
  });

  it('Condition: hasOwnProperty on the resource keeps it (the condition is undecidable)', () => {
    const { code, stdout } = run({ 't.yaml': pool('"OFF"', '\n    Condition: hasOwnProperty') }, ['scan', 't.yaml', '--format', 'json']);
    expect(mfaOf(json(stdout))).toEqual(['Pool fail']);
    expect(code).toBe(1);
  });

  it('MfaConfiguration: !GetAtt constructor.Arn is a deploy-time value', () => {
    expect(unknownReason({ 't.yaml': pool('!GetAtt constructor.Arn') })).toBe('mfaConfiguration is not known: ${constructor.Arn} is only known at deploy time');
  });

  it('Type: constructor and Type: toString are types the scanner ignores', () => {
    const text = 'Resources:\n  A:\n    Type: constructor\n  B:\n    Type: toString\n  C:\n    Type: AWS::Cognito::UserPool\n';
    expect(loadCloudFormation('t.yaml', text).resources.map((r) => r.name)).toEqual(['C']);
  });
});

describe('rule params named like Object.prototype members must be declared', () => {
  const rule = (value: string) =>
    `id: my-rule\ntitle: t\nseverity: low\nresource: cognito.userPoolClient\ndescription: d\nparams:\n  maxMinutes:\n    type: integer\n    default: 60\n    description: m\nassert:\n  path: accessTokenValiditySeconds\n  op: lte\n  value: ${value}\n`;

  it.each(['constructor', 'toString', '__proto__'])('assert value: { param: %s } fails rules validate with file:line', (name) => {
    const { code, stdout, stderr } = run({ 'r/my-rule.yaml': rule(`{ param: ${name} }`) }, ['rules', 'validate', 'r']);
    expect(stderr).toBe(`cognito-guard: r/my-rule.yaml:14:3: rule my-rule: param "${name}" is not declared in params\n`);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it('fn options: { param: constructor } fails rules validate with file:line', () => {
    const text =
      'id: my-rule\ntitle: t\nseverity: low\nresource: cognito.userPoolClient\ndescription: d\nassert:\n  fn: redirectUrisHttps\n  options:\n    allowLoopbackHttp: { param: constructor }\n';
    const { code, stderr } = run({ 'r/my-rule.yaml': text }, ['rules', 'validate', 'r']);
    expect(stderr).toBe('cognito-guard: r/my-rule.yaml:9:5: rule my-rule: param "constructor" is not declared in params\n');
    expect(code).toBe(2);
  });
});
