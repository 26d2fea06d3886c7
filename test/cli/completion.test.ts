/**
 * The completion scripts (`cognito-guard completion bash|zsh|fish`), checked by the shells
 * themselves and, for bash, by completing partial command lines in a subshell.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const tmp = mkdtempSync(join(tmpdir(), 'cg-completion-'));

function script(shell: string): string {
  const res = spawnSync(process.execPath, [bin, 'completion', shell], { encoding: 'utf8' });
  expect(res.status).toBe(0);
  expect(res.stderr).toBe('');
  return res.stdout;
}

function has(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

const bashFile = join(tmp, 'cognito-guard.bash');
writeFileSync(bashFile, script('bash'));

/** COMPREPLY after sourcing the script and completing `words` with the cursor on the last word. */
function complete(words: string[], cwd = root): string[] {
  const cmd = [
    `source ${JSON.stringify(bashFile)}`,
    `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_cognito_guard',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const res = spawnSync('bash', ['--norc', '--noprofile', '-c', cmd], { cwd, encoding: 'utf8' });
  expect(res.stderr).toBe('');
  return res.stdout.split('\n').filter(Boolean).sort();
}

describe('bash completion', () => {
  it('passes bash -n', () => {
    const res = spawnSync('bash', ['-n', bashFile], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('completes a partial command: cognito-guard sc', () => {
    expect(complete(['cognito-guard', 'sc'])).toEqual(['scan']);
  });

  it('completes a subcommand: cognito-guard loadtest c', () => {
    expect(complete(['cognito-guard', 'loadtest', 'c'])).toEqual(['cleanup']);
  });

  it('completes options of the command being typed: cognito-guard scan x.yaml --fa', () => {
    expect(complete(['cognito-guard', 'scan', 'x.yaml', '--fa'])).toEqual(['--fail-on']);
  });

  it('completes the choices of an option: cognito-guard scan --format s', () => {
    expect(complete(['cognito-guard', 'scan', '--format', 's'])).toEqual(['sarif']);
  });

  it('does not take an option value for a command: loadtest run --scenario spike --sc', () => {
    expect(complete(['cognito-guard', 'loadtest', 'run', '--scenario', 'spike', '--sc'])).toEqual(['--scenario', '--scope', '--script']);
  });

  it('completes file names where a command takes files: cognito-guard scan examples/fix', () => {
    expect(complete(['cognito-guard', 'scan', 'examples/fix'])).toEqual(['examples/fixed-app']);
  });

  it('completes the shells of completion: cognito-guard completion z', () => {
    expect(complete(['cognito-guard', 'completion', 'z'])).toEqual(['zsh']);
  });
});

describe.skipIf(!has('zsh'))('zsh completion', () => {
  it('passes zsh -n', () => {
    const file = join(tmp, '_cognito-guard');
    writeFileSync(file, script('zsh'));
    const res = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});

describe.skipIf(!has('fish'))('fish completion', () => {
  it('passes fish --no-execute', () => {
    const file = join(tmp, 'cognito-guard.fish');
    writeFileSync(file, script('fish'));
    const res = spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});

describe('every script', () => {
  it.each(['bash', 'zsh', 'fish'])('%s names every command and the options of scan', (shell) => {
    const text = script(shell);
    for (const word of ['scan', 'export', 'rules', 'list', 'validate', 'loadtest', 'seed', 'run', 'report', 'cleanup', 'completion']) expect(text).toContain(word);
    for (const flag of ['fail-on', 'format', 'param-file', 'write-baseline', 'live', 'all-regions', 'quiet', 'verbose']) expect(text).toContain(flag);
  });
});
