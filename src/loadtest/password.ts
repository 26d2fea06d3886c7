import { randomBytes } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
// From Cognito's accepted special characters; quotes, backslash and space are left out so the
// users file stays easy to handle in shells.
const SYMBOLS = '!#%*+-.=?@^_~';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** A uniformly random index below `n` from `bytes`, by rejection (no modulo bias). */
function pick(n: number, next: () => number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    const b = next();
    if (b < limit) return b % n;
  }
}

/**
 * A random password that satisfies any Cognito password policy up to `length` characters
 * (default 24, at least 16): it always has an upper-case letter, a lower-case letter, a digit
 * and a symbol.
 */
export function randomPassword(length = 24): string {
  if (length < 16) throw new Error('password length must be at least 16');
  let pool = randomBytes(length * 4);
  let at = 0;
  const next = (): number => {
    if (at >= pool.length) {
      pool = randomBytes(length * 4);
      at = 0;
    }
    return pool[at++]!;
  };
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[pick(set.length, next)]!);
  while (chars.length < length) chars.push(ALL[pick(ALL.length, next)]!);
  // Fisher-Yates, so the required classes are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1, next);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
