import { describe, expect, it } from 'vitest';
import {
  NO_VALUE,
  Symbolic,
  Unknown,
  createEvalContext,
  evaluate,
  evaluateCondition,
  toPlain,
  type EvalContext,
} from '../../src/loaders/cloudformation/intrinsics.js';

const template = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    NoDefault: { Type: 'String' },
    Flag: { Type: 'String', Default: true },
    List: { Type: 'CommaDelimitedList', Default: 'a, b,c' },
    Ssm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/path' },
  },
  Mappings: { Regions: { dev: { Size: 'small', Count: 2 } } },
  Conditions: {
    IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
    IsProd: { 'Fn::Equals': ['prod', { Ref: 'Stage' }] },
    Unknowable: { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] },
    Both: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] },
    Either: { 'Fn::Or': [{ Condition: 'Unknowable' }, { Condition: 'IsDev' }] },
    AndUnknown: { 'Fn::And': [{ Condition: 'Unknowable' }, { Condition: 'IsDev' }] },
    AndFalse: { 'Fn::And': [{ Condition: 'Unknowable' }, { Condition: 'IsProd' }] },
    Loop: { Condition: 'Loop' },
    Literal: { 'Fn::Equals': [true, 'true'] },
    Region: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
  },
  Resources: { Pool: { Type: 'AWS::Cognito::UserPool' }, Role: { Type: 'AWS::IAM::Role' } },
};

const ctx = (values: Record<string, string | undefined> = {}): EvalContext => createEvalContext(template, values);
const ev = (node: unknown, values?: Record<string, string | undefined>) => evaluate(node, ctx(values));

describe('Ref', () => {
  it('uses the user value, then the Default, else is unknown with a hint', () => {
    expect(ev({ Ref: 'Stage' })).toBe('dev');
    expect(ev({ Ref: 'Stage' }, { Stage: 'prod' })).toBe('prod');
    expect(ev({ Ref: 'Flag' })).toBe('true');
    const u = ev({ Ref: 'NoDefault' });
    expect(u).toBeInstanceOf(Unknown);
    expect((u as Unknown).reason).toBe('parameter NoDefault has no Default; pass --param NoDefault=...');
    expect(ev({ Ref: 'NoDefault' }, { NoDefault: 'v' })).toBe('v');
    expect((ev({ Ref: 'NoDefault' }, { NoDefault: undefined }) as Unknown).reason).toMatch(/cannot be read statically/);
  });

  it('splits list parameters and treats SSM parameter types as deploy-time values', () => {
    expect(ev({ Ref: 'List' })).toEqual(['a', 'b', 'c']);
    expect(ev({ Ref: 'List' }, { List: '' })).toEqual([]);
    expect((ev({ Ref: 'Ssm' }) as Unknown).reason).toMatch(/SSM Parameter Store/);
  });

  it('gives resources and pseudo parameters as symbolic references and removes AWS::NoValue', () => {
    expect(ev({ Ref: 'Pool' })).toEqual(new Symbolic('${Pool}', ['Pool']));
    expect(ev({ Ref: 'AWS::Region' })).toEqual(new Symbolic('${AWS::Region}', []));
    expect(ev({ Ref: 'AWS::Partition' })).toBe('aws');
    expect(ev({ Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
    expect(ev({ Ref: 'AWS::NoValue' })).toBe(NO_VALUE);
    expect(ev({ a: 1, b: { Ref: 'AWS::NoValue' }, c: [1, { Ref: 'AWS::NoValue' }, 2] })).toEqual({ a: 1, c: [1, 2] });
    const missing = ev({ Ref: 'Elsewhere' }) as Unknown;
    expect(missing).toBeInstanceOf(Unknown);
    expect(missing.reference).toBe(true);
  });
});

describe('functions', () => {
  it('Fn::GetAtt in both forms', () => {
    expect(ev({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toEqual(new Symbolic('${Pool.Arn}', ['Pool']));
    expect(ev({ 'Fn::GetAtt': 'Pool.ProviderURL' })).toEqual(new Symbolic('${Pool.ProviderURL}', ['Pool']));
    expect(ev({ 'Fn::GetAtt': ['Other', 'Arn'] })).toEqual(new Symbolic('${Other.Arn}', []));
  });

  it('Fn::Sub with parameters, resources, escapes and the variables form', () => {
    expect(ev({ 'Fn::Sub': 'https://${Stage}.example.com/${!Literal}' })).toBe('https://dev.example.com/${Literal}');
    expect(ev({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Pool.Arn}' })).toEqual(new Symbolic('arn:aws:s3:::${Pool.Arn}', ['Pool']));
    expect(ev({ 'Fn::Sub': ['${Name}-${Stage}', { Name: { Ref: 'Role' } }] })).toEqual(new Symbolic('${Role}-dev', ['Role']));
    // Known start: the unknown piece stays a placeholder; unknown start: nothing can be judged.
    expect(toPlain(ev({ 'Fn::Sub': 'https://${NoDefault}/cb' }) as never)).toBe('https://${NoDefault}/cb');
    expect(ev({ 'Fn::Sub': '${NoDefault}/cb' })).toBeInstanceOf(Unknown);
  });

  it('Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64, Fn::Length, Fn::ToJsonString', () => {
    expect(ev({ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 3]] })).toBe('a-dev-3');
    expect(ev({ 'Fn::Join': ['', ['cognito-idp.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Pool' }]] })).toEqual(
      new Symbolic('cognito-idp.amazonaws.com/${Pool}', ['Pool']),
    );
    expect(ev({ 'Fn::Select': ['1', { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
    expect(ev({ 'Fn::Select': [5, ['x']] })).toBeInstanceOf(Unknown);
    expect(ev({ 'Fn::Split': ['/', { 'Fn::GetAtt': ['Pool', 'ProviderURL'] }] })).toBeInstanceOf(Unknown);
    expect(ev({ 'Fn::FindInMap': ['Regions', { Ref: 'Stage' }, 'Size'] })).toBe('small');
    expect(ev({ 'Fn::FindInMap': ['Regions', 'prod', 'Size'] })).toBeInstanceOf(Unknown);
    expect(ev({ 'Fn::FindInMap': ['Regions', 'prod', 'Size', { DefaultValue: 'x' }] })).toBe('x');
    expect(ev({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(ev({ 'Fn::Length': [1, 2, 3] })).toBe(3);
    expect(ev({ 'Fn::ToJsonString': { a: [1] } })).toBe('{"a":[1]}');
  });

  it('unknowable functions are unknown with a reason', () => {
    for (const node of [{ 'Fn::ImportValue': 'x' }, { 'Fn::GetAZs': '' }, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, { 'Fn::Nope': 1 }]) {
      const v = ev(node);
      expect(v).toBeInstanceOf(Unknown);
      expect((v as Unknown).reason).not.toBe('');
    }
    expect((ev({ 'Fn::ImportValue': 'x' }) as Unknown).reference).toBe(true);
  });

  it('Fn::If picks a branch when its condition is known, and is unknown otherwise', () => {
    expect(ev({ 'Fn::If': ['IsDev', 'yes', 'no'] })).toBe('yes');
    expect(ev({ 'Fn::If': ['IsDev', 'yes', 'no'] }, { Stage: 'prod' })).toBe('no');
    expect(ev({ 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] })).toBe(NO_VALUE);
    expect(ev({ 'Fn::If': ['IsDev', {}, 'x'] })).toEqual({});
    const u = ev({ 'Fn::If': ['Unknowable', 'a', 'b'] }) as Unknown;
    expect(u.reason).toMatch(/NoDefault has no Default/);
  });
});

describe('conditions', () => {
  it('evaluates Equals, And, Or, Not and Condition with three-valued logic', () => {
    const c = ctx();
    expect(evaluateCondition('IsDev', c)).toBe(true);
    expect(evaluateCondition('IsProd', c)).toBe(false);
    expect(evaluateCondition('Both', c)).toBe(true);
    expect(evaluateCondition('Unknowable', c)).toBeInstanceOf(Unknown);
    expect(evaluateCondition('Either', c)).toBe(true);
    expect(evaluateCondition('AndUnknown', c)).toBeInstanceOf(Unknown);
    expect(evaluateCondition('AndFalse', c)).toBe(false);
    expect(evaluateCondition('Literal', c)).toBe(true);
    expect(evaluateCondition('Region', c)).toBeInstanceOf(Unknown);
    expect(evaluateCondition('Loop', c)).toBeInstanceOf(Unknown);
    expect(evaluateCondition('Missing', c)).toBeInstanceOf(Unknown);
    expect(evaluateCondition('Unknowable', ctx({ NoDefault: 'x' }))).toBe(true);
  });
});
