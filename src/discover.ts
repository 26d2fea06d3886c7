import { notRegularFile, statPath, walkFiles } from './util/files.js';

/** Directories never worth descending into when looking for templates and snapshots. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'coverage', '.terraform', '.venv', '__pycache__']);
const CANDIDATE = /\.(ya?ml|json|template)$/i;

/**
 * Expands the inputs the user named into candidate files, in a stable order. Files named
 * explicitly are always candidates (and must be regular files); directories contribute their
 * YAML/JSON files, recursively, following symbolic links. `display` turns a path into the one
 * shown in errors.
 */
export function discoverFiles(inputs: string[], display: (abs: string) => string = (p) => p): { files: string[]; explicit: Set<string> } {
  const files: string[] = [];
  const explicit = new Set<string>();
  for (const input of inputs) {
    const stats = statPath(input, display(input));
    if (stats.isDirectory()) {
      for (const file of walkFiles(input, { skipDir: (name) => SKIP_DIRS.has(name), accept: (name) => CANDIDATE.test(name), display })) files.push(file);
    } else if (!stats.isFile()) {
      throw notRegularFile(stats, display(input));
    } else {
      files.push(input);
      explicit.add(input);
    }
  }
  return { files: [...new Set(files)], explicit };
}
