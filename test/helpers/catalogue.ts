import { readFileSync } from 'node:fs';
import { PEERS, type Catalogue, type CatalogueRow, type PeerKey } from '../../src/rules/catalogue.js';
import { SHARED_DIR } from './shared.js';

/** The catalogue the index is generated from, read in place. */
export const CATALOGUE_MD = `${SHARED_DIR}/reference/rule-catalogue.md`;
/** The generated index, shipped with the rules. */
export const CATALOGUE_JSON = 'rules/catalogue.json';

const CODES = new Map<string, PeerKey>(PEERS.flatMap((p) => (p.code ? [[p.code, p.key] as [string, PeerKey]] : [])));
// Anchor codes that are not peers (AWS Config, offensive sources, the CFN/TF labels of KICS
// ids): tokens after them belong to no peer.
const OTHER_CODES = new Set(['CFG', 'PACU', 'HT', 'CG']);
const CUSTODIAN_RESOURCES = new Set(['rest-stage', 'rest-api', 'rest-resource', 'user-pool', 'identity-pool']);

/** Splits a markdown table row into cells (no cell of the catalogue contains a `|`). */
const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());

/** Text without parenthesised asides (nested), which hold severities and notes, not ids. */
function withoutAsides(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * The peers' ids in an Anchors cell: each backticked token (and cdk-nag's bare `COG1`) goes to
 * the anchor code last seen before it. Short forms are completed: `_4` after `CKV_OPENAPI_1`,
 * cdk-nag's `APIG6`; a truncated KICS id (`7fd0d461-…`) is completed from the other rows later.
 */
export function parseAnchors(cell: string): Partial<Record<PeerKey, string[]>> {
  const text = withoutAsides(cell).replace(/\*\*Not\*\* in [^;]*/g, '');
  const anchors: Partial<Record<PeerKey, string[]>> = {};
  let peer: PeerKey | undefined;
  let previous = '';
  for (const m of text.matchAll(/`([^`]+)`|([A-Z][A-Z0-9]*\d?)\b/g)) {
    const [, ticked, word] = m;
    if (word !== undefined) {
      if (CODES.has(word)) {
        peer = CODES.get(word)!;
        anchors[peer] ??= [];
      } else if (OTHER_CODES.has(word)) peer = undefined;
      else if (peer === 'cdkNag' && /^(COG|APIG)\d+$/.test(word)) anchors.cdkNag!.push(`AwsSolutions-${word}`);
      continue;
    }
    if (!peer) continue;
    let id = ticked!;
    if (id.startsWith('_') && /_\d+$/.test(previous)) id = previous.replace(/_\d+$/, '') + id;
    if (peer === 'cdkNag' && /^(COG|APIG)\d+$/.test(id)) id = `AwsSolutions-${id}`;
    // Custodian rows name the resource type next to the filter; the filter is the check.
    if (peer === 'custodian' && (id.startsWith('aws.') || CUSTODIAN_RESOURCES.has(id))) continue;
    // Trivy's long ids (`aws-apigateway-no-public-access`) alias its AVD ids.
    if (peer === 'trivy' && !/^AWS-\d+$/.test(id)) continue;
    // Prowler's privilege-escalation pattern names (`PassRole+…`) are not checks.
    if (peer === 'prowler' && id.includes('+')) continue;
    // cdk-nag's pack-prefixed names (`NIST.800.53.R5-/PCI.DSS.321-APIGWAssociatedWithWAF`): the rule.
    if (peer === 'cdkNag' && id.includes('/')) id = id.slice(id.lastIndexOf('-') + 1);
    previous = id;
    if (!anchors[peer]!.includes(id)) anchors[peer]!.push(id);
  }
  return anchors;
}

/** The first sentence of a check, as plain text. */
function titleOf(check: string): string {
  const plain = check.replace(/`/g, '').replace(/\*\*/g, '');
  const first = plain.split(/\.\s+(?=[A-Z(])/)[0]!.replace(/\.$/, '');
  return first.length > 120 ? `${first.slice(0, 117)}…` : first;
}

/** Generates the catalogue index from the catalogue's markdown tables (sections 1–7). */
export function parseCatalogue(markdown: string, source = 'reference/rule-catalogue.md'): Catalogue {
  const rows: CatalogueRow[] = [];
  let section = 0;
  let header: string[] = [];
  for (const line of markdown.split('\n')) {
    const heading = /^## (\d+)\. /.exec(line);
    if (heading) section = Number(heading[1]);
    if (section < 1 || section > 7 || !line.startsWith('|')) continue;
    const row = cells(line);
    if (row[0] === 'Rule id') {
      header = row;
      continue;
    }
    const idCell = /^`([a-z0-9-]+)`(.*)$/.exec(row[0] ?? '');
    if (!idCell) continue;
    const col = (name: string) => row[header.indexOf(name)] ?? '';
    const check = col('Check') || col('Condition (all must hold)') || col('What');
    const marks = `${col('Default')} ${col('Sev')}`;
    const category = /\binventory\b/i.test(marks) ? 'inventory' : /\breview\b/i.test(marks) || /-review$/.test(idCell[1]!) ? 'review' : undefined;
    rows.push({
      id: idCell[1]!,
      section,
      title: titleOf(check),
      novel: idCell[2]!.includes('★'),
      ...(category ? { category } : {}),
      anchors: parseAnchors(col('Anchors')),
    });
  }
  // Complete truncated ids (`7fd0d461-…`) from the full ids other rows give.
  const all = rows.flatMap((r) => Object.values(r.anchors).flat());
  for (const r of rows) {
    for (const ids of Object.values(r.anchors)) {
      ids.forEach((id, i) => {
        if (!id.endsWith('…')) return;
        const full = all.find((other) => !other.endsWith('…') && other.startsWith(id.slice(0, -1)));
        if (full) ids[i] = full;
      });
    }
  }
  return { source, rows };
}

/** The index generated from the catalogue as it is now. */
export const generateCatalogue = (): Catalogue => parseCatalogue(readFileSync(CATALOGUE_MD, 'utf8'));
