/**
 * Seconds from `90`, `30s`, `5m`, `1h30m`, `500ms`.
 * @param {string | number} text
 * @returns {number}
 */
export function parseDuration(text: string | number): number;
/**
 * @typedef {Object} ScenarioSettings
 * @property {number} rate Target iterations (requests) per second; the peak for spike.
 * @property {number} durationSeconds
 * @property {number} [ceiling] Highest rate of the stress ramp; defaults to 2 × rate.
 * @property {number} [vus] Pre-allocated VUs; default from the rate.
 * @property {number} [maxVus]
 */
/**
 * One k6 scenario (named `main`) for a scenario name. `exec` names the exported function.
 * @param {string} name One of SCENARIOS.
 * @param {ScenarioSettings} settings
 * @param {string} [exec]
 * @returns {Object<string, any>}
 */
export function buildScenario(name: string, settings: ScenarioSettings, exec?: string): {
    [x: string]: any;
};
/**
 * @typedef {Object} ThresholdLimits
 * @property {number | null} [latencyP95Ms]
 * @property {number | null} [latencyP99Ms]
 * @property {number | null} [errorRate]
 * @property {number | null} [throttleRate]
 */
/**
 * The limits for one scenario: the file's defaults overridden by its per-scenario entry
 * (`null` switches a limit off, e.g. error limits for stress, which is meant to find them).
 * @param {{ defaults: ThresholdLimits, scenarios?: Object<string, ThresholdLimits> }} config
 * @param {string} scenario
 * @returns {ThresholdLimits}
 */
export function thresholdLimits(config: {
    defaults: ThresholdLimits;
    scenarios?: {
        [x: string]: ThresholdLimits;
    };
}, scenario: string): ThresholdLimits;
/**
 * k6 `options.thresholds` from the shared thresholds file.
 * @param {{ defaults: ThresholdLimits, scenarios?: Object<string, ThresholdLimits> }} config
 * @param {string} scenario
 * @returns {Object<string, string[]>}
 */
export function buildThresholds(config: {
    defaults: ThresholdLimits;
    scenarios?: {
        [x: string]: ThresholdLimits;
    };
}, scenario: string): {
    [x: string]: string[];
};
/** Names accepted in SCENARIO. */
export const SCENARIOS: string[];
/** Trend statistics in the summary; the report needs p(99), which k6 leaves out by default. */
export const SUMMARY_TREND_STATS: string[];
export type ScenarioSettings = {
    /**
     * Target iterations (requests) per second; the peak for spike.
     */
    rate: number;
    durationSeconds: number;
    /**
     * Highest rate of the stress ramp; defaults to 2 × rate.
     */
    ceiling?: number | undefined;
    /**
     * Pre-allocated VUs; default from the rate.
     */
    vus?: number | undefined;
    maxVus?: number | undefined;
};
export type ThresholdLimits = {
    latencyP95Ms?: number | null | undefined;
    latencyP99Ms?: number | null | undefined;
    errorRate?: number | null | undefined;
    throttleRate?: number | null | undefined;
};
