import type { Diagnostic } from '../model/finding.js';
import type { Resource, SourceFormat } from '../model/resource.js';
import type { InputFile } from '../model/scan-result.js';

export type { InputFile } from '../model/scan-result.js';
export type { SourceFormat } from '../model/resource.js';

/** A file found in the inputs, before any source has claimed it. */
export interface Candidate {
  /** Absolute path. */
  abs: string;
  /** Path shown in findings and errors (relative to the working directory when inside it). */
  file: string;
  text: string;
  /** The user named this file (rather than a directory holding it): it must be claimed. */
  explicit: boolean;
}

/** A file a source claimed, with what the source parsed from it (so it is parsed once). */
export interface Claim<D = unknown> {
  candidate: Candidate;
  data: D;
}

/** What the scan hands every source's `load`. */
export interface LoadContext {
  cwd: string;
  /** CloudFormation parameter values (`--param`, parameter files); `undefined`: set but unreadable. */
  parameters: Record<string, string | undefined>;
  /** Terraform input variables (`--var`, `--var-file`), as given; strings or values parsed from a var file. */
  variables: Record<string, unknown>;
  /** Path shown for an absolute path. */
  display(abs: string): string;
  /**
   * Reads a file an input refers to (a nested stack's template, a `${file()}` fragment, a
   * Terraform `file()`): a regular file, or an InputError naming it. Its text is kept for the
   * reporters (SARIF line hashes), as the inputs' are.
   */
  read(abs: string): string;
}

/** What a source's `load` returns. */
export interface SourceOutput {
  resources: Resource[];
  /** Problems that did not stop the load (unknown types, unresolved references). */
  diagnostics: Diagnostic[];
  /** Every file read (the claimed ones and what they pulled in), by the path shown, with its format. */
  inputs: InputFile[];
  /**
   * Absolute paths of candidate files this load already covered as part of another (a nested
   * stack's template loaded with its parent's parameters, a Serverless `${file()}` fragment):
   * sources later in the list do not load them again.
   */
  consumed?: string[];
}

/**
 * One input format. The scan offers every candidate file to the sources in the order of
 * `SOURCES` (most specific first); the first one whose `claim` returns data owns the file. Then
 * each source loads all its files at once, so that a source can read several files together (a
 * Terraform module is a directory; a CDK assembly, a stack and its nested stacks).
 */
export interface Source<D = unknown> {
  readonly format: SourceFormat;
  /** Said of a skipped file in a directory: what the scanner looked for. */
  readonly label: string;
  /** Extensions (lower case, with the dot) of the files this source reads in a directory walk. */
  readonly extensions: readonly string[];
  /**
   * A cheap test on the file's name and text, so that a directory of unrelated JSON is not
   * parsed: `'yes'` means the file is this format and must parse (a parse error is an input
   * error, exit 2); `'maybe'` means parse it, and skip it quietly when it does not parse;
   * `'no'` means leave it to the next source.
   */
  match(candidate: Candidate): 'yes' | 'maybe' | 'no';
  /**
   * Parses a matched file. Returns what `load` needs, or `undefined` when the file parses but is
   * not this format (the next source may claim it). Throws an InputError (file, line, reason)
   * when it does not parse.
   */
  claim(candidate: Candidate): D | undefined | Promise<D | undefined>;
  /** Loads every file this source claimed, in the order they were found. */
  load(claims: Array<Claim<D>>, ctx: LoadContext): SourceOutput | Promise<SourceOutput>;
}
