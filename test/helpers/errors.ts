import { expect } from 'vitest';
import { InputError } from '../../src/util/input-error.js';

/** The one line the CLI would print for the InputError that `fn` throws; fails if it throws none. */
export function errorLine(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return String(e);
  }
  throw new Error('expected an InputError');
}
