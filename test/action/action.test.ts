/**
 * The bundled Action (dist/action.js) run as the GitHub runner runs it: INPUT_* variables, a
 * pull_request event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a git repository
 * with base and head commits.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateSarif } from '../helpers/sarif.js';
import { fixtureRepo, INSECURE, pullRequestEvent, root, runAction } from './helpers.js';

interface SarifLog {
  runs: Array<{ automationDetails: { id: string }; results: Array<{ ruleId: string; message: { text: string }; partialFingerprints: Record<string, string> }> }>;
}
const readSarif = (file: string): SarifLog => JSON.parse(readFileSync(file, 'utf8')) as SarifLog;

/** The insecure example committed as the base; returns the repo and its base commit. */
function insecureRepo() {
  const repo = fixtureRepo();
  repo.write('infra/template.yaml', INSECURE);
  repo.write('README.md', 'app\n');
  const base = repo.commit('base');
  return { repo, base };
}

/** Ten comment lines above `Parameters:` move every resource down ten lines. */
const moveDownTen = (text: string): string => text.replace('\nParameters:\n', `\n${'# moved\n'.repeat(10)}Parameters:\n`);
const ADDED_ROUTE = `
  AdminUsersRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref EventsApi
      RouteKey: GET /admin/users
      AuthorizationType: NONE
`;

describe('the bundled action on a pull request', () => {
  it('annotates worst first within the limits, writes the summary, the outputs and valid SARIF, and fails on fail-on low', async () => {
    const { repo, base } = insecureRepo();
    repo.write('README.md', 'app, changed\n');
    const head = repo.commit('head');
    const res = await runAction(repo.dir, { path: 'infra' }, { event: pullRequestEvent(base, head) });

    expect(res.code).toBe(1);
    expect(res.stderr).toBe('');
    // 22 critical and high (error) findings: 10 annotated, 12 counted in the summary; 23 medium warnings: 10 annotated; 14 low notices: 10 annotated.
    const levels = res.annotations.map((a) => a.slice(2, a.indexOf(' ')));
    expect(levels.filter((l) => l === 'error')).toHaveLength(10);
    expect(levels.filter((l) => l === 'warning')).toHaveLength(10);
    expect(levels.filter((l) => l === 'notice')).toHaveLength(10);
    expect(levels.indexOf('warning')).toBeGreaterThan(levels.lastIndexOf('error'));
    expect(res.annotations).toContain(
      '::error title=apigatewayv2-route-authorization%3A HTTP API routes require authorization,file=infra/template.yaml,line=255,col=7::[high] Route AdminStatsRoute has authorization type NONE: anyone can call it (AdminStatsRoute)',
    );
    expect(res.stdout).toMatch(/^::error::cognito-guard: 59 findings at or above low; SARIF written to cognito-guard\.sarif$/m);

    expect(res.summary).toContain('### Gate: failed: 59 findings at or above `low`');
    expect(res.summary).toContain('| Severity | Open (failed or unknown) | Judged by the gate |');
    expect(res.summary).toContain('| critical | 2 | 2 |');
    expect(res.summary).toContain('| high | 20 | 20 |');
    // The text report (values from the template) is printed with workflow commands stopped.
    const report = /^::stop-commands::([0-9a-f-]{36})\n([\s\S]*?)^::\1::$/m.exec(res.stdout);
    expect(report?.[2]).toContain('AdminStatsRoute');
    expect(res.summary).toContain('29 annotations left out (GitHub shows 10 per level: 12 error, 13 warning, 4 notice)');
    expect(res.summary).toContain(
      '[`apigatewayv2-route-authorization`](https://github.com/cognito-guard/cognito-guard/blob/v0.1.0/docs/rules.md#apigatewayv2-route-authorization)',
    );
    expect(res.summary).toContain('### Could not evaluate (unknown)');

    expect(res.outputs).toEqual({
      'sarif-file': 'cognito-guard.sarif',
      findings: '58',
      'findings-by-severity': '{"critical":2,"high":19,"medium":23,"low":14,"info":0}',
      unknown: '1',
      'exit-code': '1',
    });
    const declared = Object.keys((parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { outputs: object }).outputs).sort();
    expect(Object.keys(res.outputs).sort()).toEqual(declared);

    const log = readSarif(join(repo.dir, 'cognito-guard.sarif'));
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs[0]!.automationDetails.id).toBe('cognito-guard/infra/');
    expect(log.runs[0]!.results).toHaveLength(59);
  });

  it.each([
    ['critical', 1],
    ['high', 1],
    ['medium', 1],
    ['low', 1],
    ['info', 1],
    ['none', 0],
  ])('fail-on %s exits %i and still writes the SARIF', async (failOn, code) => {
    const { repo } = insecureRepo();
    const res = await runAction(repo.dir, { path: 'infra/template.yaml', 'fail-on': failOn, 'sarif-file': 'out/scan.sarif' });
    expect(res.code).toBe(code);
    expect(res.outputs['exit-code']).toBe(String(code));
    expect(res.outputs['sarif-file']).toBe('out/scan.sarif');
    expect(readSarif(join(repo.dir, 'out/scan.sarif')).runs[0]!.results).toHaveLength(59);
  });

  it('a suppressed finding is left out of the SARIF unless include-suppressed is true', async () => {
    const { repo } = insecureRepo();
    repo.write(
      '.cognito-guard.yml',
      'suppressions:\n  - rule: apigatewayv2-route-authorization\n    resource: AdminStatsRoute\n    reason: public stats by design\n    expires: "2999-01-01"\n',
    );
    const res = await runAction(repo.dir, { path: 'infra' });
    const ids = (file: string) => readSarif(join(repo.dir, file)).runs[0]!.results.map((r) => r.ruleId);
    expect(ids('cognito-guard.sarif')).not.toContain('apigatewayv2-route-authorization');
    expect(res.summary).toMatch(/public stats by design \(config, expires 2999-01-01\)/);
    await runAction(repo.dir, { path: 'infra', 'include-suppressed': 'true', 'sarif-file': 'all.sarif' });
    expect(ids('all.sarif')).toContain('apigatewayv2-route-authorization');
  });

  it('a baseline SARIF from the base commit: after adding one misconfiguration and moving the rest down ten lines, exactly one new finding fails', async () => {
    const { repo, base } = insecureRepo();
    const first = await runAction(repo.dir, { path: 'infra', 'sarif-file': 'baseline.sarif', 'fail-on': 'none' });
    expect(first.code).toBe(0);
    repo.write('infra/template.yaml', moveDownTen(INSECURE) + ADDED_ROUTE);
    const head = repo.commit('head');
    const res = await runAction(repo.dir, { path: 'infra', baseline: 'baseline.sarif' }, { event: pullRequestEvent(base, head) });

    expect(res.code).toBe(1);
    expect(res.annotations).toEqual([
      '::error title=apigatewayv2-route-authorization%3A HTTP API routes require authorization,file=infra/template.yaml,line=272,col=7::[high] Route AdminUsersRoute has authorization type NONE: anyone can call it (AdminUsersRoute)',
    ]);
    expect(res.stdout).toMatch(/^::error::cognito-guard: 1 new finding at or above low; /m);
    expect(res.outputs.findings).toBe('1');
    expect(res.summary).toContain('59 findings matched the baseline');
    // Baseline matches are suppressed, so they stay out of the uploaded SARIF.
    expect(readSarif(join(repo.dir, 'cognito-guard.sarif')).runs[0]!.results.map((r) => r.message.text)).toEqual([
      'Route AdminUsersRoute has authorization type NONE: anyone can call it.',
    ]);
  });

  it('a baseline file written by the CLI works the same way', async () => {
    const { repo, base } = insecureRepo();
    const cli = spawnSync(process.execPath, [join(root, 'dist/cli/bin.js'), 'scan', 'infra', '--write-baseline', 'baseline.json', '--fail-on', 'none'], {
      cwd: repo.dir,
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    repo.write('infra/template.yaml', moveDownTen(INSECURE) + ADDED_ROUTE);
    const head = repo.commit('head');
    const res = await runAction(repo.dir, { path: 'infra', baseline: 'baseline.json' }, { event: pullRequestEvent(base, head) });
    expect(res.code).toBe(1);
    expect(res.annotations).toHaveLength(1);
    expect(res.outputs.findings).toBe('1');
  });

  it('working-directory: infra finds infra/.cognito-guard.yml and writes infra/cognito-guard.sarif; paths stay repo-relative', async () => {
    const { repo } = insecureRepo();
    repo.write('infra/.cognito-guard.yml', 'failOn: none\n');
    const res = await runAction(repo.dir, { 'working-directory': 'infra', path: 'template.yaml' });
    expect(res.code).toBe(0);
    expect(res.outputs['sarif-file']).toBe('infra/cognito-guard.sarif');
    expect(res.annotations[0]).toContain(',file=infra/template.yaml,line=');
    const log = JSON.parse(readFileSync(join(repo.dir, 'infra/cognito-guard.sarif'), 'utf8')) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    expect(new Set(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['infra/template.yaml']));
  });

  it('only-changed judges only files the pull request changed', async () => {
    const { repo, base } = insecureRepo();
    repo.write('infra/other.yaml', 'Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: x\n      RouteKey: GET /x\n      AuthorizationType: NONE\n');
    const head = repo.commit('add other');
    const res = await runAction(repo.dir, { path: 'infra', 'only-changed': 'true' }, { event: pullRequestEvent(base, head) });
    expect(res.code).toBe(1);
    expect(res.annotations).toHaveLength(1);
    expect(res.annotations[0]).toContain('file=infra/other.yaml,line=');
    expect(res.summary).toContain('59 open findings in unchanged files not judged');
  });

  it('only-changed with the base commit missing from a shallow checkout fails with a fetch-depth: 0 message and exit 2', async () => {
    const { repo } = insecureRepo();
    const head = repo.git('rev-parse', 'HEAD').trim();
    const missing = 'a'.repeat(40);
    const res = await runAction(repo.dir, { path: 'infra', 'only-changed': 'true' }, { event: pullRequestEvent(missing, head) });
    expect(res.code).toBe(2);
    expect(res.stdout).toContain(
      `::error::cognito-guard: only-changed: the pull request's base commit ${missing.slice(0, 12)} is not in the checkout; check out the full history (actions/checkout with fetch-depth: 0) so the changed files can be listed\n`,
    );
    expect(res.outputs['exit-code']).toBe('2');
  });

  it('a template that does not parse fails with one line FILE:LINE:COL, exit 2, no stack trace', async () => {
    const { repo } = insecureRepo();
    repo.write('infra/broken.yaml', 'Resources:\n  A:\n    Type: [unclosed\n');
    const res = await runAction(repo.dir, { path: 'infra' });
    expect(res.code).toBe(2);
    const failure = res.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatch(/^::error::cognito-guard: infra\/broken\.yaml:\d+:\d+: /);
    expect(res.stdout + res.stderr).not.toMatch(/\n\s+at /);
  });

  it('fail-on: urgent is an input error naming the input', async () => {
    const { repo } = insecureRepo();
    const res = await runAction(repo.dir, { path: 'infra', 'fail-on': 'urgent' });
    expect(res.code).toBe(2);
    expect(res.stdout).toContain('::error::cognito-guard: input fail-on must be one of: critical, high, medium, low, info, none (got "urgent")\n');
  });

  it('a template with AWS managed policies gives the same SARIF results from the bundle (trimmed IAM data) as from the CLI', async () => {
    const repo = fixtureRepo();
    repo.write(
      'guest.yaml',
      `Resources:
  Pool:
    Type: AWS::Cognito::IdentityPool
    Properties:
      AllowUnauthenticatedIdentities: true
  Attach:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: !Ref Pool
      Roles:
        unauthenticated: !GetAtt Guest.Arn
  Guest:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Federated: cognito-identity.amazonaws.com }
            Action: sts:AssumeRoleWithWebIdentity
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonS3FullAccess
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [cognito-idp:Admin*, s3:Get*, "dynamodb:?etItem", notaservice:Foo]
                Resource: "*"
`,
    );
    const res = await runAction(repo.dir, { path: 'guest.yaml', 'fail-on': 'none' });
    expect(res.code).toBe(0);
    const cli = spawnSync(process.execPath, [join(root, 'dist/cli/bin.js'), 'scan', 'guest.yaml', '--format', 'sarif', '--output', 'cli.sarif', '--fail-on', 'none'], {
      cwd: repo.dir,
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    const action = readSarif(join(repo.dir, 'cognito-guard.sarif')).runs[0]!.results;
    expect(action.length).toBeGreaterThan(3);
    expect(action).toEqual(readSarif(join(repo.dir, 'cli.sarif')).runs[0]!.results);
  });

  it('comment: true creates the sticky comment on the first run and updates it on the second', async () => {
    const { repo, base } = insecureRepo();
    repo.write('README.md', 'changed\n');
    const head = repo.commit('head');
    const comments: Array<{ id: number; body: string }> = [];
    const calls: string[] = [];
    const body = async (req: IncomingMessage) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      return JSON.parse(text) as { body: string };
    };
    const server = createServer(async (req, res) => {
      calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.startsWith('/repos/octo/app/issues/7/comments?')) {
        res.end(JSON.stringify([{ id: 1, body: 'someone else' }, ...comments]));
      } else if (req.method === 'POST' && req.url === '/repos/octo/app/issues/7/comments') {
        const c = { id: 42, body: (await body(req)).body };
        comments.push(c);
        res.statusCode = 201;
        res.end(JSON.stringify(c));
      } else if (req.method === 'PATCH' && req.url === '/repos/octo/app/issues/comments/42') {
        comments[0]!.body = (await body(req)).body;
        res.end(JSON.stringify(comments[0]));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { GITHUB_API_URL: apiUrl, GITHUB_TOKEN: 'ghs_testtoken' };
      const first = await runAction(repo.dir, { path: 'infra', comment: 'true' }, { event: pullRequestEvent(base, head), env });
      expect(first.stdout).toContain('pull request comment created (42)');
      repo.write('infra/template.yaml', INSECURE + ADDED_ROUTE);
      await runAction(repo.dir, { path: 'infra', comment: 'true' }, { event: pullRequestEvent(base, repo.commit('again')), env });
      expect(calls.map((c) => c.replace(/\?.*? /, ' '))).toEqual([
        'GET /repos/octo/app/issues/7/comments Bearer ghs_testtoken',
        'POST /repos/octo/app/issues/7/comments Bearer ghs_testtoken',
        'GET /repos/octo/app/issues/7/comments Bearer ghs_testtoken',
        'PATCH /repos/octo/app/issues/comments/42 Bearer ghs_testtoken',
      ]);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toMatch(/^<!-- cognito-guard:sticky-comment -->\n## cognito-guard\n/);
      expect(comments[0]!.body).toContain('AdminUsersRoute');
      // The runner consumes ::add-mask:: and masks the token in the rest of the log.
      expect(first.stdout.startsWith('::add-mask::ghs_testtoken\n')).toBe(true);
      expect(first.stdout.slice('::add-mask::ghs_testtoken\n'.length)).not.toContain('ghs_testtoken');
    } finally {
      server.close();
    }
  });

  it('a comment the API refuses (fork pull request, read-only token) is a warning; the scan result stands', async () => {
    const { repo, base } = insecureRepo();
    const server = createServer((_req, res) => {
      res.statusCode = 403;
      res.end('{"message":"Resource not accessible by integration"}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const env = { GITHUB_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, GITHUB_TOKEN: 't' };
      const res = await runAction(repo.dir, { path: 'infra', comment: 'true', 'fail-on': 'none' }, { event: pullRequestEvent(base, base), env });
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^::warning::could not write the pull request comment \(needs permissions: pull-requests: write\): GET .* answered 403: .*Resource not accessible by integration/m);
    } finally {
      server.close();
    }
  });
});
