import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readRegularFile } from '../util/files.js';
import { InputError } from '../util/input-error.js';

/** Every seeded username starts with this, so cleanup can refuse to delete anyone else. */
export const USERNAME_PREFIX = 'loadtest-';

/** Format marker of the users file. */
export const USERS_FILE_FORMAT = 'cognito-guard-loadtest-users';

/** One seeded user. The password is a secret: never print it. */
export interface SeededUser {
  /** The name the user signs in with (USERNAME in InitiateAuth). */
  username: string;
  password: string;
  /**
   * The user's Cognito username as AdminCreateUser returned it: the same as `username`, or the
   * `sub` in pools that sign in with email (used for REFRESH_TOKEN_AUTH's SECRET_HASH).
   */
  cognitoUsername: string;
}

/** The users file `loadtest seed` writes and `run`/`cleanup` and the k6 scripts read. */
export interface UsersFile {
  format: typeof USERS_FILE_FORMAT;
  version: 1;
  userPoolId: string;
  clientId: string;
  createdAt: string;
  /** False when seeding stopped early; the file still lists every user that was created. */
  complete: boolean;
  users: SeededUser[];
}

/**
 * Writes the users file readable by its owner only (it holds passwords), refusing to replace an
 * existing file: that would lose the only list of the users it names.
 */
export async function writeUsersFile(path: string, doc: UsersFile): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InputError('users file already exists; clean up its users first or choose another --output', path);
    }
    throw new InputError(`cannot create users file: ${(err as Error).message}`, path);
  }
  try {
    // The umask cannot widen 0600, but a pre-set ACL or odd umask could narrow it oddly; be exact.
    await handle.chmod(0o600);
    await handle.writeFile(JSON.stringify(doc, null, 2) + '\n', 'utf8');
  } finally {
    await handle.close();
  }
}

/** Reads and checks a users file; every problem is an InputError naming the file. */
export async function readUsersFile(path: string): Promise<UsersFile> {
  // Regular files only: a named pipe would block the run forever.
  const text = readRegularFile(resolve(path), path);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError('users file is not valid JSON', path);
  }
  const d = doc as Partial<UsersFile> | null;
  if (!d || typeof d !== 'object' || d.format !== USERS_FILE_FORMAT) {
    throw new InputError(`not a users file (expected "format": "${USERS_FILE_FORMAT}")`, path);
  }
  if (typeof d.userPoolId !== 'string' || !Array.isArray(d.users)) {
    throw new InputError('users file needs "userPoolId" and a "users" array', path);
  }
  d.users.forEach((u, i) => {
    if (!u || typeof u.username !== 'string' || typeof u.password !== 'string' || typeof u.cognitoUsername !== 'string') {
      throw new InputError(`users[${i}] needs username, password and cognitoUsername strings`, path);
    }
  });
  return d as UsersFile;
}
