import { describe, expect, it } from 'vitest';
import { awsManagedPolicyDocument, isAwsManagedPolicyArn } from '../../src/iam/managed-policies.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' }, Bool: { 'aws:SecureTransport': true } },
    },
  ],
};

describe('parsePolicyDocument', () => {
  it('parses the URL-encoded JSON the IAM API returns', () => {
    const encoded = encodeURIComponent(JSON.stringify(trust));
    expect(encoded.startsWith('%7B%22Version%22%3A%222012-10-17%22')).toBe(true);
    expect(parsePolicyDocument(encoded)).toEqual({
      version: '2012-10-17',
      statements: [
        {
          effect: 'Allow',
          principal: { federated: ['cognito-identity.amazonaws.com'] },
          action: ['sts:AssumeRoleWithWebIdentity'],
          condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': ['us-east-1:pool'] }, Bool: { 'aws:SecureTransport': ['true'] } },
        },
      ],
    });
  });

  it('accepts a JSON string, a single statement object and Principal "*"', () => {
    const doc = parsePolicyDocument(
      JSON.stringify({ Statement: { Sid: 'x', Effect: 'Deny', Principal: '*', NotAction: ['s3:*', 'iam:*'], Resource: '*', NotResource: 'arn:a' } }),
    );
    expect(doc).toEqual({
      statements: [{ sid: 'x', effect: 'Deny', principal: { aws: ['*'] }, notAction: ['s3:*', 'iam:*'], resource: ['*'], notResource: ['arn:a'] }],
    });
    expect(parsePolicyDocument({ Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: ['arn:1', 'arn:2'], Service: 's' } }] }).statements[0]).toEqual({
      effect: 'Allow',
      notPrincipal: { aws: ['arn:1', 'arn:2'], service: ['s'] },
    });
    expect(parsePolicyDocument({ Statement: [{ Effect: 'Allow', Condition: { NumericLessThan: { 'x:y': [1, 2] } } }] }).statements[0]?.condition).toEqual({
      NumericLessThan: { 'x:y': ['1', '2'] },
    });
  });

  it('throws a short reason on garbage', () => {
    expect(() => parsePolicyDocument('not json')).toThrow('policy document is not valid JSON');
    expect(() => parsePolicyDocument('%7Bbroken%E0')).toThrow(/URL-encoded/);
    expect(() => parsePolicyDocument(42)).toThrow('policy document must be an object, not a number');
    expect(() => parsePolicyDocument({ Version: '2012-10-17' })).toThrow('policy document has no Statement');
    expect(() => parsePolicyDocument({ Statement: [{ Effect: 'Maybe' }] })).toThrow('Statement[0].Effect must be Allow or Deny');
    expect(() => parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: [{ a: 1 }] }] })).toThrow(/Statement\[0\]\.Action must be a string/);
    expect(() => parsePolicyDocument({ Statement: [{ Principal: { Nobody: 'x' } }] })).toThrow(/unknown principal type "Nobody"/);
  });
});

describe('awsManagedPolicyDocument', () => {
  it('returns bundled documents for AWS managed policy ARNs, with or without a path', () => {
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
    expect(isAwsManagedPolicyArn('arn:aws:iam::123456789012:policy/Mine')).toBe(false);
    expect(awsManagedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess')?.statements).toEqual([
      { effect: 'Allow', action: ['*'], resource: ['*'] },
    ]);
    const basic = awsManagedPolicyDocument('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(basic?.statements[0]?.action).toContain('logs:PutLogEvents');
    // Wrong path, unknown name, customer policy: not known.
    expect(awsManagedPolicyDocument('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole')).toBeUndefined();
    expect(awsManagedPolicyDocument('arn:aws:iam::aws:policy/NoSuchPolicyAnywhere')).toBeUndefined();
    expect(awsManagedPolicyDocument('arn:aws:iam::123456789012:policy/Mine')).toBeUndefined();
  });
});
