import { unlink } from 'node:fs/promises';
import { AdminDeleteUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { InputError } from '../util/input-error.js';
import { awsErrorName } from './cognito-client.js';
import { pacer, type Clock } from './pace.js';
import { USERNAME_PREFIX, readUsersFile } from './users-file.js';

/** AdminDeleteUser counts against UserUpdate (25/s, not adjustable); stay well under it. */
export const MAX_CLEANUP_RATE = 25;
/** Deletions per second when `--rate` is not given. */
export const DEFAULT_CLEANUP_RATE = 10;

/** Options of `loadtest cleanup`. */
export interface CleanupOptions {
  userPoolId: string;
  usersPath: string;
  rate: number;
  keepUsersFile: boolean;
  /** Called before the first deletion and after each user, with users handled so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What cleanup did. */
export interface CleanupResult {
  deleted: number;
  alreadyGone: number;
  removedUsersFile: boolean;
}

/**
 * Deletes exactly the users listed in the users file from the given pool. Refuses before
 * deleting anything if the file belongs to another pool or lists a name without the `loadtest-`
 * prefix (a hand-edited or foreign file must not delete real users). Then removes the users
 * file, whose passwords are of no use any more.
 */
export async function cleanupUsers(
  client: CognitoIdentityProviderClient,
  options: CleanupOptions,
  clock: Clock,
): Promise<CleanupResult> {
  if (!(options.rate > 0) || options.rate > MAX_CLEANUP_RATE) {
    throw new InputError(`loadtest cleanup: --rate must be above 0 and at most ${MAX_CLEANUP_RATE} deletions/s (UserUpdate quota)`);
  }
  const file = await readUsersFile(options.usersPath);
  if (file.userPoolId !== options.userPoolId) {
    throw new InputError(`users file belongs to pool ${file.userPoolId}, not ${options.userPoolId}`, options.usersPath);
  }
  const foreign = file.users.find((u) => !u.username.startsWith(USERNAME_PREFIX));
  if (foreign) {
    throw new InputError(`refusing to delete "${foreign.username}": seeded usernames start with "${USERNAME_PREFIX}"`, options.usersPath);
  }
  const wait = pacer(options.rate, clock);
  let deleted = 0;
  let alreadyGone = 0;
  options.onProgress?.(0, file.users.length);
  for (const user of file.users) {
    await wait();
    try {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: options.userPoolId, Username: user.username }));
      deleted++;
    } catch (err) {
      if ((err as { name?: string }).name === 'UserNotFoundException') {
        alreadyGone++;
        options.onProgress?.(deleted + alreadyGone, file.users.length);
        continue;
      }
      throw new Error(
        `loadtest cleanup: stopped after ${deleted + alreadyGone} of ${file.users.length} users: ${awsErrorName(err)}; ` +
          `${options.usersPath} is kept, run cleanup again`,
      );
    }
    options.onProgress?.(deleted + alreadyGone, file.users.length);
  }
  let removedUsersFile = false;
  if (!options.keepUsersFile) {
    await unlink(options.usersPath);
    removedUsersFile = true;
  }
  return { deleted, alreadyGone, removedUsersFile };
}
