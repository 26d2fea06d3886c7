import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { Diagnostic } from '../model/finding.js';
import { readLive, renderSnapshot, statsLine, type ClientFactory } from '../loaders/live/run.js';
import { InputError } from '../util/input-error.js';
import { writeOutputFile } from '../util/files.js';
import { TOOL_NAME } from '../version.js';
import type { CliIO } from './main.js';

/** The options `scan --live` and `export --live` share. */
export const LIVE_OPTIONS = {
  live: { type: 'boolean', default: false },
  region: { type: 'string', multiple: true },
  'all-regions': { type: 'boolean', default: false },
  profile: { type: 'string' },
  'role-arn': { type: 'string', multiple: true },
  'external-id': { type: 'string' },
  'max-rps': { type: 'string' },
  snapshot: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const LIVE_USAGE = `  ${TOOL_NAME} scan --live [options]        scan the AWS account(s) the SDK's credentials reach
      --region R (repeatable) | --all-regions   Regions (default: AWS_REGION or the profile's Region)
      --profile P                         named profile of ~/.aws/config
      --role-arn ARN                      assume this role (STS) and scan its account (repeatable)
      --external-id ID                    external id for --role-arn
      --max-rps N                         requests per second per quota category (default: a fifth of each default quota)
      --snapshot FILE                     where the snapshot findings point at (default: beside --output, else cognito-guard-snapshot.json)
  ${TOOL_NAME} export --live [live options] --output snapshot.json   write what the scan reads as a snapshot
`;

type LiveValues = { [K in keyof typeof LIVE_OPTIONS]?: (typeof LIVE_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof LIVE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Tests of the CLI in-process inject SDK clients here; the binary always uses the real SDK. */
export const liveHooks: { clients?: ClientFactory } = {};

/** Live options without `--live` are a mistake, not something to ignore silently. */
export function checkLiveOptions(values: LiveValues): void {
  if (values.live) return;
  const given = Object.keys(LIVE_OPTIONS).find((k) => k !== 'live' && values[k as keyof LiveValues] !== undefined && values[k as keyof LiveValues] !== false);
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
  const progress = io.isTTY ? (line: string) => io.stderr(`\r${line}`) : undefined;
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
