import type { Source, SourceOutput } from '../source.js';
import type { PositionedDocument } from '../../util/yaml-document.js';
import { pushAll } from '../../util/arrays.js';
import { loadCloudFormation, looksLikeCloudFormation, parseCloudFormation } from './index.js';

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
    const out: SourceOutput = { resources: [], diagnostics: [], inputs: [] };
    for (const { candidate, data } of claims) {
      const loaded = loadCloudFormation(candidate.file, candidate.text, { parameters: ctx.parameters, document: data });
      // Not push(...): a spread passes every element as an argument and overflows the call stack
      // beyond about 100,000 resources.
      pushAll(out.resources, loaded.resources);
      pushAll(out.diagnostics, loaded.diagnostics);
      out.inputs.push({ file: candidate.file, format: 'cloudformation' });
    }
    return out;
  },
};
