/**
 * @typedef {Object} RunMeta
 * @property {string} script
 * @property {string} scenario
 * @property {number} targetRate
 * @property {number} ceiling
 * @property {number} durationSeconds
 * @property {number} users Users available to this instance.
 * @property {number} instanceIndex
 * @property {number} instanceCount
 * @property {string} grant
 */
/**
 * The summary document: k6's end-of-test data (metrics with `values` and `thresholds`, state)
 * plus what was asked for, so the report can compare achieved with target rate. Options and
 * environment are left out: they may hold a client secret.
 * @param {{ metrics?: Object<string, any>, state?: Object<string, any> }} data k6 handleSummary data.
 * @param {RunMeta} meta
 * @returns {Object<string, any>}
 */
export function buildSummary(data: {
    metrics?: {
        [x: string]: any;
    };
    state?: {
        [x: string]: any;
    };
}, meta: RunMeta): {
    [x: string]: any;
};
/**
 * A few lines for the terminal at the end of a k6 run (handleSummary replaces k6's own
 * end-of-test text). The full report comes from `cognito-guard loadtest report`.
 * @param {Object<string, any>} summary A document from buildSummary.
 * @returns {string}
 */
export function shortText(summary: {
    [x: string]: any;
}): string;
/** Format marker of the summary file. */
export const SUMMARY_FORMAT: string;
export type RunMeta = {
    script: string;
    scenario: string;
    targetRate: number;
    ceiling: number;
    durationSeconds: number;
    /**
     * Users available to this instance.
     */
    users: number;
    instanceIndex: number;
    instanceCount: number;
    grant: string;
};
