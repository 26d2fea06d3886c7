import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../scan.js';
import { InputError } from '../util/input-error.js';

/** Rule files under the given paths (profiles excluded), with their text. */
export function discoverRuleFiles(paths: string[], cwd: string): Array<{ display: string; text: string }> {
  const out: Array<{ display: string; text: string }> = [];
  const visit = (path: string): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new InputError('no such file or directory', displayPath(cwd, path));
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name === 'profiles') continue;
        const child = join(path, name);
        if (statSync(child).isDirectory() || /\.ya?ml$/.test(name)) visit(child);
      }
    } else {
      out.push({ display: displayPath(cwd, path), text: readFileSync(path, 'utf8') });
    }
  };
  paths.forEach(visit);
  return out;
}
