import type { RuleMeta } from '../model/scan-result.js';
import type { CompiledRule, RuleDefinition } from './types.js';

/** What reporters need about a rule: its prose, and its severity after overrides. */
export function ruleMeta(rule: CompiledRule | RuleDefinition): RuleMeta {
  const def = 'definition' in rule ? rule.definition : rule;
  const meta: RuleMeta = {
    id: def.id,
    title: def.title,
    severity: 'definition' in rule ? rule.severity : def.severity,
    resource: Array.isArray(def.resource) ? [...def.resource] : [def.resource],
    description: def.description.trim(),
  };
  if (def.rationale) meta.rationale = def.rationale.trim();
  if (def.remediation) meta.remediation = { ...def.remediation };
  if (def.references) meta.references = [...def.references];
  if (def.tags) meta.tags = [...def.tags];
  if (def.equivalents) meta.equivalents = { ...def.equivalents };
  if (def.file) meta.file = def.file;
  return meta;
}
