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
 * The one definition of a loopback redirect (RFC 8252 §7.3: an app listening on the user's own
 * machine), shown in the docs of every rule that accepts or judges one. The host is read as a
 * browser reads it (WHATWG URL: case folded, userinfo dropped, a backslash taken as `/`, IP
 * forms canonicalized) because the browser is what follows the redirect. `*.localhost` is left
 * out: RFC 6761 reserves it, but a resolver may still send it off the machine.
 */
export const LOOPBACK_DEFINITION =
  'A loopback URL is `http://` to `localhost`, `localhost.`, 127.0.0.0/8 or `[::1]`, with any port, the host read as a browser reads it ' +
  '(`http://localhost@evil.com`, `http://evil.com\\@localhost`, `localhost.evil.com` and `*.localhost` are not loopback).';

/** True for a host (as {@link urlHost} returns it) that only the user's own machine answers; see {@link LOOPBACK_DEFINITION}. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === 'localhost.' || h === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/**
 * The host of an absolute URL as a browser reads it, or undefined when the URL does not parse.
 * `${...}` placeholders (values known only at deploy time) are tried with two different
 * stand-ins: the host is known only when both give the same one (`http://localhost:${Port}/cb`),
 * not when a placeholder is part of it (`http://${Host}/cb`, `http://127.0.0.${N}/`).
 */
export function urlHost(url: string): { host: string } | { unresolved: true } | undefined {
  const read = (text: string): string | undefined => {
    try {
      return new URL(text).hostname;
    } catch {
      return undefined;
    }
  };
  if (!url.includes('${')) {
    const host = read(url);
    return host === undefined ? undefined : { host };
  }
  const one = read(url.replace(/\$\{[^}]*\}/g, '1'));
  const two = read(url.replace(/\$\{[^}]*\}/g, '2'));
  return one !== undefined && one === two ? { host: one } : { unresolved: true };
}

/** The host of an `scheme://[userinfo@]host[:port]/...` URL as written, or undefined. */
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
 * by the literal text before the first placeholder when that fixes the scheme, and for http by
 * the host when no placeholder is part of it ({@link urlHost}); otherwise they are unknown.
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
    const parsed = urlHost(url);
    if (parsed === undefined) return { kind: 'http', host: hostOf(url) ?? '(no host)' };
    if ('unresolved' in parsed) return { kind: 'http', host: '(unresolved host)' };
    return isLoopbackHost(parsed.host) ? { kind: 'loopbackHttp', host: parsed.host } : { kind: 'http', host: parsed.host };
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
