import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './util/input-error.js';

/** Directories never worth descending into when looking for templates and snapshots. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'coverage', '.terraform', '.venv', '__pycache__']);
const CANDIDATE = /\.(ya?ml|json|template)$/i;

/**
 * Expands the inputs the user named into candidate files, in a stable order. Files named
 * explicitly are always candidates; directories contribute their YAML/JSON files, recursively.
 */
export function discoverFiles(inputs: string[]): { files: string[]; explicit: Set<string> } {
  const files: string[] = [];
  const explicit = new Set<string>();
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && CANDIDATE.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const input of inputs) {
    let stats;
    try {
      stats = statSync(input);
    } catch {
      throw new InputError('no such file or directory', input);
    }
    if (stats.isDirectory()) walk(input);
    else {
      files.push(input);
      explicit.add(input);
    }
  }
  return { files: [...new Set(files)], explicit };
}
