import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoadtestCommand } from '../../src/loadtest/cli.js';
import { buildScenario } from '../../loadtests/lib/scenarios.js';
import { parseSummary, plannedShape, readPoints, readSummary, renderHtml, renderTable } from '../../src/loadtest/report.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const summaryPath = join(fixtures, 'summary-initiate-auth-load.json');
const pointsPath = join(fixtures, 'points-initiate-auth-load.json');
const tmp = mkdtempSync(join(tmpdir(), 'cg-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('figures from a recorded k6 summary', () => {
  it('reads latency, rates, errors by class and thresholds', async () => {
    const f = await readSummary(summaryPath);
    expect(f.latencyMs).toEqual({ avg: 142.71, p50: 118.42, p90: 231.5, p95: 298.61, p99: 811.34, max: 2210.95 });
    expect(f.requests).toBe(1188);
    expect(f.achievedRate).toBe(19.796);
    expect(f.targetRate).toBe(20);
    expect(f.durationSeconds).toBeCloseTo(60.0124, 4);
    expect(f.errorRate).toBe(0.012626);
    expect(f.errorsByClass).toEqual({ throttle: 12, auth_failure: 3, challenge: 0, client_error: 0, server_error: 0, network_error: 0 });
    expect(f.droppedIterations).toBe(12);
    expect(f.thresholds).toEqual([
      { metric: 'cognito_errors', expression: 'rate<=0.01', ok: false },
      { metric: 'cognito_throttled', expression: 'rate<=0.001', ok: false },
      { metric: 'http_req_duration', expression: 'p(95)<500', ok: true },
      { metric: 'http_req_duration', expression: 'p(99)<1000', ok: true },
    ]);
  });

  it('renders the table', async () => {
    const text = renderTable(await readSummary(summaryPath));
    expect(text).toContain('latency p50 / p95 / p99            118.4 / 298.6 / 811.3 ms');
    expect(text).toContain('rate achieved / target             19.80 / 20.00 req/s (99% of target)');
    expect(text).toContain('error rate                         1.26%');
    expect(text).toContain('throttles (TooManyRequests / 429)  12');
    expect(text).toContain('  auth failure                     3');
    expect(text).toContain('dropped iterations');
    expect(text).toContain('  FAILED  cognito_throttled rate<=0.001');
    expect(text).toContain('  ok      http_req_duration p(95)<500');
  });

  it('reads --summary-export output, where a threshold value of true means crossed', () => {
    const exported = JSON.stringify({
      metrics: {
        http_req_duration: { avg: 10, med: 9, 'p(95)': 20, 'p(99)': 30, max: 40, thresholds: { 'p(95)<500': false, 'p(99)<25': true } },
        http_reqs: { count: 100, rate: 5 },
      },
    });
    const f = parseSummary(exported, 'export.json');
    expect(f.latencyMs.p95).toBe(20);
    expect(f.thresholds).toEqual([
      { metric: 'http_req_duration', expression: 'p(95)<500', ok: true },
      { metric: 'http_req_duration', expression: 'p(99)<25', ok: false },
    ]);
    // No cognito_* counters at all: error classes are unknown, not zero.
    expect(f.errorsByClass.throttle).toBeUndefined();
    expect(renderTable(f)).toContain('throttles (TooManyRequests / 429)  n/a');
  });

  it('rejects files that are not summaries with one line naming the file', () => {
    expect(() => parseSummary('[1,2', 's.json')).toThrow('summary is not valid JSON');
    expect(() => parseSummary('{}', 's.json')).toThrow(/no "metrics"/);
    try {
      parseSummary('{}', 's.json');
    } catch (err) {
      expect(String(err)).toBe('s.json: not a k6 summary (no "metrics" object)');
    }
  });
});

describe('points over time', () => {
  const recorded = readFileSync(pointsPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((p) => p.type === 'Point');

  it('buckets latency and outcomes per second', async () => {
    const series = await readPoints(pointsPath);
    expect(series.bucketSeconds).toBe(1);
    expect(series.buckets).toHaveLength(10);
    expect(series.buckets.reduce((s, b) => s + b.okPerSecond, 0)).toBe(37);
    expect(series.buckets[5]).toMatchObject({ okPerSecond: 2, throttlesPerSecond: 2, otherErrorsPerSecond: 0 });
    expect(series.buckets[7]).toMatchObject({ okPerSecond: 3, throttlesPerSecond: 0, otherErrorsPerSecond: 1 });
    // Nearest-rank percentiles of the four latencies recorded in each second.
    const second = (s: number): number[] =>
      recorded
        .filter((p) => p.metric === 'http_req_duration' && new Date(p.data.time).getUTCSeconds() === s)
        .map((p) => p.data.value)
        .sort((a: number, b: number) => a - b);
    for (const s of [0, 5, 9]) {
      const values = second(s);
      expect(values).toHaveLength(4);
      expect(series.buckets[s]!.p50Ms).toBe(values[1]);
      expect(series.buckets[s]!.p95Ms).toBe(values[3]);
    }
  });

  it('reads k6 CSV output too', async () => {
    const csv = join(tmp, 'points.csv');
    writeFileSync(
      csv,
      [
        'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata',
        'http_req_duration,1700000000,120.5,,,,true,,POST,x,HTTP/1.1,main,,200,,,http://127.0.0.1/,op=a,',
        'cognito_requests,1700000000,1,,,,,,,,,main,,,,,,op=a&outcome=ok&code=,',
        'http_req_duration,1700000001,300,,,,false,,POST,x,HTTP/1.1,main,,400,,,http://127.0.0.1/,op=a,',
        'cognito_requests,1700000001,1,,,,,,,,,main,,,,,,op=a&outcome=throttle&code=TooManyRequestsException,',
      ].join('\n') + '\n',
    );
    const series = await readPoints(csv);
    expect(series.buckets.map((b) => [b.okPerSecond, b.throttlesPerSecond, b.p95Ms])).toEqual([
      [1, 0, 120.5],
      [0, 1, 300],
    ]);
  });
});

describe('HTML report', () => {
  it('is self-contained: inline SVG charts, no scripts, no external assets', async () => {
    const html = renderHtml(await readSummary(summaryPath), await readPoints(pointsPath));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('Latency over time');
    expect(html).toContain('Throughput over time');
    expect(html).toMatch(/<polyline points="[\d., ]+"/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('2 of 4 thresholds failed');
    expect(html).toContain('<th>latency p50 / p95 / p99</th><td>118.4 / 298.6 / 811.3 ms</td>');
    // load scenario: a dashed target line at 20/s
    expect(html).toContain('stroke-dasharray');
  });

  it('escapes text from the summary', () => {
    const f = parseSummary(JSON.stringify({ meta: { script: '<img src=x>' }, metrics: {} }), 's.json');
    const html = renderHtml(f, undefined);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x&gt;');
  });
});

describe('shaped scenarios (spike, stress)', () => {
  const summary = (meta: object, rate: number) =>
    parseSummary(JSON.stringify({ meta, metrics: { http_reqs: { values: { count: rate * 110, rate } } } }), 's.json');

  it('a spike at --rate 20 achieving 9.6/s is judged against the planned average, not the peak', () => {
    const text = renderTable(summary({ script: 'initiate-auth', scenario: 'spike', targetRate: 20, durationSeconds: 120 }, 9.6));
    // 30 s at 2/s, 10 s up to 20/s, 30 s at 20/s, 10 s down, 30 s at 2/s: 940 requests in 110 s.
    expect(text).toMatch(/^rate achieved \/ planned average +9\.60 \/ 8\.55 req\/s \(112% of planned average\)$/m);
    expect(text).not.toContain('% of target');
    expect(text).toMatch(/^planned peak +20\.00 req\/s$/m);
    expect(text).toMatch(/^ {2}phase 1 +30 s at 2\/s$/m);
    expect(text).toMatch(/^ {2}phase 2 +10 s ramp 2 → 20\/s$/m);
    expect(text).toMatch(/^ {2}phase 4 +10 s ramp 20 → 2\/s$/m);
  });

  it('a stress ramp shows the planned duration of each of its 8 phases', () => {
    const shape = plannedShape({ scenario: 'stress', targetRate: 10, ceiling: 40, durationSeconds: 240 })!;
    expect(shape.phases).toEqual([
      { seconds: 30, fromRate: 5, toRate: 10 },
      { seconds: 30, fromRate: 10, toRate: 10 },
      { seconds: 30, fromRate: 10, toRate: 20 },
      { seconds: 30, fromRate: 20, toRate: 20 },
      { seconds: 30, fromRate: 20, toRate: 30 },
      { seconds: 30, fromRate: 30, toRate: 30 },
      { seconds: 30, fromRate: 30, toRate: 40 },
      { seconds: 30, fromRate: 40, toRate: 40 },
    ]);
    expect(shape.peakRate).toBe(40);
  });

  it('a constant load run still compares with its target', () => {
    expect(plannedShape({ scenario: 'load', targetRate: 20, durationSeconds: 60 })).toBeUndefined();
    expect(renderTable(summary({ scenario: 'load', targetRate: 20, durationSeconds: 60 }, 19))).toContain('(95% of target)');
  });

  it.each([
    ['spike', 20, undefined, 120],
    ['spike', 7, undefined, 45],
    ['stress', 10, undefined, 300],
    ['stress', 15, 100, 90],
  ] as const)('the plan of %s at %d/s (ceiling %s, %d s) is the one the k6 scripts run', (scenario, rate, ceiling, durationSeconds) => {
    const k6 = buildScenario(scenario, { rate, durationSeconds, ceiling }) as { startRate: number; stages: Array<{ target: number; duration: string }> };
    const shape = plannedShape({ scenario, targetRate: rate, ceiling, durationSeconds })!;
    expect(shape.phases[0]!.fromRate).toBe(k6.startRate);
    expect(shape.phases.map((p) => ({ target: p.toRate, duration: `${p.seconds}s` }))).toEqual(k6.stages);
  });

  it('the HTML chart draws the plan for a shaped run', async () => {
    const f = summary({ scenario: 'spike', targetRate: 20, durationSeconds: 120 }, 9.6);
    expect(renderHtml(f, await readPoints(pointsPath))).toContain('plan');
  });
});

describe('loadtest report command', () => {
  it('prints the table, writes the HTML and exits 1 when thresholds failed', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const htmlPath = join(tmp, 'r.html');
    const code = await runLoadtestCommand(['report', summaryPath, '--points', pointsPath, '--html', htmlPath], {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      env: {},
      cwd: tmp,
    });
    expect(code).toBe(1);
    expect(out.join('')).toContain('118.4 / 298.6 / 811.3 ms');
    expect(readFileSync(htmlPath, 'utf8')).toContain('<svg ');
    expect(err.join('')).toBe('');
  });

  it('exits 2 with one line for a missing file', async () => {
    const err: string[] = [];
    const code = await runLoadtestCommand(['report', 'nope.json'], { stdout: () => {}, stderr: (s) => err.push(s), env: {}, cwd: tmp });
    expect(code).toBe(2);
    expect(err.join('')).toBe(`cognito-guard: ${join(tmp, 'nope.json')}: cannot read: no such file or directory (ENOENT)\n`);
  });
});
