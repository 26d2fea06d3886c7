/**
 * The list of sources: which source claims a file, what a directory scan skips and says it
 * skipped, and the format of every input in the JSON report.
 */
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../src/loaders/sources.js';
import { reporters } from '../../src/reporters/index.js';
import { scan } from '../../src/scan.js';
import { workspace as makeWorkspace } from '../helpers/workspace.js';

const TEMPLATE = 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      MfaConfiguration: "ON"\n      EnabledMfas: [SOFTWARE_TOKEN_MFA]\n';
const SNAPSHOT = JSON.stringify({ version: 1, resources: [] });

const workspace = (files: Record<string, string>): string => makeWorkspace(files, 'cg-sources-');

describe('sources', () => {
  it('every source has a format of its own, a label and the extensions it reads', () => {
    const formats = SOURCES.map((s) => s.format);
    expect(new Set(formats).size).toBe(formats.length);
    for (const s of SOURCES) {
      expect(s.label).not.toBe('');
      expect(s.extensions.length).toBeGreaterThan(0);
      for (const ext of s.extensions) expect(ext).toMatch(/^\.[a-z.]+$/);
    }
  });

  it('a directory scan names the format of every input in the JSON report', async () => {
    const cwd = workspace({ 'infra/template.yaml': TEMPLATE, 'infra/snapshot.json': SNAPSHOT });
    const result = await scan({ inputs: ['infra'], cwd });
    expect(result.inputs).toEqual([
      { file: 'infra/template.yaml', format: 'cloudformation' },
      { file: 'infra/snapshot.json', format: 'snapshot' },
    ]);
    const json = JSON.parse(reporters.json(result, { cwd, color: false })) as { inputs: unknown };
    expect(json.inputs).toEqual(result.inputs);
  });

  it('node_modules, .git, .terraform, .serverless and cdk.out/asset.* are not searched, and are listed as skipped', async () => {
    const hidden = {
      'node_modules/pkg/template.yaml': TEMPLATE,
      '.git/template.yaml': TEMPLATE,
      '.terraform/modules/template.yaml': TEMPLATE,
      '.serverless/cloudformation-template-update-stack.json': TEMPLATE,
      'cdk.out/asset.0123abcd/template.yaml': TEMPLATE,
    };
    const cwd = workspace({ 'template.yaml': TEMPLATE, 'cdk.out/Stack.template.yaml': TEMPLATE, ...hidden });
    const result = await scan({ inputs: ['.'], cwd });
    expect(result.inputs.map((i) => i.file)).toEqual(['cdk.out/Stack.template.yaml', 'template.yaml']);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { path: '.git/', reason: 'directory not searched (.git)' },
        { path: '.serverless/', reason: 'directory not searched (.serverless)' },
        { path: '.terraform/', reason: 'directory not searched (.terraform)' },
        { path: 'cdk.out/asset.0123abcd/', reason: 'directory not searched (cdk.out/asset.*)' },
        { path: 'node_modules/', reason: 'directory not searched (node_modules)' },
      ]),
    );
  });

  it('a folder named asset.* outside cdk.out is searched', async () => {
    const cwd = workspace({ 'asset.docs/template.yaml': TEMPLATE });
    const result = await scan({ inputs: ['.'], cwd });
    expect(result.inputs.map((i) => i.file)).toEqual(['asset.docs/template.yaml']);
  });
});
