import type { Position } from '../model/resource.js';
import type { PositionedDocument } from '../util/yaml-document.js';
import { joinPointer } from '../util/pointer.js';

/**
 * Maps every property path under `base` (dotted keys, `[i]` for array items: `a.b[2].c`) to
 * its position in the document, for sources whose property names are already normalized.
 */
export function propertyPositions(doc: PositionedDocument, value: unknown, base: string): Record<string, Position> {
  const out: Record<string, Position> = {};
  const walk = (node: unknown, pointer: string, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        const p = `${path}[${i}]`;
        const ptr = joinPointer(pointer, i);
        const pos = doc.locate(ptr);
        if (pos) out[p] = pos;
        walk(item, ptr, p);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const p = path ? `${path}.${key}` : key;
        const ptr = joinPointer(pointer, key);
        const pos = doc.locate(ptr);
        if (pos) out[p] = pos;
        walk(child, ptr, p);
      }
    }
  };
  walk(value, base, '');
  return out;
}
