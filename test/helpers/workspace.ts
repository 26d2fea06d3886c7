import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { InputError } from '../../src/util/input-error.js';

/** Writes `files` (path -> text) into a fresh temporary directory and returns it. */
export function workspace(files: Record<string, string>, prefix = 'cg-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The one line the CLI would print for the InputError `promise` rejects with; fails if it resolves or rejects otherwise. */
export async function rejectionLine(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return String(err);
}
