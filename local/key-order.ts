// The order of keys in the local cloud's indexes: nedb's (model.compareThings), with the common
// cases first, and the shapes of a sort and of a range bound.
import model from '@seald-io/nedb/lib/model.js';

export type Sort = [string, 1 | -1][];

/** nedb's order (model.compareThings) with the common cases first. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) {
    const x = a.getTime();
    const y = b.getTime();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return model.compareThings(a, b);
}

/** nedb's order of types (model.compareThings): undefined, null, numbers, strings, booleans, dates, arrays, objects. */
export function typeRank(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (typeof v === 'boolean') return 4;
  if (v instanceof Date) return 5;
  if (Array.isArray(v)) return 6;
  return 7;
}

/** `$gt`/`$gte` and `$lt`/`$lte` of one field (numbers, strings or dates). */
export interface Bound {
  lo?: unknown;
  loInclusive?: boolean;
  hi?: unknown;
  hiInclusive?: boolean;
}
