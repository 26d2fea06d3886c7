/**
 * How deeply maps and lists may nest in any file we read (templates, snapshots, rules, config,
 * parameter files, baselines). Real CloudFormation, OpenAPI bodies and IAM policies stay far
 * below 30 levels (the deepest file in the test corpus has 15); the later stages (intrinsic
 * evaluation, schema validation, rule compilation) recurse over the value, so a deeper document
 * is refused at parse time instead of overflowing the stack there.
 */
export const MAX_NESTING_DEPTH = 256;

/** The error message for a document nested deeper than {@link MAX_NESTING_DEPTH}. */
export const TOO_DEEP = `nested more than ${MAX_NESTING_DEPTH} levels deep`;

/** The error message for a key that appears twice in one mapping (keys come from user input). */
export function duplicateKeyMessage(key: string, firstLine: number): string {
  const shown = JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key);
  return `duplicate key ${shown} (first at line ${firstLine})`;
}
