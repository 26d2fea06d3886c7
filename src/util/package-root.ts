import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The directory of cognito-guard's own package.json: `rules/` and `schemas/` live there both in
 * the source tree (tests run `src/`) and in an installed package (`dist/`).
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cognito-guard: cannot find the package root');
    dir = parent;
  }
  cached = dir;
  return dir;
}
