/** The Action's pure parts: inputs, annotations, the gate, baselines from SARIF, the category. */
import { describe, expect, it } from 'vitest';
import { planAnnotations } from '../../src/action/annotations.js';
import { baselineFingerprints, gate } from '../../src/action/gate.js';
import { readInputs, type ActionInputName } from '../../src/action/inputs.js';
import { sarifCategory } from '../../src/action/run.js';
import type { Finding } from '../../src/model/finding.js';
import { InputError } from '../../src/util/input-error.js';

const CWD = '/repo';

function finding(n: number, severity: Finding['severity'], file: string | null = 'infra/t.yaml'): Finding {
  return {
    ruleId: `rule-${severity}`,
    status: 'fail',
    severity,
    message: `problem ${n}`,
    resource: { kind: 'cognito.userPool', id: `Pool${n}`, name: `Pool${n}` },
    location: file ? { kind: 'cloudformation', file, line: n, column: 3 } : { kind: 'live' },
    evidence: [],
    fingerprint: n.toString(16).padStart(16, '0'),
  };
}

const inputs = (values: Partial<Record<ActionInputName, string>>) => readInputs((name) => values[name] ?? '');
const thrown = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).toString();
  }
  throw new Error('did not throw');
};

describe('readInputs', () => {
  it('with nothing set applies the action.yml defaults', () => {
    expect(inputs({})).toEqual({
      paths: ['.'],
      format: 'text',
      sarifFile: 'cognito-guard.sarif',
      rules: [],
      params: {},
      paramFiles: [],
      vars: {},
      varFiles: [],
      onlyChanged: false,
      includeSuppressed: false,
      workingDirectory: '.',
      comment: false,
    });
  });

  it('multi-line path and params become lists and a map', () => {
    const got = inputs({ path: 'a.yaml\n\n  b/ \n', params: 'Stage=prod\nUrl=https://x/?a=b' });
    expect(got.paths).toEqual(['a.yaml', 'b/']);
    expect(got.params).toEqual({ Stage: 'prod', Url: 'https://x/?a=b' });
  });

  it('multi-line vars and var-files become a map and a list', () => {
    const got = inputs({ vars: 'stage=prod\n\nmfa=ON', 'var-files': 'prod.tfvars\n  shared.tfvars.json ' });
    expect(got.vars).toEqual({ stage: 'prod', mfa: 'ON' });
    expect(got.varFiles).toEqual(['prod.tfvars', 'shared.tfvars.json']);
  });

  it('a vars line without = names the input', () => {
    expect(thrown(() => inputs({ vars: 'stage' }))).toBe('input vars must be KEY=VALUE (got "stage")');
  });

  it('a params line without = names the input', () => {
    expect(thrown(() => inputs({ params: 'Stage' }))).toBe('input params must be KEY=VALUE (got "Stage")');
  });

  it('only-changed: yes is not a YAML boolean', () => {
    expect(thrown(() => inputs({ 'only-changed': 'yes' }))).toBe('input only-changed must be true or false (got "yes")');
  });

  it('format: html is rejected', () => {
    expect(thrown(() => inputs({ format: 'html' }))).toBe('input format must be one of: text, json, sarif, markdown (got "html")');
  });
});

describe('planAnnotations', () => {
  it('12 high, 11 medium and 3 low findings: 10 errors and 10 warnings shown worst first, 2 and 1 counted', () => {
    const findings = [
      ...Array.from({ length: 3 }, (_, i) => finding(100 + i, 'low')),
      ...Array.from({ length: 11 }, (_, i) => finding(200 + i, 'medium')),
      ...Array.from({ length: 12 }, (_, i) => finding(300 + i, 'high')),
    ];
    const plan = planAnnotations(findings, [], CWD);
    expect(plan.annotations.map((a) => a.level)).toEqual([...Array(10).fill('error'), ...Array(10).fill('warning'), ...Array(3).fill('notice')]);
    expect(plan.omitted).toEqual({ error: 2, warning: 1, notice: 0 });
    expect(plan.annotations[0]).toEqual({ level: 'error', title: 'rule-high: rule-high', message: '[high] problem 300 (Pool300)', file: 'infra/t.yaml', startLine: 300, startColumn: 3 });
  });

  it('load diagnostics take the slots findings left: 9 high findings and 3 error diagnostics give 10 errors, 2 counted', () => {
    const findings = Array.from({ length: 9 }, (_, i) => finding(i + 1, 'high'));
    const diagnostics = Array.from({ length: 3 }, (_, i) => ({ severity: 'error' as const, code: 'parse', message: `bad ${i}`, file: '/repo/x.yaml', line: i + 1 }));
    const plan = planAnnotations(findings, [], CWD, diagnostics);
    expect(plan.annotations).toHaveLength(10);
    expect(plan.annotations[9]).toEqual({ level: 'error', title: 'cognito-guard: parse', message: 'bad 0', file: 'x.yaml', startLine: 1 });
    expect(plan.omitted.error).toBe(2);
  });

  it('a finding in a file outside the workspace is annotated without a file', () => {
    const [a] = planAnnotations([finding(1, 'high', '/elsewhere/t.yaml')], [], CWD).annotations;
    expect(a!.file).toBeUndefined();
    expect(a!.startLine).toBeUndefined();
  });
});

describe('gate', () => {
  const findings = [finding(1, 'high'), finding(2, 'medium', 'infra/other.yaml'), finding(3, 'low', null)];

  it('baseline matches are marked suppressed (not removed) and do not fail', () => {
    const g = gate(findings, [], { failOn: 'low', cwd: CWD, baseline: { file: 'b.json', fingerprints: new Set([findings[0]!.fingerprint, findings[2]!.fingerprint]) } });
    expect(g.findings).toHaveLength(3);
    expect(g.findings[0]!.suppression).toEqual({ kind: 'baseline', justification: 'accepted in baseline b.json' });
    expect(g.failing.map((f) => f.message)).toEqual(['problem 2']);
    expect(g.inBaseline).toBe(2);
    expect(g.exitCode).toBe(1);
  });

  it('only-changed leaves out findings in unchanged files but always judges a finding with no file', () => {
    const g = gate(findings, [], { failOn: 'high', cwd: CWD, changedFiles: new Set(['infra/other.yaml']) });
    expect(g.gated.map((f) => f.message)).toEqual(['problem 2', 'problem 3']);
    expect(g.unchangedFiles).toBe(1);
    expect(g.exitCode).toBe(0);
  });

  it('an error diagnostic is exit 2 even with fail-on none', () => {
    expect(gate([], [{ severity: 'error', code: 'x', message: 'm' }], { failOn: 'none', cwd: CWD }).exitCode).toBe(2);
  });
});

describe('baselineFingerprints', () => {
  it('reads cognitoGuard/v1 fingerprints from a SARIF log', () => {
    const sarif = JSON.stringify({ version: '2.1.0', runs: [{ results: [{ partialFingerprints: { 'cognitoGuard/v1': 'ab'.repeat(16) } }] }] });
    expect([...baselineFingerprints('prev.sarif', sarif)]).toEqual(['ab'.repeat(16)]);
  });

  it('a SARIF result without our fingerprint is an error at its line', () => {
    const sarif = '{\n  "runs": [\n    { "results": [\n      { "ruleId": "x" }\n    ] }\n  ]\n}\n';
    expect(thrown(() => baselineFingerprints('prev.sarif', sarif))).toBe(
      'prev.sarif:4:7: invalid baseline SARIF: result has no partialFingerprints."cognitoGuard/v1" (is this cognito-guard SARIF?)',
    );
  });
});

describe('sarifCategory', () => {
  it('is cognito-guard for the whole repository and names sorted paths otherwise', () => {
    expect(sarifCategory(['.'])).toBe('cognito-guard');
    expect(sarifCategory(['./'])).toBe('cognito-guard');
    expect(sarifCategory(['templates/b.yaml', './infra/'])).toBe('cognito-guard/infra+templates/b.yaml');
  });
});
