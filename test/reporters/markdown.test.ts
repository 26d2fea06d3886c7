import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { MARKDOWN_LIMIT, reporters } from '../../src/reporters/index.js';
import { codeSpan, escapeMarkdown, renderMarkdown } from '../../src/reporters/markdown.js';
import { cleanResult, context, fullResult } from './fixtures.js';

/** Cells of a table row, split on pipes that are not escaped (as GitHub does). */
const cells = (row: string): string[] => row.slice(2, -2).split(/(?<!\\)\|/).map((c) => c.trim());

describe('markdown reporter', () => {
  it('renders summary, findings, unknowns, suppressed, diagnostics and remediation', async () => {
    await expect(reporters.markdown(fullResult(), context())).toMatchFileSnapshot('./__snapshots__/full.md');
    await expect(reporters.markdown(cleanResult(), context())).toMatchFileSnapshot('./__snapshots__/clean.md');
  });

  it('escapes pipes so every table row keeps its columns', () => {
    const out = reporters.markdown(fullResult(), context());
    const rows = out.split('\n').filter((l) => l.startsWith('| **'));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows.filter((r) => !/\| \d+ \|$/.test(r))) expect(cells(row)).toHaveLength(5);
    expect(out).toContain('| Web\\|Client |');
    expect(out).toContain('http://a.example.com/cb\\|x');
    expect(out).toContain('Legacy app \\| accepted by security team');
  });

  it('marks unknowns in their own section', () => {
    const out = reporters.markdown(fullResult(), context());
    const section = out.slice(out.indexOf('### Could not evaluate'));
    expect(section).toMatch(/\| \*\*MEDIUM\*\* \| `cognito-user-pool-mfa-required` \| UserPool \| `app\/template\.yaml:3` \| UNKNOWN: Could not evaluate: mfaConfiguration comes from parameter MfaMode/);
  });

  it('escapes Markdown and HTML from the inputs', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> *bold* [x](y)\nz')).toBe('\\<img src=x onerror=alert(1)\\> \\*bold\\* \\[x\\](y) z');
    expect(codeSpan('a`b|c')).toBe('``a`b\\|c``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    const result = fullResult();
    result.rules[0]!.title = 'Guest <role> & "friends" can_not write';
    expect(reporters.markdown(result, context())).toContain(
      '<summary><code>cognito-guest-role-read-only</code>: Guest &lt;role&gt; &amp; &quot;friends&quot; can_not write</summary>',
    );
  });

  it(`stays under ${MARKDOWN_LIMIT} characters and says what it left out`, () => {
    const result = fullResult();
    const base = result.findings[0]!;
    result.findings = Array.from({ length: 3000 }, (_, i): Finding => ({
      ...base,
      message: `Finding number ${i} with a reasonably long message to fill the table quickly.`,
      fingerprint: String(i),
    }));
    const out = reporters.markdown(result, context());
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const shown = out.split('\n').filter((l) => l.startsWith('| **CRITICAL** | `')).length;
    expect(shown).toBeGreaterThan(100);
    expect(out).toContain(`> **Truncated** to fit 65,000 characters: ${3000 - shown} findings, 2 diagnostics, 1 remediation note not shown.`);

    const small = renderMarkdown(fullResult(), context(), 1800);
    expect(small.length).toBeLessThanOrEqual(1800);
    expect(small).toMatch(/> \*\*Truncated\*\* to fit 1,800 characters: .*not shown/);
  });
});
