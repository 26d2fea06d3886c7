import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { InputError } from './input-error.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'symbolic link loop',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** A file-system error in words, with its code (`permission denied (EACCES)`). */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return err instanceof Error ? err.message : String(err);
  return REASONS[code] ? `${REASONS[code]} (${code})` : code;
}

/** The error for a path we will not read because it is not a regular file. */
export function notRegularFile(stats: Stats, display: string): InputError {
  const what = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a named pipe'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : 'a special file';
  return new InputError(`cannot read: ${what}, not a regular file`, display);
}

/**
 * `stat` that follows symbolic links, with one-line errors: a link whose target is missing is
 * "broken symbolic link", not "no such file".
 */
export function statPath(abs: string, display: string): Stats {
  try {
    return statSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && isLink(abs)) throw new InputError('broken symbolic link (its target does not exist)', display);
    throw new InputError(fsReason(err), display);
  }
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Reads a user file as UTF-8, only if it is a regular file: a named pipe or a device would block
 * or never end. The file is opened non-blocking and checked through its descriptor, so it
 * cannot be swapped for a pipe between the check and the read.
 */
export function readRegularFile(abs: string, display: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer. Windows has no flag.
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && isLink(abs)) throw new InputError('broken symbolic link (its target does not exist)', display);
    throw new InputError(`cannot read: ${fsReason(err)}`, display);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notRegularFile(stats, display);
    return decodeUtf8(readFileSync(fd), display);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read: ${fsReason(err)}`, display);
  } finally {
    closeSync(fd);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Bytes that are not UTF-8 would be read as U+FFFD and change the values silently (a Latin-1
 * or UTF-16 file); CloudFormation itself takes only UTF-8, so they are an error at the first one.
 */
function decodeUtf8(bytes: Buffer, display: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    const lenient = bytes.toString('utf8');
    const at = lenient.indexOf('\ufffd');
    const before = lenient.slice(0, Math.max(at, 0));
    const line = before.split('\n').length;
    throw new InputError('not UTF-8 text (save the file as UTF-8)', display, line, before.length - before.lastIndexOf('\n'));
  }
}

/** Writes a report or baseline the user asked for; a failure is one line with the path and why. */
export function writeOutputFile(abs: string, display: string, text: string): void {
  try {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  } catch (err) {
    throw new InputError(`cannot write: ${fsReason(err)}`, display);
  }
}

export interface WalkOptions {
  /** True for a directory not to descend into; `rel` is its path below the root, with `/`. */
  skipDir(name: string, rel: string): boolean;
  /** True for a file name worth returning. */
  accept(name: string): boolean;
  /** How a path is shown in errors. */
  display(abs: string): string;
}

/**
 * The accepted files under `root`, depth first in name order. Symbolic links are followed: a
 * template reached through a link is scanned like any other. Each real directory and file is
 * visited once; a link back to a directory being walked, a broken link, an unreadable directory
 * and an accepted name that is not a regular file (a named pipe would block the read) are
 * InputErrors: skipping them would report "clean" for something that was never read.
 */
export function walkFiles(root: string, options: WalkOptions): string[] {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const ancestors: string[] = [];
  const real = (abs: string): string => {
    try {
      return realpathSync(abs);
    } catch (err) {
      throw new InputError(fsReason(err), options.display(abs));
    }
  };
  const walk = (dir: string, realDir: string): void => {
    ancestors.push(realDir);
    seenDirs.add(realDir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`cannot read directory: ${fsReason(err)}`, options.display(dir));
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const link = entry.isSymbolicLink();
      const stats = link ? statPath(path, options.display(path)) : undefined;
      if (stats ? stats.isDirectory() : entry.isDirectory()) {
        if (options.skipDir(entry.name, relative(root, path).split(sep).join('/'))) continue;
        const target = link ? real(path) : join(realDir, entry.name);
        if (ancestors.includes(target)) throw new InputError(`symbolic link loop: it leads back to ${options.display(target)}`, options.display(path));
        if (!seenDirs.has(target)) walk(path, target);
      } else if (options.accept(entry.name)) {
        if (!(stats ? stats.isFile() : entry.isFile())) throw notRegularFile(stats ?? statPath(path, options.display(path)), options.display(path));
        const target = link ? real(path) : join(realDir, entry.name);
        if (!seenFiles.has(target)) {
          seenFiles.add(target);
          out.push(path);
        }
      }
    }
    ancestors.pop();
  };
  walk(root, real(root));
  return out;
}
