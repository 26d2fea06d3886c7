import { describe, expect, it } from 'vitest';
import { redactDeep, redactUrlCredentials } from '../../src/util/redact.js';

describe('redactUrlCredentials', () => {
  it.each([
    ['http://user:password@host/cb', 'http://***@host/cb'],
    ['https://token@host', 'https://***@host'],
    // WHATWG URL splits at the last @ of the authority.
    ['http://user:p@ss@host/cb?x=a@b', 'http://***@host/cb?x=a@b'],
    ['callback "ftp://a:b@h/x" and mail me@example.com', 'callback "ftp://***@h/x" and mail me@example.com'],
    ['https://host/path@not-userinfo', 'https://host/path@not-userinfo'],
    ['http://***@host', 'http://***@host'],
  ])('%s', (input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });

  it('a nested value with a __proto__ key keeps the key and redacts the strings', () => {
    const value = JSON.parse('{"__proto__": {"u": "http://a:b@h/"}, "list": ["x://c:d@e"]}') as unknown;
    const out = redactDeep(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"u":"http://***@h/"},"list":["x://***@e"]}');
  });
});
