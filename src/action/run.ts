import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { FailOn } from '../cli/exit-code.js';
import { summarize } from '../reporters/common.js';
import { reporters } from '../reporters/index.js';
import { SEVERITIES } from '../model/severity.js';
import { DEFAULT_CONFIG_FILES, displayPath, scan } from '../scan.js';
import { readRegularFile, writeOutputFile } from '../util/files.js';
import { InputError } from '../util/input-error.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { planAnnotations } from './annotations.js';
import { changedFiles, pullRequestOf } from './changed-files.js';
import { upsertComment } from './comment.js';
import { baselineFingerprints, gate } from './gate.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { renderSummary } from './summary.js';

/**
 * The code scanning category for the scanned paths: `cognito-guard` for the whole repository,
 * `cognito-guard/<paths>` otherwise, so two scans of different paths in one workflow do not
 * close each other's alerts. The SARIF `automationDetails.id` is the category plus `/`.
 */
export function sarifCategory(paths: readonly string[]): string {
  const normal = [...new Set(paths.map((p) => p.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '') || '.'))].sort();
  return normal.length === 1 && normal[0] === '.' ? TOOL_NAME : `${TOOL_NAME}/${normal.join('+')}`;
}

function readEvent(env: NodeJS.ProcessEnv): unknown {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    throw new InputError('GITHUB_EVENT_PATH is not a JSON event payload', file);
  }
}

/**
 * Text in the log can come from the templates (resource names, values in messages). A line of
 * it that starts with `::` would be a workflow command, so the report is printed with commands
 * stopped (GitHub's `::stop-commands::` with a one-time token).
 */
function printInert(text: string): void {
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text}${text.endsWith('\n') ? '' : '\n'}::${token}::\n`);
}

async function execute(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<0 | 1 | 2> {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workdir = resolve(workspace, inputs.workingDirectory);
  const at = (p: string): string => resolve(workdir, p);
  // lstat, not exists (as the CLI does): a config that is a broken link is an error, not absent.
  const configFile = inputs.config ? at(inputs.config) : DEFAULT_CONFIG_FILES.map(at).find((f) => lstatSync(f, { throwIfNoEntry: false }));
  const result = await scan({
    inputs: inputs.paths.map(at),
    cwd: workspace,
    parameters: inputs.params,
    parameterFiles: inputs.paramFiles.map(at),
    variables: inputs.vars,
    varFiles: inputs.varFiles.map(at),
    ...(configFile !== undefined && { configFile }),
    ruleDirs: inputs.rules.map(at),
  });
  const failOn: FailOn = inputs.failOn ?? result.config.failOn ?? 'low';

  let baseline: { file: string; fingerprints: Set<string> } | undefined;
  if (inputs.baseline) {
    const file = displayPath(workspace, at(inputs.baseline));
    // Only a regular file, as strict UTF-8: a named pipe would block the step until it times out.
    baseline = { file, fingerprints: baselineFingerprints(file, readRegularFile(at(inputs.baseline), file)) };
  }
  const event = readEvent(env);
  const pr = pullRequestOf(event);
  let changed: Set<string> | undefined;
  if (inputs.onlyChanged) {
    if (pr) changed = changedFiles(workspace, pr);
    else core.notice('only-changed applies to pull_request events; this run judges every file');
  }
  const verdict = gate(result.findings, result.diagnostics, { failOn, cwd: workspace, ...(baseline && { baseline }), ...(changed && { changedFiles: changed }) });
  const marked = { ...result, findings: verdict.findings };

  // SARIF first: the upload step runs after a failing scan and needs the file.
  const sarifPath = at(inputs.sarifFile);
  const sarifShown = displayPath(workspace, sarifPath);
  writeOutputFile(
    sarifPath,
    sarifShown,
    reporters.sarif(marked, {
      cwd: workspace,
      color: false,
      sourceText: (file) => result.sources.get(file),
      toolVersion: TOOL_VERSION,
      automationId: `${sarifCategory(inputs.paths)}/`,
      includeSuppressed: inputs.includeSuppressed,
    }),
  );

  if (inputs.format !== 'sarif') {
    printInert(reporters[inputs.format](marked, { cwd: workspace, color: false, sourceText: (file) => result.sources.get(file), toolVersion: TOOL_VERSION }));
  }
  const plan = planAnnotations(verdict.gated, result.rules, workspace, result.diagnostics);
  for (const a of plan.annotations) {
    const props: core.AnnotationProperties = { title: a.title };
    if (a.file !== undefined) props.file = a.file;
    if (a.startLine !== undefined) props.startLine = a.startLine;
    if (a.startColumn !== undefined) props.startColumn = a.startColumn;
    core[a.level](a.message, props);
  }

  const markdown = renderSummary({
    result: marked,
    gate: verdict,
    failOn,
    annotations: plan,
    onlyChanged: changed !== undefined,
    cwd: workspace,
    ...(baseline && { baselineFile: baseline.file }),
  });
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(markdown).write();
    } catch (err) {
      core.warning(`could not write the job summary: ${(err as Error).message}`);
    }
  }
  if (inputs.comment) await comment(inputs, env, pr?.number, markdown);

  const summary = summarize(marked);
  core.setOutput('sarif-file', sarifShown);
  core.setOutput('findings', summary.failed);
  core.setOutput('findings-by-severity', JSON.stringify(Object.fromEntries(SEVERITIES.map((s) => [s, summary.failedBySeverity[s]]))));
  core.setOutput('unknown', summary.unknown);
  core.setOutput('exit-code', verdict.exitCode);

  if (verdict.exitCode === 2) {
    core.setFailed(`${TOOL_NAME}: not every input could be read (${result.diagnostics.filter((d) => d.severity === 'error').length} load errors); SARIF written to ${sarifShown}`);
  } else if (verdict.exitCode === 1) {
    const what = baseline ? 'new finding' : 'finding';
    core.setFailed(`${TOOL_NAME}: ${verdict.failing.length} ${what}${verdict.failing.length === 1 ? '' : 's'} at or above ${failOn}; SARIF written to ${sarifShown}`);
  }
  return verdict.exitCode;
}

async function comment(inputs: ActionInputs, env: NodeJS.ProcessEnv, issueNumber: number | undefined, markdown: string): Promise<void> {
  const token = inputs.githubToken ?? env.GITHUB_TOKEN;
  if (issueNumber === undefined) return core.notice('comment: true applies to pull_request events; no comment written');
  if (!token || !env.GITHUB_REPOSITORY) return core.warning('comment: true needs GITHUB_TOKEN (input github-token) and GITHUB_REPOSITORY; no comment written');
  try {
    const done = await upsertComment({ apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token, repository: env.GITHUB_REPOSITORY, issueNumber }, markdown);
    core.info(`${TOOL_NAME}: pull request comment ${done.action} (${done.url ?? done.id})`);
  } catch (err) {
    // Fork pull requests and Dependabot get a read-only token: the scan result still stands.
    core.warning(`could not write the pull request comment (needs permissions: pull-requests: write): ${(err as Error).message}`);
  }
}

/**
 * The Action: reads the inputs, scans, writes SARIF, annotations, the job summary, the
 * optional comment and the outputs, and fails the step per `fail-on`. Input errors fail the
 * step with one line `cognito-guard: FILE:LINE:COL: message` and exit code 2; nothing throws.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<0 | 1 | 2> {
  let code: 0 | 1 | 2 = 2;
  try {
    const inputs = readInputs((name) => core.getInput(name));
    for (const token of [inputs.githubToken, env.GITHUB_TOKEN]) if (token) core.setSecret(token);
    code = await execute(inputs, env);
  } catch (err) {
    const message = err instanceof InputError ? err.toString() : `internal error: ${(err as Error)?.message ?? String(err)}`;
    core.setOutput('exit-code', 2);
    core.setFailed(`${TOOL_NAME}: ${message}`);
    code = 2;
  }
  process.exitCode = code;
  return code;
}
