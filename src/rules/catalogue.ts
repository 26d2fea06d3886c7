import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledRulesDir } from './load.js';

/**
 * The peer tools whose checks the catalogue (`reference/rule-catalogue.md`) lists, keyed as in a
 * rule's `equivalents`, with the code the catalogue's Anchors column uses for each. cfn_nag has
 * no Cognito or API Gateway authorization check in the catalogue, so it has no code.
 */
export const PEERS = [
  { key: 'prowler', name: 'Prowler', code: 'PRW' },
  { key: 'checkov', name: 'Checkov', code: 'CKV' },
  { key: 'kics', name: 'KICS', code: 'KICS' },
  { key: 'cdkNag', name: 'cdk-nag', code: 'NAG' },
  { key: 'cfnNag', name: 'cfn_nag', code: undefined },
  { key: 'securityHub', name: 'Security Hub CSPM', code: 'SH' },
  { key: 'trivy', name: 'Trivy (tfsec)', code: 'TRV' },
  { key: 'custodian', name: 'Cloud Custodian', code: 'C7N' },
  { key: 'steampipe', name: 'Steampipe', code: 'SP' },
  { key: 'shisho', name: 'Shisho Cloud', code: 'SHI' },
] as const;

export type PeerKey = (typeof PEERS)[number]['key'];

/** One row of the catalogue's tables (sections 1–7): a check the scanner should have. */
export interface CatalogueRow {
  /** The row's proposed rule id (its stable id), e.g. `up-mfa-required`. */
  id: string;
  /** Section number (1 user pool … 7 attack paths). */
  section: number;
  /** The first sentence of the row's check, plain text. */
  title: string;
  /** ★: no configuration scanner has the check. */
  novel: boolean;
  /** "review" or "inventory" rows: `info` rules, off in `recommended`, on in `strict`. */
  category?: 'review' | 'inventory';
  /** Each peer's own ids for the check; a peer named without an id has an empty list. */
  anchors: Partial<Record<PeerKey, string[]>>;
}

/** The machine-readable catalogue index (`rules/catalogue.json`), generated from the markdown. */
export interface Catalogue {
  source: string;
  rows: CatalogueRow[];
}

/** The catalogue index shipped with the bundled rules. */
export function loadCatalogue(file = join(bundledRulesDir(), 'catalogue.json')): Catalogue {
  return JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
}
