import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Diagnostic } from '../model/finding.js';
import { readLive, renderSnapshot, statsLine, type ClientFactory } from '../loaders/live/run.js';
import { InputError } from '../util/input-error.js';
import { writeOutputFile } from '../util/files.js';
import { TOOL_NAME } from '../version.js';
import { LIVE_OPTIONS, longName } from './commands.js';
import type { CliIO } from './program.js';

/** Values of the live options (src/cli/commands.ts: LIVE_OPTIONS), by long flag name. */
export interface LiveValues {
  live?: boolean;
  region?: string[];
  'all-regions'?: boolean;
  profile?: string;
  'role-arn'?: string[];
  'external-id'?: string;
  'max-rps'?: string;
  snapshot?: string;
}

/** Tests of the CLI in-process inject SDK clients here; the binary always uses the real SDK. */
export const liveHooks: { clients?: ClientFactory } = {};

/** Live options without `--live` are a mistake, not something to ignore silently. */
export function checkLiveOptions(values: LiveValues): void {
  if (values.live) return;
  const given = LIVE_OPTIONS.map(longName).find((k) => k !== 'live' && values[k as keyof LiveValues] !== undefined && values[k as keyof LiveValues] !== false);
  if (given) throw new InputError(`--${given} needs --live`);
}

/** The snapshot a live scan's findings point at: `--snapshot`, else beside the report. */
export function snapshotPathFor(values: LiveValues & { output?: string }): string {
  if (values.snapshot) return values.snapshot;
  if (!values.output) return 'cognito-guard-snapshot.json';
  return join(dirname(values.output), `${basename(values.output, extname(values.output))}.snapshot.json`);
}

/**
 * Reads the account(s), writes the snapshot to `file` and reports the calls made on stderr.
 * Returns the read's diagnostics (warnings: what could not be read) for the caller to show.
 */
export async function writeLiveSnapshot(values: LiveValues, io: CliIO, file: string): Promise<Diagnostic[]> {
  let maxRps: number | undefined;
  if (values['max-rps'] !== undefined) {
    maxRps = Number(values['max-rps']);
    if (!Number.isFinite(maxRps) || maxRps <= 0) throw new InputError(`--max-rps must be a positive number (got "${values['max-rps']}")`);
  }
  const progress = io.stderrIsTTY ? (line: string) => io.stderr(`\r${line}`) : undefined;
  const read = await readLive({
    ...(values.region && { regions: values.region }),
    allRegions: values['all-regions'] === true,
    ...(values.profile !== undefined && { profile: values.profile }),
    ...(values['role-arn'] && { roleArns: values['role-arn'] }),
    ...(values['external-id'] !== undefined && { externalId: values['external-id'] }),
    ...(maxRps !== undefined && { maxRps }),
    ...(liveHooks.clients && { clients: liveHooks.clients }),
    ...(progress && { onProgress: progress }),
  });
  if (progress) io.stderr('\n');
  writeOutputFile(resolve(io.cwd, file), file, renderSnapshot(read, new Date()));
  io.stderr(`${statsLine(read.stats)}; snapshot written to ${file}\n`);
  return read.diagnostics;
}

/** `export --live ... --output FILE`. */
export async function exportCommand(values: LiveValues & { output?: string }, positionals: string[], io: CliIO): Promise<number> {
  if (!values.live) throw new InputError('export: only --live is supported (export --live --output snapshot.json)');
  if (positionals.length) throw new InputError(`export --live takes no files (got "${positionals[0]}")`);
  if (!values.output) throw new InputError('export: --output FILE is required');
  // scan --live shows these in its report; export has no report, so they go to stderr.
  for (const d of await writeLiveSnapshot(values, io, values.output)) io.stderr(`${TOOL_NAME}: warning: ${d.message}\n`);
  return 0;
}
