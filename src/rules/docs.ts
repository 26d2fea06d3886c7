import { getFunction } from '../functions/index.js';
import { PEERS } from './catalogue.js';
import type { Condition, RuleDefinition } from './types.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function describeCondition(c: Condition, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  if ('all' in c) return [`${pad}- all of:`, ...c.all.flatMap((x) => describeCondition(x, depth + 1))];
  if ('any' in c) return [`${pad}- any of:`, ...c.any.flatMap((x) => describeCondition(x, depth + 1))];
  if ('not' in c) return [`${pad}- not:`, ...describeCondition(c.not, depth + 1)];
  if ('chain' in c) {
    return [
      `${pad}- an attack path exists, every hop holding in turn:`,
      ...c.chain.flatMap((step, i) => {
        const via = step.via === undefined ? '' : ` (via \`${step.via}\` to ${[step.kind ?? []].flat().map((k) => `\`${k}\``).join(', ')})`;
        return [`${pad}  ${i + 1}. ${step.hop}${via}:`, ...describeCondition(step.holds, depth + 2)];
      }),
    ];
  }
  if ('fn' in c) {
    const fn = getFunction(c.fn);
    const options = c.options && Object.keys(c.options).length ? ` with options \`${JSON.stringify(c.options)}\`` : '';
    return [`${pad}- function \`${c.fn}\`${options}${fn ? `: ${oneLine(fn.description)}` : ''}`];
  }
  const value = c.value === undefined ? '' : ` \`${JSON.stringify(c.value)}\``;
  return [`${pad}- \`${c.path}\` ${c.op}${value}`];
}

const fence = (lang: string, code: string) => ['```' + lang, code.replace(/\n+$/, ''), '```'];

/**
 * The rules reference (`docs/rules.md`), generated from the rule files so it cannot drift:
 * `test/catalog.test.ts` compares the checked-in file with this output
 * (regenerate with `UPDATE_DOCS=1 npx vitest run test/catalog.test.ts`).
 */
export function renderRulesDoc(rules: readonly RuleDefinition[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: string[] = [
    '# cognito-guard rules',
    '',
    '<!-- Generated from rules/**/*.yaml by src/rules/docs.ts. Do not edit by hand:',
    '     UPDATE_DOCS=1 npx vitest run test/catalog.test.ts -->',
    '',
    `${sorted.length} rules. Severities are the defaults; profiles and the config file can change them.`,
    '',
    '| Rule | Severity | Resource | Title |',
    '| --- | --- | --- | --- |',
    ...sorted.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${[r.resource].flat().map((k) => `\`${k}\``).join(', ')} | ${r.title} |`),
    '',
  ];
  for (const r of sorted) out.push(...ruleSection(r));
  return out.join('\n').replace(/\n+$/, '\n');
}

/** One rule's section of the reference (also what `cognito-guard rules explain ID` prints). */
export function ruleSection(r: RuleDefinition): string[] {
  const out: string[] = [];
  out.push(`## ${r.id}`, '', `**${r.title}**`, '');
  out.push(`- Severity: ${r.severity}`);
  out.push(`- Resource: ${[r.resource].flat().map((k) => `\`${k}\``).join(', ')}`);
  if (r.category) out.push(`- Category: ${r.category} (off in the recommended profile, on in strict)`);
  if (r.tags?.length) out.push(`- Tags: ${r.tags.join(', ')}`);
  if (r.catalogue?.length) out.push(`- Catalogue: ${r.catalogue.map((id) => `\`${id}\``).join(', ')}`);
  if (r.file) out.push(`- File: \`${r.file}\``);
  out.push('', oneLine(r.description), '');
  if (r.rationale) out.push('### Why', '', oneLine(r.rationale), '');
  out.push('### Check', '');
  if (r.where) out.push('Applies when:', '', ...describeCondition(r.where), '');
  out.push('Passes when:', '', ...describeCondition(r.assert), '');
  if (r.params && Object.keys(r.params).length) {
    out.push('### Parameters', '', '| Name | Type | Default | Description |', '| --- | --- | --- | --- |');
    for (const [name, p] of Object.entries(r.params)) {
      out.push(`| \`${name}\` | ${p.type} | \`${JSON.stringify(p.default)}\` | ${oneLine(p.description)} |`);
    }
    out.push('');
  }
  if (r.remediation) {
    out.push('### Fix', '', oneLine(r.remediation.text), '');
    if (r.remediation.cloudformation) out.push('CloudFormation:', '', ...fence('yaml', r.remediation.cloudformation), '');
    if (r.remediation.terraform) out.push('Terraform:', '', ...fence('hcl', r.remediation.terraform), '');
    if (r.remediation.cli) out.push('AWS CLI:', '', ...fence('sh', r.remediation.cli), '');
  }
  if (r.equivalents && Object.keys(r.equivalents).length) {
    out.push('### Same check elsewhere', '');
    for (const [tool, ids] of Object.entries(r.equivalents)) {
      const name = PEERS.find((p) => p.key === tool)?.name ?? tool;
      out.push(`- ${name}: ${[ids].flat().map((i) => `\`${i}\``).join(', ')}`);
    }
    out.push('');
  }
  if (r.references?.length) {
    out.push('### References', '', ...r.references.map((ref) => `- ${ref}`), '');
  }
  return out;
}

/** `cognito-guard rules explain ID`: the rule's section of the reference, as Markdown text. */
export function renderRuleExplanation(r: RuleDefinition): string {
  return ruleSection(r).join('\n').replace(/\n+$/, '\n');
}
