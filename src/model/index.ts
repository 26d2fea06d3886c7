export * from './kinds.js';
export * from './severity.js';
export * from './resource.js';
export * from './finding.js';
export * from './scan-result.js';
