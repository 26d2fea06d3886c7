#!/usr/bin/env node
// Only the command definitions and commander load here; each command loads its code when it runs.
import { main } from './program.js';

// `cognito-guard ... | head`: a reader that stops early is not an error worth a stack trace. The
// run goes on to its own exit code (findings still fail the step under `set -o pipefail`).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
