// Scan throughput: resources/second and peak memory for generated inputs of 1,000 and 10,000
// resources, as a CloudFormation template, a Terraform module, a Serverless service and a
// snapshot. Run with `npm run bench` (`npm run bench -- 1000 terraform` for one size and kind).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const kinds = (process.argv[3] ?? 'cloudformation,terraform,serverless,snapshot').split(',');
const runOne = fileURLToPath(new URL('./run-one.mjs', import.meta.url));
console.log('input           resources  evaluations  findings   seconds   resources/s   peak RSS');
for (const kind of kinds) {
  for (const n of sizes) {
    let out;
    try {
      out = JSON.parse(execFileSync(process.execPath, [runOne, kind, String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (e) {
      // A format the build cannot read yet is a row saying so, not the end of the benchmark.
      const reason = String(e.stderr ?? e.message).split('\n').find((l) => /^\w*Error: /.test(l)) ?? 'failed';
      console.log(`${kind.padEnd(14)} ${String(n).padStart(10)}  not measured: ${reason.trim().slice(0, 100)}`);
      continue;
    }
    console.log(
      `${kind.padEnd(14)} ${String(out.resources).padStart(10)} ${String(out.evaluations).padStart(12)} ${String(out.findings).padStart(9)} ${out.seconds.toFixed(2).padStart(9)} ${Math.round(out.resourcesPerSecond).toString().padStart(13)} ${out.peakRssMiB.toFixed(0).padStart(7)} MiB`,
    );
  }
}
