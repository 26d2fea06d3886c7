// The JSON summary handleSummary writes and `cognito-guard loadtest report` reads. Pure, ES2017.

/** Format marker of the summary file. */
export var SUMMARY_FORMAT = 'cognito-guard-k6-summary';

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
export function buildSummary(data, meta) {
  return {
    format: SUMMARY_FORMAT,
    version: 1,
    meta: meta,
    state: data.state || {},
    metrics: data.metrics || {},
  };
}

/**
 * @param {any} metric
 * @param {string} stat
 * @returns {number | undefined}
 */
function stat(metric, stat) {
  if (!metric || !metric.values) return undefined;
  var value = metric.values[stat];
  return typeof value === 'number' ? value : undefined;
}

/**
 * @param {number | undefined} value
 * @param {number} digits
 * @returns {string}
 */
function fixed(value, digits) {
  return value === undefined ? '-' : value.toFixed(digits);
}

/**
 * A few lines for the terminal at the end of a k6 run (handleSummary replaces k6's own
 * end-of-test text). The full report comes from `cognito-guard loadtest report`.
 * @param {Object<string, any>} summary A document from buildSummary.
 * @returns {string}
 */
export function shortText(summary) {
  var m = summary.metrics || {};
  var lines = [];
  lines.push(
    'cognito-guard ' + summary.meta.script + ' / ' + summary.meta.scenario + ': target ' + summary.meta.targetRate +
      '/s, achieved ' + fixed(stat(m.http_reqs, 'rate'), 1) + '/s over ' + fixed(stat(m.http_reqs, 'count'), 0) + ' requests',
  );
  lines.push(
    'latency ms p50 ' + fixed(stat(m.http_req_duration, 'med'), 1) + '  p95 ' + fixed(stat(m.http_req_duration, 'p(95)'), 1) +
      '  p99 ' + fixed(stat(m.http_req_duration, 'p(99)'), 1),
  );
  lines.push(
    'errors ' + fixed(stat(m.cognito_errors, 'rate') === undefined ? undefined : 100 * Number(stat(m.cognito_errors, 'rate')), 2) +
      '%  throttles ' + fixed(stat(m.cognito_throttles, 'count') || 0, 0) + '  auth failures ' + fixed(stat(m.cognito_auth_failures, 'count') || 0, 0) +
      '  server errors ' + fixed(stat(m.cognito_server_errors, 'count') || 0, 0),
  );
  var names = Object.keys(m).sort();
  for (var i = 0; i < names.length; i++) {
    var thresholds = m[names[i]].thresholds || {};
    var exprs = Object.keys(thresholds);
    for (var j = 0; j < exprs.length; j++) {
      lines.push((thresholds[exprs[j]].ok ? 'ok     ' : 'FAILED ') + names[i] + ' ' + exprs[j]);
    }
  }
  return lines.join('\n') + '\n';
}
