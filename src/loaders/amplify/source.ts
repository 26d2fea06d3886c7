import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, sep } from 'node:path';
import type { Diagnostic } from '../../model/finding.js';
import { parsePositioned, type PositionedDocument } from '../../util/yaml-document.js';
import { looksLikeCloudFormation, parseCloudFormation, readParameterFile } from '../cloudformation/index.js';
import { loadTemplates, type TemplateInput } from '../cloudformation/source.js';
import type { NestedStack } from '../cloudformation/nested-stacks.js';
import type { LoadContext, Source, SourceOutput } from '../source.js';
import { Symbolic, type Evaluated } from '../values.js';

/** What the Amplify source parsed: a category or root template, or a `parameters.json`. */
type AmplifyFile = { kind: 'template'; doc: PositionedDocument } | { kind: 'parameters' };

const BACKEND = `${sep}amplify${sep}backend${sep}`;
const PARAMETERS = 'parameters.json';
const ROOT_STACK = 'root-cloudformation-stack.json';
const TEMPLATE_EXTENSIONS = ['.json', '.yml', '.yaml'];

/**
 * Amplify Gen 1 backends (`amplify/backend/**`): the root stack
 * (`awscloudformation/build/root-cloudformation-stack.json`) nests one stack per category
 * resource, by an S3 URL ending in the category template's file name; each category template
 * takes its values from the root stack's `Parameters` where those can be read, then from the
 * `parameters.json` the Amplify CLI writes beside it.
 */
export const amplifySource: Source<AmplifyFile> = {
  format: 'amplify',
  label: 'Amplify backend',
  extensions: TEMPLATE_EXTENSIONS,
  match(c) {
    if (!c.abs.includes(BACKEND)) return 'no';
    // Named alone, a parameter file is not something to scan (its template is).
    if (basename(c.abs) === PARAMETERS) return c.explicit ? 'no' : 'yes';
    return c.text.includes('Resources') ? 'yes' : 'no';
  },
  claim(c) {
    if (basename(c.abs) === PARAMETERS) {
      parsePositioned(c.text, c.file);
      return { kind: 'parameters' };
    }
    const doc = parseCloudFormation(c.file, c.text);
    return looksLikeCloudFormation(doc.value) ? { kind: 'template', doc } : undefined;
  },
  load(claims, ctx) {
    const diagnostics: Diagnostic[] = [];
    const parameterFiles = new Set(claims.filter((c) => c.data.kind === 'parameters').map((c) => c.candidate.abs));
    const fallbackParameters = (abs: string): Record<string, string | undefined> => {
      const file = parameterFileOf(abs);
      if (!file) return {};
      parameterFiles.add(file);
      return readParameterFile(ctx.display(file), ctx.read(file));
    };
    const templates: TemplateInput[] = [];
    const claimed = new Set(claims.map((c) => c.candidate.abs));
    for (const { candidate, data } of claims) {
      if (data.kind !== 'template') continue;
      const built = builtCopy(candidate.abs);
      if (built !== undefined && claimed.has(built)) {
        // The CLI compiles the template into build/ and deploys that copy: loading both would
        // report everything twice.
        diagnostics.push({ severity: 'info', code: 'amplify-source-template-not-loaded', message: `${candidate.file}: ${ctx.display(built)} is its build output and is loaded instead`, file: candidate.file });
        continue;
      }
      const root = basename(candidate.abs) === ROOT_STACK;
      templates.push({
        abs: candidate.abs,
        file: candidate.file,
        text: candidate.text,
        document: data.doc,
        parameters: root ? ctx.parameters : { ...fallbackParameters(candidate.abs), ...ctx.parameters },
        locate: (stack, location) => categoryTemplate(candidate.abs, stack, location),
        fallbackParameters,
      });
    }
    // Roots first, so that a category template is loaded as the root's nested stack.
    templates.sort((a, b) => Number(basename(b.abs) === ROOT_STACK) - Number(basename(a.abs) === ROOT_STACK));
    const loaded = loadTemplates(templates, ctx, 'amplify');
    return withParameterFiles(loaded, diagnostics, parameterFiles, ctx);
  },
};

function withParameterFiles(loaded: SourceOutput, diagnostics: Diagnostic[], files: Set<string>, ctx: LoadContext): SourceOutput {
  const inputs = [...loaded.inputs];
  for (const abs of files) {
    const file = ctx.display(abs);
    if (!inputs.some((i) => i.file === file)) inputs.push({ file, format: 'amplify' });
  }
  return { ...loaded, diagnostics: [...loaded.diagnostics, ...diagnostics], inputs };
}

/** `auth/x/x-cloudformation-template.yml` -> `auth/x/build/x-cloudformation-template.json`, when the template is not in build/ itself. */
function builtCopy(abs: string): string | undefined {
  if (basename(dirname(abs)) === 'build') return undefined;
  const built = join(dirname(abs), 'build', `${basename(abs, extname(abs))}.json`);
  return built !== abs ? built : undefined;
}

/** The `parameters.json` of a category template: beside it, or beside its build/ directory. */
function parameterFileOf(abs: string): string | undefined {
  const dirs = [dirname(abs)];
  if (basename(dirname(abs)) === 'build') dirs.push(dirname(dirname(abs)));
  return dirs.map((d) => join(d, PARAMETERS)).find((f) => existsSync(f));
}

/**
 * The local template of a category stack the root nests by URL
 * (`https://s3.amazonaws.com/<deployment bucket>/amplify-cfn-templates/auth/<name>-cloudformation-template.json`):
 * the file of that name (any of .json/.yml/.yaml) in a resource of that category under
 * `amplify/backend`, its build/ copy first.
 */
function categoryTemplate(rootAbs: string, _stack: NestedStack, location: Evaluated | undefined): string | undefined {
  const url = typeof location === 'string' ? location : location instanceof Symbolic ? location.text : undefined;
  if (url === undefined) return undefined;
  const parts = url.split(/[?#]/)[0]!.split('/');
  const name = parts.at(-1);
  const category = parts.at(-2);
  const at = rootAbs.lastIndexOf(BACKEND);
  if (!name || !category || at < 0 || !/^[\w.-]+$/.test(category) || !/^[\w.-]+$/.test(name)) return undefined;
  const categoryDir = join(rootAbs.slice(0, at + BACKEND.length), category);
  const stem = basename(name, extname(name));
  for (const resource of listDirs(categoryDir)) {
    for (const dir of [join(categoryDir, resource, 'build'), join(categoryDir, resource)]) {
      const found = TEMPLATE_EXTENSIONS.map((ext) => join(dir, `${stem}${ext}`)).find((f) => existsSync(f));
      if (found) return found;
    }
  }
  return undefined;
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isDirectory())
      .sort();
  } catch {
    // No such category directory: the template is not here.
    return [];
  }
}
