// Planning for the ordered indexes (ordered-index.ts): reads the equality, `$in`, range and `$or`
// conditions of a translated (nedb) query, picks the index walks that serve it in sort order, and
// reads a page off them (findOrdered), or leaves the query to nedb.
import model from '@seald-io/nedb/lib/model.js';
import type { Bound, OrderedIndex, Sort } from './ordered-index';
import type { Doc } from './update';

interface Constraints {
  eq: Map<string, unknown>;
  in: Map<string, unknown[]>;
  range: Map<string, Bound>;
}

const isKeyValue = (v: unknown): boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);
const isBoundValue = (v: unknown): boolean => typeof v === 'number' || typeof v === 'string' || v instanceof Date;

/** The equality and `$in` conditions of a translated (nedb) query, and its `$or` clauses. */
function constraintsOf(query: Record<string, unknown>): { c: Constraints; ors: Record<string, unknown>[][] } {
  const c: Constraints = { eq: new Map(), in: new Map(), range: new Map() };
  const ors: Record<string, unknown>[][] = [];
  const visit = (q: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(q)) {
      if (k === '$and' && Array.isArray(v)) for (const part of v) visit(part as Record<string, unknown>);
      else if (k === '$or' && Array.isArray(v)) ors.push(v as Record<string, unknown>[]);
      else if (k.startsWith('$')) continue;
      else if (isKeyValue(v)) c.eq.set(k, v);
      else if (v && typeof v === 'object' && !Array.isArray(v)) {
        const ops = Object.keys(v);
        const list = (v as { $in?: unknown }).$in;
        if (ops.length === 1 && Array.isArray(list) && list.length > 0 && list.every(isKeyValue)) c.in.set(k, list);
        else if (ops.length > 0 && ops.every((op) => RANGE_OPS.has(op))) {
          const ops2 = v as Record<string, unknown>;
          if (!ops.every((op) => isBoundValue(ops2[op]))) continue;
          const b: Bound = { ...c.range.get(k) };
          // Two bounds of one side: keep either (both are checked on every document anyway).
          if ('$gt' in ops2) Object.assign(b, { lo: ops2.$gt, loInclusive: false });
          if ('$gte' in ops2) Object.assign(b, { lo: ops2.$gte, loInclusive: true });
          if ('$lt' in ops2) Object.assign(b, { hi: ops2.$lt, hiInclusive: false });
          if ('$lte' in ops2) Object.assign(b, { hi: ops2.$lte, hiInclusive: true });
          c.range.set(k, b);
        }
      }
    }
  };
  visit(query);
  return { c, ors };
}

interface Point {
  index: OrderedIndex;
  prefix: unknown[];
  step: 1 | -1;
  /** A range on the field after the prefix. */
  bound?: Bound;
}

const MAX_POINTS = 1000;

/** The index walks that serve one set of constraints in `sort` order, or undefined. */
function pointsFor(
  indexes: OrderedIndex[],
  c: Constraints,
  sort: Sort,
  anyOrder = false,
): { points: Point[]; prefixLength: number } | undefined {
  // Sort fields fixed by equality do not order anything.
  const effective = anyOrder ? [] : sort.filter(([f]) => !c.eq.has(f));
  let best: { points: Point[]; prefixLength: number } | undefined;
  for (const index of indexes) {
    let p = 0;
    let combos = 1;
    while (p < index.fields.length && (c.eq.has(index.fields[p]) || c.in.has(index.fields[p]))) {
      const list = c.in.get(index.fields[p]);
      if (!c.eq.has(index.fields[p]) && list) {
        if (combos * list.length > MAX_POINTS) break;
        combos *= list.length;
      }
      p++;
    }
    if (p === 0) continue;
    // The walk order after the prefix: the remaining fields, then _id ascending.
    const rest: [string, number][] = [
      ...index.fields.slice(p).map((f, i) => [f, index.dirs[p + i]] as [string, number]),
      ['_id', 1],
    ];
    if (effective.length > rest.length) continue;
    let step: 1 | -1 | 0 = 0;
    let ok = true;
    for (let i = 0; i < effective.length && ok; i++) {
      const [field, dir] = effective[i];
      if (rest[i][0] !== field) ok = false;
      else {
        const s = (dir === rest[i][1] ? 1 : -1) as 1 | -1;
        if (step === 0) step = s;
        else if (step !== s) ok = false;
      }
    }
    if (!ok) continue;
    if (best && best.prefixLength >= p) continue;
    let prefixes: unknown[][] = [[]];
    for (const f of index.fields.slice(0, p)) {
      const values = c.eq.has(f) ? [c.eq.get(f)] : c.in.get(f)!;
      prefixes = prefixes.flatMap((pre) => values.map((v) => [...pre, v]));
    }
    const bound = p < index.fields.length ? c.range.get(index.fields[p]) : undefined;
    best = { points: prefixes.map((prefix) => ({ index, prefix, step: step || 1, bound })), prefixLength: p };
  }
  return best;
}

/** How the store answered a read: an index walk (which indexes, documents looked at), nedb's `_id` index, or nedb's scan. */
export interface ReadPlan {
  plan: 'walk' | 'scan' | 'id';
  /** The indexes walked (one per `$or` branch or `$in` point, deduplicated). */
  indexes?: string[];
  /** Documents the walks looked at (matched against the query), skipped pages included. */
  examined?: number;
}

/**
 * A page of `find(query).sort(sort).skip(offset).limit(limit)` read off the ordered indexes, or
 * undefined when nedb should answer (no usable index, `_id` lookups, shapes it serves as well).
 */
export function findOrdered(
  indexes: OrderedIndex[],
  query: Record<string, unknown>,
  sortSpec: Record<string, 1 | -1> | undefined,
  offset: number,
  limit: number,
  report?: ReadPlan,
): Doc[] | undefined {
  const page = walkIndexes(indexes, query, sortSpec, offset, limit, report);
  // What is left to nedb, other than an _id lookup, is a scan.
  if (!page && report && report.plan !== 'id') report.plan = 'scan';
  return page;
}

function walkIndexes(
  indexes: OrderedIndex[],
  query: Record<string, unknown>,
  sortSpec: Record<string, 1 | -1> | undefined,
  offset: number,
  limit: number,
  report?: ReadPlan,
): Doc[] | undefined {
  const { c, ors } = constraintsOf(query);
  if (c.eq.has('_id') || c.in.has('_id')) {
    if (report) report.plan = 'id';
    return undefined; // nedb's _id index
  }
  if (indexes.length === 0) return undefined;
  const sorted = Boolean(sortSpec && Object.keys(sortSpec).length > 0);
  // Without a sort nedb answers in _id order: read the indexes in that order too.
  const sort: Sort = sorted ? Object.entries(sortSpec!) : [['_id', 1]];

  let plan = pointsFor(indexes, c, sort);
  // Unsorted and no index in _id order: read every match of the best prefix, then order by _id.
  let collectAll = false;
  if (!sorted) {
    const any = pointsFor(indexes, c, sort, true);
    if (any && any.prefixLength >= 2 && (!plan || any.prefixLength > plan.prefixLength)) {
      plan = any;
      collectAll = true;
    }
  }
  if (ors.length === 1) {
    // One walk per branch of an $or when that narrows every branch further.
    const branches = ors[0].map((branch) => {
      const b = constraintsOf(branch).c;
      for (const [k, v] of c.eq) if (!b.eq.has(k)) b.eq.set(k, v);
      for (const [k, v] of c.in) if (!b.in.has(k) && !b.eq.has(k)) b.in.set(k, v);
      return pointsFor(indexes, b, sort, collectAll);
    });
    const min = Math.min(...branches.map((b) => (b ? b.prefixLength : 0)));
    if (branches.every(Boolean) && min > (plan?.prefixLength ?? 0)) {
      plan = { points: branches.flatMap((b) => b!.points), prefixLength: min };
    }
  }
  if (!plan) return undefined;
  // Unsorted, a one-field prefix is no better than nedb's own scan with an early stop.
  if (!sorted && plan.prefixLength < 2 && plan.points.length === 1) return undefined;

  const need = collectAll ? Infinity : offset + limit;
  const found: Doc[] = [];
  const examined = { n: 0 };
  for (const point of plan.points) {
    const docs = point.index.walk(point.prefix, point.step, sort, query, need, point.bound, examined);
    if (!docs) return undefined;
    found.push(...docs);
  }
  if (report) {
    report.plan = 'walk';
    report.indexes = [...new Set(plan.points.map((p) => p.index.spec.name))];
    report.examined = examined.n;
  }
  if (plan.points.length === 1 && !collectAll) return found.slice(offset, need);
  const byId = new Map<unknown, Doc>();
  for (const d of found) byId.set(d._id, d);
  const merged = [...byId.values()].sort((a, b) => {
    for (const [f, dir] of sort) {
      const r = model.compareThings(model.getDotValue(a, f), model.getDotValue(b, f)) * dir;
      if (r !== 0) return r;
    }
    return model.compareThings(a._id, b._id);
  });
  return merged.slice(offset, offset + limit);
}

/**
 * The documents `query` may match, read off the ordered index that fixes most of its fields (and a
 * range on the next one), in `_id` order like nedb's scan; undefined when no index fixes a field
 * or the query names `_id` (nedb's own index). nedb matches every candidate against the query.
 */
export function candidatesOf(indexes: OrderedIndex[], query: Record<string, unknown>): Doc[] | undefined {
  if (indexes.length === 0) return undefined;
  const { c } = constraintsOf(query);
  if (c.eq.has('_id') || c.in.has('_id')) return undefined;
  const plan = pointsFor(indexes, c, [], true);
  if (!plan) return undefined;
  const byId = new Map<unknown, Doc>();
  for (const p of plan.points) for (const d of p.index.docsIn(p.prefix, p.bound)) byId.set(d._id, d);
  return [...byId.values()].sort(byIdOrder);
}

/** nedb's order of `_id`s (model.compareThings), with a fast path for two strings. */
function byIdOrder(a: Doc, b: Doc): number {
  const x = a._id;
  const y = b._id;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return model.compareThings(x, y);
}
