import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/engine/graph.js';
import { FUNCTIONS } from '../../src/functions/index.js';
import { loadSnapshot } from '../../src/loaders/snapshot.js';
import { compileRules } from '../../src/rules/compile.js';
import { loadRuleFile } from '../../src/rules/load.js';
import { errorLine } from '../helpers/errors.js';

const SNAPSHOT = `
version: 1
resources:
  - kind: cognito.userPool
    id: pool
    name: pool
    properties: { mfaConfiguration: "OFF" }
`;

/** The import specifiers of a TypeScript source file (static `import`/`export … from`). */
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);

describe('the graph does not know the functions', () => {
  it('src/engine/graph.ts imports nothing from src/functions/', () => {
    const imports = importsOf('src/engine/graph.ts');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => i.includes('/functions/'))).toEqual([]);
  });

  it('buildGraph runs the prepare step of exactly the functions it is given', async () => {
    const { resources } = loadSnapshot('snap.yaml', SNAPSHOT);
    const seen: string[] = [];
    const graph = await buildGraph(resources, {
      counter: { prepare: async (g) => (seen.push('counter'), g.resources.length) },
      plain: {},
    });
    expect(seen).toEqual(['counter']);
    expect(graph.prepared('counter')).toBe(1);
    expect(graph.prepared('plain')).toBeUndefined();
    expect(graph.prepared('guestRoleScope')).toBeUndefined();
  });

  it('compileRules looks functions up in the table it is given, not in a registry', () => {
    const rule = loadRuleFile('rules/t-fn.yaml', 'id: t-fn\ntitle: T\nseverity: low\ndescription: D\nresource: cognito.userPoolClient\nassert: { fn: redirectUrisHttps }\n');
    expect(compileRules([rule], {}, { profile: { name: 't', rules: {} }, functions: FUNCTIONS })).toHaveLength(1);
    expect(errorLine(() => compileRules([rule], {}, { profile: { name: 't', rules: {} }, functions: {} }))).toBe(
      'rule t-fn: unknown function "redirectUrisHttps"',
    );
  });
});
