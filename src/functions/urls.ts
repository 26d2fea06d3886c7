import type { Resource } from '../model/resource.js';
import { unresolvedAt } from '../rules/paths.js';
import type { RuleEvidence } from '../rules/types.js';
/** What a redirect or sign-out URL is, for the OAuth rules. */
export type UrlClass =
  | { kind: 'https' }
  | { kind: 'loopbackHttp'; host: string }
  | { kind: 'http'; host: string }
  | { kind: 'custom'; scheme: string }
  | { kind: 'dangerous'; scheme: string }
  | { kind: 'noScheme' }
  | { kind: 'unknown'; reason: string };

// Schemes a browser runs or reads locally instead of navigating to an app: never a redirect.
const DANGEROUS_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file', 'blob', 'ftp']);

/**
 * True for hosts that only the user's own machine answers (RFC 8252 §7.3 loopback redirects):
 * `localhost` (and `*.localhost`, which RFC 6761 reserves for loopback), 127.0.0.0/8 and `[::1]`.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '[::1]';
}

/** The host of an `scheme://[userinfo@]host[:port]/...` URL, or undefined. */
export function hostOf(url: string): string | undefined {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  if (!m) return undefined;
  let authority = m[1]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end > 0 ? authority.slice(0, end + 1) : authority;
  }
  return authority.replace(/:\d*$/, '');
}

/**
 * Classifies a redirect URL by its scheme and host. Strings with `${...}` placeholders (a
 * CloudFormation `Fn::Sub` or Terraform interpolation the loader could not resolve) are judged
 * by the literal text before the first placeholder when that fixes the scheme (and, for http,
 * the host); otherwise they are unknown.
 */
export function classifyUrl(url: string): UrlClass {
  const placeholder = url.indexOf('${');
  const literal = placeholder >= 0 ? url.slice(0, placeholder) : url;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(literal)?.[1]?.toLowerCase();
  if (!scheme) {
    return placeholder >= 0
      ? { kind: 'unknown', reason: `the scheme of ${url} comes from a value that is not resolved` }
      : { kind: 'noScheme' };
  }
  if (scheme === 'https') return { kind: 'https' };
  if (scheme === 'http') {
    const host = hostOf(literal);
    // With a placeholder, the host is only known when the literal text already ended it (a
    // path, query or port followed): `http://localhost:${Port}/cb` is loopback.
    const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)([/?#])?/.exec(literal);
    const hostComplete = placeholder < 0 || authority?.[2] !== undefined || /:\d*$/.test(authority?.[1] ?? '');
    if (host && hostComplete) return isLoopbackHost(host) ? { kind: 'loopbackHttp', host } : { kind: 'http', host };
    return { kind: 'http', host: '(unresolved host)' };
  }
  if (DANGEROUS_SCHEMES.has(scheme)) return { kind: 'dangerous', scheme };
  return { kind: 'custom', scheme };
}

/** The redirect-type URLs of an app client that are known, and what is not known about the rest. */
export interface ClientRedirectUrls {
  urls: Array<{ path: string; url: string }>;
  /** Why some URLs could not be judged (a list unresolved as a whole, or one of its items). */
  unknown: string[];
  /** Evidence paths of the URLs that could not be judged. */
  undecided: RuleEvidence[];
}

/**
 * Walks callbackURLs[*], logoutURLs[*] and defaultRedirectURI. Loaders leave an unresolved
 * list item as `null` and list its path in `unresolved`; a list unresolved as a whole is absent.
 */
export function clientRedirectUrls(client: Resource): ClientRedirectUrls {
  const out: ClientRedirectUrls = { urls: [], unknown: [], undecided: [] };
  for (const path of ['callbackURLs', 'logoutURLs', 'defaultRedirectURI']) {
    const whole = unresolvedAt(client, path).at;
    if (whole) {
      out.unknown.push(whole);
      out.undecided.push({ path });
    }
  }
  const add = (path: string, url: unknown): void => {
    if (typeof url === 'string') out.urls.push({ path, url });
    else {
      out.unknown.push(unresolvedAt(client, path).at ?? `${path} is not resolved`);
      out.undecided.push({ path });
    }
  };
  for (const key of ['callbackURLs', 'logoutURLs'] as const) {
    const list = client.properties[key];
    if (Array.isArray(list)) list.forEach((url, i) => add(`${key}[${i}]`, url));
  }
  const def = client.properties.defaultRedirectURI;
  if (typeof def === 'string') add('defaultRedirectURI', def);
  return out;
}
