import type { ScanResult } from '../model/scan-result.js';

/** Output formats the CLI and the Action can ask for. */
export type ReporterName = 'text' | 'json' | 'sarif' | 'markdown';

/** Everything a reporter needs besides the scan result. Reporters never read the environment. */
export interface ReportContext {
  /** Repository root: finding file paths are shown relative to it, with forward slashes. */
  cwd: string;
  /** ANSI colors in the text report; the CLI decides (a TTY and no `NO_COLOR`). */
  color: boolean;
  /**
   * Contents of an input file, keyed by the path as the finding carries it, for SARIF's
   * `primaryLocationLineHash` (the caller reads the files; reporters stay pure).
   */
  sourceText?: (file: string) => string | undefined;
  /** Overrides `result.tool.version` in SARIF. */
  toolVersion?: string;
  /** SARIF `runs[0].automationDetails.id`; everything before the last `/` is the code scanning category. Default `cognito-guard/`. */
  automationId?: string;
  /**
   * Keep suppressed results in SARIF (with `suppressions`). Off by default because GitHub code
   * scanning ignores `suppressions` and would open an alert for each of them.
   */
  includeSuppressed?: boolean;
}

/** A pure function from a scan result to the bytes of one output format. */
export type Reporter = (result: ScanResult, ctx: ReportContext) => string;
