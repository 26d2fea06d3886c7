import type { RuleEvidence } from '../rules/types.js';
import { unresolvedAt } from '../rules/paths.js';
import { defineFunction } from './types.js';
import { LOOPBACK_DEFINITION, classifyUrl, clientRedirectUrls } from './urls.js';
import { pushAll } from '../util/arrays.js';

/**
 * A client secret only authenticates a client that can keep it: a server. Browser and mobile
 * apps ship it to every user (RFC 6749 §2.1 "public clients"), so on those clients the secret
 * protects nothing and leaks. A client looks public when it uses the implicit grant (tokens in
 * the browser) or redirects to a custom scheme (mobile apps, RFC 8252 §7.1) or only to loopback
 * addresses (desktop apps, RFC 8252 §7.3). A loopback URL next to an https callback is a web
 * server's local development setup: the server keeps the secret, so that client is confidential.
 */
export const publicClientSecret = defineFunction<Record<string, never>>({
  name: 'publicClientSecret',
  description:
    'Fails when generateSecret is true and the client looks public: implicit grant, a callback/logout URL with a custom scheme, or loopback URLs without any https callback URL (a loopback URL next to an https callback is local development of a web server). ' +
    LOOPBACK_DEFINITION,
  kinds: ['cognito.userPoolClient'],
  reads: ['generateSecret', 'allowedOAuthFlows', 'callbackURLs', 'logoutURLs', 'defaultRedirectURI'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(client) {
    const secretUnknown = unresolvedAt(client, 'generateSecret').at;
    if (secretUnknown) return { status: 'unknown', reason: secretUnknown, evidence: [{ path: 'generateSecret' }] };
    if (client.properties.generateSecret !== true) return { status: 'pass' };
    const evidence: RuleEvidence[] = [];
    const unknown: string[] = [];
    const undecided: RuleEvidence[] = [];
    const flows = client.properties.allowedOAuthFlows;
    const flowsUnknown = unresolvedAt(client, 'allowedOAuthFlows').at;
    if (flowsUnknown) {
      unknown.push(flowsUnknown);
      undecided.push({ path: 'allowedOAuthFlows' });
    }
    if (Array.isArray(flows) && flows.includes('implicit')) {
      evidence.push({
        path: 'allowedOAuthFlows',
        actual: 'implicit',
        expected: 'no client secret on a client that uses the implicit grant (a browser app)',
        detail: 'allowedOAuthFlows',
      });
    }
    const urls = clientRedirectUrls(client);
    pushAll(unknown, urls.unknown);
    pushAll(undecided, urls.undecided);
    const classes = urls.urls.map(({ path, url }) => ({ path, url, c: classifyUrl(url) }));
    const isCallback = (path: string) => path.startsWith('callbackURLs');
    const httpsCallback = classes.some(({ path, c }) => isCallback(path) && c.kind === 'https');
    // An unknown callback may be the https one that makes a loopback URL a development URL.
    const callbacksUnknown = urls.undecided.some((e) => isCallback(e.path)) || classes.some(({ path, c }) => isCallback(path) && c.kind === 'unknown');
    for (const { path, url, c } of classes) {
      if (c.kind === 'loopbackHttp' && !httpsCallback && callbacksUnknown) {
        unknown.push(`${path} is a loopback URL and whether the client also has an https callback URL is not known`);
        undecided.push({ path, actual: url });
      } else if (c.kind === 'custom' || (c.kind === 'loopbackHttp' && !httpsCallback)) {
        evidence.push({
          path,
          actual: url,
          expected: `no client secret on a native app (${c.kind === 'custom' ? `custom scheme ${c.scheme}:` : 'loopback redirect'})`,
          detail: path,
        });
      } else if (c.kind === 'unknown') {
        unknown.push(c.reason);
        undecided.push({ path, actual: url });
      }
    }
    if (evidence.length) {
      // One finding per client: the secret is the problem, the URLs are why the client is public.
      return {
        status: 'fail',
        evidence: [
          {
            path: 'generateSecret',
            actual: true,
            expected: `no secret: a public client cannot keep one (${evidence.map((e) => `${e.path} ${String(e.actual)}`).join('; ')})`,
          },
          ...evidence.map(({ detail: _detail, ...e }) => e),
        ],
      };
    }
    if (unknown.length) return { status: 'unknown', reason: unknown.join('; '), evidence: undecided };
    return { status: 'pass' };
  },
});
