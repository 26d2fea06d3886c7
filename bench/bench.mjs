// Scan throughput: resources/second and peak memory for generated inputs of 1,000 and 10,000
// resources, as a CloudFormation template and as a snapshot. Run with `npm run bench`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const runOne = fileURLToPath(new URL('./run-one.mjs', import.meta.url));
console.log('input          resources  evaluations  findings   seconds   resources/s   peak RSS');
for (const kind of ['template', 'snapshot']) {
  for (const n of sizes) {
    const out = JSON.parse(execFileSync(process.execPath, [runOne, kind, String(n)], { encoding: 'utf8' }));
    console.log(
      `${kind.padEnd(13)} ${String(out.resources).padStart(10)} ${String(out.evaluations).padStart(12)} ${String(out.findings).padStart(9)} ${out.seconds.toFixed(2).padStart(9)} ${Math.round(out.resourcesPerSecond).toString().padStart(13)} ${out.peakRssMiB.toFixed(0).padStart(7)} MiB`,
    );
  }
}
