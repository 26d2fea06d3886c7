/**
 * A problem with something the user gave us (a file, a flag, a rule, a config). The CLI prints
 * `toString()` as one line and exits 2; no stack trace.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `file:line:column: message`, with whatever parts are known. */
  override toString(): string {
    const where = [this.file, this.line, this.line !== undefined ? this.column : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    return where ? `${where}: ${this.message}` : this.message;
  }
}
