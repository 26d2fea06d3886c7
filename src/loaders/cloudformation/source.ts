import type { LoadContext, Source, SourceFormat, SourceOutput } from '../source.js';
import type { PositionedDocument } from '../../util/yaml-document.js';
import { pushAll } from '../../util/arrays.js';
import { loadCloudFormation, looksLikeCloudFormation, parseCloudFormation, type StackFiles } from './index.js';
import type { ParameterValue } from './intrinsics.js';
import type { LoadResult } from '../types.js';

/** `Resources:` as a key, in YAML or JSON (quoted or not). */
const RESOURCES_KEY = /(^|[\s{,"'])Resources["']?\s*:/m;

/**
 * CloudFormation templates: plain, SAM, Serverless `resources` fragments, and what CDK and
 * Amplify synthesize when no more specific source claims them.
 */
export const cloudFormationSource: Source<PositionedDocument> = {
  format: 'cloudformation',
  label: 'CloudFormation template',
  extensions: ['.yaml', '.yml', '.json', '.template'],
  match(c) {
    if (c.explicit || RESOURCES_KEY.test(c.text)) return 'yes';
    // JSON and double-quoted YAML keys may be spelled with escapes ("\u0052esources"), which the
    // text test cannot see: such a file is parsed too, and skipped (listed) if it does not parse.
    return c.text.includes('\\') ? 'maybe' : 'no';
  },
  claim(c) {
    const doc = parseCloudFormation(c.file, c.text);
    return looksLikeCloudFormation(doc.value) ? doc : undefined;
  },
  load(claims, ctx) {
    const templates = claims.map(({ candidate, data }) => ({ ...candidate, document: data, parameters: ctx.parameters }));
    return loadTemplates(templates, ctx, 'cloudformation');
  },
};

/** A top-level template to load, with its parameter values and how its nested stacks find theirs. */
export interface TemplateInput extends Pick<StackFiles, 'locate' | 'fallbackParameters'> {
  abs: string;
  file: string;
  text: string;
  document: PositionedDocument;
  parameters: Record<string, ParameterValue>;
  /** Start of resource ids; default `file`. */
  idBase?: string;
}

/**
 * Loads templates with their nested stacks. A template that another one nests is loaded as the
 * parent's child only (with the parameters the parent passes, not alone with its Defaults), and
 * goes to `consumed` so that no later source loads it again. The nested templates read are
 * inputs too, in `format`.
 */
export function loadTemplates(templates: readonly TemplateInput[], ctx: LoadContext, format: SourceFormat): SourceOutput {
  const results: Array<{ input: TemplateInput; loaded: LoadResult; nested: string[] }> = [];
  for (const input of templates) {
    const nested = new Map<string, number>();
    const stack: StackFiles = { abs: input.abs, read: ctx.read, display: ctx.display, loaded: nested };
    if (input.locate) stack.locate = input.locate;
    if (input.fallbackParameters) stack.fallbackParameters = input.fallbackParameters;
    const loaded = loadCloudFormation(input.file, input.text, {
      parameters: input.parameters,
      document: input.document,
      stack,
      ...(input.idBase !== undefined && { idBase: input.idBase }),
    });
    results.push({ input, loaded, nested: [...nested.keys()] });
  }
  const consumed = new Set(results.flatMap((r) => r.nested));
  const out: SourceOutput = { resources: [], diagnostics: [], inputs: [], consumed: [...consumed] };
  const listed = new Set<string>();
  const list = (file: string): void => {
    if (listed.has(file)) return;
    listed.add(file);
    out.inputs.push({ file, format });
  };
  for (const { input, loaded, nested } of results) {
    if (consumed.has(input.abs)) continue;
    // Not push(...): a spread passes every element as an argument and overflows the call stack
    // beyond about 100,000 resources.
    pushAll(out.resources, loaded.resources);
    pushAll(out.diagnostics, loaded.diagnostics);
    list(input.file);
    for (const abs of nested) list(ctx.display(abs));
  }
  return out;
}
