export * from './model/index.js';
export { scan, type ScanOptions, type ScanOutput } from './scan.js';
export { exitCode, type FailOn } from './cli/exit-code.js';
export { reporters, type ReporterName, type ReportContext } from './reporters/index.js';
export type { LoadResult } from './loaders/types.js';
