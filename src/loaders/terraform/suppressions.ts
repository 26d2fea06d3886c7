import type { InlineSuppression } from '../../model/resource.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import { MIN_REASON_LENGTH, SUPPRESSION_RULE_ID } from '../cloudformation/suppressions.js';
import type { ParsedTfFile, TfComment } from './parsed-file.js';
import { POSITIONS } from './positions.js';

/** What starts a suppression comment: `# cognito-guard:ignore RULE-ID [expires=YYYY-MM-DD] reason`. */
const DIRECTIVE = 'cognito-guard:';

/**
 * Reads one comment as a suppression. `undefined` for an ordinary comment; an InputError with
 * the comment's line for a malformed one: a suppression that silently does not apply would be
 * as bad as one that applies to too much (the same rules as CloudFormation `Metadata`).
 */
function readComment(file: string, comment: TfComment): InlineSuppression | undefined {
  if (!comment.text.startsWith(DIRECTIVE)) return undefined;
  const fail = (message: string): never => {
    throw new InputError(`cognito-guard:ignore comment: ${message}`, file, comment.line, comment.column);
  };
  const m = /^cognito-guard:(\S*)\s*(.*)$/s.exec(comment.text)!;
  if (m[1] !== 'ignore') fail(`unknown directive "cognito-guard:${m[1]}" (expected cognito-guard:ignore RULE-ID reason)`);
  const words = m[2]!.split(/\s+/).filter(Boolean);
  const rule = words.shift();
  if (rule === undefined || !SUPPRESSION_RULE_ID.test(rule)) fail('needs a rule id such as cognito-user-pool-mfa-enabled after cognito-guard:ignore');
  let expires: string | undefined;
  if (words[0]?.startsWith('expires=')) {
    expires = words.shift()!.slice('expires='.length);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires))) fail('expires must be a date (expires=YYYY-MM-DD)');
  }
  const reason = words.join(' ');
  if (reason.length < MIN_REASON_LENGTH) fail(`a reason is required and must say why (at least ${MIN_REASON_LENGTH} characters)`);
  return { rule: rule!, reason, ...(expires !== undefined && { expires }) };
}

/** Checks every `cognito-guard:` comment of a file, attached to a block or not. */
export function checkSuppressionComments(file: ParsedTfFile): void {
  for (const comment of file.comments) readComment(file.file, comment);
}

/**
 * The suppressions written for one block (`['resource', 'aws_cognito_user_pool', 'pool', 0]`):
 * `# cognito-guard:ignore ...` (or `//`) comments on the line above the block header (a line of
 * its own), at the end of the header line, or anywhere inside the block: above or beside one of
 * its arguments or nested blocks.
 */
export function suppressionsFor(file: ParsedTfFile, blockPath: readonly (string | number)[]): InlineSuppression[] {
  const positions = POSITIONS.get(file);
  const block = positions?.entries.get(joinPointer('', ...blockPath));
  if (!positions || !block) return [];
  const first = positions.codeLines.has(block.line - 1) ? block.line : block.line - 1;
  const last = block.endLine ?? block.line;
  const out: InlineSuppression[] = [];
  for (const comment of file.comments) {
    if (comment.line < first || comment.line > last) continue;
    const s = readComment(file.file, comment);
    if (s) out.push(s);
  }
  return out;
}
