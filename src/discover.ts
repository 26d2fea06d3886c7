import { join } from 'node:path';
import { notRegularFile, statPath, walkFiles } from './util/files.js';

/** A file or directory a directory scan did not read, and why. */
export interface Skipped {
  path: string;
  reason: string;
}

/** Directories never worth descending into when looking for inputs. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'coverage', '.terraform', '.serverless', '.venv', '__pycache__']);

/** Why a directory is not descended into, or undefined to descend. `path` is relative to the walk's root. */
function skipReason(name: string, path: string): string | undefined {
  if (SKIP_DIRS.has(name)) return name;
  // A CDK assembly's assets are Lambda code and nested copies of templates the manifest names.
  if (name.startsWith('asset.') && /(^|\/)cdk\.out\/[^/]+$/.test(path)) return 'cdk.out/asset.*';
  return undefined;
}

/**
 * Expands the inputs the user named into candidate files, in a stable order. Files named
 * explicitly are always candidates (and must be regular files); directories contribute their
 * files with one of `extensions` (lower case, with the dot; `.tf.json` style names work),
 * recursively, following symbolic links, and say which directories they skipped. `display`
 * turns a path into the one shown in errors.
 */
export function discoverFiles(
  inputs: string[],
  display: (abs: string) => string = (p) => p,
  extensions: readonly string[] = ['.yaml', '.yml', '.json', '.template'],
): { files: string[]; explicit: Set<string>; skippedDirs: Skipped[] } {
  const files: string[] = [];
  const explicit = new Set<string>();
  const skippedDirs: Skipped[] = [];
  const accept = (name: string): boolean => {
    const lower = name.toLowerCase();
    return extensions.some((ext) => lower.endsWith(ext));
  };
  for (const input of inputs) {
    const stats = statPath(input, display(input));
    if (stats.isDirectory()) {
      const skipDir = (name: string, path: string): boolean => {
        const reason = skipReason(name, path);
        if (reason) skippedDirs.push({ path: `${display(join(input, path))}/`, reason: `directory not searched (${reason})` });
        return reason !== undefined;
      };
      for (const file of walkFiles(input, { skipDir, accept, display })) files.push(file);
    } else if (!stats.isFile()) {
      throw notRegularFile(stats, display(input));
    } else {
      files.push(input);
      explicit.add(input);
    }
  }
  return { files: [...new Set(files)], explicit, skippedDirs };
}
