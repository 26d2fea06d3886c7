import { COMMENT_MARKER } from './summary.js';

/** Where and as whom to comment. */
export interface CommentTarget {
  /** `GITHUB_API_URL`, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl: string;
  token: string;
  /** `owner/name` (`GITHUB_REPOSITORY`). */
  repository: string;
  issueNumber: number;
}

/** What happened to the sticky comment. */
export type CommentOutcome = { action: 'created' | 'updated'; id: number; url?: string };

/** GitHub's limit on a comment body. */
export const COMMENT_LIMIT = 65_536;

/**
 * Creates the sticky comment, or updates the one that carries {@link COMMENT_MARKER}, so each
 * push edits one comment instead of adding another. Throws on any HTTP error; the caller turns
 * that into a warning (fork pull requests get a read-only token: "Resource not accessible by
 * integration").
 */
export async function upsertComment(target: CommentTarget, markdown: string, fetchImpl: typeof fetch = fetch): Promise<CommentOutcome> {
  const base = target.apiUrl.replace(/\/+$/, '');
  const [owner, repo] = target.repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY must be owner/name (got "${target.repository}")`);
  const repoUrl = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${target.token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'Content-Type': 'application/json',
    'User-Agent': 'cognito-guard-action',
  };
  const call = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const res = await fetchImpl(url, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    if (!res.ok) {
      const text = (await res.text()).slice(0, 300);
      throw new Error(`${method} ${new URL(url).pathname} answered ${res.status}: ${text}`);
    }
    return res.json();
  };
  const body = `${COMMENT_MARKER}\n${markdown}`.slice(0, COMMENT_LIMIT);
  let existing: { id: number } | undefined;
  for (let page = 1; page <= 30 && !existing; page++) {
    const list = (await call('GET', `${repoUrl}/issues/${target.issueNumber}/comments?per_page=100&page=${page}`)) as Array<{ id: number; body?: string }>;
    if (!Array.isArray(list)) throw new Error('listing comments did not return a list');
    existing = list.find((c) => typeof c.body === 'string' && c.body.startsWith(COMMENT_MARKER));
    if (list.length < 100) break;
  }
  if (existing) {
    const updated = (await call('PATCH', `${repoUrl}/issues/comments/${existing.id}`, { body })) as { id: number; html_url?: string };
    return { action: 'updated', id: updated.id, ...(updated.html_url && { url: updated.html_url }) };
  }
  const created = (await call('POST', `${repoUrl}/issues/${target.issueNumber}/comments`, { body })) as { id: number; html_url?: string };
  return { action: 'created', id: created.id, ...(created.html_url && { url: created.html_url }) };
}
