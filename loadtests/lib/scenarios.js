// k6 scenarios and thresholds from plain settings. Pure, ES2017.
//
// Sign-in load is an open model: users arrive whatever the latency, so the load-shaped
// scenarios use arrival-rate executors (a closed model would slow down with Cognito and hide
// throttling).

/** Names accepted in SCENARIO. */
export var SCENARIOS = ['smoke', 'load', 'stress', 'spike', 'soak'];

/** Trend statistics in the summary; the report needs p(99), which k6 leaves out by default. */
export var SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/**
 * Seconds from `90`, `30s`, `5m`, `1h30m`, `500ms`.
 * @param {string | number} text
 * @returns {number}
 */
export function parseDuration(text) {
  if (typeof text === 'number') return text;
  var value = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  var re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  var total = 0;
  var consumed = 0;
  var match;
  while ((match = re.exec(value)) !== null) {
    if (match.index !== consumed) break;
    consumed += match[0].length;
    var n = Number(match[1]);
    total += match[2] === 'h' ? n * 3600 : match[2] === 'm' ? n * 60 : match[2] === 's' ? n : n / 1000;
  }
  if (consumed !== value.length || value.length === 0) throw new Error('bad duration "' + text + '" (use e.g. 30s, 5m, 1h)');
  return total;
}

/**
 * @param {number} seconds
 * @returns {string}
 */
function secondsText(seconds) {
  return Math.max(1, Math.round(seconds)) + 's';
}

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
export function buildScenario(name, settings, exec) {
  var rate = settings.rate;
  var duration = settings.durationSeconds;
  if (!(rate > 0)) throw new Error('RATE must be a positive number, got ' + rate);
  if (!(duration > 0)) throw new Error('DURATION must be positive');
  var peak = name === 'stress' ? settings.ceiling || rate * 2 : rate;
  // An InitiateAuth takes ~100-300 ms; one VU per request in flight plus headroom.
  var vus = settings.vus || Math.max(2, Math.ceil(peak * 0.5));
  var maxVus = settings.maxVus || Math.max(vus, Math.ceil(peak * 2));
  /** @type {Object<string, any>} */
  var scenario;
  if (name === 'smoke') {
    scenario = {
      executor: 'constant-arrival-rate',
      rate: Math.min(rate, 1),
      timeUnit: '1s',
      duration: secondsText(Math.min(duration, 60)),
      preAllocatedVUs: 2,
      maxVUs: 2,
    };
  } else if (name === 'load' || name === 'soak') {
    scenario = {
      executor: 'constant-arrival-rate',
      rate: rate,
      timeUnit: '1s',
      duration: secondsText(duration),
      preAllocatedVUs: vus,
      maxVUs: maxVus,
    };
  } else if (name === 'stress') {
    // Four equal steps up to the ceiling, each held, so the report shows where latency bends
    // and throttling starts.
    var steps = [];
    var stepSeconds = duration / 8;
    for (var i = 1; i <= 4; i++) {
      var target = Math.max(1, Math.round((peak * i) / 4));
      steps.push({ target: target, duration: secondsText(stepSeconds) });
      steps.push({ target: target, duration: secondsText(stepSeconds) });
    }
    scenario = {
      executor: 'ramping-arrival-rate',
      startRate: Math.max(1, Math.round(peak / 8)),
      timeUnit: '1s',
      stages: steps,
      preAllocatedVUs: vus,
      maxVUs: maxVus,
    };
  } else if (name === 'spike') {
    // Baseline at a tenth of the peak, a jump to the peak within 10 s (a login storm after an
    // outage or a marketing push), hold, and back down: does the system recover?
    var base = Math.max(1, Math.round(rate / 10));
    var quarter = duration / 4;
    scenario = {
      executor: 'ramping-arrival-rate',
      startRate: base,
      timeUnit: '1s',
      stages: [
        { target: base, duration: secondsText(quarter) },
        { target: rate, duration: '10s' },
        { target: rate, duration: secondsText(quarter) },
        { target: base, duration: '10s' },
        { target: base, duration: secondsText(quarter) },
      ],
      preAllocatedVUs: vus,
      maxVUs: maxVus,
    };
  } else {
    throw new Error('unknown SCENARIO "' + name + '"; use one of ' + SCENARIOS.join(', '));
  }
  if (exec) scenario.exec = exec;
  return scenario;
}

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
export function thresholdLimits(config, scenario) {
  /** @type {Object<string, number | null | undefined>} */
  var merged = {};
  var keys = ['latencyP95Ms', 'latencyP99Ms', 'errorRate', 'throttleRate'];
  var override = (config.scenarios && config.scenarios[scenario]) || {};
  for (var i = 0; i < keys.length; i++) {
    var key = keys[i];
    /** @type {Object<string, any>} */
    var o = override;
    /** @type {Object<string, any>} */
    var d = config.defaults;
    merged[key] = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : d[key];
  }
  return merged;
}

/**
 * k6 `options.thresholds` from the shared thresholds file.
 * @param {{ defaults: ThresholdLimits, scenarios?: Object<string, ThresholdLimits> }} config
 * @param {string} scenario
 * @returns {Object<string, string[]>}
 */
export function buildThresholds(config, scenario) {
  var limits = thresholdLimits(config, scenario);
  /** @type {Object<string, string[]>} */
  var thresholds = {};
  var latency = [];
  if (typeof limits.latencyP95Ms === 'number') latency.push('p(95)<' + limits.latencyP95Ms);
  if (typeof limits.latencyP99Ms === 'number') latency.push('p(99)<' + limits.latencyP99Ms);
  if (latency.length) thresholds.http_req_duration = latency;
  if (typeof limits.errorRate === 'number') thresholds.cognito_errors = ['rate<=' + limits.errorRate];
  if (typeof limits.throttleRate === 'number') thresholds.cognito_throttled = ['rate<=' + limits.throttleRate];
  return thresholds;
}
