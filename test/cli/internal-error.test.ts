import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';

/** A run whose stdout throws what a bug would throw: the CLI must still end in one line and exit 2. */
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const err: string[] = [];
  const code = main(args, {
    stdout: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id') near https://user:hunter2@example.com/cb");
    },
    stderr: (s) => err.push(s),
    env,
    cwd: process.cwd(),
    isTTY: false,
  });
  return { code, err: () => err.join('') };
}

describe('an unexpected error (a bug) is one line and exit 2, never a stack trace or exit 1', () => {
  it('rules list whose output throws a TypeError', async () => {
    const r = run(['rules', 'list']);
    expect(await r.code).toBe(2);
    expect(r.err()).toBe(
      "cognito-guard: internal error: Cannot read properties of undefined (reading 'id') near https://***@example.com/cb (a bug: please report it; COGNITO_GUARD_DEBUG=1 prints the stack)\n",
    );
  });

  it('COGNITO_GUARD_DEBUG=1 adds the stack, still redacted', async () => {
    const r = run(['rules', 'list'], { COGNITO_GUARD_DEBUG: '1' });
    expect(await r.code).toBe(2);
    expect(r.err()).toMatch(/^cognito-guard: internal error: .*\nTypeError: Cannot read properties .*\n\s+at /);
    expect(r.err()).not.toContain('hunter2');
  });
});
