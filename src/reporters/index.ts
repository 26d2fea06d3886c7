import { json } from './json.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { text } from './text.js';
import type { Reporter, ReporterName } from './types.js';

export type { ReportContext, Reporter, ReporterName } from './types.js';
export { JSON_OUTPUT_VERSION } from './json.js';
export { MARKDOWN_LIMIT } from './markdown.js';
export { SARIF_LEVEL, SARIF_TOOL_NAME, SECURITY_SEVERITY, FINGERPRINT_KEY } from './sarif.js';

/** Every output format, by the name the CLI's `--format` and the Action accept. */
export const reporters: Record<ReporterName, Reporter> = { text, json, sarif, markdown };

/** True when `value` names a reporter. */
export function isReporterName(value: unknown): value is ReporterName {
  return typeof value === 'string' && Object.hasOwn(reporters, value);
}
