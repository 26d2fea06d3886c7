import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSnapshot, looksLikeSnapshot } from '../../src/loaders/snapshot.js';
import { errorLine } from '../helpers/errors.js';

const fixture = (name: string) => `test/fixtures/snapshot/${name}`;
const read = (name: string) => readFileSync(fixture(name), 'utf8');

describe('snapshot loader', () => {
  it('loads resources with relations, unresolved paths and property positions', () => {
    const { resources, diagnostics } = loadSnapshot(fixture('valid.yaml'), read('valid.yaml'));
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => r.kind)).toEqual(['cognito.userPool', 'cognito.userPoolClient']);
    const client = resources[1]!;
    expect(client.relations.userPool).toEqual([resources[0]!.id]);
    expect(client.unresolved).toEqual({ accessTokenValiditySeconds: 'AccessDeniedException on DescribeUserPoolClient' });
    expect(client.source.line).toBe(11);
    expect(client.source.properties?.['callbackURLs[1]']?.line).toBe(18);
    expect(resources[0]!.source.properties?.mfaConfiguration?.line).toBe(10);
  });

  it('a client with no token validity fields gets the AWS defaults, noted; an unresolved one stays unresolved', () => {
    const text = 'version: 1\nresources:\n  - {kind: cognito.userPoolClient, id: c, properties: {idTokenValiditySeconds: 300}, unresolved: {refreshTokenValiditySeconds: denied}}\n';
    const [client] = loadSnapshot('c.yaml', text).resources;
    expect(client!.properties).toEqual({ idTokenValiditySeconds: 300, accessTokenValiditySeconds: 3600, authSessionValidityMinutes: 3 });
    expect(client!.defaults).toEqual(['accessTokenValiditySeconds', 'authSessionValidityMinutes']);
    expect(client!.unresolved).toEqual({ refreshTokenValiditySeconds: 'denied' });
  });

  it('rejects a value outside the kind schema with file, line and pointer', () => {
    const text = errorLine(() => loadSnapshot(fixture('invalid-enum.yaml'), read('invalid-enum.yaml')));
    expect(text).toMatch(/^test\/fixtures\/snapshot\/invalid-enum\.yaml:6:\d+: invalid snapshot at \/resources\/0\/properties\/mfaConfiguration: must be one of: OFF, ON, OPTIONAL$/);
  });

  it('rejects duplicate ids and unknown kinds', () => {
    const dup = 'version: 1\nresources:\n  - {kind: iam.role, id: a, properties: {}}\n  - {kind: iam.role, id: a, properties: {}}\n';
    expect(errorLine(() => loadSnapshot('dup.yaml', dup))).toMatch(/dup\.yaml:4:\d+: .*duplicate resource id "a"/);
    const kind = 'version: 1\nresources:\n  - {kind: s3.bucket, id: a, properties: {}}\n';
    expect(errorLine(() => loadSnapshot('kind.yaml', kind))).toMatch(/kind\.yaml:3:\d+: invalid snapshot at \/resources\/0\/kind: must be one of/);
  });

  it('warns about relations to ids that are not in the snapshot', () => {
    const text = 'version: 1\nresources:\n  - {kind: cognito.userPoolClient, id: c, properties: {}, relations: {userPool: [missing]}}\n';
    const { diagnostics } = loadSnapshot('d.yaml', text);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', code: 'dangling-relation', file: 'd.yaml', line: 3 });
  });

  it('a snapshot with an IdP secret in providerDetails: dropped from the resource, reported as literal at its line', () => {
    const text = [
      'version: 1',
      'resources:',
      '  - kind: cognito.identityProvider',
      '    id: apple',
      '    properties:',
      '      providerType: SignInWithApple',
      '      providerDetails:',
      '        client_id: com.example.app',
      '        private_key: fixture-snapshot-private-key',
      '  - kind: cognito.identityProvider',
      '    id: google',
      '    properties:',
      '      providerDetails: { client_id: g, client_secret: fixture-snapshot-client-secret }',
      '      clientSecret: { present: true, source: dynamicReference }',
      '',
    ].join('\n');
    const { resources } = loadSnapshot('idp.yaml', text);
    expect(JSON.stringify(resources)).not.toContain('fixture-snapshot');
    expect(resources[0]!.properties).toEqual({
      providerType: 'SignInWithApple',
      providerDetails: { client_id: 'com.example.app' },
      clientSecret: { present: true, source: 'literal' },
    });
    expect(resources[0]!.source.properties?.['clientSecret.source']?.line).toBe(9);
    // The snapshot says where the secret comes from: that stands, the value still goes.
    expect(resources[1]!.properties.clientSecret).toEqual({ present: true, source: 'dynamicReference' });
    expect(resources[1]!.properties.providerDetails).toEqual({ client_id: 'g' });
  });

  it('recognizes snapshots but not templates', () => {
    expect(looksLikeSnapshot({ version: 1, resources: [] })).toBe(true);
    expect(looksLikeSnapshot({ Resources: {} })).toBe(false);
  });
});
