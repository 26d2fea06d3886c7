import { displayPath } from '../scan.js';
import { notRegularFile, readRegularFile, statPath, walkFiles } from '../util/files.js';

/** Rule files under the given paths (profiles excluded), with their text. */
export function discoverRuleFiles(paths: string[], cwd: string): Array<{ display: string; text: string }> {
  const display = (abs: string): string => displayPath(cwd, abs);
  const out: Array<{ display: string; text: string }> = [];
  for (const path of paths) {
    const stats = statPath(path, display(path));
    let files = [path];
    if (stats.isDirectory()) files = walkFiles(path, { skipDir: (name) => name === 'profiles', accept: (name) => /\.ya?ml$/.test(name), display });
    else if (!stats.isFile()) throw notRegularFile(stats, display(path));
    for (const file of files) out.push({ display: display(file), text: readRegularFile(file, display(file)) });
  }
  return out;
}
