import { CORPUS_DIR } from '../helpers/shared.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readParameterFile } from '../../src/loaders/cloudformation/index.js';
import { InputError } from '../../src/util/input-error.js';
import { errorLine } from '../helpers/errors.js';


describe('readParameterFile', () => {
  it('reads the CloudFormation CLI array format', () => {
    const text = JSON.stringify([
      { ParameterKey: 'Stage', ParameterValue: 'prod' },
      { ParameterKey: 'Count', ParameterValue: 3 },
      { ParameterKey: 'Kept', UsePreviousValue: true },
    ]);
    expect(readParameterFile('p.json', text)).toEqual({ Stage: 'prod', Count: '3', Kept: undefined });
  });

  it('reads CodePipeline template configurations and flat files', () => {
    expect(readParameterFile('c.json', '{"Parameters": {"A": "1"}, "Tags": {"t": "x"}}')).toEqual({ A: '1' });
    expect(readParameterFile('f.yaml', 'A: x\nB: true\nC: [a, b]\nD: {Fn::GetAtt: [R, Arn]}\nE: []\n')).toEqual({
      A: 'x',
      B: 'true',
      C: 'a,b',
      D: undefined,
      E: '',
    });
  });

  it('reads the Amplify parameters.json of the corpus', () => {
    const file = `${CORPUS_DIR}/aws-samples__amazon-rekognition-id-verification-sample-with-amplify/amplify/backend/auth/amazonrekognitionidv6570cbea/parameters.json`;
    const values = readParameterFile(file, readFileSync(file, 'utf8'));
    expect(values.mfaConfiguration).toBe('OFF');
    expect(values.allowUnauthenticatedIdentities).toBe('false');
    expect(values.passwordPolicyCharacters).toBe('');
    expect(values.autoVerifiedAttributes).toBe('email');
    expect('authRoleArn' in values && values.authRoleArn === undefined).toBe(true);
  });

  it('rejects other shapes with file and line', () => {
    const bad = '[\n  {"ParameterKey": "A", "ParameterValue": "1"},\n  {"Key": "B"}\n]';
    try {
      readParameterFile('bad.json', bad);
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect(String(e)).toBe('bad.json:3:3: parameter file: item 1 must be an object with a string ParameterKey');
    }
    expect(() => readParameterFile('s.json', '"just a string"')).toThrow(InputError);
    expect(errorLine(() => readParameterFile('s.json', '{"a": '))).toMatch(/^s\.json:1:\d+: syntax error/);
  });
});
