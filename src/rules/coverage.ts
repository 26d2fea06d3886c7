import { PEERS, type Catalogue, type CatalogueRow } from './catalogue.js';
import type { RuleDefinition } from './types.js';

const SECTIONS = ['User pool', 'App client', 'Identity pool', 'IAM roles used by Cognito', 'API Gateway REST APIs', 'API Gateway HTTP and WebSocket APIs', 'Cross-resource attack paths'];

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((100 * part) / whole)}%`);

/**
 * The coverage page (`docs/coverage.md`), generated from the rules' `catalogue` and
 * `equivalents` and the catalogue index, so it cannot drift: `test/catalogue.test.ts` compares
 * the checked-in file with this output (regenerate with
 * `UPDATE_DOCS=1 npx vitest run test/catalogue.test.ts`).
 */
export function renderCoverageDoc(rules: readonly RuleDefinition[], catalogue: Catalogue): string {
  const implemented = new Set(rules.flatMap((r) => r.catalogue ?? []));
  const isDone = (row: CatalogueRow) => implemented.has(row.id);
  const out: string[] = [
    '# Coverage of the rule catalogue',
    '',
    '<!-- Generated from rules/**/*.yaml and rules/catalogue.json by src/rules/coverage.ts. Do not edit by hand:',
    '     UPDATE_DOCS=1 npx vitest run test/catalogue.test.ts -->',
    '',
    `The catalogue (\`rules/catalogue.json\`, generated from \`${catalogue.source}\`) lists ${catalogue.rows.length} checks for Cognito, the IAM roles identity pools hand out and API Gateway authorization: every check the peer tools below ship in this domain, and the ones none of them has (★). ${rules.length} rules implement ${catalogue.rows.filter(isDone).length} of them; a rule names the rows it implements in its \`catalogue\` field and each peer's own ids in \`equivalents\`.`,
    '',
    '## Per peer',
    '',
    "Checks: the peer's own check ids the catalogue gives for this domain; covered: those a cognito-guard rule lists in `equivalents`. Rows: catalogue rows the peer has a check for (some rows name the peer without an id); covered: those with a rule.",
    '',
    '| Peer | Checks | Covered | Rows | Covered |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const peer of PEERS) {
    const rows = catalogue.rows.filter((r) => r.anchors[peer.key] !== undefined);
    const checks = new Set(rows.flatMap((r) => r.anchors[peer.key] ?? []));
    const ours = new Set(rules.flatMap((r) => [r.equivalents?.[peer.key] ?? []].flat()));
    const covered = [...checks].filter((id) => ours.has(id)).length;
    const coveredRows = rows.filter(isDone).length;
    if (rows.length === 0) {
      out.push(`| ${peer.name} | 0 | — | 0 | — |`);
      continue;
    }
    out.push(`| ${peer.name} | ${checks.size} | ${covered} (${percent(covered, checks.size)}) | ${rows.length} | ${coveredRows} (${percent(coveredRows, rows.length)}) |`);
  }
  const novel = catalogue.rows.filter((r) => r.novel);
  out.push(`| ★ no peer | — | — | ${novel.length} | ${novel.filter(isDone).length} (${percent(novel.filter(isDone).length, novel.length)}) |`);
  out.push('', 'cfn_nag has no Cognito or API Gateway authorization check in the catalogue.', '', '## Per section', '', '| Section | Rows | Implemented |', '| --- | ---: | ---: |');
  SECTIONS.forEach((name, i) => {
    const rows = catalogue.rows.filter((r) => r.section === i + 1);
    out.push(`| ${i + 1}. ${name} | ${rows.length} | ${rows.filter(isDone).length} |`);
  });
  out.push('', '## Rows and rules', '', '| Row | Section | Rules |', '| --- | ---: | --- |');
  for (const row of catalogue.rows) {
    const by = rules.filter((r) => r.catalogue?.includes(row.id)).map((r) => `[\`${r.id}\`](rules.md#${r.id})`);
    out.push(`| \`${row.id}\`${row.novel ? ' ★' : ''} | ${row.section} | ${by.join(', ') || '—'} |`);
  }
  return out.join('\n') + '\n';
}
