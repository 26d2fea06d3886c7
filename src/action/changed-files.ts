import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../reporters/common.js';
import { InputError } from '../util/input-error.js';

/** The commits of a `pull_request` (or `pull_request_target`) event payload. */
export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
}

/** The pull request in a webhook event payload, or undefined for other events. */
export function pullRequestOf(event: unknown): PullRequestInfo | undefined {
  const pr = (event as { pull_request?: { number?: unknown; base?: { sha?: unknown }; head?: { sha?: unknown } } } | null)?.pull_request;
  if (!pr || typeof pr.number !== 'number' || typeof pr.base?.sha !== 'string' || typeof pr.head?.sha !== 'string') return undefined;
  return { number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha };
}

const SHA = /^[0-9a-f]{7,64}$/;

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/**
 * Files the pull request changed, as paths relative to `cwd` (the repository root): the diff
 * from the merge base of base and head to head, which is what the pull request's "Files
 * changed" tab shows. actions/checkout fetches one commit by default, so the base is usually
 * missing: that is an InputError asking for `fetch-depth: 0`, never a silent "nothing changed".
 */
export function changedFiles(cwd: string, pr: PullRequestInfo): Set<string> {
  for (const sha of [pr.baseSha, pr.headSha]) {
    if (!SHA.test(sha)) throw new InputError(`only-changed: the event's commit "${sha}" is not a commit id`);
  }
  for (const [which, sha] of [['base', pr.baseSha], ['head', pr.headSha]] as const) {
    if (git(cwd, ['cat-file', '-e', `${sha}^{commit}`]) === undefined) {
      throw new InputError(
        `only-changed: the pull request's ${which} commit ${sha.slice(0, 12)} is not in the checkout; ` +
          'check out the full history (actions/checkout with fetch-depth: 0) so the changed files can be listed',
      );
    }
  }
  const top = git(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  const diff = git(cwd, ['diff', '--name-only', '-z', '--no-renames', `${pr.baseSha}...${pr.headSha}`]);
  if (top === undefined || diff === undefined) {
    throw new InputError(
      'only-changed: git could not diff the pull request (no merge base in the checkout?); use actions/checkout with fetch-depth: 0',
    );
  }
  const root = realpathSync(cwd);
  const repo = realpathSync(top);
  return new Set(
    diff
      .split('\0')
      .filter((name) => name !== '')
      .map((name) => displayPath(join(repo, name), root)),
  );
}
