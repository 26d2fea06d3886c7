/**
 * docs/cli.md and the README's usage block are generated from the command definitions
 * (src/cli/commands.ts); these tests fail when either is stale.
 * Regenerate with: UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands, longName, optionsOf } from '../../src/cli/commands.js';
import { renderCliDoc, renderUsageBlock } from '../../src/cli/docs.js';

const root = resolve(import.meta.dirname, '../..');
const UPDATE = process.env.UPDATE_DOCS === '1';
const START = /<!-- cli-usage:start[^\n]*-->\n/;
const END = '<!-- cli-usage:end -->';

/** The README with its usage block replaced by `block`. */
function withUsage(readme: string, block: string): string {
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  if (!start || end < start.index) throw new Error('README.md has no cli-usage markers');
  return readme.slice(0, start.index + start[0].length) + block + '\n' + readme.slice(end);
}

describe('generated CLI docs', () => {
  it('docs/cli.md matches the command definitions', () => {
    const file = join(root, 'docs/cli.md');
    const rendered = renderCliDoc();
    if (UPDATE) writeFileSync(file, rendered);
    expect(readFileSync(file, 'utf8'), 'docs/cli.md is stale; regenerate with: UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts').toBe(rendered);
  });

  it("the README's usage block matches the command definitions", () => {
    const file = join(root, 'README.md');
    if (UPDATE) writeFileSync(file, withUsage(readFileSync(file, 'utf8'), renderUsageBlock()));
    const readme = readFileSync(file, 'utf8');
    const expected = withUsage(readme, renderUsageBlock());
    expect(readme, 'README usage block is stale; regenerate with: UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts').toBe(expected);
  });

  it('docs/cli.md names every command and every option', () => {
    const doc = renderCliDoc();
    for (const { path, spec } of allCommands()) {
      expect(doc).toContain(`\`cognito-guard ${path.join(' ')}\``);
      for (const o of spec.subcommands ? [] : optionsOf(spec)) expect(doc, `${path.join(' ')} --${longName(o)}`).toContain(`--${longName(o)}`);
    }
  });

  it('a stale usage block is detected', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(withUsage(readme, '```sh\ncognito-guard scan FILE\n```')).not.toBe(withUsage(readme, renderUsageBlock()));
  });
});
