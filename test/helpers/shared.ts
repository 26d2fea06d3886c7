import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The workplace's shared folder (corpus, SARIF schema), kept outside the project: beside the
 * checkout (`../shared`), or at /work/shared when the checkout is elsewhere (a clone in /tmp).
 */
export const SHARED_DIR = [fileURLToPath(new URL('../../../shared', import.meta.url)), '/work/shared'].find((d) => existsSync(d)) ?? '/work/shared';

/** The third-party IaC corpus, read in place. */
export const CORPUS_DIR = `${SHARED_DIR}/corpus`;
