import type { Position } from '../../model/resource.js';
import { InputError } from '../../util/input-error.js';
import { joinPointer } from '../../util/pointer.js';
import type { ParsedTfFile } from './parsed-file.js';
import { POSITIONS, scanPositions, type TfPositions } from './positions.js';
import { checkSuppressionComments } from './suppressions.js';

/**
 * The name the parser is given for every file: its messages repeat it before each problem, and
 * a fixed name lets them be split reliably whatever the real path holds. Errors are reported
 * with the real path.
 */
const PARSER_FILE = 'cognito-guard-input.tf';

/** The part of @cdktf/hcl2json the scanner calls. */
interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
}
let parser: Promise<Hcl2Json> | undefined;

/**
 * @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly, no native addon) reads and
 * instantiates its WebAssembly module when it is imported: imported on first use only, so a scan
 * without Terraform never pays for it. Its type declarations pull in the DOM library, which
 * would change Node's own types for the whole project, so the specifier is not typed (`as
 * string`); the bundler still sees a plain string and bundles the package.
 */
function hcl2json(): Promise<Hcl2Json> {
  return (parser ??= import('@cdktf/hcl2json' as string) as Promise<Hcl2Json>);
}

/** Parses HCL text to @cdktf/hcl2json's JSON: an InputError at the first problem's line and column. */
export async function parseHcl(file: string, text: string): Promise<Record<string, unknown>> {
  const { parse } = await hcl2json();
  try {
    return (await parse(PARSER_FILE, text)) as Record<string, unknown>;
  } catch (err) {
    throw parseError(file, text, err instanceof Error ? err.message : String(err));
  }
}

/**
 * Turns the parser's `parse config: [FILE:2,7-3,1: Summary; Detail FILE:4,1-2: ...]` into one
 * line about the first problem. A problem that is Terraform 0.11 syntax says so.
 */
function parseError(file: string, text: string, message: string): InputError {
  const inner = /^parse config: \[([\s\S]*)\]$/.exec(message.trim())?.[1] ?? message;
  const first = inner.split(new RegExp(`\\s(?=${PARSER_FILE.replace(/[.-]/g, '\\$&')}:\\d+,\\d+)`))[0]!;
  const m = new RegExp(`^${PARSER_FILE.replace(/[.-]/g, '\\$&')}:(\\d+),(\\d+)(?:-[\\d,]+)?: ([\\s\\S]*)$`).exec(first);
  if (!m) return new InputError(`not valid HCL: ${oneLine(first)}`, file);
  const line = Number(m[1]);
  const column = Number(m[2]);
  const [summary, ...detail] = m[3]!.split('; ');
  const at = textAt(text, line, column);
  if ((summary === 'Invalid argument name' || summary === 'Argument or block definition required') && at.startsWith('"')) {
    return legacy('quoted argument names ("Name" = ...); write Name = ... or use an object: tags = { Name = ... }', file, line, column);
  }
  return new InputError(`not valid HCL: ${oneLine([summary, ...detail].join('; ').replace(/\.$/, ''))}`, file, line, column);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function textAt(text: string, line: number, column: number): string {
  const lines = text.split('\n');
  return (lines[line - 1] ?? '').slice(column - 1);
}

function legacy(what: string, file: string, line?: number, column?: number): InputError {
  return new InputError(`Terraform 0.11 syntax is not supported: ${what} (upgrade with terraform 0.12upgrade)`, file, line, column);
}

/**
 * Reads one `.tf` file: parses it, finds the position of every block and argument, checks it
 * for Terraform 0.11 syntax and its `# cognito-guard:ignore` comments for mistakes. Throws an
 * InputError with the file, line and column otherwise.
 */
export async function parseTfFile(file: string, abs: string, text: string): Promise<ParsedTfFile> {
  const body = await parseHcl(file, text);
  const positions = scanPositions(text);
  const parsed: ParsedTfFile = {
    file,
    abs,
    body,
    locate: (path) => locateIn(positions, path),
    comments: positions.comments,
  };
  rejectTerraform011(parsed, positions);
  checkSuppressionComments(parsed);
  POSITIONS.set(parsed, positions);
  return parsed;
}

/** The position at `path`, else at the nearest enclosing entry that has one. */
function locateIn(positions: TfPositions, path: readonly (string | number)[]): Position | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = positions.entries.get(joinPointer('', ...path.slice(0, n)));
    if (found) return found;
  }
  return undefined;
}

/** Value types Terraform 0.11 wrote as quoted strings; 0.12 deprecated that and 0.15 removed it. */
const QUOTED_TYPES = new Set(['string', 'list', 'map']);
/** Map arguments that Terraform 0.11 let be written as blocks (`tags { Name = "x" }`). */
const MAP_ARGUMENTS = new Set(['tags', 'tags_all', 'vars', 'variables', 'environment']);
/**
 * In resources these are nested blocks of the AWS provider to this day (`aws_lambda_function`'s
 * `environment { variables = { ... } }`, `aws_codebuild_project`'s `environment { ... }`).
 */
const RESOURCE_BLOCKS = new Set(['environment']);

/**
 * What Terraform 1.x (and so this parser's reading of it) takes for something else but 0.11
 * meant: quoted type constraints, quoted references in `depends_on` and `provider`, map
 * arguments written as blocks, and a list built from one interpolated splat (`["${a.b.*.id}"]`,
 * which 0.12+ reads as a list holding one list). Reading these as 0.12 would scan something
 * other than what the author deploys.
 */
function rejectTerraform011(parsed: ParsedTfFile, positions: TfPositions): void {
  const fail = (path: (string | number)[], what: string): never => {
    const pos = parsed.locate(path);
    throw legacy(what, parsed.file, pos?.line, pos?.column);
  };
  const variables = parsed.body.variable;
  if (isRecord(variables)) {
    for (const [name, list] of Object.entries(variables)) {
      for (const [i, block] of asList(list).entries()) {
        const type = isRecord(block) ? block.type : undefined;
        if (typeof type === 'string' && QUOTED_TYPES.has(type)) fail(['variable', name, i, 'type'], `quoted type constraint type = "${type}"; write type = ${type}`);
      }
    }
  }
  for (const mode of ['resource', 'data', 'module', 'output']) {
    const section = parsed.body[mode];
    if (!isRecord(section)) continue;
    const blocks: Array<[(string | number)[], unknown]> = [];
    if (mode === 'resource' || mode === 'data') {
      for (const [type, byName] of Object.entries(section)) {
        if (isRecord(byName)) for (const [name, list] of Object.entries(byName)) asList(list).forEach((b, i) => blocks.push([[mode, type, name, i], b]));
      }
    } else {
      for (const [name, list] of Object.entries(section)) asList(list).forEach((b, i) => blocks.push([[mode, name, i], b]));
    }
    for (const [path, block] of blocks) {
      if (!isRecord(block)) continue;
      const dependsOn = block.depends_on;
      if (Array.isArray(dependsOn) && dependsOn.some((d) => typeof d === 'string' && !d.startsWith('${'))) {
        fail([...path, 'depends_on'], 'quoted references in depends_on; write depends_on = [aws_iam_role.x]');
      }
      if (typeof block.provider === 'string' && !block.provider.startsWith('${')) {
        fail([...path, 'provider'], `quoted provider reference provider = "${block.provider}"; write provider = ${block.provider}`);
      }
      for (const [key, value] of Object.entries(block)) {
        const nestedBlock = (mode === 'resource' || mode === 'data') && RESOURCE_BLOCKS.has(key);
        if (MAP_ARGUMENTS.has(key) && !nestedBlock && positions.entries.has(joinPointer('', ...path, key, 0))) {
          fail([...path, key, 0], `${key} written as a block; write ${key} = { ... }`);
        }
        if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && /^\$\{[^}]*\.\*[^}]*\}$/.test(value[0])) {
          fail([...path, key], `a list built from an interpolated splat ${key} = ["${value[0]}"]; write ${key} = ${value[0].slice(2, -1)}`);
        }
      }
    }
  }
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
