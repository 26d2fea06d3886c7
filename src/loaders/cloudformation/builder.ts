import type { Diagnostic } from '../../model/finding.js';
import type { ResourceKind } from '../../model/kinds.js';
import type { Position } from '../../model/resource.js';
import { joinPointer } from '../../util/pointer.js';
import type { PositionedDocument } from '../../util/yaml-document.js';
import type { PathSegment, PropertyReader, Target } from '../scope.js';
import { Unknown, type EvalContext, type Evaluated } from './intrinsics.js';
import { valueAt } from '../values.js';

export * from '../scope.js';

/** What every mapper can see of the template being loaded. */
export interface TemplateContext {
  file: string;
  doc: PositionedDocument;
  eval: EvalContext;
  /** The raw `Resources` section (before evaluation). */
  resources: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Per-template memo for derived values (API resource paths), keeping the load linear. */
  memo: Map<string, unknown>;
  /** Start of resource ids (`<idBase>#<LogicalId>`); `file` when absent. */
  idBase?: string;
}

/** Reads evaluated properties of one template resource and says where they came from. */
export class Reader implements PropertyReader {
  constructor(
    readonly ctx: Pick<TemplateContext, 'doc'>,
    /** Evaluated `Properties` (or the Unknown the whole block evaluated to). */
    readonly props: Record<string, Evaluated> | Unknown,
    /** Pointer of the `Properties` entry, e.g. `/Resources/UserPool/Properties`. */
    readonly base: string,
    /** Pointer of the resource, used when a property has no position of its own. */
    readonly resourcePointer: string,
  ) {}

  /** The evaluated value at `path` below Properties; an Unknown met on the way is returned. */
  get(path: readonly PathSegment[]): Evaluated | undefined {
    return valueAt(this.props, path);
  }

  /** Position of the CloudFormation property at `path`, or of its nearest enclosing entry. */
  locate(path: readonly PathSegment[]): Position | undefined {
    for (let n = path.length; n >= 0; n--) {
      const pos = this.ctx.doc.locate(joinPointer(this.base, ...path.slice(0, n)));
      if (pos) return pos;
    }
    return this.ctx.doc.locate(this.resourcePointer);
  }
}

/** One template resource (or a resource generated from one, such as an OpenAPI method) being built. */
export interface Built {
  logicalId: string;
  /** CloudFormation type, e.g. `AWS::IAM::Role`. */
  type: string;
  kind: ResourceKind;
  id: string;
  name: string;
  /** Pointer of the resource (or of the generated resource's definition). */
  pointer: string;
  reader: Reader;
  target: Target;
}

