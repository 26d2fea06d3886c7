/**
 * The GitHub Action reads and writes files the workflow names (baseline, config, SARIF) with
 * the same rails as the CLI: only regular files are read, a broken link is not "absent", and a
 * failed write is one line with the path and the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSECURE, fixtureRepo, runAction } from '../action/helpers.js';

function repoWithTemplate() {
  const repo = fixtureRepo();
  repo.write('infra/template.yaml', INSECURE);
  return repo;
}

/** The step's failure lines (`::error::` without annotation properties). */
const failures = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error::'));

describe('files the Action reads and writes', () => {
  it('baseline: a named pipe: exit 2 at once naming it, not a step that hangs', async () => {
    const repo = repoWithTemplate();
    execFileSync('mkfifo', [join(repo.dir, 'baseline.json')]);
    const res = await runAction(repo.dir, { path: 'infra', baseline: 'baseline.json' });
    expect(failures(res.stdout)).toEqual(['::error::cognito-guard: baseline.json: cannot read: a named pipe, not a regular file']);
    expect(res.code).toBe(2);
  }, 30_000);

  it('sarif-file naming a directory: exit 2 with the path and the reason', async () => {
    const repo = repoWithTemplate();
    mkdirSync(join(repo.dir, 'out.sarif'));
    const res = await runAction(repo.dir, { path: 'infra', 'sarif-file': 'out.sarif' });
    expect(failures(res.stdout)).toEqual(['::error::cognito-guard: out.sarif: cannot write: is a directory (EISDIR)']);
    expect(res.code).toBe(2);
  });

  it('working-directory: infra whose .cognito-guard.yml is a broken link: exit 2 naming it, not a scan without the config', async () => {
    const repo = repoWithTemplate();
    symlinkSync('missing.yml', join(repo.dir, 'infra/.cognito-guard.yml'));
    const res = await runAction(repo.dir, { 'working-directory': 'infra', path: 'template.yaml' });
    expect(failures(res.stdout)).toEqual(['::error::cognito-guard: infra/.cognito-guard.yml: broken symbolic link (its target does not exist)']);
    expect(res.code).toBe(2);
  });
});
