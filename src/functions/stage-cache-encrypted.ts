import { unresolvedAt } from '../rules/paths.js';
import type { RuleEvidence } from '../rules/types.js';
import { defineFunction } from './types.js';

/**
 * API Gateway encrypts a method's cached responses only when that method's settings say so
 * (`cacheDataEncrypted`, default false); a setting that turns caching on without it stores
 * responses, tokens and personal data in them included, unencrypted in the stage's cache
 * cluster. Each method settings entry is judged on its own: caching and encryption belong to
 * the same entry, which a path condition cannot tie together.
 */
export const stageCacheEncrypted = defineFunction<Record<string, never>>({
  name: 'stageCacheEncrypted',
  description: 'Every methodSettings entry with cachingEnabled true has cacheDataEncrypted true; one detail per unencrypted entry.',
  kinds: ['apigateway.stage'],
  reads: ['methodSettings'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  evaluate(stage) {
    const top = unresolvedAt(stage, 'methodSettings').at;
    if (top) return { status: 'unknown', reason: top, evidence: [{ path: 'methodSettings' }] };
    const settings = (stage.properties.methodSettings ?? {}) as Record<string, Record<string, unknown>>;
    const evidence: RuleEvidence[] = [];
    const reasons: string[] = [];
    const undecided: RuleEvidence[] = [];
    for (const [key, entry] of Object.entries(settings)) {
      const at = (field: string) => `methodSettings.${key}.${field}`;
      const caching = unresolvedAt(stage, at('cachingEnabled')).at;
      const encrypted = unresolvedAt(stage, at('cacheDataEncrypted')).at;
      // A known "no caching" or "encrypted" decides the entry whatever the other value is.
      if (entry.cachingEnabled === false || (caching === undefined && entry.cachingEnabled !== true) || entry.cacheDataEncrypted === true) continue;
      const why = caching ?? encrypted;
      if (why) {
        reasons.push(why);
        undecided.push({ path: caching ? at('cachingEnabled') : at('cacheDataEncrypted') });
      } else evidence.push({ path: at('cacheDataEncrypted'), actual: entry.cacheDataEncrypted, expected: 'eq true', detail: at('cacheDataEncrypted') });
    }
    if (evidence.length) return { status: 'fail', evidence };
    if (reasons.length) return { status: 'unknown', reason: reasons.join('; '), evidence: undecided };
    return { status: 'pass' };
  },
});
