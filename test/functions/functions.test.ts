import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/engine/graph.js';
import { FUNCTIONS } from '../../src/functions/index.js';
import { guestRoleScope, roleScope } from '../../src/functions/guest-role-scope.js';
import { publicClientSecret } from '../../src/functions/public-client-secret.js';
import { redirectUrisHttps } from '../../src/functions/redirect-uris-https.js';
import { classifyUrl, hostOf, isLoopbackHost } from '../../src/functions/urls.js';
import { actionMatches, buildActionIndex } from '../../src/iam/action-index.js';
import { analyzePermissions, type PolicySource } from '../../src/iam/analyze.js';
import type { Resource } from '../../src/model/resource.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function res(kind: Resource['kind'], id: string, properties: Record<string, unknown>, extra: Partial<Resource> = {}): Resource {
  return { kind, id, name: id, properties, relations: {}, unresolved: {}, defaults: [], source: { kind: 'snapshot' }, ...extra };
}

describe('IAM action data', () => {
  it('expands wildcards and knows access levels, case-insensitively', async () => {
    const index = await buildActionIndex(['dynamodb:Get*', 'S3:getobject', 'iam:PutRolePolicy', 'nosuch:Thing', '*']);
    expect(index.expand('dynamodb:get*')).toContain('dynamodb:GetItem');
    expect(index.expand('s3:GetObject')).toEqual(['s3:GetObject']);
    expect(index.expand('nosuch:Thing')).toEqual([]);
    expect(index.expand('ec2:RunInstances')).toBeUndefined();
    expect(index.accessLevel('s3:getobject')).toBe('Read');
    expect(index.accessLevel('iam:PutRolePolicy')).toBe('Permissions management');
    expect(actionMatches('cognito-idp:Admin*', 'cognito-idp:AdminSetUserPassword')).toBe(true);
    expect(actionMatches('s3:Get?bject', 's3:getobject')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:PutObject')).toBe(false);
  });
});

describe('analyzePermissions', () => {
  const doc = (...statements: object[]): PolicySource[] => [{ label: 'inline policy p', document: { statements } }];
  const analyze = async (sources: PolicySource[], allowActions: string[] = []) => {
    const patterns = sources.flatMap((s) => (s.document?.statements ?? []).flatMap((x) => [...(x.action ?? []), ...(x.notAction ?? [])]));
    return analyzePermissions(sources, await buildActionIndex(patterns), { allowActions });
  };

  it('classifies by access level and privilege escalation, one detail per action', async () => {
    const a = await analyze(
      doc(
        { effect: 'Allow', action: ['s3:PutObject', 's3:GetObject'], resource: ['*'] },
        { effect: 'Allow', action: ['iam:PutRolePolicy', 'cognito-identity:SetIdentityPoolRoles'], resource: ['arn:aws:iam::1:role/x'] },
        { effect: 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] },
      ),
    );
    expect(a.problems.map((p) => [p.kind, p.detail])).toEqual([
      ['privilegeEscalation', 'Action::cognito-identity:SetIdentityPoolRoles'],
      ['privilegeEscalation', 'Action::iam:PutRolePolicy'],
      ['write', 'Action::s3:PutObject'],
      ['resourceWildcard', 'Resource::*::s3:GetObject'],
    ]);
    expect(a.unknowns).toEqual([]);
  });

  it('flags *, service:* and NotAction; notes conditions without trusting them', async () => {
    const a = await analyze(
      doc(
        { effect: 'Allow', action: ['*'], resource: ['*'] },
        { effect: 'Allow', action: ['iam:*'], resource: ['*'], condition: { Bool: { 'aws:SecureTransport': ['true'] } } },
        { effect: 'Allow', notAction: ['s3:DeleteObject'], resource: ['arn:aws:s3:::b/*'] },
      ),
    );
    expect(a.problems.map((p) => p.kind)).toEqual(['allActions', 'notAction', 'serviceWildcard']);
    expect(a.problems[2]!.message).toMatch(
      /^iam:\* grants all \d+ iam actions on every resource \("\*"\) in inline policy p \(condition on aws:SecureTransport\); including privilege escalation: iam:PassRole, iam:AttachRolePolicy, iam:AttachUserPolicy and \d+ more$/,
    );
    expect(a.problems[2]!.conditionKeys).toEqual(['aws:SecureTransport']);
  });

  it('honours the allowlist and unconditional Deny on every resource', async () => {
    const sources = doc(
      { effect: 'Allow', action: ['rum:PutRumEvents', 's3:PutObject', 'dynamodb:PutItem'], resource: ['arn:aws:rum:us-east-1:1:appmonitor/web', 'arn:aws:s3:::b/*', 'arn:aws:dynamodb:us-east-1:1:table/t'] },
      { effect: 'Deny', action: ['s3:Put*'], resource: ['*'] },
      { effect: 'Deny', action: ['dynamodb:PutItem'], resource: ['*'], condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } } },
    );
    const a = await analyze(sources, ['rum:PutRumEvents']);
    // The conditional Deny may not apply, so dynamodb:PutItem still counts.
    expect(a.problems.map((p) => p.detail)).toEqual(['Action::dynamodb:PutItem']);
  });

  it('reports unknown actions and missing documents as undecidable, not as safe', async () => {
    const a = await analyze([...doc({ effect: 'Allow', action: ['s3:GetObjekt'], resource: ['arn:aws:s3:::b/*'] }), { label: 'managed policy m', document: undefined }]);
    expect(a.problems).toEqual([]);
    expect(a.unknowns).toEqual([
      'inline policy p: s3:GetObjekt is not an IAM action AWS documents (typo, or newer than the bundled IAM data)',
      'managed policy m: the policy document is not in the inputs',
    ]);
  });
});

describe('guestRoleScope', () => {
  const role = res('iam.role', 'role', {
    roleName: 'guest',
    policies: [{ name: 'p', type: 'inline', document: { statements: [{ effect: 'Allow', action: ['dynamodb:PutItem', 's3:GetObject'], resource: ['arn:aws:dynamodb:us-east-1:1:table/a', 'arn:aws:s3:::b/k'] }] } }],
  }, { arn: 'arn:aws:iam::123456789012:role/app/guest' });
  const pool = (props: Record<string, unknown>, extra: Partial<Resource> = {}) => res('cognito.identityPool', 'pool', props, extra);

  it('finds the role by relation, id, ARN or name in the ARN, and applies the allowlist', async () => {
    for (const p of [
      pool({ allowUnauthenticatedIdentities: true }, { relations: { unauthenticatedRole: ['role'] } }),
      pool({ allowUnauthenticatedIdentities: true, roles: { unauthenticated: 'role' } }),
      pool({ allowUnauthenticatedIdentities: true, roles: { unauthenticated: 'arn:aws:iam::123456789012:role/app/guest' } }),
    ]) {
      const graph = await buildGraph([structuredClone(role), p], FUNCTIONS);
      const ctx = { graph, now: NOW, prepared: graph.prepared('guestRoleScope') };
      const fail = guestRoleScope.evaluate(graph.get('pool')!, {}, ctx);
      expect(fail.status).toBe('fail');
      expect(fail.evidence?.map((e) => e.detail)).toEqual(['Action::dynamodb:PutItem']);
      expect(guestRoleScope.evaluate(graph.get('pool')!, { allowActions: ['dynamodb:Put*'] }, ctx).status).toBe('pass');
    }
  });

  it('is not applicable without guest access and unknown without data', async () => {
    const graph = await buildGraph([pool({ allowUnauthenticatedIdentities: false })], FUNCTIONS);
    const ctx = { graph, now: NOW, prepared: graph.prepared('guestRoleScope') };
    expect(guestRoleScope.evaluate(graph.get('pool')!, {}, ctx).status).toBe('notApplicable');
    const g2 = await buildGraph([role, pool({ allowUnauthenticatedIdentities: true, roles: { unauthenticated: 'role' } })], FUNCTIONS);
    expect(guestRoleScope.evaluate(g2.get('pool')!, {}, { graph: g2, now: NOW, prepared: undefined })).toMatchObject({ status: 'unknown' });
  });
});

describe('roleScope', () => {
  // firehose:PutRecord on every stream passes the guest session policy; s3:PutObject on every bucket does not.
  const role = res('iam.role', 'role', {
    roleName: 'broad',
    policies: [{ name: 'p', type: 'inline', document: { statements: [{ effect: 'Allow', action: ['firehose:PutRecord', 's3:PutObject'], resource: ['*'] }] } }],
  });
  const judge = async (options: Parameters<typeof roleScope.evaluate>[1]) => {
    const graph = await buildGraph([structuredClone(role)], FUNCTIONS);
    return roleScope.evaluate(graph.get('role')!, options, { graph, now: NOW, prepared: graph.prepared('roleScope') });
  };

  it('judges a role on its own as a guest role (classic: every grant; enhanced: only what the session policy lets through) or an authenticated role', async () => {
    expect((await judge({ profile: 'guest' })).evidence?.map((e) => e.detail)).toEqual(['Action::s3:PutObject', 'Resource::*::firehose:PutRecord']);
    expect((await judge({ profile: 'guest', flow: 'enhanced' })).evidence?.map((e) => e.detail)).toEqual(['Resource::*::firehose:PutRecord']);
    // Writes are expected of signed-in users, on named resources only.
    expect((await judge({ profile: 'authenticated' })).evidence?.map((e) => e.detail)).toEqual(['Resource::*::firehose:PutRecord', 'Resource::*::s3:PutObject']);
    expect((await judge({ profile: 'authenticated', allowActions: ['s3:PutObject', 'firehose:PutRecord'] })).status).toBe('fail');
  });

  it('is unknown without IAM action data', () => {
    const graph = { prepared: () => undefined } as never;
    expect(roleScope.evaluate(role, { profile: 'guest' }, { graph, now: NOW, prepared: undefined })).toMatchObject({ status: 'unknown' });
  });
});

describe('redirect URLs', () => {
  it('classifies schemes and hosts', () => {
    expect(classifyUrl('https://a.example.com/cb').kind).toBe('https');
    expect(classifyUrl('HTTP://LOCALHOST:3000/cb')).toEqual({ kind: 'loopbackHttp', host: 'localhost' });
    expect(classifyUrl('http://127.0.0.1/cb').kind).toBe('loopbackHttp');
    expect(classifyUrl('http://[::1]:8080/cb').kind).toBe('loopbackHttp');
    expect(classifyUrl('http://localhost.evil.com/cb').kind).toBe('http');
    expect(classifyUrl('http://user@127.0.0.1.nip.io/cb').kind).toBe('http');
    expect(classifyUrl('com.example.app:/oauth2redirect')).toEqual({ kind: 'custom', scheme: 'com.example.app' });
    expect(classifyUrl('javascript:alert(1)').kind).toBe('dangerous');
    expect(classifyUrl('/relative/cb').kind).toBe('noScheme');
    expect(classifyUrl('https://${Domain}/cb').kind).toBe('https');
    expect(classifyUrl('http://localhost:${Port}/cb').kind).toBe('loopbackHttp');
    expect(classifyUrl('http://${Host}/cb')).toEqual({ kind: 'http', host: '(unresolved host)' });
    expect(classifyUrl('${Base}/cb').kind).toBe('unknown');
    expect(hostOf('https://a:b@h.example.com:443/x')).toBe('h.example.com');
  });

  it('loopback forms: localhost(.), 127.0.0.0/8 and [::1] with or without a port are loopback', () => {
    for (const url of [
      'http://localhost/cb',
      'http://localhost./cb',
      'http://LocalHost:8080',
      'http://127.0.0.1/cb',
      'http://127.255.10.1:9000/cb',
      'http://[::1]/cb',
      'http://[0:0:0:0:0:0:0:1]:3000/cb',
      'http://localhost#@evil.com',
    ]) {
      expect(classifyUrl(url).kind, url).toBe('loopbackHttp');
    }
    expect(isLoopbackHost('127.0.0.256')).toBe(false);
  });

  it('look-alike and userinfo hosts (localhost.evil.com, localhost@evil.com, evil.com\\@localhost) are not loopback', () => {
    expect(classifyUrl('http://localhost.evil.com/cb')).toEqual({ kind: 'http', host: 'localhost.evil.com' });
    expect(classifyUrl('http://localhost@evil.com/cb')).toEqual({ kind: 'http', host: 'evil.com' });
    expect(classifyUrl('http://localhost:3000@evil.com/cb')).toEqual({ kind: 'http', host: 'evil.com' });
    expect(classifyUrl('http://evil.com\\@localhost/cb')).toEqual({ kind: 'http', host: 'evil.com' });
    expect(classifyUrl('http://app.localhost/cb')).toEqual({ kind: 'http', host: 'app.localhost' });
    expect(classifyUrl('http://127.0.0.1.nip.io/cb')).toEqual({ kind: 'http', host: '127.0.0.1.nip.io' });
    expect(classifyUrl('http://[::ffff:127.0.0.1]/cb').kind).toBe('http');
    expect(classifyUrl('http://localhost:${Port}@evil.com/cb')).toEqual({ kind: 'http', host: 'evil.com' });
    expect(classifyUrl('http://127.0.0.${N}/cb')).toEqual({ kind: 'http', host: '(unresolved host)' });
    expect(classifyUrl('http://localhost${Suffix}/cb')).toEqual({ kind: 'http', host: '(unresolved host)' });
  });

  it('redirectUrisHttps options turn loopback and custom schemes off', async () => {
    const client = res('cognito.userPoolClient', 'c', { callbackURLs: ['http://localhost/cb', 'myapp://cb'], defaultRedirectURI: 'http://localhost/cb' });
    const graph = await buildGraph([client], FUNCTIONS);
    const ctx = { graph, now: NOW, prepared: undefined };
    expect(redirectUrisHttps.evaluate(client, {}, ctx).status).toBe('pass');
    const strict = redirectUrisHttps.evaluate(client, { allowLoopbackHttp: false, allowCustomSchemes: false }, ctx);
    expect(strict.evidence?.map((e) => e.detail)).toEqual(['callbackURLs[0]', 'callbackURLs[1]', 'defaultRedirectURI']);
  });

  it('publicClientSecret: one fail per client, unknown when the URLs are not known', async () => {
    const pub = res('cognito.userPoolClient', 'c', { generateSecret: true, allowedOAuthFlows: ['implicit'], callbackURLs: ['myapp://cb'] });
    const graph = await buildGraph([pub], FUNCTIONS);
    const ctx = { graph, now: NOW, prepared: undefined };
    const out = publicClientSecret.evaluate(pub, {}, ctx);
    expect(out.status).toBe('fail');
    expect(out.evidence?.map((e) => [e.path, e.detail])).toEqual([
      ['generateSecret', undefined],
      ['allowedOAuthFlows', undefined],
      ['callbackURLs[0]', undefined],
    ]);
    const unknown = res('cognito.userPoolClient', 'u', { generateSecret: true, allowedOAuthFlows: ['code'] }, { unresolved: { callbackURLs: 'GetAtt' } });
    expect(publicClientSecret.evaluate(unknown, {}, ctx)).toEqual({ status: 'unknown', reason: 'callbackURLs is not known: GetAtt', evidence: [{ path: 'callbackURLs' }] });
  });
});
