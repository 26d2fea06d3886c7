import type { ResourceKind } from '../model/kinds.js';
import type { Resource } from '../model/resource.js';

/** Every resource of a scan, indexed, with relations linked both ways. Read-only. */
export interface ResourceGraph {
  readonly resources: readonly Resource[];
  get(id: string): Resource | undefined;
  ofKind(kind: ResourceKind): readonly Resource[];
  /** Resources `from.relations[relation]` names (ids not in the scan are skipped). */
  related(from: Resource, relation: string): readonly Resource[];
  /** Resources whose `relations[relation]` names `to`. */
  referencedBy(to: Resource, relation: string): readonly Resource[];
  /** What the named function's `prepare` returned, if it has one. */
  prepared(fn: string): unknown;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * What the graph needs of a typed function: its optional once-per-scan `prepare` step. The scan
 * passes the function list in (`buildGraph(resources, FUNCTIONS)`), so the graph does not
 * depend on the functions, which depend on the graph.
 */
export interface GraphPreparer {
  prepare?(graph: ResourceGraph): Promise<unknown>;
}

/**
 * Indexes resources by id and kind, links inverse relations, deep-freezes the resources (in
 * place) and runs the async `prepare` step of every function in `functions`, so that
 * evaluation is synchronous and pure.
 */
export async function buildGraph(resources: Resource[], functions: Readonly<Record<string, GraphPreparer>>): Promise<ResourceGraph> {
  const graph = indexResources(resources);
  const prepared = new Map<string, unknown>();
  for (const [name, fn] of Object.entries(functions)) {
    if (fn.prepare) prepared.set(name, await fn.prepare(graph));
  }
  return { ...graph, prepared: (fn) => prepared.get(fn) };
}

/** The synchronous part of {@link buildGraph}: indexes and freezes, prepares nothing. */
export function indexResources(resources: Resource[]): ResourceGraph {
  const byId = new Map<string, Resource>();
  const byKind = new Map<ResourceKind, Resource[]>();
  // relation -> target id -> sources
  const inverse = new Map<string, Map<string, Resource[]>>();
  for (const r of resources) {
    deepFreeze(r);
    byId.set(r.id, r);
    let list = byKind.get(r.kind);
    if (!list) byKind.set(r.kind, (list = []));
    list.push(r);
  }
  for (const r of resources) {
    for (const [relation, ids] of Object.entries(r.relations)) {
      let targets = inverse.get(relation);
      if (!targets) inverse.set(relation, (targets = new Map()));
      for (const id of ids) {
        let sources = targets.get(id);
        if (!sources) targets.set(id, (sources = []));
        if (!sources.includes(r)) sources.push(r);
      }
    }
  }
  const frozen = Object.freeze([...resources]);
  const none: readonly Resource[] = Object.freeze([]);
  return {
    resources: frozen,
    get: (id) => byId.get(id),
    ofKind: (kind) => byKind.get(kind) ?? none,
    related: (from, relation) =>
      (Object.hasOwn(from.relations, relation) ? from.relations[relation]! : []).flatMap((id) => {
        const r = byId.get(id);
        return r ? [r] : [];
      }),
    referencedBy: (to, relation) => inverse.get(relation)?.get(to.id) ?? none,
    prepared: () => undefined,
  };
}
