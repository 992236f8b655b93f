// Ordered indexes for the local cloud, the way MongoDB (and CloudBase) use database.json's
// compound indexes: equality on a prefix of the index's fields, then the sort read off the
// index in order (forwards or backwards), stopping after skip + limit matches.
//
// nedb's own indexes only help when a query gives *every* field of a compound index by equality,
// and nedb sorts every candidate in memory before it skips and limits. So a page of "this
// community's orders, newest first" used to scan and sort the whole collection, and the time of
// every list grew with the data. These indexes keep one sorted array of entries per index in
// database.json (multikey: one entry per element of an array field), maintained through nedb's
// index hooks, so a page costs about its own size.
//
// Results are the same as nedb's: the full query is matched against every document walked;
// documents that tie on the sort come in `_id` order (nedb's order for a scan); a query the
// planner cannot serve (no usable index, a sort that is not an index order, an array-valued sort
// field) goes to nedb as before.
//
// This file holds the index itself (entries in key order, kept in step through nedb's hooks, the
// walk); ordered-plan.ts picks the walks that serve a query.
import type Datastore from '@seald-io/nedb';
import model from '@seald-io/nedb/lib/model.js';
import type { IndexSpec } from './database-config';
import type { Doc } from './update';
import { compareKeys, typeRank, type Bound, type Sort } from './key-order';

export type { Bound, Sort } from './key-order';

/** A document's key in one index (one per combination of array elements). */
interface Entry {
  key: unknown[];
  doc: Doc;
  /** No index field holds an array: the index keeps the document alone and reads the key off it. */
  plain: boolean;
}

/** A slot of a document whose index fields hold arrays: one per element (combination). */
class Multi {
  constructor(
    readonly key: unknown[],
    readonly doc: Doc,
  ) {}
}

/**
 * The index keeps one slot per entry, in key order: the document itself (8 bytes) when its key is
 * read straight off it, a Multi for array elements. Keys of every entry would cost ~100 bytes each
 * (21 indexes on orders: more memory than the documents, docs/local-store.md).
 */
type Slot = Doc | Multi;

const docOf = (s: Slot): Doc => (s instanceof Multi ? s.doc : s);

export class OrderedIndex {
  readonly fields: string[];
  readonly dirs: (1 | -1)[];
  private readonly dotted: boolean[];
  private slots: Slot[] = [];
  /** Inserted but not merged yet (bulk inserts merge once, at the next read or removal). */
  private pending: Entry[] = [];

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.keys);
    this.dirs = this.fields.map((f) => spec.keys[f]);
    this.dotted = this.fields.map((f) => f.includes('.'));
  }

  /** One entry per combination of array elements (a multikey index); an empty array indexes as undefined. */
  private entriesOf(doc: Doc): Entry[] {
    const n = this.fields.length;
    const key: unknown[] = new Array(n);
    let plain = true;
    for (let i = 0; i < n && plain; i++) {
      key[i] = this.dotted[i] ? model.getDotValue(doc, this.fields[i]) : doc[this.fields[i]];
      plain = !Array.isArray(key[i]);
    }
    if (plain) return [{ key, doc, plain }];
    let keys: unknown[][] = [[]];
    for (const field of this.fields) {
      const v = model.getDotValue(doc, field);
      const values = Array.isArray(v) ? (v.length ? [...new Set(v)] : [undefined]) : [v];
      keys = values.length === 1 ? keys.map((k) => [...k, values[0]]) : keys.flatMap((k) => values.map((x) => [...k, x]));
    }
    return keys.map((k) => ({ key: k, doc, plain: false }));
  }

  private keyAt(s: Slot, i: number): unknown {
    if (s instanceof Multi) return s.key[i];
    return this.dotted[i] ? model.getDotValue(s, this.fields[i]) : s[this.fields[i]];
  }

  /** Order of entries: the fields in the index's directions, then `_id` ascending. */
  private compare = (a: Entry, b: Entry): number => {
    for (let i = 0; i < this.fields.length; i++) {
      const c = compareKeys(a.key[i], b.key[i]) * this.dirs[i];
      if (c !== 0) return c;
    }
    return compareKeys(a.doc._id, b.doc._id);
  };

  /** The same order between a slot and an entry. */
  private compareSlot(s: Slot, e: Entry): number {
    for (let i = 0; i < this.fields.length; i++) {
      const c = compareKeys(this.keyAt(s, i), e.key[i]) * this.dirs[i];
      if (c !== 0) return c;
    }
    return compareKeys(docOf(s)._id, e.doc._id);
  }

  reset(docs?: Doc | Doc[]): void {
    this.pending = [];
    this.slots = [];
    if (docs) this.insert(docs);
    this.flush();
  }

  insert(docs: Doc | Doc[]): void {
    for (const doc of Array.isArray(docs) ? docs : [docs]) for (const e of this.entriesOf(doc)) this.pending.push(e);
  }

  remove(docs: Doc | Doc[]): void {
    this.flush();
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      for (const e of this.entriesOf(doc)) {
        const i = this.lowerBound(e);
        if (i < this.slots.length && docOf(this.slots[i])._id === doc._id && this.compareSlot(this.slots[i], e) === 0) {
          this.slots.splice(i, 1);
        }
      }
    }
  }

  update(oldDoc: Doc | { oldDoc: Doc; newDoc: Doc }[], newDoc?: Doc): void {
    const pairs = Array.isArray(oldDoc) ? oldDoc : [{ oldDoc, newDoc: newDoc as Doc }];
    for (const p of pairs) {
      if (p.oldDoc._id === p.newDoc._id && this.replace(p.oldDoc, p.newDoc)) continue;
      this.remove(p.oldDoc);
      this.insert(p.newDoc);
    }
  }

  /**
   * An update moves only the entries whose key changed: an entry whose key stays (most of the 21
   * indexes of `orders` for a change of a few fields, a timeline actor already there) keeps its
   * place and takes the new document. Removing and inserting every entry instead splices the array
   * twice each, moving the whole array (110 000 orders, 500 000 timeline entries): that was most of
   * a write's time at 100 000 orders (docs/local-store.md). False, changing nothing, when an old
   * entry is not where it should be (the caller then removes and inserts).
   */
  private replace(oldDoc: Doc, newDoc: Doc): boolean {
    const before = this.entriesOf(oldDoc);
    const after = this.entriesOf(newDoc);
    this.flush();
    const at: number[] = [];
    for (const e of before) {
      const i = this.lowerBound(e);
      if (i >= this.slots.length || docOf(this.slots[i]) !== oldDoc) return false;
      at.push(i);
    }
    const kept = new Set<number>();
    const gone: number[] = [];
    for (let k = 0; k < before.length; k++) {
      const j = after.findIndex((e, n) => !kept.has(n) && this.compare(before[k], e) === 0);
      if (j < 0) {
        gone.push(at[k]);
        continue;
      }
      kept.add(j);
      this.slots[at[k]] = after[j].plain ? newDoc : new Multi(after[j].key, newDoc);
    }
    // From the end, so the positions found above stay right.
    for (const i of gone.sort((x, y) => y - x)) this.slots.splice(i, 1);
    for (let n = 0; n < after.length; n++) if (!kept.has(n)) this.pending.push(after[n]);
    return true;
  }

  revertUpdate(oldDoc: Doc | { oldDoc: Doc; newDoc: Doc }[], newDoc?: Doc): void {
    const pairs = Array.isArray(oldDoc) ? oldDoc : [{ oldDoc, newDoc: newDoc as Doc }];
    this.update(pairs.map((p) => ({ oldDoc: p.newDoc, newDoc: p.oldDoc })));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const add = this.pending.sort(this.compare);
    this.pending = [];
    const slot = (e: Entry): Slot => (e.plain ? e.doc : new Multi(e.key, e.doc));
    if (this.slots.length === 0) {
      this.slots = add.map(slot);
      return;
    }
    if (add.length <= 32) {
      // A few: binary search and splice each.
      for (const e of add) this.slots.splice(this.lowerBound(e), 0, slot(e));
      return;
    }
    // Many: each new entry's place by binary search from the last one's, the runs between copied
    // as they are. Comparing every old entry instead cost ~100 ms an index at 1 million entries
    // (a reminder's 3 000 messages, then the next read of `messages`).
    const old = this.slots;
    const merged: Slot[] = new Array(old.length + add.length);
    let i = 0;
    let k = 0;
    for (const e of add) {
      const at = this.upperBound(e, i);
      while (i < at) merged[k++] = old[i++];
      merged[k++] = slot(e);
    }
    while (i < old.length) merged[k++] = old[i++];
    this.slots = merged;
  }

  /** The first slot at or after `lo` that sorts after `e` (equal slots stay before it). */
  private upperBound(e: Entry, lo: number): number {
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareSlot(this.slots[mid], e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(e: Entry): number {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareSlot(this.slots[mid], e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** [from, to) of the entries whose first `prefix.length` fields equal `prefix`. */
  private range(prefix: unknown[]): [number, number] {
    this.flush();
    const cmp = (s: Slot): number => {
      for (let i = 0; i < prefix.length; i++) {
        const c = compareKeys(this.keyAt(s, i), prefix[i]) * this.dirs[i];
        if (c !== 0) return c;
      }
      return 0;
    };
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.slots[mid]) < 0) lo = mid + 1;
      else hi = mid;
    }
    const from = lo;
    hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.slots[mid]) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return [from, lo];
  }

  /**
   * Narrows [from, to) to the entries whose field `at` can satisfy `bound` (entries outside can
   * never match it: the bound's type sorts apart from every other type, array elements have their
   * own entries).
   */
  private narrow(from: number, to: number, at: number, bound: Bound): [number, number] {
    const dir = this.dirs[at];
    // First index in [lo, hi) where pred turns true (pred is monotonic over the range).
    const search = (lo: number, hi: number, pred: (v: unknown) => boolean) => {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (pred(this.keyAt(this.slots[mid], at))) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const cmp = (v: unknown, b: unknown) => model.compareThings(v, b);
    // A range compares values of its own type only (MongoDB's type bracketing, nedb's
    // areComparable): first narrow to the entries of the bound's type, so a one-sided range
    // (`redAt <= now`) does not walk the documents whose field is null or missing.
    const rank = typeRank(bound.lo !== undefined ? bound.lo : bound.hi);
    let start = search(from, to, (v) => (dir === 1 ? typeRank(v) >= rank : typeRank(v) <= rank));
    let end = search(start, to, (v) => (dir === 1 ? typeRank(v) > rank : typeRank(v) < rank));
    const last = end;
    if (dir === 1) {
      if (bound.lo !== undefined)
        start = search(start, last, (v) => (bound.loInclusive ? cmp(v, bound.lo) >= 0 : cmp(v, bound.lo) > 0));
      if (bound.hi !== undefined)
        end = search(start, last, (v) => (bound.hiInclusive ? cmp(v, bound.hi) > 0 : cmp(v, bound.hi) >= 0));
    } else {
      if (bound.hi !== undefined)
        start = search(start, last, (v) => (bound.hiInclusive ? cmp(v, bound.hi) <= 0 : cmp(v, bound.hi) < 0));
      if (bound.lo !== undefined)
        end = search(start, last, (v) => (bound.loInclusive ? cmp(v, bound.lo) < 0 : cmp(v, bound.lo) <= 0));
    }
    return [start, Math.max(start, end)];
  }

  /** Every document with an entry in the range (`prefix`, then `bound` on the next field): candidates, unmatched. */
  docsIn(prefix: unknown[], bound?: Bound): Doc[] {
    let [from, to] = this.range(prefix);
    if (bound) [from, to] = this.narrow(from, to, prefix.length, bound);
    const out: Doc[] = new Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = docOf(this.slots[i]);
    return out;
  }

  /**
   * Up to `need` documents matching `query` among those whose leading fields equal `prefix`,
   * in `sort` order (ties by `_id`), walking forwards (`step` 1) or backwards (-1). Undefined
   * when a sort field holds an array (nedb orders those differently).
   */
  walk(
    prefix: unknown[],
    step: 1 | -1,
    sort: Sort,
    query: unknown,
    need: number,
    bound?: Bound,
    examined?: { n: number },
  ): Doc[] | undefined {
    let [from, to] = this.range(prefix);
    if (bound) [from, to] = this.narrow(from, to, prefix.length, bound);
    const out: Doc[] = [];
    const seen = new Set<unknown>();
    let group: Doc[] = [];
    let groupKey: unknown[] | undefined;
    const sortKey = (d: Doc) => sort.map(([f]) => model.getDotValue(d, f));
    const sameKey = (a: unknown[], b: unknown[]) => a.every((x, i) => model.compareThings(x, b[i]) === 0);
    const emit = () => {
      if (group.length > 1) group.sort((a, b) => model.compareThings(a._id, b._id));
      for (const d of group) if (out.length < need) out.push(d);
      group = [];
    };
    for (let i = step === 1 ? from : to - 1; step === 1 ? i < to : i >= from; i += step) {
      const doc = docOf(this.slots[i]);
      if (seen.has(doc._id)) continue;
      seen.add(doc._id);
      if (examined) examined.n++;
      if (!model.match(doc, query)) continue;
      const key = sortKey(doc);
      if (key.some((v) => Array.isArray(v))) return undefined;
      if (groupKey && !sameKey(key, groupKey)) {
        emit();
        if (out.length >= need) return out;
      }
      groupKey = key;
      group.push(doc);
    }
    emit();
    return out;
  }
}

/**
 * Keeps `indexes` in step with the datastore (nedb calls these hooks on every change), and
 * answers nedb's look-up of the documents a query may match (every count, update, remove and
 * unsorted find) from them when they can; nedb's own indexes are `_id` and unique ones only.
 */
export function attachOrderedIndexes(
  ds: Datastore,
  specs: IndexSpec[],
  candidatesOf: (indexes: OrderedIndex[], query: Record<string, unknown>) => Doc[] | undefined,
): OrderedIndex[] {
  const indexes = specs.map((s) => new OrderedIndex(s));
  const hooks = ds as unknown as {
    _addToIndexes(doc: Doc): void;
    _removeFromIndexes(doc: Doc): void;
    _updateIndexes(oldDoc: unknown, newDoc?: Doc): void;
    _resetIndexes(newData?: Doc | Doc[]): void;
    _getRawCandidates(query: Record<string, unknown>): Doc[];
    getAllData(): Doc[];
  };
  const rawCandidates = hooks._getRawCandidates.bind(ds);
  hooks._getRawCandidates = (query) => candidatesOf(indexes, query) ?? rawCandidates(query);
  const add = hooks._addToIndexes.bind(ds);
  const remove = hooks._removeFromIndexes.bind(ds);
  const update = hooks._updateIndexes.bind(ds);
  const reset = hooks._resetIndexes.bind(ds);
  hooks._addToIndexes = (doc) => {
    add(doc);
    for (const ix of indexes) ix.insert(doc);
  };
  hooks._removeFromIndexes = (doc) => {
    remove(doc);
    for (const ix of indexes) ix.remove(doc);
  };
  hooks._updateIndexes = (oldDoc, newDoc) => {
    update(oldDoc, newDoc);
    for (const ix of indexes) ix.update(oldDoc as Doc, newDoc);
  };
  hooks._resetIndexes = (newData) => {
    reset(newData);
    for (const ix of indexes) ix.reset(newData);
  };
  const all = hooks.getAllData();
  for (const ix of indexes) ix.reset(all);
  return indexes;
}
