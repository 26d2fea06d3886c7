import { basename, dirname, resolve } from 'node:path';
import { RESOURCE_KINDS } from '../../model/kinds.js';
import type { Resource } from '../../model/resource.js';
import { pushAll } from '../../util/arrays.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import type { PositionedDocument } from '../../util/yaml-document.js';
import type { Built, TemplateContext } from '../cloudformation/builder.js';
import { loadCloudFormation, parseCloudFormation } from '../cloudformation/index.js';
import { METADATA_KEY, readInlineSuppressions } from '../cloudformation/suppressions.js';
import type { Candidate, LoadContext, Source, SourceOutput } from '../source.js';
import { unresolveAll } from '../unread.js';
import { Unknown, isRecord } from '../values.js';
import { functionEventResources } from './events.js';
import { ServerlessVariables, splitVariables } from './variables.js';

/** `serverless.yml`, `serverless.yaml`, `serverless.json`: the framework's own file names. */
const SERVICE_FILE = /^serverless\.(ya?ml|json)$/i;

/**
 * Serverless Framework services (`serverless.yml`): the CloudFormation under `resources`
 * (inline, or `${file(...)}` fragments, each pointing at its own file's lines) and the API
 * Gateway methods and routes of `functions.*.events[]` (`http`, `httpApi`) with their
 * authorizers, variables resolved where the scanner is given their value.
 */
export const serverlessSource: Source<PositionedDocument> = {
  format: 'serverless',
  label: 'Serverless Framework service',
  extensions: ['.yml', '.yaml', '.json'],
  match(c) {
    if (SERVICE_FILE.test(basename(c.abs))) return 'yes';
    const yaml = /^service\s*:/m.test(c.text) && /^provider\s*:/m.test(c.text);
    const json = /"service"\s*:/.test(c.text) && /"provider"\s*:/.test(c.text);
    return yaml || json ? 'maybe' : 'no';
  },
  claim(c) {
    const doc = parseCloudFormation(c.file, c.text);
    return isService(doc.value) ? doc : undefined;
  },
  load(claims, ctx) {
    const out: Required<SourceOutput> = { resources: [], diagnostics: [], inputs: [], consumed: [] };
    for (const { candidate, data } of claims) loadService(candidate, data, ctx, out);
    return out;
  },
};

/** A service file has a `service` (a name, or `{ name }` before v3) and a `provider`. */
function isService(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && value.service !== undefined && isRecord(value.provider);
}

/** A `resources` list item that is one whole `${file(path)}` or `${file(path):key}`. */
const FILE_ITEM = /^file\((.*?)\)(?::(.*))?$/s;

function loadService(c: Candidate, doc: PositionedDocument, ctx: LoadContext, out: Required<SourceOutput>): void {
  const root = doc.value as Record<string, unknown>;
  out.inputs.push({ file: c.file, format: 'serverless' });
  const files = new Map<string, { file: string; text: string; doc: PositionedDocument } | Unknown>();
  const readFile = (path: string): { file: string; text: string; doc: PositionedDocument } | Unknown => {
    const abs = resolve(dirname(c.abs), path);
    const cached = files.get(abs);
    if (cached) return cached;
    let result: { file: string; text: string; doc: PositionedDocument } | Unknown;
    if (!/\.(ya?ml|json)$/i.test(path)) {
      result = new Unknown(`\${file(${path})}: only YAML and JSON files are read (the framework runs a script at deploy time)`, `\${file(${path})}`);
    } else {
      const file = ctx.display(abs);
      let text: string | undefined;
      try {
        text = ctx.read(abs);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        result = new Unknown(`\${file(${path})}: ${err.message.replace(/^cannot read: /, '')} (${file})`, `\${file(${path})}`);
      }
      if (text !== undefined) {
        // A fragment that does not parse is a broken input, as the service file would be.
        result = { file, text, doc: parseCloudFormation(file, text) };
        out.consumed.push(abs);
        out.inputs.push({ file, format: 'serverless' });
      }
    }
    files.set(abs, result!);
    return result!;
  };
  const vars = new ServerlessVariables({
    self: root,
    options: ctx.parameters,
    file: (path) => {
      const f = readFile(path);
      return f instanceof Unknown ? f : f.doc.value;
    },
  });
  const owners = new Map<string, string>();
  const service = { functions: vars.resolve(root.functions), provider: vars.resolve(root.provider), owners };
  const generate = (tctx: TemplateContext, byLogicalId: ReadonlyMap<string, Built>): Built[] => functionEventResources(tctx, byLogicalId, service);
  // Pointers of the service file's own keys (`/functions/...`, lower case) pass through; those
  // of the template (`/Resources/...`) are below `resources`.
  const inService = (prefix: string) => (p: string) => (/^\/[a-z]/.test(p) ? p : prefix + p);
  /** Loads one template whose pointers `pointerIn` maps into `fileDoc` (the service file or a fragment). */
  const template = (file: string, text: string, value: unknown, fileDoc: PositionedDocument, pointerIn: (p: string) => string, withEvents: boolean): Resource[] => {
    const t = isRecord(value) ? value : {};
    const loaded = loadCloudFormation(file, text, {
      parameters: ctx.parameters,
      document: { value: isRecord(t.Resources) ? t : { ...t, Resources: {} }, locate: (p) => fileDoc.locate(pointerIn(p)) },
      ...(withEvents && { generate }),
    });
    pushAll(out.diagnostics, loaded.diagnostics);
    for (const r of loaded.resources) r.source = { ...r.source, kind: 'serverless', ...(r.source.pointer !== undefined && { pointer: pointerIn(r.source.pointer) }) };
    return loaded.resources;
  };

  const resources: Resource[] = [];
  const raw = root.resources;
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : undefined;
  if (!items) {
    pushAll(resources, template(c.file, c.text, vars.resolve(raw), doc, inService('/resources'), true));
  } else {
    items.forEach((item, i) => {
      const pointer = Array.isArray(raw) ? joinPointer('/resources', i) : '/resources';
      const whole = typeof item === 'string' ? splitVariables(item.trim()) : [];
      const include = whole.length === 1 && 'variable' in whole[0]! ? FILE_ITEM.exec(whole[0].variable) : null;
      if (include) {
        const f = readFile(include[1]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
        if (f instanceof Unknown) {
          pushAll(resources, unreadable(c.file, item as string, doc, pointer, f.reason, out));
          return;
        }
        const key = include[2]?.trim();
        const base = key ? joinPointer('', ...key.split('.')) : '';
        const value = vars.resolve(key ? lookup(f.doc.value, key) : f.doc.value);
        pushAll(resources, template(f.file, f.text, value, f.doc, (p) => base + p, false));
        return;
      }
      const value = vars.resolve(item);
      if (value instanceof Unknown) {
        pushAll(resources, unreadable(c.file, String(item), doc, pointer, value.reason, out));
        return;
      }
      pushAll(resources, template(c.file, c.text, value, doc, inService(pointer), false));
    });
    // The function events, with nothing of the (separately loaded) fragments to refer to.
    pushAll(resources, template(c.file, c.text, {}, doc, inService('/resources'), true));
  }

  const suppressionsOf = functionSuppressions(root, doc, c.file);
  for (const r of resources) {
    const fn = r.source.file === c.file ? owners.get(r.id.slice(c.file.length + 1)) : undefined;
    const extra = fn !== undefined ? suppressionsOf(fn) : undefined;
    if (extra) r.suppressions = [...(r.suppressions ?? []), ...extra];
  }
  pushAll(out.resources, resources);
}

function lookup(root: unknown, key: string): unknown {
  let node = root;
  for (const k of key.split('.')) node = isRecord(node) ? node[k] : undefined;
  return node;
}

/**
 * A `resources` entry that cannot be read (a fragment file that is missing or a script): what
 * it declares is not known, so it stands for one resource of every kind with nothing known,
 * and every rule reports `unknown` at its line rather than passing what it never saw.
 */
function unreadable(file: string, label: string, doc: PositionedDocument, pointer: string, reason: string, out: Required<SourceOutput>): Resource[] {
  const pos = doc.locate(pointer);
  out.diagnostics.push({ severity: 'warning', code: 'serverless-resources-unreadable', message: `${reason}; what it declares is unknown`, file, ...(pos && { line: pos.line, column: pos.column }) });
  return RESOURCE_KINDS.map((kind): Resource => {
    const unresolved: Record<string, string> = {};
    unresolveAll(unresolved, kind, reason);
    return {
      kind,
      id: `${file}#${pointer}:${kind}`,
      name: label,
      properties: {},
      relations: {},
      unresolved,
      defaults: [],
      source: { kind: 'serverless', file, pointer, ...(pos && { line: pos.line, column: pos.column }) },
    };
  });
}

/**
 * Suppressions for the methods and routes of a function's events. The framework validates the
 * keys of a function (and rejects unknown ones with `configValidationMode: error`), but leaves
 * `custom` to the user, so they are written there, in the form of CloudFormation `Metadata`:
 *
 * ```yaml
 * custom:
 *   cognito-guard:
 *     functions:
 *       hello:
 *         suppressions:
 *           - rule: apigateway-method-authorization
 *             reason: Public health check that returns a constant (SEC-12)
 *             expires: 2027-03-31
 * ```
 */
function functionSuppressions(root: Record<string, unknown>, doc: PositionedDocument, file: string): (fn: string) => Resource['suppressions'] {
  const custom = isRecord(root.custom) ? root.custom[METADATA_KEY] : undefined;
  const base = joinPointer('/custom', METADATA_KEY);
  if (custom === undefined) return () => undefined;
  if (!isRecord(custom) || !isRecord(custom.functions) || Object.keys(custom).some((k) => k !== 'functions')) {
    const pos = doc.locate(base);
    throw new InputError(`custom.${METADATA_KEY}: must be a mapping with a \`functions\` mapping (function name: { suppressions })`, file, pos?.line, pos?.column);
  }
  const functions = custom.functions;
  return (fn) => {
    if (!Object.hasOwn(functions, fn)) return undefined;
    // The same entries as a resource's Metadata, read by the same code at this block's lines.
    const at = joinPointer(base, 'functions', fn);
    const prefix = joinPointer('', 'Metadata', METADATA_KEY);
    const located: PositionedDocument = { value: undefined, locate: (p) => doc.locate(p.startsWith(prefix) ? at + p.slice(prefix.length) : p) };
    try {
      return readInlineSuppressions({ Metadata: { [METADATA_KEY]: functions[fn] } }, '', located, file);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      throw new InputError(err.message.replace(`Metadata.${METADATA_KEY}:`, `custom.${METADATA_KEY}.functions.${fn}:`), err.file, err.line, err.column);
    }
  };
}
