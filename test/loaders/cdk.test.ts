/**
 * CDK cloud assemblies: `cdk.out/manifest.json` names the stacks, their parameters and construct
 * paths; nested stacks come from `*.nested.template.json` named by `aws:asset:path`; the
 * construct path (`aws:cdk:path`) is shown with each finding in every format.
 */
import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import { scan, type ScanOutput } from '../../src/scan.js';
import { CORPUS_DIR } from '../helpers/shared.js';
import { rejectionLine, workspace } from '../helpers/workspace.js';

const MFA = 'cognito-user-pool-mfa-enabled';
const GUEST = 'cognito-identity-pool-guest-access-disabled';
const NOW = new Date('2026-11-22T00:00:00Z');
const NESTED = 'AppStackAuthNestedStackAuthNestedStackResource1A2B3C4D.nested.template.json';

/** A cloud assembly as `cdk synth` writes it (cloud-assembly-schema 36): one stack with one nested stack. */
function assembly(artifactOverrides: Record<string, unknown> = {}): Record<string, string> {
  const manifest = {
    version: '36.0.0',
    artifacts: {
      'AppStack.assets': { type: 'cdk:asset-manifest', properties: { file: 'AppStack.assets.json', requiresBootstrapStackVersion: 6 } },
      AppStack: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/unknown-region',
        properties: { templateFile: 'AppStack.template.json', terminationProtection: false, validateOnSynth: false, parameters: { MfaSetting: 'OFF' } },
        dependencies: ['AppStack.assets'],
        metadata: {
          '/AppStack/UserPool/Resource': [{ type: 'aws:cdk:logicalId', data: 'UserPool6BA7E5F2' }],
          '/AppStack/Guests/Resource': [{ type: 'aws:cdk:logicalId', data: 'Guests1F2E3D4C' }],
        },
        displayName: 'AppStack',
        ...artifactOverrides,
      },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
    },
  };
  const parent = {
    Parameters: { MfaSetting: { Type: 'String', Default: 'ON' } },
    Resources: {
      UserPool6BA7E5F2: {
        Type: 'AWS::Cognito::UserPool',
        Properties: { MfaConfiguration: 'OFF' },
        Metadata: { 'aws:cdk:path': 'AppStack/UserPool/Resource' },
      },
      // Synthesized without path metadata (`--no-path-metadata`): the manifest still has the path.
      Guests1F2E3D4C: { Type: 'AWS::Cognito::IdentityPool', Properties: { AllowUnauthenticatedIdentities: true } },
      AuthNestedStackAuthNestedStackResource1A2B3C4D: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: {
          TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/cdk-assets/0123abcd.json']] },
          Parameters: { Mfa: { Ref: 'MfaSetting' }, referencetoAppStackUserPoolArn: { 'Fn::GetAtt': ['UserPool6BA7E5F2', 'Arn'] } },
        },
        Metadata: { 'aws:cdk:path': 'AppStack/Auth.NestedStack/Auth.NestedStackResource', 'aws:asset:path': NESTED, 'aws:asset:property': 'TemplateURL' },
      },
    },
  };
  const nested = {
    Parameters: { Mfa: { Type: 'String' }, referencetoAppStackUserPoolArn: { Type: 'String' } },
    Resources: {
      InnerPool0A1B2C3D: {
        Type: 'AWS::Cognito::UserPool',
        Properties: { MfaConfiguration: { Ref: 'Mfa' } },
        Metadata: { 'aws:cdk:path': 'AppStack/Auth/InnerPool/Resource' },
      },
    },
  };
  const json = (v: unknown): string => `${JSON.stringify(v, null, 1)}\n`;
  return {
    'cdk.out/manifest.json': json(manifest),
    'cdk.out/AppStack.template.json': json(parent),
    [`cdk.out/${NESTED}`]: json(nested),
    'cdk.out/AppStack.assets.json': json({ version: '36.0.0', files: {} }),
    'cdk.out/tree.json': json({ version: 'tree-0.1', tree: { id: 'App', path: '' } }),
    'cdk.out/cdk.out': json({ version: '36.0.0' }),
  };
}


const statusOf = (result: ScanOutput, rule: string, name: string) =>
  result.findings.filter((f) => f.ruleId === rule && f.resource.name === name).map((f) => [f.status, f.resource.path, f.location.file]);

describe('CDK cloud assembly', () => {
  it('a directory with cdk.out loads each stack once, its nested stack with the manifest parameters passed down, every input as cdk', async () => {
    const cwd = workspace(assembly());
    const result = await scan({ inputs: ['.'], cwd, now: NOW });
    expect(result.inputs).toEqual([
      { file: 'cdk.out/manifest.json', format: 'cdk' },
      { file: 'cdk.out/AppStack.template.json', format: 'cdk' },
      { file: `cdk.out/${NESTED}`, format: 'cdk' },
    ]);
    expect(result.resources.map((r) => r.id).sort()).toEqual([
      'cdk.out/AppStack.template.json#Guests1F2E3D4C',
      'cdk.out/AppStack.template.json#UserPool6BA7E5F2',
      `cdk.out/${NESTED}#InnerPool0A1B2C3D`,
    ]);
    // MfaSetting OFF (manifest) -> Mfa of the nested stack -> the inner pool's MfaConfiguration.
    expect(statusOf(result, MFA, 'InnerPool0A1B2C3D')).toEqual([['fail', 'AppStack/Auth/InnerPool/Resource', `cdk.out/${NESTED}`]]);
  });

  it('--param wins over the parameters in manifest.json', async () => {
    const cwd = workspace(assembly());
    const result = await scan({ inputs: ['cdk.out'], cwd, now: NOW, parameters: { MfaSetting: 'ON' } });
    expect(statusOf(result, MFA, 'InnerPool0A1B2C3D')).toEqual([]);
  });

  it('cdk.out/AppStack.template.json named alone still takes its manifest parameters and its nested stack', async () => {
    const cwd = workspace(assembly());
    const result = await scan({ inputs: ['cdk.out/AppStack.template.json'], cwd, now: NOW });
    expect(result.inputs.map((i) => [i.file, i.format])).toEqual([
      ['cdk.out/manifest.json', 'cdk'],
      ['cdk.out/AppStack.template.json', 'cdk'],
      [`cdk.out/${NESTED}`, 'cdk'],
    ]);
    expect(statusOf(result, MFA, 'InnerPool0A1B2C3D').map(([s]) => s)).toEqual(['fail']);
  });

  it('a resource without aws:cdk:path takes its construct path from the manifest metadata', async () => {
    const cwd = workspace(assembly());
    const result = await scan({ inputs: ['cdk.out'], cwd, now: NOW });
    expect(statusOf(result, GUEST, 'Guests1F2E3D4C')).toEqual([['fail', 'AppStack/Guests/Resource', 'cdk.out/AppStack.template.json']]);
  });

  it('a manifest whose stack template is missing is an input error at templateFile', async () => {
    const files = assembly({ properties: { templateFile: 'Gone.template.json' } });
    const cwd = workspace(files);
    expect(await rejectionLine(scan({ inputs: ['cdk.out'], cwd }))).toMatch(/^cdk\.out\/manifest\.json:\d+:\d+: artifact AppStack: template Gone\.template\.json does not exist$/);
  });

  it('a stage (nested cloud assembly) is followed to its own manifest', async () => {
    const inner = assembly();
    const files: Record<string, string> = {
      'cdk.out/manifest.json': JSON.stringify({
        version: '36.0.0',
        artifacts: { 'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } } },
      }),
    };
    for (const [path, text] of Object.entries(inner)) files[path.replace('cdk.out/', 'cdk.out/assembly-Prod/')] = text;
    const cwd = workspace(files);
    const result = await scan({ inputs: ['cdk.out/manifest.json'], cwd, now: NOW });
    expect(result.inputs.map((i) => i.file)).toEqual([
      'cdk.out/manifest.json',
      'cdk.out/assembly-Prod/manifest.json',
      'cdk.out/assembly-Prod/AppStack.template.json',
      `cdk.out/assembly-Prod/${NESTED}`,
    ]);
    expect(statusOf(result, MFA, 'InnerPool0A1B2C3D').map(([s]) => s)).toEqual(['fail']);
  });
});

describe('construct paths in every report format', () => {
  const file = 'AnomalyInnovations__serverless-stack-demo-ext-resources/build/cdk.out/dev-notes-ext-infra-cognito.template.json';
  const path = 'dev-notes-ext-infra-cognito/UserPool/Resource';
  const corpusScan = () => scan({ inputs: [file], cwd: CORPUS_DIR, now: NOW });

  it('a synthesized template scanned on its own (no manifest beside it) gives each resource its aws:cdk:path', async () => {
    const result = await corpusScan();
    expect(result.inputs).toEqual([{ file, format: 'cloudformation' }]);
    expect(result.resources.find((r) => r.name === 'UserPool6BA7E5F2')?.path).toBe(path);
  });

  it('text shows "UserPool6BA7E5F2 (construct path)"', async () => {
    const text = reporters.text(await corpusScan(), { cwd: CORPUS_DIR, color: false });
    expect(text).toContain(`UserPool6BA7E5F2 (${path})`);
  });

  it('JSON carries resource.path', async () => {
    const json = JSON.parse(reporters.json(await corpusScan(), { cwd: CORPUS_DIR, color: false })) as {
      findings: Array<{ ruleId: string; resource: { name: string; path?: string } }>;
    };
    const mfa = json.findings.find((f) => f.ruleId === MFA && f.resource.name === 'UserPool6BA7E5F2');
    expect(mfa?.resource.path).toBe(path);
  });

  it('SARIF names the construct path as the logical location', async () => {
    const sarif = JSON.parse(reporters.sarif(await corpusScan(), { cwd: CORPUS_DIR, color: false })) as {
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ logicalLocations?: Array<{ fullyQualifiedName: string }> }>; properties?: Record<string, unknown> }> }>;
    };
    const mfa = sarif.runs[0]!.results.find((r) => r.ruleId === MFA)!;
    expect(mfa.locations[0]!.logicalLocations?.[0]?.fullyQualifiedName).toBe(path);
    expect(mfa.properties?.resourcePath).toBe(path);
  });
});
