/**
 * Largest and smallest of an array in one loop. `Math.max(...xs)` passes every element as an
 * argument and throws RangeError (call stack) from about 120,000 elements, which a 200,000-task
 * launch reached (issue 13); these work for any length. Empty arrays give the fallback.
 */
export function maxOf(xs: readonly number[], fallback = -Infinity): number {
  if (xs.length === 0) return fallback;
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m) m = xs[i]!;
  return m;
}

export function minOf(xs: readonly number[], fallback = Infinity): number {
  if (xs.length === 0) return fallback;
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! < m) m = xs[i]!;
  return m;
}

/** `target.push(...items)` without the spread: the same call-stack limit applies to push. */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
  return target;
}
