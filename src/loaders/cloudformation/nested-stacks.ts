import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../../util/input-error.js';
import { readRegularFile } from '../../util/files.js';
import { redactUrlCredentials } from '../../util/redact.js';
import type { ResourceKind } from '../../model/kinds.js';
import type { LoadResult } from '../types.js';
import type { Reader } from './builder.js';
import { Symbolic, Unknown, isRecord, type Evaluated, type ParameterValue } from './intrinsics.js';
import type { UnreadResource } from './language-extensions.js';

export const NESTED_STACK = 'AWS::CloudFormation::Stack';
/** A SAM nested application: `Location` is a local template path, an S3 URL or a Serverless Application Repository app. */
export const SAM_APPLICATION = 'AWS::Serverless::Application';

/** A nested stack resource of the template being loaded, its properties evaluated in the parent. */
export interface NestedStack {
  logicalId: string;
  type: string;
  pointer: string;
  reader: Reader;
  /** The resource's `Metadata` (CDK names the synthesized child in `aws:asset:path`). */
  metadata: unknown;
}

/**
 * How nested stacks find their templates, given by the source that loads the top template and
 * passed down the stack tree.
 */
export interface StackFiles {
  /** Absolute path of the template being loaded. */
  abs: string;
  /** Reads a nested template (an InputError naming it when it cannot be read). */
  read(abs: string): string;
  /** Path shown for an absolute path. */
  display(abs: string): string;
  /**
   * The local copy of a nested stack's template when its location is not a local path (Amplify
   * maps the S3 URLs of its root stack to the category templates); undefined: none.
   */
  locate?(stack: NestedStack, location: Evaluated | undefined): string | undefined;
  /** Parameter values of a nested template that its parent does not pass (Amplify's `parameters.json` beside it). */
  fallbackParameters?(abs: string): Record<string, string | undefined>;
  /** Templates of the stacks above this one, outermost first (a template that includes itself is an error). */
  chain?: readonly string[];
  /** Nested templates loaded so far in this tree, with how often (one template may be nested twice). */
  loaded?: Map<string, number>;
}

/** A resource a reference can name: of this template, or of a stack above it. */
export interface ResourceRef {
  id: string;
  kind: ResourceKind;
  /** Its logical id in its own template (what the reference's text says). */
  logicalId: string;
}

/** What loading one template (`loadCloudFormation`) takes here. */
export type TemplateLoader = (
  file: string,
  text: string,
  options: {
    parameters: Record<string, ParameterValue>;
    otherParameters?: Unknown;
    stack: StackFiles;
    idBase: string;
    external: ReadonlyMap<string, ResourceRef>;
  },
) => LoadResult;

/** Files of a template loaded without a source (a test, an API caller): paths relative to the working directory. */
export function defaultStackFiles(file: string): StackFiles {
  const display = (abs: string): string => {
    const rel = relative(process.cwd(), abs);
    return (rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel).split(sep).join('/');
  };
  return { abs: resolve(file), display, read: (abs) => readRegularFile(abs, display(abs)) };
}

/**
 * Loads the template of a nested stack with the parameters its parent passes (known values,
 * deploy-time references, unknowns; the child's Defaults for the rest). A template that cannot
 * be read here (an S3 URL, a Serverless Application Repository app, a URL known only at deploy
 * time) gives an unread resource instead: a nested stack may create anything, so every rule
 * reports `unknown` for it rather than passing what it cannot see. A local path that does not
 * exist, or a template that includes itself, is an InputError at the parent's line.
 */
export function loadNestedStack(
  stack: NestedStack,
  files: StackFiles,
  file: string,
  load: TemplateLoader,
  /** The resource a reference of the parent names, if it is one the scanner maps. */
  refTarget: (ref: string) => ResourceRef | undefined,
  /** Resources of the stacks above the parent. */
  external: ReadonlyMap<string, ResourceRef>,
): { loaded: LoadResult; abs: string } | { unread: UnreadResource } {
  const property = stack.type === SAM_APPLICATION ? 'Location' : 'TemplateURL';
  const location = stack.reader.get([property]);
  const fail = (message: string): never => {
    const pos = stack.reader.locate([property]);
    throw new InputError(`nested stack ${stack.logicalId}: ${message}`, file, pos?.line, pos?.column);
  };
  let abs: string | undefined;
  if (typeof location === 'string' && isLocalPath(location)) {
    abs = resolve(dirname(files.abs), location);
    // A template names the file, so a hostile one could name any file on the machine (a
    // credentials file): only template files are read.
    if (!isTemplateFile(location)) fail(`${property} ${location} is not a template file (.yaml, .yml, .json, .template)`);
    if (!existsSync(abs)) fail(`${property} ${location}: no such file (${files.display(abs)})`);
  } else {
    abs = files.locate?.(stack, location) ?? cdkAsset(stack.metadata, files.abs);
  }
  if (abs === undefined) {
    return { unread: { name: stack.logicalId, pointer: stack.pointer, reason: `nested stack ${stack.logicalId}: its template (${describe(location)}) is not a local file, so what it creates is not checked` } };
  }
  const chain = [...(files.chain ?? []), files.abs];
  if (chain.includes(abs)) fail(`its template includes itself (${[...chain, abs].map((a) => files.display(a)).join(' -> ')})`);

  const childFile = files.display(abs);
  const text = files.read(abs);
  const loaded = files.loaded ?? new Map<string, number>();
  const times = loaded.get(abs) ?? 0;
  loaded.set(abs, times + 1);
  // The same template nested twice (two instances with different parameters): the ids of the
  // second copy name the stack resource that creates it.
  const idBase = times === 0 ? childFile : `${childFile}(${stack.logicalId})`;
  const named = new Map(external);
  const { values, rest } = passedParameters(stack, files.fallbackParameters?.(abs) ?? {}, (ref) => {
    const target = refTarget(ref);
    if (target) named.set(target.id, target);
    return target?.id;
  });
  const child: StackFiles = { ...files, abs, chain, loaded };
  return { loaded: load(childFile, text, { parameters: values, ...(rest && { otherParameters: rest }), stack: child, idBase, external: named }), abs };
}

const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;

/** A path another file names that may be read as a template (never a credentials file or other secret). */
export function isTemplateFile(path: string): boolean {
  return TEMPLATE_FILE.test(path);
}

/** Not a URL (`https://`, `s3://`): a path on disk, relative to the parent template. */
function isLocalPath(location: string): boolean {
  return location !== '' && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location);
}

/**
 * A CDK nested stack's TemplateURL points at its asset in the bootstrap bucket; the synthesized
 * child sits in the assembly beside the parent, named by the resource's `aws:asset:path`.
 */
function cdkAsset(metadata: unknown, parentAbs: string): string | undefined {
  if (!isRecord(metadata) || metadata['aws:asset:property'] !== 'TemplateURL') return undefined;
  const path = metadata['aws:asset:path'];
  if (typeof path !== 'string' || !/\.json$/i.test(path)) return undefined;
  const abs = resolve(dirname(parentAbs), path);
  return existsSync(abs) ? abs : undefined;
}

function describe(location: Evaluated | undefined): string {
  if (typeof location === 'string') return redactUrlCredentials(location);
  if (location instanceof Symbolic) return redactUrlCredentials(location.text);
  if (location instanceof Unknown) return location.reason;
  if (isRecord(location) && typeof location.ApplicationId === 'string') return `Serverless Application Repository application ${location.ApplicationId}`;
  return 'not given';
}

/**
 * The parent's `Parameters`, as the child's evaluator takes them. A deploy-time reference keeps
 * its text; the resources it names become their resource ids (`idOf`), since the parent's
 * logical ids mean nothing (or something else) in the child; a resource the scanner does not
 * map is dropped from the refs. A value the parent does not pass, or cannot know,
 * comes from `fallback` when that has it. `rest`: the whole mapping is unknown, so is every
 * parameter the child declares that `fallback` does not give.
 */
function passedParameters(
  stack: NestedStack,
  fallback: Record<string, string | undefined>,
  idOf: (ref: string) => string | undefined,
): { values: Record<string, ParameterValue>; rest?: Unknown } {
  const given = stack.reader.get(['Parameters']);
  const out: Record<string, ParameterValue> = { ...fallback };
  if (given === undefined || given === null) return { values: out };
  if (!isRecord(given)) {
    const reason = given instanceof Unknown ? given.reason : 'Parameters is not a mapping';
    return { values: out, rest: new Unknown(`nested stack ${stack.logicalId}: ${reason}`, '${?}') };
  }
  for (const [name, value] of Object.entries(given)) {
    const v = parameterValue(value as Evaluated, name, stack.logicalId, idOf);
    if (v instanceof Unknown && Object.hasOwn(fallback, name)) continue;
    out[name] = v;
  }
  return { values: out };
}

function parameterValue(v: Evaluated, name: string, logicalId: string, idOf: (ref: string) => string | undefined): ParameterValue {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Symbolic) return new Symbolic(v.text, v.refs.map(idOf).filter((id): id is string => id !== undefined));
  if (v instanceof Unknown) return new Unknown(`parameter ${name} passed by nested stack ${logicalId}: ${v.reason}`, `\${${name}}`, v.reference);
  // A list parameter is passed as one comma-separated string.
  if (Array.isArray(v) && v.every((i) => typeof i === 'string' || typeof i === 'number' || typeof i === 'boolean' || i instanceof Symbolic)) {
    const parts = v.map((i) => (i instanceof Symbolic ? i.text : String(i)));
    return v.some((i) => i instanceof Symbolic) ? new Symbolic(parts.join(','), []) : parts.join(',');
  }
  return new Unknown(`parameter ${name} passed by nested stack ${logicalId} is not a string`, `\${${name}}`);
}
