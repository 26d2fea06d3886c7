import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { notRegularFile, readRegularFile, statPath } from '../util/files.js';
import { InputError } from '../util/input-error.js';

/** Error classes the k6 scripts record (one `cognito_*` counter each). */
export const ERROR_CLASSES = ['throttle', 'auth_failure', 'challenge', 'client_error', 'server_error', 'network_error'] as const;
/** An error class. */
export type ErrorClass = (typeof ERROR_CLASSES)[number];

const COUNTER_OF: Record<ErrorClass, string> = {
  throttle: 'cognito_throttles',
  auth_failure: 'cognito_auth_failures',
  challenge: 'cognito_challenges',
  client_error: 'cognito_client_errors',
  server_error: 'cognito_server_errors',
  network_error: 'cognito_network_errors',
};

/** What the run was asked to do (the `meta` block handleSummary writes). */
export interface RunMeta {
  script?: string;
  scenario?: string;
  targetRate?: number;
  ceiling?: number;
  durationSeconds?: number;
  users?: number;
  instanceIndex?: number;
  instanceCount?: number;
  grant?: string;
}

/** One threshold's verdict. */
export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
}

/** A k6 summary reduced to the figures the report shows. Missing figures are undefined, never 0. */
export interface ReportFigures {
  meta: RunMeta;
  durationSeconds: number | undefined;
  requests: number | undefined;
  achievedRate: number | undefined;
  targetRate: number | undefined;
  latencyMs: { avg?: number; p50?: number; p90?: number; p95?: number; p99?: number; max?: number };
  errorRate: number | undefined;
  throttleRate: number | undefined;
  errorsByClass: Record<ErrorClass, number | undefined>;
  droppedIterations: number;
  thresholds: ThresholdResult[];
}

type Values = Record<string, number>;

/**
 * Reads a summary: the document the scripts' handleSummary writes, k6's raw handleSummary data
 * (`metrics.<name>.values`), or `k6 run --summary-export` output (values directly on the metric,
 * thresholds as booleans).
 */
export function parseSummary(text: string, file: string): ReportFigures {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError('summary is not valid JSON', file);
  }
  const d = doc as { metrics?: Record<string, unknown>; meta?: RunMeta; state?: { testRunDurationMs?: number } } | null;
  if (!d || typeof d !== 'object' || !d.metrics || typeof d.metrics !== 'object') {
    throw new InputError('not a k6 summary (no "metrics" object)', file);
  }
  const values: Record<string, Values> = {};
  const thresholds: ThresholdResult[] = [];
  for (const [name, raw] of Object.entries(d.metrics)) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as { values?: Values; thresholds?: Record<string, unknown> } & Record<string, unknown>;
    const v: Values = {};
    const source = m.values && typeof m.values === 'object' ? m.values : (m as Record<string, unknown>);
    for (const [k, x] of Object.entries(source)) if (typeof x === 'number') v[k] = x;
    values[name] = v;
    for (const [expression, verdict] of Object.entries(m.thresholds ?? {})) {
      // handleSummary data: { ok: boolean }; --summary-export: true means the threshold FAILED
      // (k6 writes whether it was crossed).
      const ok =
        verdict && typeof verdict === 'object' ? (verdict as { ok?: unknown }).ok === true : verdict === false;
      thresholds.push({ metric: name, expression, ok });
    }
  }
  thresholds.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));
  const meta = d.meta && typeof d.meta === 'object' ? d.meta : {};
  const duration = values.http_req_duration ?? {};
  const reqs = values.http_reqs ?? {};
  const durationMs = d.state?.testRunDurationMs;
  const errorsByClass = {} as Record<ErrorClass, number | undefined>;
  const anyCounter = ERROR_CLASSES.some((c) => values[COUNTER_OF[c]] !== undefined) || values.cognito_requests !== undefined;
  for (const c of ERROR_CLASSES) {
    const counter = values[COUNTER_OF[c]];
    // k6 leaves a counter out of the summary when it never fired; if the scripts' counters are
    // there at all, an absent one means zero. Without any, the class is unknown.
    errorsByClass[c] = counter ? (counter.count ?? 0) : anyCounter ? 0 : undefined;
  }
  return {
    meta,
    durationSeconds: typeof durationMs === 'number' ? durationMs / 1000 : undefined,
    requests: reqs.count,
    achievedRate: reqs.rate,
    targetRate: typeof meta.targetRate === 'number' ? meta.targetRate : undefined,
    latencyMs: {
      avg: duration.avg,
      p50: duration.med ?? duration['p(50)'],
      p90: duration['p(90)'],
      p95: duration['p(95)'],
      p99: duration['p(99)'],
      max: duration.max,
    },
    errorRate: values.cognito_errors?.rate ?? values.http_req_failed?.rate,
    throttleRate: values.cognito_throttled?.rate,
    errorsByClass,
    droppedIterations: values.dropped_iterations?.count ?? 0,
    thresholds,
  };
}

/** Reads and parses a summary file. */
export async function readSummary(path: string): Promise<ReportFigures> {
  // Regular files only: a named pipe would block the run forever.
  const text = readRegularFile(resolve(path), path);
  return parseSummary(text, path);
}

/** One time bucket of the run. */
export interface Bucket {
  /** Seconds since the first point. */
  t: number;
  /** Requests per second in the bucket, by outcome. */
  okPerSecond: number;
  throttlesPerSecond: number;
  otherErrorsPerSecond: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
}

/** Latency and throughput over time. */
export interface TimeSeries {
  bucketSeconds: number;
  buckets: Bucket[];
  /** Points that could not be parsed (reported, not fatal). */
  skipped: number;
}

interface RawPoints {
  latency: { t: number; v: number }[];
  outcomes: { t: number; outcome: string }[];
  requests: number[];
  skipped: number;
}

function percentile(sorted: Float64Array, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  // Nearest-rank, as k6 reports close enough at these sizes.
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Buckets raw points; the bucket width keeps charts at about `maxBuckets` points whatever the run length. */
export function bucketPoints(raw: RawPoints, maxBuckets = 120): TimeSeries {
  const times = [...raw.latency.map((p) => p.t), ...raw.outcomes.map((p) => p.t), ...raw.requests];
  if (times.length === 0) return { bucketSeconds: 1, buckets: [], skipped: raw.skipped };
  let start = Infinity;
  let end = -Infinity;
  for (const t of times) {
    if (t < start) start = t;
    if (t > end) end = t;
  }
  const span = end - start;
  const bucketSeconds = Math.max(1, Math.ceil(span / maxBuckets));
  const n = Math.floor(span / bucketSeconds) + 1;
  const index = (t: number): number => Math.min(n - 1, Math.floor((t - start) / bucketSeconds));
  const lat: number[][] = Array.from({ length: n }, () => []);
  const ok = new Array<number>(n).fill(0);
  const thr = new Array<number>(n).fill(0);
  const other = new Array<number>(n).fill(0);
  for (const p of raw.latency) lat[index(p.t)]!.push(p.v);
  if (raw.outcomes.length > 0) {
    for (const p of raw.outcomes) {
      const i = index(p.t);
      if (p.outcome === 'ok') ok[i]!++;
      else if (p.outcome === 'throttle') thr[i]!++;
      else other[i]!++;
    }
  } else {
    // Without the scripts' outcome tags (another script's points), count requests only.
    for (const t of raw.requests) ok[index(t)]!++;
  }
  const buckets: Bucket[] = [];
  for (let i = 0; i < n; i++) {
    const sorted = Float64Array.from(lat[i]!).sort();
    buckets.push({
      t: i * bucketSeconds,
      okPerSecond: ok[i]! / bucketSeconds,
      throttlesPerSecond: thr[i]! / bucketSeconds,
      otherErrorsPerSecond: other[i]! / bucketSeconds,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
    });
  }
  return { bucketSeconds, buckets, skipped: raw.skipped };
}

function addPoint(raw: RawPoints, metric: string, t: number, value: number, tags: Record<string, string>): void {
  if (!Number.isFinite(t) || !Number.isFinite(value)) {
    raw.skipped++;
    return;
  }
  if (metric === 'http_req_duration') raw.latency.push({ t, v: value });
  else if (metric === 'cognito_requests') raw.outcomes.push({ t, outcome: tags.outcome ?? 'unknown' });
  else if (metric === 'http_reqs') raw.requests.push(t);
}

/**
 * Reads k6 points from `--out json=FILE` (NDJSON, optionally .gz) or `--out csv=FILE`, streaming
 * line by line so long soak runs do not have to fit in memory as text.
 */
export async function readPoints(path: string): Promise<TimeSeries> {
  const raw: RawPoints = { latency: [], outcomes: [], requests: [], skipped: 0 };
  const stats = statPath(resolve(path), path);
  // A named pipe would keep the report waiting for a writer forever.
  if (!stats.isFile()) throw notRegularFile(stats, path);
  let stream: NodeJS.ReadableStream = createReadStream(path);
  if (path.endsWith('.gz')) stream = stream.pipe(createGunzip());
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let csvHeader: string[] | undefined;
  let first = true;
  try {
    for await (const line of lines) {
      if (!line) continue;
      if (first) {
        first = false;
        if (!line.startsWith('{')) {
          csvHeader = line.split(',');
          if (!csvHeader.includes('metric_name')) throw new InputError('points file is neither k6 JSON nor k6 CSV output', path);
          continue;
        }
      }
      if (csvHeader) addCsvLine(raw, csvHeader, line);
      else addJsonLine(raw, line);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read points: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, path);
  }
  return bucketPoints(raw);
}

function addJsonLine(raw: RawPoints, line: string): void {
  let p: { type?: string; metric?: string; data?: { time?: string; value?: number; tags?: Record<string, string> } };
  try {
    p = JSON.parse(line);
  } catch {
    raw.skipped++;
    return;
  }
  if (p.type !== 'Point' || !p.metric || !p.data) return;
  addPoint(raw, p.metric, Date.parse(p.data.time ?? '') / 1000, Number(p.data.value), p.data.tags ?? {});
}

function addCsvLine(raw: RawPoints, header: string[], line: string): void {
  // k6 CSV output quotes no fields it writes for these metrics; URLs with commas are in `url`,
  // after the columns read here.
  const cells = line.split(',');
  const get = (name: string): string => cells[header.indexOf(name)] ?? '';
  const tags: Record<string, string> = {};
  for (const pair of get('extra_tags').split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) tags[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  addPoint(raw, get('metric_name'), Number(get('timestamp')), Number(get('metric_value')), tags);
}

/** One stage of a shaped scenario: `seconds` going from `fromRate` to `toRate` requests/s. */
export interface PlannedPhase {
  seconds: number;
  fromRate: number;
  toRate: number;
}

/** The rate plan of a run: its phases and their time-weighted average rate. */
export interface PlannedShape {
  phases: PlannedPhase[];
  averageRate: number;
  peakRate: number;
}

// k6 stage durations are whole seconds (loadtests/lib/scenarios.js: secondsText).
const wholeSeconds = (seconds: number) => Math.max(1, Math.round(seconds));

/**
 * The phases k6 runs for a `spike` or `stress` scenario, as loadtests/lib/scenarios.js builds
 * them (a test keeps the two in step). A shaped run spends most of its time below its peak, so
 * its achieved rate is judged against the average of the plan, never against `--rate`: a spike
 * at 20/s offers about 8.5/s on average. Undefined for constant scenarios or without the meta.
 */
export function plannedShape(meta: RunMeta): PlannedShape | undefined {
  const rate = meta.targetRate;
  const duration = meta.durationSeconds;
  if (!(typeof rate === 'number' && rate > 0 && typeof duration === 'number' && duration > 0)) return undefined;
  const phases: PlannedPhase[] = [];
  if (meta.scenario === 'spike') {
    const base = Math.max(1, Math.round(rate / 10));
    const quarter = wholeSeconds(duration / 4);
    phases.push(
      { seconds: quarter, fromRate: base, toRate: base },
      { seconds: 10, fromRate: base, toRate: rate },
      { seconds: quarter, fromRate: rate, toRate: rate },
      { seconds: 10, fromRate: rate, toRate: base },
      { seconds: quarter, fromRate: base, toRate: base },
    );
  } else if (meta.scenario === 'stress') {
    const peak = meta.ceiling || rate * 2;
    const step = wholeSeconds(duration / 8);
    let from = Math.max(1, Math.round(peak / 8));
    for (let i = 1; i <= 4; i++) {
      const target = Math.max(1, Math.round((peak * i) / 4));
      phases.push({ seconds: step, fromRate: from, toRate: target }, { seconds: step, fromRate: target, toRate: target });
      from = target;
    }
  } else {
    return undefined;
  }
  const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
  const requests = phases.reduce((sum, p) => sum + (p.seconds * (p.fromRate + p.toRate)) / 2, 0);
  return { phases, averageRate: requests / seconds, peakRate: Math.max(...phases.map((p) => p.toRate)) };
}

function phaseText(p: PlannedPhase): string {
  return p.fromRate === p.toRate ? `${p.seconds} s at ${p.fromRate}/s` : `${p.seconds} s ramp ${p.fromRate} → ${p.toRate}/s`;
}

function num(value: number | undefined, digits: number): string {
  return value === undefined ? 'n/a' : value.toFixed(digits);
}

/** Plain-text report: aligned rows, deterministic. */
export function renderTable(f: ReportFigures): string {
  const rows: [string, string][] = [];
  const m = f.meta;
  if (m.script) rows.push(['script', `${m.script}${m.grant ? ` (${m.grant})` : ''}`]);
  if (m.scenario) rows.push(['scenario', m.scenario]);
  if (m.instanceCount && m.instanceCount > 1) rows.push(['instance', `${(m.instanceIndex ?? 0) + 1} of ${m.instanceCount} (figures are this instance's)`]);
  rows.push(['duration', f.durationSeconds === undefined ? 'n/a' : `${num(f.durationSeconds, 1)} s`]);
  rows.push(['requests', num(f.requests, 0)]);
  const shape = plannedShape(m);
  if (shape) {
    const pct = f.achievedRate !== undefined ? ` (${num((100 * f.achievedRate) / shape.averageRate, 0)}% of planned average)` : '';
    rows.push(['rate achieved / planned average', `${num(f.achievedRate, 2)} / ${num(shape.averageRate, 2)} req/s${pct}`]);
    rows.push(['planned peak', `${num(shape.peakRate, 2)} req/s`]);
    shape.phases.forEach((p, i) => rows.push([`  phase ${i + 1}`, phaseText(p)]));
  } else {
    const pct = f.targetRate && f.achievedRate !== undefined ? ` (${num((100 * f.achievedRate) / f.targetRate, 0)}% of target)` : '';
    rows.push(['rate achieved / target', `${num(f.achievedRate, 2)} / ${num(f.targetRate, 2)} req/s${pct}`]);
  }
  rows.push(['latency p50 / p95 / p99', `${num(f.latencyMs.p50, 1)} / ${num(f.latencyMs.p95, 1)} / ${num(f.latencyMs.p99, 1)} ms`]);
  rows.push(['latency avg / max', `${num(f.latencyMs.avg, 1)} / ${num(f.latencyMs.max, 1)} ms`]);
  rows.push(['error rate', f.errorRate === undefined ? 'n/a' : `${num(100 * f.errorRate, 2)}%`]);
  rows.push(['throttles (TooManyRequests / 429)', num(f.errorsByClass.throttle, 0)]);
  for (const c of ERROR_CLASSES) {
    if (c === 'throttle') continue;
    rows.push([`  ${c.replace('_', ' ')}`, num(f.errorsByClass[c], 0)]);
  }
  if (f.droppedIterations > 0) {
    rows.push(['dropped iterations', `${f.droppedIterations} (k6 ran out of VUs: raise --max-vus; the target rate was not offered)`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (f.thresholds.length > 0) {
    lines.push('', 'thresholds');
    for (const t of f.thresholds) lines.push(`  ${t.ok ? 'ok    ' : 'FAILED'}  ${t.metric} ${t.expression}`);
  }
  return lines.join('\n') + '\n';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick step: 1, 2 or 5 times a power of ten. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

interface Line {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number | undefined][];
}

/** An inline SVG line chart: no scripts, no external references. */
export function lineChart(title: string, yUnit: string, lines: Line[], xMax: number): string {
  const width = 720;
  const height = 260;
  const left = 56;
  const right = 16;
  const top = 28;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  let yMax = 0;
  for (const l of lines) for (const [, y] of l.points) if (y !== undefined && y > yMax) yMax = y;
  const yStep = niceStep(yMax > 0 ? yMax : 1, 4);
  const yTop = Math.max(yStep, Math.ceil((yMax > 0 ? yMax : 1) / yStep) * yStep);
  const xTop = xMax > 0 ? xMax : 1;
  const xStep = niceStep(xTop, 6);
  const sx = (x: number): string => (left + (x / xTop) * plotW).toFixed(1);
  const sy = (y: number): string => (top + plotH - (y / yTop) * plotH).toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">`);
  parts.push(`<text x="${left}" y="18" class="title">${esc(title)}</text>`);
  for (let y = 0; y <= yTop + 1e-9; y += yStep) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${sy(y)}" y2="${sy(y)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${sy(y)}" class="ylabel">${esc(formatTick(y))}</text>`);
  }
  for (let x = 0; x <= xTop + 1e-9; x += xStep) {
    parts.push(`<text x="${sx(x)}" y="${height - bottom + 16}" class="xlabel">${esc(formatTick(x))}s</text>`);
  }
  parts.push(`<text x="12" y="${top + plotH / 2}" class="unit" transform="rotate(-90 12 ${top + plotH / 2})">${esc(yUnit)}</text>`);
  let legendX = left + 200;
  for (const l of lines) {
    // Split at gaps (buckets without data) instead of drawing through them.
    let run: string[] = [];
    const flush = (): void => {
      if (run.length > 1) {
        parts.push(
          `<polyline points="${run.join(' ')}" fill="none" stroke="${l.color}" stroke-width="2"${l.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
        );
      } else if (run.length === 1) {
        const [x, y] = run[0]!.split(',');
        parts.push(`<circle cx="${x}" cy="${y}" r="2" fill="${l.color}"/>`);
      }
      run = [];
    };
    for (const [x, y] of l.points) {
      if (y === undefined) flush();
      else run.push(`${sx(x)},${sy(y)}`);
    }
    flush();
    parts.push(`<rect x="${legendX}" y="10" width="12" height="4" fill="${l.color}"/>`);
    parts.push(`<text x="${legendX + 16}" y="16" class="legend">${esc(l.name)}</text>`);
    legendX += 24 + l.name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function formatTick(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

/**
 * A self-contained HTML page: the figures, the thresholds, and latency and throughput over time
 * as inline SVG. No scripts, no stylesheets or fonts from the network, so it can be archived as a
 * CI artifact and opened offline.
 */
export function renderHtml(f: ReportFigures, series: TimeSeries | undefined, title = 'Cognito load test'): string {
  const table = renderTable(f)
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '' && l !== 'thresholds' && !l.startsWith('  ok') && !l.startsWith('  FAILED'));
  const rows = table
    .map((l) => {
      const m = /^(.*?\S)\s{2,}(.*)$/.exec(l);
      return m ? `<tr><th>${esc(m[1]!.trim())}</th><td>${esc(m[2]!)}</td></tr>` : '';
    })
    .join('\n');
  const thresholdRows = f.thresholds
    .map(
      (t) =>
        `<tr class="${t.ok ? 'ok' : 'failed'}"><td>${t.ok ? 'ok' : 'FAILED'}</td><td>${esc(t.metric)}</td><td><code>${esc(t.expression)}</code></td></tr>`,
    )
    .join('\n');
  let charts = '<p>No points file: run with <code>--out json=points.json</code> (done by <code>cognito-guard loadtest run</code>) to chart latency and throughput over time.</p>';
  if (series && series.buckets.length > 0) {
    const xMax = series.buckets[series.buckets.length - 1]!.t;
    const latency = lineChart(
      `Latency over time (${series.bucketSeconds}s buckets)`,
      'ms',
      [
        { name: 'p50', color: '#2b6cb0', points: series.buckets.map((b) => [b.t, b.p50Ms]) },
        { name: 'p95', color: '#c05621', points: series.buckets.map((b) => [b.t, b.p95Ms]) },
      ],
      xMax,
    );
    const throughputLines: Line[] = [
      { name: 'ok', color: '#2f855a', points: series.buckets.map((b) => [b.t, b.okPerSecond]) },
      { name: 'throttled', color: '#c53030', points: series.buckets.map((b) => [b.t, b.throttlesPerSecond]) },
      { name: 'other errors', color: '#6b46c1', points: series.buckets.map((b) => [b.t, b.otherErrorsPerSecond]) },
    ];
    // A flat target line only means something for constant-rate scenarios.
    const constant = f.meta.scenario === 'load' || f.meta.scenario === 'soak';
    if (constant && f.targetRate !== undefined) {
      throughputLines.push({ name: 'target', color: '#718096', dashed: true, points: [[0, f.targetRate], [xMax, f.targetRate]] });
    }
    const shape = plannedShape(f.meta);
    if (shape) {
      let t = 0;
      const points: [number, number][] = [[0, shape.phases[0]!.fromRate]];
      for (const p of shape.phases) points.push([(t += p.seconds), p.toRate]);
      throughputLines.push({ name: 'plan', color: '#718096', dashed: true, points });
    }
    charts = `${latency}\n${lineChart('Throughput over time', 'requests/s', throughputLines, xMax)}`;
    if (series.skipped > 0) charts += `\n<p>${series.skipped} unreadable points were skipped.</p>`;
  }
  const failed = f.thresholds.filter((t) => !t.ok).length;
  const verdict =
    f.thresholds.length === 0
      ? '<p class="verdict">No thresholds in the summary.</p>'
      : failed === 0
        ? '<p class="verdict ok">All thresholds passed.</p>'
        : `<p class="verdict failed">${failed} of ${f.thresholds.length} thresholds failed.</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a202c; max-width: 60rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: 0.25rem 0.75rem; border-bottom: 1px solid #e2e8f0; }
tr.failed td, .verdict.failed { color: #c53030; font-weight: 600; }
tr.ok td:first-child, .verdict.ok { color: #2f855a; }
svg { display: block; margin: 1rem 0; background: #fff; }
svg .grid { stroke: #e2e8f0; }
svg text { font-size: 11px; fill: #4a5568; }
svg .title { font-size: 13px; font-weight: 600; fill: #1a202c; }
svg .ylabel { text-anchor: end; dominant-baseline: middle; }
svg .xlabel, svg .unit { text-anchor: middle; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
${verdict}
<table>
${rows}
</table>
<h2>Thresholds</h2>
<table>
${thresholdRows || '<tr><td>none</td></tr>'}
</table>
<h2>Over time</h2>
${charts}
<h2>Reading this report</h2>
<p>Throttles are Cognito refusing requests above a quota (<code>TooManyRequestsException</code>, or HTTP 429 from the token endpoint): the category quota is per account and Region and shared with production traffic. Auth failures are refused credentials; challenges are sign-ins that need another step (MFA, a new password). A gap between achieved and target rate with dropped iterations means the load generator, not Cognito, was the limit.</p>
</body>
</html>
`;
}
