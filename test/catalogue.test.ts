import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PEERS, loadCatalogue, type CatalogueRow, type PeerKey } from '../src/rules/catalogue.js';
import { renderCoverageDoc } from '../src/rules/coverage.js';
import { loadRules } from '../src/rules/load.js';
import type { RuleDefinition } from '../src/rules/types.js';
import { CATALOGUE_JSON, CATALOGUE_MD, generateCatalogue, parseAnchors } from './helpers/catalogue.js';
import { NOT_IMPLEMENTED, parseNotImplemented } from './helpers/not-implemented.js';

/**
 * Issue 10's acceptance meta-test: every row of the rule catalogue (sections 1–7 of
 * reference/rule-catalogue.md, indexed in rules/catalogue.json) has a rule that names it in
 * `catalogue`, or an entry in rules/NOT-IMPLEMENTED.md with the reason; a row with neither fails.
 */
const COVERAGE = 'docs/coverage.md';

const catalogue = loadCatalogue();
const rules = await loadRules();
const notImplemented = parseNotImplemented(readFileSync(NOT_IMPLEMENTED, 'utf8'));
const rowsById = new Map(catalogue.rows.map((r) => [r.id, r]));
const CODED = PEERS.filter((p) => p.code !== undefined).map((p) => p.key);
const idsOf = (rule: RuleDefinition, peer: PeerKey): string[] => [rule.equivalents?.[peer] ?? []].flat();

describe('catalogue index', () => {
  it(`${CATALOGUE_JSON} is generated from the catalogue's tables`, () => {
    expect(existsSync(CATALOGUE_MD), `${CATALOGUE_MD} is missing`).toBe(true);
    const generated = JSON.stringify(generateCatalogue(), null, 2) + '\n';
    if (process.env.UPDATE_DOCS === '1') writeFileSync(CATALOGUE_JSON, generated);
    expect(readFileSync(CATALOGUE_JSON, 'utf8'), `${CATALOGUE_JSON} is out of date; regenerate with: UPDATE_DOCS=1 npx vitest run test/catalogue.test.ts`).toBe(generated);
  });

  it('indexes the 117 rows of sections 1–7, each id once', () => {
    expect(catalogue.rows).toHaveLength(117);
    expect(new Set(catalogue.rows.map((r) => r.id)).size).toBe(117);
    expect([...new Set(catalogue.rows.map((r) => r.section))]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reads an Anchors cell into each peer’s ids, leaving out asides, offensive sources and AWS Config', () => {
    expect(
      parseAnchors(
        'PRW `cognito_user_pool_mfa_enabled` (medium; only `ON` passes); NAG `AwsSolutions-COG2` (WARN); SH `Cognito.3` / CFG `cognito-user-pool-password-policy-check`; SP; NAG COG1; PACU `cognito__enum`',
      ),
    ).toEqual({ prowler: ['cognito_user_pool_mfa_enabled'], cdkNag: ['AwsSolutions-COG2', 'AwsSolutions-COG1'], securityHub: ['Cognito.3'], steampipe: [] });
    expect(parseAnchors('CKV `CKV_OPENAPI_1`, `_4` (security defined), `_8`/`_10`')).toEqual({ checkov: ['CKV_OPENAPI_1', 'CKV_OPENAPI_4', 'CKV_OPENAPI_8', 'CKV_OPENAPI_10'] });
  });

  it('marks review and inventory rows', () => {
    expect(rowsById.get('upc-custom-auth-review')?.category).toBe('review');
    expect(rowsById.get('cir-cognito-admin-principals')?.category).toBe('inventory');
    expect(rowsById.get('up-mfa-required')?.category).toBeUndefined();
  });
});

/** What is wrong with the rules that implement a row (empty when they are consistent). */
function inconsistencies(row: CatalogueRow, implementing: RuleDefinition[]): string[] {
  const problems: string[] = [];
  for (const peer of CODED) {
    const covered = new Set(implementing.flatMap((r) => idsOf(r, peer)));
    for (const id of row.anchors[peer] ?? []) if (!covered.has(id)) problems.push(`no rule lists ${peer} ${id} in equivalents`);
  }
  for (const rule of implementing) {
    // Every id a rule claims for a peer is one the catalogue gives for one of the rule's rows.
    for (const peer of CODED) {
      const listed = new Set((rule.catalogue ?? []).flatMap((id) => rowsById.get(id)?.anchors[peer] ?? []));
      for (const id of idsOf(rule, peer)) if (!listed.has(id)) problems.push(`${rule.id}: ${peer} ${id} is not an anchor of its rows`);
    }
    if (row.category && (rule.category !== row.category || rule.severity !== 'info')) {
      problems.push(`${rule.id}: a ${row.category} row needs category ${row.category} and severity info`);
    }
  }
  return problems;
}

describe('every catalogue row (sections 1–7) has a rule or a reason', () => {
  for (const row of catalogue.rows) {
    const implementing = rules.filter((r) => r.catalogue?.includes(row.id));
    const reason = notImplemented.get(row.id);
    if (implementing.length > 0) {
      it(`${row.id} is implemented by ${implementing.map((r) => r.id).join(', ')}, with consistent metadata`, () => {
        expect(reason, `${row.id} has a rule and an entry in ${NOT_IMPLEMENTED}`).toBeUndefined();
        expect(inconsistencies(row, implementing)).toEqual([]);
      });
    } else if (reason !== undefined) {
      it(`${row.id} is not implemented: ${reason}`, () => expect(reason.length).toBeGreaterThan(0));
    } else {
      it(`${row.id} ${row.title}`, () => expect.fail(`${row.id} has no rule (catalogue: [${row.id}]) and no entry in ${NOT_IMPLEMENTED}`));
    }
  }
});

describe('rule metadata for the catalogue', () => {
  it.each(rules.map((r) => [r.id, r] as const))('%s names only catalogue rows', (_id, rule) => {
    expect((rule.catalogue ?? []).filter((id) => !rowsById.has(id))).toEqual([]);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s has a fix for CloudFormation, Terraform and the AWS CLI', (_id, rule) => {
    expect(rule.remediation?.cloudformation?.trim(), 'remediation.cloudformation').toBeTruthy();
    expect(rule.remediation?.terraform?.trim(), 'remediation.terraform').toBeTruthy();
    expect(rule.remediation?.cli?.trim(), 'remediation.cli').toBeTruthy();
  });

  it(`${NOT_IMPLEMENTED} entries: a row with its reason; no reason or a row named twice is an error`, () => {
    expect([...parseNotImplemented('# T\n\n- `up-x`: needs data no source provides\n').entries()]).toEqual([['up-x', 'needs data no source provides']]);
    expect(() => parseNotImplemented('- `up-x`:\n')).toThrow('NOT-IMPLEMENTED.md: up-x has no reason');
    expect(() => parseNotImplemented('- `up-x`: a\n- `up-x`: b\n')).toThrow('NOT-IMPLEMENTED.md: up-x is listed twice');
  });

  it(`${NOT_IMPLEMENTED} names only catalogue rows`, () => {
    expect([...notImplemented.keys()].filter((id) => !rowsById.has(id))).toEqual([]);
  });
});

describe(COVERAGE, () => {
  it('is generated from the rules and the catalogue index', () => {
    const rendered = renderCoverageDoc(rules, catalogue);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(COVERAGE, rendered);
    expect(existsSync(COVERAGE) ? readFileSync(COVERAGE, 'utf8') : '', `${COVERAGE} is out of date; regenerate with: UPDATE_DOCS=1 npx vitest run test/catalogue.test.ts`).toBe(rendered);
  });

  it('counts, per peer, the checks the catalogue lists and those a rule lists in equivalents', () => {
    const rows: CatalogueRow[] = [
      { id: 'up-a', section: 1, title: 'A', novel: false, anchors: { prowler: ['p1', 'p2'], securityHub: ['Cognito.1'] } },
      { id: 'up-b', section: 1, title: 'B', novel: false, anchors: { prowler: ['p3'], steampipe: [] } },
      { id: 'up-c', section: 1, title: 'C', novel: true, anchors: {} },
    ];
    const rule = { ...rules[0]!, id: 'cognito-x', catalogue: ['up-a', 'up-c'], equivalents: { prowler: ['p1', 'p2'], securityHub: 'Cognito.1' } };
    const doc = renderCoverageDoc([rule], { source: 'test.md', rows });
    expect(doc).toContain('| Prowler | 3 | 2 (67%) | 2 | 1 (50%) |');
    expect(doc).toContain('| Security Hub CSPM | 1 | 1 (100%) | 1 | 1 (100%) |');
    expect(doc).toContain('| Steampipe | 0 | 0 (—) | 1 | 0 (0%) |');
    expect(doc).toContain('| Checkov | 0 | — | 0 | — |');
    expect(doc).toContain('| ★ no peer | — | — | 1 | 1 (100%) |');
    expect(doc).toContain('| `up-b` | 1 | — |');
  });

  it('is linked from the README', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('](docs/coverage.md)');
  });
});
