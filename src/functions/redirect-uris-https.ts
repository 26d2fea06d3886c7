import type { RuleEvidence } from '../rules/types.js';
import { defineFunction } from './types.js';
import { LOOPBACK_DEFINITION, classifyUrl, clientRedirectUrls } from './urls.js';

export interface RedirectUrisHttpsOptions {
  allowLoopbackHttp?: boolean;
  allowCustomSchemes?: boolean;
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
    'Every callbackURLs[*], logoutURLs[*] and defaultRedirectURI uses https (loopback http and native-app custom schemes allowed by option); one detail per bad URL. ' +
    LOOPBACK_DEFINITION,
  kinds: ['cognito.userPoolClient'],
  reads: ['callbackURLs', 'logoutURLs', 'defaultRedirectURI'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowLoopbackHttp: { type: 'boolean', description: 'Accept loopback http URLs (localhost, 127.0.0.0/8, [::1]). Default true.' },
      allowCustomSchemes: { type: 'boolean', description: 'Accept private-use schemes such as com.example.app:/. Default true.' },
    },
  },
  evaluate(client, options) {
    const allowLoopback = options.allowLoopbackHttp ?? true;
    const allowCustom = options.allowCustomSchemes ?? true;
    const evidence: RuleEvidence[] = [];
    const { urls, unknown, undecided } = clientRedirectUrls(client);
    for (const { path, url } of urls) {
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
