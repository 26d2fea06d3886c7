// The userinfo of a URL, `scheme://user:password@host`: anything after `//` up to the last `@`
// before the path, query or fragment (as WHATWG URL parsing reads it: `p@ss` splits at the last
// `@`). Quotes, brackets and whitespace end it so that only the URL inside a message matches.
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\\\s"'<>`]*@/gi;

/**
 * Masks the credentials of every URL in `text`: `http://user:password@host/cb` becomes
 * `http://***@host/cb`. The user name goes too: tokens are often passed as the user alone.
 */
export function redactUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(URL_USERINFO, '$1***@') : text;
}

/** `redactUrlCredentials` over every string in a JSON-like value; other values are kept. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactUrlCredentials(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
