/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every item as a call
 * argument and throws "Maximum call stack size exceeded" past about 100,000 items, which a
 * large generated template reaches.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

/** The largest of `values` (or `empty` for none), without spreading them into a call. */
export function maxOf(values: Iterable<number>, empty = 0): number {
  let max: number | undefined;
  for (const v of values) if (max === undefined || v > max) max = v;
  return max ?? empty;
}
