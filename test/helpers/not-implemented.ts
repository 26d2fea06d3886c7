/** Catalogue rows that will have no rule, each with the reason (data no source provides). */
export const NOT_IMPLEMENTED = 'rules/NOT-IMPLEMENTED.md';

/**
 * The entries of NOT-IMPLEMENTED.md: list items `` - `row-id`: reason ``. An entry without a
 * reason, or a row named twice, is an error (the file is the record of why a check is missing).
 */
export function parseNotImplemented(markdown: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const m = /^- `([a-z0-9-]+)`(?::\s*(.*))?$/.exec(line.trim());
    if (!m) continue;
    const [, id, reason] = m;
    if (!reason?.trim()) throw new Error(`NOT-IMPLEMENTED.md: ${id} has no reason`);
    if (entries.has(id!)) throw new Error(`NOT-IMPLEMENTED.md: ${id} is listed twice`);
    entries.set(id!, reason.trim());
  }
  return entries;
}
