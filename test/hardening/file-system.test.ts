/**
 * Hostile input at the file-system layer (issue 6): links, named pipes, unreadable
 * directories, files that are not what they claim, and output targets that fail. Each either
 * is read like any other file or stops the run with one line naming the path (exit 2); none is
 * dropped without a word.
 */
import { notAnInput } from '../../src/scan.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAN_TEMPLATE, INSECURE_TEMPLATE, expectInputError, runCli, workspace } from './run-cli.js';

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

describe('symbolic links in scanned directories', () => {
  it('a template reached through a linked file and a linked folder: both scanned', () => {
    const dir = workspace({ 'real/pool.yaml': INSECURE_TEMPLATE, 'elsewhere/nested/other.yaml': INSECURE_TEMPLATE });
    mkdirSync(join(dir, 'infra'));
    symlinkSync('../real/pool.yaml', join(dir, 'infra/pool.yaml'));
    symlinkSync('../elsewhere/nested', join(dir, 'infra/nested'));
    const { code, stdout } = runCli(['scan', 'infra', '--format', 'json'], dir);
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; location: { file: string } }> };
    const files = report.findings.filter((f) => f.ruleId === 'cognito-user-pool-mfa-enabled').map((f) => f.location.file);
    expect(files).toEqual(['infra/nested/other.yaml', 'infra/pool.yaml']);
    expect(code).toBe(1);
  });

  it('a folder linked to its parent (a loop): exit 2 where the walk comes back to the start', () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE });
    symlinkSync('..', join(dir, 'infra/up'));
    expectInputError(['scan', 'infra'], dir, 'infra/up/infra: symbolic link loop: it leads back to infra');
  });

  it('a link to itself: exit 2 naming the link', () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE });
    symlinkSync('self.yaml', join(dir, 'infra/self.yaml'));
    expectInputError(['scan', 'infra'], dir, 'infra/self.yaml: symbolic link loop (ELOOP)');
  });

  it('a broken link next to a clean template: exit 2 naming the link, not a clean result', () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE });
    symlinkSync('gone.yaml', join(dir, 'infra/stack.yaml'));
    expectInputError(['scan', 'infra'], dir, 'infra/stack.yaml: broken symbolic link (its target does not exist)');
  });
});

describe('files named on the command line', () => {
  it('a named notes.yaml that is no template, next to a clean template: exit 2 naming it', () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE, 'notes.yaml': 'title: release notes\nitems: [a, b]\n' });
    expectInputError(['scan', 't.yaml', 'notes.yaml'], dir, `notes.yaml: ${notAnInput()}`);
  });

  it('the same notes.yaml found by walking a directory: skipped and listed, exit 0', () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE, 'infra/notes.yaml': 'title: release notes\n' });
    const { code, stderr } = runCli(['scan', 'infra'], dir);
    expect(stderr).toBe(`cognito-guard: skipped infra/notes.yaml: ${notAnInput()}\n`);
    expect(code).toBe(0);
  });

  it('a JSON template in a directory whose keys are written with escapes ("\\u0052esources"): scanned', () => {
    const json = '{"AWSTemplateFormatVersion": "2010-09-09", "\\u0052esources": {"Pool": {"\\u0054ype": "AWS::Cognito::UserPool"}}}';
    const dir = workspace({ 'infra/escaped.json': json });
    const { code, stdout } = runCli(['scan', 'infra'], dir);
    expect(stdout).toContain('cognito-user-pool-mfa-enabled');
    expect(code).toBe(1);
  });
});

describe('named pipes and other files that are not regular', () => {
  it('a named pipe called stack.yaml in a scanned directory: exit 2 at once, no hang', () => {
    const dir = workspace({ 'infra/t.yaml': CLEAN_TEMPLATE });
    mkfifo(join(dir, 'infra/stack.yaml'));
    expectInputError(['scan', 'infra'], dir, 'infra/stack.yaml: cannot read: a named pipe, not a regular file', 20_000);
  });

  it('a named pipe named on the command line: exit 2 at once', () => {
    const dir = workspace();
    mkfifo(join(dir, 'pipe.yaml'));
    expectInputError(['scan', 'pipe.yaml'], dir, 'pipe.yaml: cannot read: a named pipe, not a regular file', 20_000);
  });

  it('a named pipe given as --config and as --param-file: exit 2 at once', () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    mkfifo(join(dir, 'pipe.yml'));
    for (const flag of ['--config', '--param-file', '--baseline']) {
      expectInputError(['scan', 't.yaml', flag, 'pipe.yml'], dir, 'pipe.yml: cannot read: a named pipe, not a regular file', 20_000);
    }
  });
});

describe('rule directories', () => {
  it('a named pipe called rule.yaml in a rules directory: exit 2 in scan and rules validate, no hang', () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    mkdirSync(join(dir, 'rules'));
    mkfifo(join(dir, 'rules/rule.yaml'));
    for (const args of [['scan', 't.yaml', '--rules', 'rules'], ['rules', 'validate', 'rules'], ['rules', 'list', '--rules', 'rules']]) {
      expectInputError(args, dir, 'rules/rule.yaml: cannot read: a named pipe, not a regular file', 20_000);
    }
  });

  it.each([
    ['a broken link', (rules: string) => symlinkSync('missing.yaml', join(rules, 'rule.yaml')), 'rules/rule.yaml: broken symbolic link (its target does not exist)'],
    ['a link back to itself', (rules: string) => symlinkSync('.', join(rules, 'again')), 'rules/again: symbolic link loop: it leads back to rules'],
  ])('a rules directory with %s: exit 2 in scan and rules validate', (_name, link, line) => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    mkdirSync(join(dir, 'rules'));
    link(join(dir, 'rules'));
    for (const args of [['scan', 't.yaml', '--rules', 'rules'], ['rules', 'validate', 'rules']]) expectInputError(args, dir, line);
  });
});

describe('output targets', () => {
  it('--output naming a directory: exit 2 with the path and the reason', () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    mkdirSync(join(dir, 'reports'));
    expectInputError(['scan', 't.yaml', '--output', 'reports'], dir, 'reports: cannot write: is a directory (EISDIR)');
  });

  it('--output /dev/full (a full disk): exit 2 with ENOSPC', () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    expectInputError(['scan', 't.yaml', '--output', '/dev/full'], dir, '/dev/full: cannot write: no space left on device (ENOSPC)');
  });

  it('--write-baseline naming a directory and /dev/full: exit 2 with the path and the reason', () => {
    const dir = workspace({ 't.yaml': CLEAN_TEMPLATE });
    mkdirSync(join(dir, 'baselines'));
    expectInputError(['scan', 't.yaml', '--write-baseline', 'baselines'], dir, 'baselines: cannot write: is a directory (EISDIR)');
    expectInputError(['scan', 't.yaml', '--write-baseline', '/dev/full'], dir, '/dev/full: cannot write: no space left on device (ENOSPC)');
  });
});

describe('load-test inputs are regular files only', () => {
  it('loadtest report of a named pipe and cleanup --users a named pipe: exit 2 at once naming it, no hang', { timeout: 20_000 }, async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'cg-fifo-'));
    try {
      execFileSync('mkfifo', [join(dir, 'summary.json'), join(dir, 'users.json')]);
      const bin = join(process.cwd(), 'dist/cli/bin.js');
      const report = spawnSync(process.execPath, [bin, 'loadtest', 'report', 'summary.json'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
      expect(report.status).toBe(2);
      expect(report.stderr).toMatch(/^cognito-guard: \S*summary\.json: cannot read: a named pipe, not a regular file\n$/);
      const cleanup = spawnSync(process.execPath, [bin, 'loadtest', 'cleanup', '--user-pool-id', 'eu-west-1_abc', '--users', 'users.json'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
      expect(cleanup.status).toBe(2);
      // (On Node 20 the AWS SDK adds its own deprecation warning after our line.)
      expect(cleanup.stderr).toMatch(/^cognito-guard: \S*users\.json: cannot read: a named pipe, not a regular file\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
