import { TOOL_NAME } from '../version.js';

/** Where a command's messages to the user go, by kind; `--quiet` and `--verbose` decide which are shown. */
export interface Log {
  /** Informational lines (summaries, skipped files); hidden by `--quiet`. */
  note(line: string): void;
  /** Detail for `--verbose` only. */
  verbose(line: string): void;
  /** Warnings are shown even with `--quiet`: they change what the result means. */
  warn(line: string): void;
  /** A counter with an ETA, redrawn in place on a terminal; nothing when stderr is not one. */
  progress(label: string, total: number): Progress;
}

/** One long task's progress. */
export interface Progress {
  update(done: number): void;
  done(): void;
}

/** How the log was asked to behave. */
export interface LogOptions {
  stderr: (s: string) => void;
  /** Progress is drawn only on a terminal: CI logs and pipes get no carriage returns. */
  stderrIsTTY: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Milliseconds, for the ETA; injectable for tests. */
  now?: () => number;
}

const NO_PROGRESS: Progress = { update: () => {}, done: () => {} };
const REDRAW_MS = 100;

/** The log for one command run. */
export function createLog(options: LogOptions): Log {
  const now = options.now ?? (() => performance.now());
  return {
    note: (line) => {
      if (!options.quiet) options.stderr(`${TOOL_NAME}: ${line}\n`);
    },
    verbose: (line) => {
      if (options.verbose && !options.quiet) options.stderr(`${TOOL_NAME}: ${line}\n`);
    },
    warn: (line) => options.stderr(`${TOOL_NAME}: warning: ${line}\n`),
    progress: (label, total) => {
      if (options.quiet || !options.stderrIsTTY || total <= 0) return NO_PROGRESS;
      const start = now();
      let last = -Infinity;
      let drawn = false;
      return {
        update: (done) => {
          const t = now();
          if (t - last < REDRAW_MS && done < total) return;
          last = t;
          drawn = true;
          options.stderr(`\r\u001b[K${progressLine(label, done, total, t - start)}`);
        },
        done: () => {
          if (drawn) options.stderr('\r\u001b[K');
        },
      };
    },
  };
}

/** `seeding users 40/100 (40%, ETA 6s)`; no ETA until something is done. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const pct = Math.floor((100 * done) / total);
  const eta = done > 0 && done < total ? `, ETA ${duration(((total - done) * elapsedMs) / done)}` : '';
  return `${label} ${done}/${total} (${pct}%${eta})`;
}

function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
