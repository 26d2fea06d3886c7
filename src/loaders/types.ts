import type { Diagnostic } from '../model/finding.js';
import type { Resource } from '../model/resource.js';

/** What every loader returns. */
export interface LoadResult {
  resources: Resource[];
  /** Problems that did not stop the load (skipped resources, unknown types, denied calls). */
  diagnostics: Diagnostic[];
}
