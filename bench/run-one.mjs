// One measured scan in a fresh process, so that peak memory belongs to this run alone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateServerless, generateSnapshot, generateTemplate, generateTerraform } from './generate.mjs';
import { scan } from '../dist/index.js';

const [kind, nText] = process.argv.slice(2);
const n = Number(nText);
const dir = mkdtempSync(join(tmpdir(), 'cg-bench-'));
/** Each input kind: the file it is written to and its text. */
const inputs = {
  cloudformation: () => ['template.json', JSON.stringify(generateTemplate(n))],
  terraform: () => ['main.tf', generateTerraform(n)],
  serverless: () => ['serverless.yml', stringify(generateServerless(n))],
  snapshot: () => ['snapshot.json', JSON.stringify(generateSnapshot(n))],
};
const [name, text] = inputs[kind]();
const file = join(dir, name);
writeFileSync(file, text);
const start = process.hrtime.bigint();
const result = await scan({ inputs: [file], cwd: dir });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(
  JSON.stringify({
    kind,
    resources: result.stats.resources,
    evaluations: result.stats.evaluations,
    findings: result.findings.length,
    seconds,
    resourcesPerSecond: result.stats.resources / seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
