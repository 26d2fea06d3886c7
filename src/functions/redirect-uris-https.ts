import type { Resource } from '../model/resource.js';
import type { RuleEvidence } from '../rules/types.js';
import { unresolvedAt } from '../rules/paths.js';
import { defineFunction } from './types.js';
import { classifyUrl } from './urls.js';

export interface RedirectUrisHttpsOptions {
  allowLoopbackHttp?: boolean;
  allowCustomSchemes?: boolean;
}

/** Every redirect-type URL of an app client with its property path; `null` = unresolved. */
export function clientUrls(client: Resource): Array<{ path: string; url: string | null }> {
  const out: Array<{ path: string; url: string | null }> = [];
  for (const key of ['callbackURLs', 'logoutURLs'] as const) {
    const list = client.properties[key];
    if (Array.isArray(list)) list.forEach((url, i) => out.push({ path: `${key}[${i}]`, url: typeof url === 'string' ? url : null }));
  }
  const def = client.properties.defaultRedirectURI;
  if (typeof def === 'string') out.push({ path: 'defaultRedirectURI', url: def });
  return out;
}

/** The client's URL properties that are unresolved as a whole, with the reason. */
export function urlUnknowns(client: Resource): Array<{ path: string; reason: string }> {
  const out: Array<{ path: string; reason: string }> = [];
  for (const path of ['callbackURLs', 'logoutURLs', 'defaultRedirectURI']) {
    const u = unresolvedAt(client, path);
    if (u.at) out.push({ path, reason: u.at });
  }
  return out;
}

/**
 * Cognito sends authorization codes and tokens to the callback URL, so a plain-http callback
 * hands them to anyone on the network path (CWE-319), and Cognito accepts http only for
 * localhost. Loopback http (RFC 8252 §7.3) and private-use schemes for native apps
 * (RFC 8252 §7.1) are allowed by default.
 */
export const redirectUrisHttps = defineFunction<RedirectUrisHttpsOptions>({
  name: 'redirectUrisHttps',
  description:
    'Every callbackURLs[*], logoutURLs[*] and defaultRedirectURI uses https (loopback http and native-app custom schemes allowed by option); one detail per bad URL.',
  kinds: ['cognito.userPoolClient'],
  reads: ['callbackURLs', 'logoutURLs', 'defaultRedirectURI'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowLoopbackHttp: { type: 'boolean', description: 'Accept http://localhost, 127.0.0.0/8 and [::1]. Default true.' },
      allowCustomSchemes: { type: 'boolean', description: 'Accept private-use schemes such as com.example.app:/. Default true.' },
    },
  },
  evaluate(client, options) {
    const allowLoopback = options.allowLoopbackHttp ?? true;
    const allowCustom = options.allowCustomSchemes ?? true;
    const evidence: RuleEvidence[] = [];
    const whole = urlUnknowns(client);
    const unknown = whole.map((w) => w.reason);
    const undecided: RuleEvidence[] = whole.map((w) => ({ path: w.path }));
    for (const { path, url } of clientUrls(client)) {
      if (url === null) {
        unknown.push(unresolvedAt(client, path).at ?? `${path} is not resolved`);
        undecided.push({ path });
        continue;
      }
      const c = classifyUrl(url);
      const bad = (why: string) => evidence.push({ path, actual: url, expected: why, detail: path });
      switch (c.kind) {
        case 'https':
          break;
        case 'loopbackHttp':
          if (!allowLoopback) bad('https (loopback http is not allowed by the configuration)');
          break;
        case 'http':
          bad('https');
          break;
        case 'custom':
          if (!allowCustom) bad('https (custom schemes are not allowed by the configuration)');
          break;
        case 'dangerous':
          bad(`https (${c.scheme}: is not a redirect target)`);
          break;
        case 'noScheme':
          bad('an absolute https URL');
          break;
        case 'unknown':
          unknown.push(c.reason);
          undecided.push({ path, actual: url });
          break;
      }
    }
    if (evidence.length) return { status: 'fail', evidence };
    if (unknown.length) return { status: 'unknown', reason: unknown.join('; '), evidence: undecided };
    return { status: 'pass' };
  },
});
