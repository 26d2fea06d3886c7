import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { InputError } from '../util/input-error.js';
import { awsErrorName } from './cognito-client.js';
import { pacer, type Clock } from './pace.js';
import { randomPassword } from './password.js';
import { QUOTA_CATEGORIES } from './quotas.js';
import { USERNAME_PREFIX, USERS_FILE_FORMAT, writeUsersFile, type SeededUser, type UsersFile } from './users-file.js';

/**
 * The fastest seeding allowed. AdminCreateUser counts against UserCreation (50/s) and
 * AdminSetUserPassword sets a password, which counts against UserAccountRecovery (30/s, not
 * adjustable); both budgets are shared with production traffic in the account.
 */
export const MAX_SEED_RATE = Math.min(QUOTA_CATEGORIES.UserCreation.defaultRps, QUOTA_CATEGORIES.UserAccountRecovery.defaultRps);

/** Users per second when `--rate` is not given: a fraction of the quota, leaving room for real sign-ups. */
export const DEFAULT_SEED_RATE = 10;

/** Options of `loadtest seed`. */
export interface SeedOptions {
  userPoolId: string;
  clientId: string;
  count: number;
  output: string;
  rate: number;
  /** Called after each user is created, with the number created so far. */
  onProgress?: (done: number) => void;
}

/** What seeding did. */
export interface SeedResult {
  created: number;
  warnings: string[];
}

// Reserved top-level domain (RFC 2606): addresses can never be delivered, and messages are
// suppressed anyway.
const EMAIL_DOMAIN = 'loadtest.invalid';

/**
 * Creates `count` users with permanent random passwords and writes them to the users file
 * (mode 0600). Welcome messages are suppressed, so no email or SMS quota is spent. If a call
 * fails part-way, the users created so far are still written (with `complete: false`) so
 * `loadtest cleanup` can remove them, and the error is rethrown.
 */
export async function seedUsers(
  client: CognitoIdentityProviderClient,
  options: SeedOptions,
  clock: Clock,
  log: (line: string) => void,
): Promise<SeedResult> {
  if (!(options.rate > 0) || options.rate > MAX_SEED_RATE) {
    throw new InputError(
      `loadtest seed: --rate must be above 0 and at most ${MAX_SEED_RATE} users/s (AdminCreateUser: UserCreation ` +
        `${QUOTA_CATEGORIES.UserCreation.defaultRps}/s; AdminSetUserPassword: UserAccountRecovery ${QUOTA_CATEGORIES.UserAccountRecovery.defaultRps}/s, not adjustable)`,
    );
  }
  const warnings: string[] = [];
  let usernameIsEmail = false;
  let passwordLength = 24;
  try {
    const pool = (await client.send(new DescribeUserPoolCommand({ UserPoolId: options.userPoolId }))).UserPool;
    const attrs = pool?.UsernameAttributes ?? [];
    if (attrs.includes('email')) usernameIsEmail = true;
    else if (attrs.includes('phone_number')) {
      throw new InputError('loadtest seed: pools that sign in with phone numbers only are not supported (seeded users need a username or an email)');
    }
    const minimum = pool?.Policies?.PasswordPolicy?.MinimumLength;
    if (typeof minimum === 'number' && minimum > passwordLength) passwordLength = minimum;
  } catch (err) {
    if (err instanceof InputError) throw err;
    if ((err as { name?: string }).name === 'ResourceNotFoundException') {
      throw new InputError(`loadtest seed: user pool ${options.userPoolId} not found`);
    }
    throw new Error(`loadtest seed: DescribeUserPool failed: ${awsErrorName(err)}`);
  }
  try {
    const appClient = (
      await client.send(new DescribeUserPoolClientCommand({ UserPoolId: options.userPoolId, ClientId: options.clientId }))
    ).UserPoolClient;
    const flows = appClient?.ExplicitAuthFlows ?? [];
    if (!flows.includes('ALLOW_USER_PASSWORD_AUTH') && !flows.includes('USER_PASSWORD_AUTH')) {
      warnings.push(
        `app client ${options.clientId} does not allow USER_PASSWORD_AUTH; the k6 scripts sign in with it (enable ALLOW_USER_PASSWORD_AUTH on a test client)`,
      );
    }
    if (appClient?.ClientSecret) {
      warnings.push('app client has a secret: put it in an environment variable and pass its name with --client-secret-env to `loadtest run`');
    }
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') {
      throw new InputError(`loadtest seed: app client ${options.clientId} not found in ${options.userPoolId}`);
    }
    warnings.push(`could not check the app client (${awsErrorName(err)})`);
  }
  for (const w of warnings) log(`warning: ${w}`);

  const run = randomBytes(3).toString('hex');
  const width = String(options.count).length;
  const users: SeededUser[] = [];
  const wait = pacer(options.rate, clock);
  const doc = (complete: boolean): UsersFile => ({
    format: USERS_FILE_FORMAT,
    version: 1,
    userPoolId: options.userPoolId,
    clientId: options.clientId,
    createdAt: new Date().toISOString(),
    complete,
    users,
  });
  try {
    for (let i = 1; i <= options.count; i++) {
      const name = `${USERNAME_PREFIX}${run}-${String(i).padStart(width, '0')}`;
      const username = usernameIsEmail ? `${name}@${EMAIL_DOMAIN}` : name;
      const password = randomPassword(passwordLength);
      await wait();
      const created = await client.send(
        new AdminCreateUserCommand({
          UserPoolId: options.userPoolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: usernameIsEmail
            ? [
                { Name: 'email', Value: username },
                { Name: 'email_verified', Value: 'true' },
              ]
            : undefined,
        }),
      );
      users.push({ username, password, cognitoUsername: created.User?.Username ?? username });
      await client.send(
        new AdminSetUserPasswordCommand({ UserPoolId: options.userPoolId, Username: username, Password: password, Permanent: true }),
      );
      options.onProgress?.(users.length);
    }
  } catch (err) {
    if (users.length > 0) await writeUsersFile(options.output, doc(false));
    const kept = users.length > 0 ? `; the ${users.length} users created are listed in ${options.output}: run \`loadtest cleanup\`` : '';
    throw new Error(`loadtest seed: stopped after ${users.length} of ${options.count} users: ${awsErrorName(err)}${kept}`);
  }
  await writeUsersFile(options.output, doc(true));
  return { created: users.length, warnings };
}
