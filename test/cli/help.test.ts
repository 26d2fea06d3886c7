/**
 * The command line as a new user meets it, through the built binary: help for every command,
 * suggestions for typos, one-line errors with exit 2 for every command, environment variables,
 * --quiet/--verbose, and a --help that loads neither the scanner, the AWS SDK nor k6 code.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands, longName, optionsOf, shortFlag } from '../../src/cli/commands.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const INSECURE = 'examples/insecure-app/template.yaml';

function run(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.FORCE_COLOR;
  for (const name of Object.keys(base)) if (name.startsWith('COGNITO_GUARD_')) delete base[name];
  const res = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...base, NO_COLOR: '1', ...env } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const commands = allCommands().map(({ path, spec }) => ({ name: path.join(' '), path, spec }));

/** One line `cognito-guard: ...`, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cognito-guard: /);
  return lines[0]!;
}

describe('--help', () => {
  it.each(commands)('$name --help exits 0 and names every option the command accepts', ({ path, spec }) => {
    const { code, stdout, stderr } = run([...path, '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Usage: cognito-guard ${path.join(' ')}`);
    for (const o of optionsOf(spec)) {
      expect(stdout, o.flags).toContain(`--${longName(o)}`);
      const short = shortFlag(o);
      if (short) expect(stdout).toContain(`${short}, --${longName(o)}`);
    }
    for (const sub of spec.subcommands ?? []) expect(stdout).toContain(sub.name);
    if (spec.examples?.length) expect(stdout).toContain('Examples:');
  });

  it.each(commands)('help $name prints the same text as $name --help', ({ path }) => {
    const viaHelp = run(['help', ...path]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(run([...path, '--help']).stdout);
  });

  it.each([{ name: '(top level)', path: [] as string[] }, ...commands])('the help text of $name matches its snapshot', async ({ name, path }) => {
    const { stdout } = run([...path, '--help']);
    await expect(stdout).toMatchFileSnapshot(`__snapshots__/help/${name === '(top level)' ? 'cognito-guard' : path.join('-')}.txt`);
  });

  it('a group\'s own help command: loadtest help run', () => {
    const { code, stdout } = run(['loadtest', 'help', 'run']);
    expect(code).toBe(0);
    expect(stdout).toBe(run(['loadtest', 'run', '--help']).stdout);
  });

  // `true` exits before node has started, so every write meets a closed pipe (EPIPE).
  it('help piped into a reader that is gone (scan --help | true): no stack trace, exit 0', () => {
    const res = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" scan --help | true`], { cwd: root, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('help as an argument of a command is an argument: scan help scans a directory named help', () => {
    const { code, stderr } = run(['scan', 'help']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('cognito-guard: help: no such file or directory (ENOENT)');
  });

  it('-h is --help and -v prints the version', () => {
    expect(run(['scan', '-h']).stdout).toBe(run(['scan', '--help']).stdout);
    const version = run(['-v']);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('no command at all prints the usage on stderr and exits 2', () => {
    const { code, stdout, stderr } = run([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: cognito-guard');
  });

  it('a group without its subcommand (loadtest) prints its usage on stderr and exits 2', () => {
    const { code, stderr } = run(['loadtest']);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: cognito-guard loadtest');
  });
});

describe('mistakes: exit 2, one line, a suggestion when one is close', () => {
  it('a mistyped command: scna', () => {
    const { code, stderr } = run(['scna', INSECURE]);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: unknown command 'scna' (did you mean scan?)");
  });

  it('a mistyped subcommand: rules lst', () => {
    const { code, stderr } = run(['rules', 'lst']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: rules: unknown command 'lst' (did you mean list?)");
  });

  it('a mistyped option: scan --fail-onn high', () => {
    const { code, stderr } = run(['scan', INSECURE, '--fail-onn', 'high']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: scan: unknown option '--fail-onn' (did you mean --fail-on?)");
  });

  it('help for a command that does not exist: help scna', () => {
    const { code, stderr } = run(['help', 'scna']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: unknown command 'scna' (did you mean scan?)");
  });

  // Every command and group, with an option nobody has: the same exit code and line format.
  it.each(commands)('$name --bogus-option', ({ name, path }) => {
    const { code, stdout, stderr } = run([...path, '--bogus-option']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(oneLine(stderr)).toBe(`cognito-guard: ${name}: unknown option '--bogus-option' (see cognito-guard ${name} --help)`);
  });

  it('help for a subcommand that does not exist: rules help nope', () => {
    const { code, stderr } = run(['rules', 'help', 'nope']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: rules: unknown command 'nope' (see cognito-guard rules --help)");
  });

  it('findings still fail a scan piped into a reader that is gone (scan | true)', () => {
    const res = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" scan ${INSECURE} | true`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(1);
  });

  it('credentials in a mistyped option are redacted: scan x --endpoint=https://u:pw@host/', () => {
    const { code, stderr } = run(['scan', INSECURE, '--endpoint=https://u:Sekr1t@host.example.com/']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: scan: unknown option '--endpoint=https://***@host.example.com/' (see cognito-guard scan --help)");
  });

  it('an option value missing: scan x --format', () => {
    const { code, stderr } = run(['scan', INSECURE, '--format']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: scan: option '--format <format>' argument missing (see cognito-guard scan --help)");
  });

  it('a missing argument: loadtest report', () => {
    const { code, stderr } = run(['loadtest', 'report']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe("cognito-guard: loadtest report: missing required argument 'summary' (see cognito-guard loadtest report --help)");
  });

  it('an extra argument: rules list extra', () => {
    const { code, stderr } = run(['rules', 'list', 'extra']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^cognito-guard: rules list: too many arguments/);
  });

  it('a value outside the choices: rules list --format bogus', () => {
    const { code, stderr } = run(['rules', 'list', '--format', 'bogus']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('cognito-guard: --format must be one of: text, json (got "bogus")');
  });

  it('an unknown shell: completion tcsh', () => {
    const { code, stderr } = run(['completion', 'tcsh']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('cognito-guard: completion: shell must be one of: bash, zsh, fish (got "tcsh")');
  });
});

describe('environment variables for CI', () => {
  it('COGNITO_GUARD_FORMAT=json gives JSON', () => {
    const { stdout } = run(['scan', INSECURE], { COGNITO_GUARD_FORMAT: 'json' });
    expect(() => JSON.parse(stdout)).not.toThrow();
  });

  it('--format text wins over COGNITO_GUARD_FORMAT=json', () => {
    const { stdout } = run(['scan', INSECURE, '--format', 'text'], { COGNITO_GUARD_FORMAT: 'json' });
    expect(() => JSON.parse(stdout)).toThrow();
    expect(stdout).toContain('cognito-user-pool-mfa-enabled');
  });

  it('COGNITO_GUARD_FAIL_ON=critical passes a pool whose worst finding is high, --fail-on high wins over it', () => {
    const pool = 'test/fixtures/cli/default-pool.yaml';
    expect(run(['scan', pool], { COGNITO_GUARD_FAIL_ON: 'critical' }).code).toBe(0);
    expect(run(['scan', pool, '--fail-on', 'high'], { COGNITO_GUARD_FAIL_ON: 'critical' }).code).toBe(1);
  });

  it('COGNITO_GUARD_FAIL_ON=bogus is a one-line error naming the variable', () => {
    const { code, stderr } = run(['scan', INSECURE], { COGNITO_GUARD_FAIL_ON: 'bogus' });
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('cognito-guard: COGNITO_GUARD_FAIL_ON must be one of: critical, high, medium, low, info, none (got "bogus")');
  });

  it('COGNITO_GUARD_CONFIG picks the config file (failOn, suppressions)', () => {
    const { stdout } = run(['scan', INSECURE, '--format', 'json'], { COGNITO_GUARD_CONFIG: 'test/fixtures/cli/config.yml' });
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; suppression?: { justification: string } }> };
    expect(report.findings.find((f) => f.ruleId === 'cognito-identity-pool-guest-access-disabled')?.suppression?.justification).toMatch(/SEC-142/);
  });

  it('an empty COGNITO_GUARD_FORMAT is ignored', () => {
    expect(run(['scan', INSECURE], { COGNITO_GUARD_FORMAT: '' }).stdout).toContain('cognito-user-pool-mfa-enabled');
  });
});

describe('--quiet and --verbose', () => {
  it('scan --output --quiet prints nothing on stderr; without --quiet a summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-quiet-'));
    const loud = run(['scan', INSECURE, '--format', 'json', '--output', join(dir, 'a.json')]);
    expect(loud.stderr).toMatch(/json report written to/);
    const quiet = run(['scan', INSECURE, '--format', 'json', '--output', join(dir, 'b.json'), '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('');
  });

  it('scan --quiet does not list skipped files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-skip-'));
    copyFileSync(join(root, INSECURE), join(dir, 'template.yaml'));
    writeFileSync(join(dir, 'package.json'), '{"name": "app"}');
    expect(run(['scan', dir, '--format', 'json']).stderr).toMatch(/skipped .*package\.json/);
    expect(run(['scan', dir, '--format', 'json', '-q']).stderr).toBe('');
  });

  it('scan --verbose says what was loaded', () => {
    const { stderr } = run(['scan', INSECURE, '--verbose']);
    expect(stderr).toMatch(/^cognito-guard: loaded 1 input \(\d+ resources\), \d+ rules, in \d+ ms$/m);
  });

  it('rules validate --verbose names each file', () => {
    const { stderr, code } = run(['rules', 'validate', 'rules/cognito', '--verbose']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/validating rules\/cognito\/cognito-user-pool-mfa-enabled\.yaml/);
  });

  it('no progress is drawn when stderr is not a terminal', () => {
    expect(run(['scan', 'examples', '--format', 'json']).stderr).not.toMatch(/\r|loading/);
  });
});

describe('start-up', () => {
  /** Relative static imports of a built module, followed transitively. */
  function staticGraph(entry: string): Set<string> {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
        else seen.add(spec);
      }
    };
    visit(entry);
    return seen;
  }

  it('bin.js loads neither the scanner, the AWS SDK nor the load-test code before a command runs', () => {
    const loaded = [...staticGraph(bin)].map((f) => f.replace(`${root}/`, ''));
    expect(loaded).toContain('commander');
    expect(loaded.filter((f) => /@aws-sdk|loadtest|scan\.js|rules\/load|reporters|yaml|ajv/.test(f))).toEqual([]);
  });

  it('--help answers quickly (printed with the test output)', () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      expect(run(['--help']).code).toBe(0);
      times.push(performance.now() - t);
    }
    const best = Math.min(...times);
    console.log(`cognito-guard --help: ${best.toFixed(0)} ms (best of 3, process start included)`);
    expect(best).toBeLessThan(2000);
  });
});
