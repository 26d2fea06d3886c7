/**
 * The package as users install it: `npm pack`, install the tarball in an empty directory, run
 * its `cognito-guard` binary on the bundled example. Catches missing `files`, a bin without its
 * shebang, rules or schemas not shipped, dev-only dependencies used at run time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack + install', () => {
  it('installs and runs cognito-guard from the tarball', () => {
    const work = mkdtempSync(join(tmpdir(), 'cg-pack-'));
    // dist/ is already built by `npm test`'s pretest; do not build again.
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: root, stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', join(work, tarball!)], {
      cwd: app,
      stdio: 'pipe',
      timeout: 240_000,
    });
    const bin = join(app, 'node_modules/.bin/cognito-guard');
    const example = join(app, 'node_modules/cognito-guard/examples/insecure-app/template.yaml');
    const res = spawnSync(bin, ['scan', example, '--format', 'json'], { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(1);
    const report = JSON.parse(res.stdout) as { findings: Array<{ ruleId: string }> };
    expect(new Set(report.findings.map((f) => f.ruleId))).toContain('cognito-user-pool-mfa-enabled');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 300_000);
});
