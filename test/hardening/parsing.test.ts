/**
 * Hostile input at the parsing layer (issue 6): every file the user gives us goes through
 * parsePositioned, so each check here holds for templates, snapshots, rules, config,
 * parameter files and baselines alike. Each test runs the built CLI on the input it names.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from '../../src/util/yaml-document.js';
import { CLEAN_TEMPLATE, INSECURE_TEMPLATE, expectInputError, runCli, workspace } from './run-cli.js';

const nestedArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('duplicate keys', () => {
  it('a JSON template with the resource "Topic" twice: exit 2 at the second key', () => {
    const json = '{\n  "Resources": {\n    "Topic": {"Type": "AWS::SNS::Topic"},\n    "Topic": {"Type": "AWS::Cognito::UserPool"}\n  }\n}\n';
    const dir = workspace({ 'dup.json': json });
    expectInputError(['scan', 'dup.json'], dir, 'dup.json:4:5: duplicate key "Topic" (first at line 3)');
  });

  it('a YAML template with the key "Type" twice in one resource: exit 2 at the second key', () => {
    const dir = workspace({ 'dup.yaml': `${CLEAN_TEMPLATE}    Type: AWS::Cognito::UserPool\n` });
    expectInputError(['scan', 'dup.yaml'], dir, 'dup.yaml:5:5: duplicate key "Type" (first at line 4)');
  });

  it('a YAML template that repeats "Resources" through an alias key (*name): exit 2 at the alias', () => {
    const dir = workspace({ 'alias.yaml': `Description: &name Resources\n${CLEAN_TEMPLATE}*name : {}\n` });
    expectInputError(['scan', 'alias.yaml'], dir, 'alias.yaml:6:1: duplicate key "Resources" (first at line 3)');
  });
});

describe(`one nesting limit (${MAX_NESTING_DEPTH} levels) for every file`, () => {
  it('an 8 KB JSON template of 4,000 nested arrays: exit 2 where level 257 opens', () => {
    const prefix = '{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Metadata": ';
    const dir = workspace({ 'deep.json': `${prefix}${nestedArrays(4000)}}}}` });
    // The root object, Resources and A are three levels: the 254th array opens level 257.
    expectInputError(['scan', 'deep.json'], dir, `deep.json:1:${prefix.length + 254}: nested more than 256 levels deep`);
  });

  it('a JSON template with 1,200 nested Fn::Join: exit 2 where level 257 opens', () => {
    const join = '{"Fn::Join": ["", [';
    const prefix = '{"Resources": {"Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolName": ';
    const dir = workspace({ 'join.json': `${prefix}${join.repeat(1200)}"x"${']]}'.repeat(1200)}}}}}` });
    // Four levels down to Properties, then three per Fn::Join: the 85th Fn::Join opens level 257.
    expectInputError(['scan', 'join.json'], dir, `join.json:1:${prefix.length + 84 * join.length + 1}: nested more than 256 levels deep`);
  });

  it('a YAML template with 1,200 nested !Join: exit 2 where level 257 opens', () => {
    const join = '!Join ["", [';
    const prefix = '    Properties: {UserPoolName: ';
    const dir = workspace({ 'join.yaml': `Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n${prefix}${join.repeat(1200)}x${']]'.repeat(1200)}}\n` });
    // Four levels down to Properties, then two lists per !Join: the 127th !Join opens level 257.
    expectInputError(['scan', 'join.yaml'], dir, `join.yaml:4:${prefix.length + 126 * join.length + 7}: nested more than 256 levels deep`);
  });

  it('a JSON snapshot with 4,000 nested objects: exit 2 where level 257 opens', () => {
    const prefix = '{"version": 1, "resources": [{"kind": "iam.role", "id": "r", "properties": ';
    const dir = workspace({ 'snap.json': `${prefix}${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}]}` });
    // The root, the resources list and the resource are three levels: the 254th nested object
    // (the value of properties is the first) opens level 257.
    expectInputError(['scan', 'snap.json'], dir, `snap.json:1:${prefix.length + 253 * 5 + 1}: nested more than 256 levels deep`);
  });

  it('a rule file with 3,000 nested `not:`: exit 2 in scan and in rules validate, at line 263', () => {
    let assert = '';
    for (let i = 0; i < 3000; i++) assert += `${'  '.repeat(i + 1)}not:\n`;
    assert += `${'  '.repeat(3001)}path: mfaConfiguration\n${'  '.repeat(3001)}op: exists\n`;
    const rule = `id: deep-rule\ntitle: Deep\nseverity: low\nresource: cognito.userPool\ndescription: d\nmessage: m\nassert:\n${assert}`;
    const dir = workspace({ 'rules/deep-rule.yaml': rule, 't.yaml': CLEAN_TEMPLATE });
    // The document is level 1 and the mapping under `assert:` (line 8) level 2; each `not:` adds
    // one, so level 257 starts on line 263, indented 512 spaces.
    const line = 'rules/deep-rule.yaml:263:513: nested more than 256 levels deep';
    expectInputError(['scan', 't.yaml', '--rules', 'rules'], dir, line);
    expectInputError(['rules', 'validate', 'rules'], dir, line);
  });

  it('a config file, a parameter file and a baseline each 1,000 levels deep: exit 2 naming the file', () => {
    const deepYaml = `a: ${nestedArrays(1000)}\n`;
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE, 'config.yml': deepYaml, 'params.json': `{"A": ${nestedArrays(1000)}}`, 'base.json': `{"version": 1, "findings": ${nestedArrays(1000)}}` });
    for (const [flag, file, column] of [
      ['--config', 'config.yml', 259],
      ['--param-file', 'params.json', 262],
      ['--baseline', 'base.json', 283],
    ] as const) {
      expectInputError(['scan', 't.yaml', flag, file], dir, `${file}:1:${column}: nested more than 256 levels deep`);
    }
  });
});

describe('tags, aliases, byte-order marks and encodings', () => {
  it('a template with the unknown tag !Bogus: exit 2 at the tag', () => {
    const dir = workspace({ 'bogus.yaml': `${INSECURE_TEMPLATE}    Properties:\n      UserPoolName: !Bogus name\n` });
    const { code, stderr } = runCli(['scan', 'bogus.yaml'], dir);
    expect(stderr).toMatch(/^cognito-guard: bogus\.yaml:6:21: unknown tag !Bogus \(known tags: !Ref !Condition !GetAtt .* !ToJsonString\)\n$/);
    expect(code).toBe(2);
  });

  it('a YAML snapshot with a CloudFormation !Ref tag: exit 2, snapshots take no tags', () => {
    const snapshot = 'version: 1\nresources:\n  - kind: cognito.userPool\n    id: p\n    properties:\n      name: !Ref Name\n';
    const dir = workspace({ 'snap.yaml': snapshot });
    expectInputError(['scan', 'snap.yaml'], dir, 'snap.yaml:6:13: unknown tag !Ref (this file takes no tags)');
  });

  it('a template with a billion-laughs alias bomb: exit 2 at the first alias', () => {
    const row = (name: string, ref: string) => `  ${name}: &${name} [${Array(9).fill(ref).join(', ')}]\n`;
    const bomb = `${INSECURE_TEMPLATE}Metadata:\n${row('a', '"lol"')}${row('b', '*a')}${row('c', '*b')}${row('d', '*c')}${row('e', '*d')}`;
    const dir = workspace({ 'bomb.yaml': bomb });
    expectInputError(['scan', 'bomb.yaml'], dir, 'bomb.yaml:7:10: cannot read document: Excessive alias count indicates a resource exhaustion attack');
  });

  it('a JSON template and a JSON parameter file that start with a UTF-8 byte-order mark: read like any other', () => {
    const template = '\ufeff{"Parameters": {"Mfa": {"Type": "String"}}, "Resources": {"Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"MfaConfiguration": {"Ref": "Mfa"}}}}}';
    const dir = workspace({ 'bom.json': template, 'params.json': '\ufeff{"Mfa": "OFF"}' });
    const { code, stdout, stderr } = runCli(['scan', 'bom.json', '--param-file', 'params.json'], dir);
    expect(stderr).toBe('');
    expect(stdout).toContain('cognito-user-pool-mfa-enabled');
    expect(code).toBe(1);
  });

  it('a Latin-1 template (an é written as the single byte 0xE9): exit 2 at that byte', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from(`${CLEAN_TEMPLATE}    Description: caf`), Buffer.from([0xe9, 0x0a])]));
    expectInputError(['scan', 'latin1.yaml'], dir, 'latin1.yaml:5:21: not UTF-8 text (save the file as UTF-8)');
  });

  it('a YAML template that starts with a byte-order mark: scanned clean', () => {
    const dir = workspace({ 'bom.yaml': `\ufeff${CLEAN_TEMPLATE}` });
    expect(runCli(['scan', 'bom.yaml'], dir).code).toBe(0);
  });
});
