import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Resource } from '../../model/resource.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import { parsePositioned, type PositionedDocument } from '../../util/yaml-document.js';
import { looksLikeCloudFormation, parseCloudFormation } from '../cloudformation/index.js';
import { isTemplateFile } from '../cloudformation/nested-stacks.js';
import { loadTemplates, type TemplateInput } from '../cloudformation/source.js';
import type { Source, SourceOutput } from '../source.js';
import { isRecord } from '../values.js';

/** What the CDK source parsed from a file: a cloud assembly manifest, or a template in one. */
type CdkFile = { kind: 'manifest'; doc: PositionedDocument } | { kind: 'template'; doc: PositionedDocument };

/** Artifact types of a cloud assembly (`cdk.out/manifest.json`) this source reads. */
const STACK = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY = 'cdk:cloud-assembly';
const ASSEMBLY_MARK = new RegExp(`"(${STACK}|${NESTED_ASSEMBLY})"`);

/** One stack of an assembly: its template, the parameter values `cdk deploy` passes, construct paths by logical id. */
interface AssemblyStack {
  template: string;
  parameters: Record<string, string>;
  paths: Map<string, string>;
}

/**
 * CDK cloud assemblies (`cdk synth` output): `cdk.out/manifest.json` names every stack's template
 * and the parameters it is deployed with; nested stacks are `*.nested.template.json` files the
 * parent names in `aws:asset:path`; stages are nested assemblies. Each stack is loaded once, with
 * the construct path of each resource shown with its findings.
 */
export const cdkSource: Source<CdkFile> = {
  format: 'cdk',
  label: 'CDK cloud assembly',
  extensions: ['.json'],
  match(c) {
    const name = basename(c.abs);
    if (name === 'manifest.json') return ASSEMBLY_MARK.test(c.text) ? 'yes' : 'no';
    return name.endsWith('.template.json') && isAssemblyDir(dirname(c.abs)) ? 'yes' : 'no';
  },
  claim(c) {
    if (basename(c.abs) === 'manifest.json') {
      const doc = parsePositioned(c.text, c.file);
      return isRecord(doc.value) && isRecord(doc.value.artifacts) ? { kind: 'manifest', doc } : undefined;
    }
    const doc = parseCloudFormation(c.file, c.text);
    return looksLikeCloudFormation(doc.value) ? { kind: 'template', doc } : undefined;
  },
  load(claims, ctx) {
    const documents = new Map(claims.filter((c) => c.data.kind === 'template').map((c) => [c.candidate.abs, c.data.doc]));
    const manifests: string[] = [];
    const stacks = new Map<string, AssemblyStack>();
    const readAssembly = (abs: string, doc: PositionedDocument | undefined): void => {
      if (manifests.includes(abs)) return;
      manifests.push(abs);
      const file = ctx.display(abs);
      doc ??= parsePositioned(ctx.read(abs), file);
      for (const stack of assemblyStacks(abs, file, doc, readAssembly)) stacks.set(stack.template, stack);
    };
    for (const { candidate, data } of claims) if (data.kind === 'manifest') readAssembly(candidate.abs, data.doc);
    // A template scanned without its manifest still takes the parameters the manifest gives it.
    for (const { candidate, data } of claims) {
      const manifest = resolve(dirname(candidate.abs), 'manifest.json');
      if (data.kind === 'template' && !stacks.has(candidate.abs) && isAssemblyDir(dirname(candidate.abs))) readAssembly(manifest, undefined);
    }

    const templates: TemplateInput[] = [];
    const add = (abs: string, parameters: Record<string, string>): void => {
      const file = ctx.display(abs);
      const text = ctx.read(abs);
      const document = documents.get(abs) ?? parseCloudFormation(file, text);
      templates.push({ abs, file, text, document, parameters: { ...parameters, ...ctx.parameters } });
    };
    for (const [abs, stack] of stacks) add(abs, stack.parameters);
    for (const { candidate, data } of claims) if (data.kind === 'template' && !stacks.has(candidate.abs)) add(candidate.abs, {});

    const loaded = loadTemplates(templates, ctx, 'cdk');
    const paths = new Map([...stacks].map(([abs, s]) => [ctx.display(abs), s.paths]));
    for (const r of loaded.resources) addPath(r, paths);
    const out: SourceOutput = {
      ...loaded,
      inputs: [...manifests.map((abs) => ({ file: ctx.display(abs), format: 'cdk' as const })), ...loaded.inputs],
      consumed: [...(loaded.consumed ?? []), ...manifests, ...stacks.keys()],
    };
    return out;
  },
};

/** A directory holding a cloud assembly manifest (`cdk.out`, or a stage's `assembly-*`). */
function isAssemblyDir(dir: string): boolean {
  try {
    return ASSEMBLY_MARK.test(readFileSync(resolve(dir, 'manifest.json'), 'utf8'));
  } catch {
    // No manifest (or an unreadable one): not an assembly; the template is plain CloudFormation.
    return false;
  }
}

/**
 * The stacks a manifest names (`properties.templateFile`, relative to it), calling `nested` for
 * the manifest of each nested assembly (a CDK Stage). A stack whose template is missing is an
 * InputError at the manifest's line: the assembly is incomplete, and scanning the rest would
 * report it clean.
 */
function assemblyStacks(abs: string, file: string, doc: PositionedDocument, nested: (abs: string, doc: undefined) => void): AssemblyStack[] {
  const artifacts = isRecord(doc.value) && isRecord(doc.value.artifacts) ? doc.value.artifacts : {};
  const fail = (pointer: string, message: string): never => {
    const pos = doc.locate(pointer);
    throw new InputError(message, file, pos?.line, pos?.column);
  };
  const out: AssemblyStack[] = [];
  for (const [name, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || !isRecord(artifact.properties)) continue;
    const at = joinPointer('/artifacts', name, 'properties');
    if (artifact.type === NESTED_ASSEMBLY && typeof artifact.properties.directoryName === 'string') {
      const manifest = resolve(dirname(abs), artifact.properties.directoryName, 'manifest.json');
      if (!existsSync(manifest)) fail(joinPointer(at, 'directoryName'), `artifact ${name}: nested assembly ${artifact.properties.directoryName} has no manifest.json`);
      nested(manifest, undefined);
      continue;
    }
    if (artifact.type !== STACK) continue;
    const templateFile = artifact.properties.templateFile;
    if (typeof templateFile !== 'string') fail(at, `artifact ${name}: a stack artifact needs properties.templateFile`);
    if (!isTemplateFile(templateFile as string)) fail(joinPointer(at, 'templateFile'), `artifact ${name}: ${String(templateFile)} is not a template file`);
    const template = resolve(dirname(abs), templateFile as string);
    if (!existsSync(template)) fail(joinPointer(at, 'templateFile'), `artifact ${name}: template ${String(templateFile)} does not exist`);
    const parameters: Record<string, string> = {};
    if (isRecord(artifact.properties.parameters)) {
      for (const [k, v] of Object.entries(artifact.properties.parameters)) if (typeof v === 'string') parameters[k] = v;
    }
    out.push({ template, parameters, paths: constructPaths(artifact.metadata) });
  }
  return out;
}

/**
 * Construct paths by logical id, from the artifact's metadata (`"/Stack/UserPool/Resource":
 * [{"type": "aws:cdk:logicalId", "data": "UserPool6BA7E5F2"}]`): still there when the templates
 * are synthesized without `aws:cdk:path` metadata.
 */
function constructPaths(metadata: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(metadata)) return out;
  for (const [path, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (isRecord(e) && e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') out.set(e.data, path.replace(/^\//, ''));
    }
  }
  return out;
}

/** The construct path from the manifest, for a resource whose template has no `aws:cdk:path`. */
function addPath(r: Resource, paths: Map<string, Map<string, string>>): void {
  if (r.path !== undefined || r.source.file === undefined) return;
  const logicalId = r.id.slice(r.id.lastIndexOf('#') + 1).split('/')[0]!;
  const path = paths.get(r.source.file)?.get(logicalId);
  if (path !== undefined) r.path = path;
}
