// nedb's `_id` index as one sorted array of documents instead of an AVL tree: 8 bytes a document
// instead of ~160 (docs/local-store.md), the same answers. nedb calls it through the interface of
// its Index (indexes.js): insert/remove/update with rollback on a unique violation, getMatching,
// getBetweenBounds, and getAll, which is every scan's order (`_id` ascending, model.compareThings).
import model from '@seald-io/nedb/lib/model.js';
import { compareKeys } from './key-order';
import type { Doc } from './update';

type Pair = { oldDoc: Doc; newDoc: Doc };

function uniqueViolated(key: unknown): Error {
  // The AVL tree's error, which the store turns into CloudBase's E11000.
  return Object.assign(new Error(`Can't insert key ${JSON.stringify(key)}, it violates the unique constraint`), {
    key,
    errorType: 'uniqueViolated',
  });
}

const byId = (a: Doc, b: Doc) => compareKeys(a._id, b._id);

export class IdIndex {
  readonly fieldName = '_id';
  readonly unique = true;
  readonly sparse = false;
  private docs: Doc[] = [];

  /** First position whose `_id` is not below `id`. */
  private lowerBound(id: unknown): number {
    let lo = 0;
    let hi = this.docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.docs[mid]._id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private find(id: unknown): number {
    const i = this.lowerBound(id);
    return i < this.docs.length && compareKeys(this.docs[i]._id, id) === 0 ? i : -1;
  }

  reset(newData?: Doc | Doc[]): void {
    this.docs = [];
    if (newData) this.insert(newData);
  }

  insert(doc: Doc | Doc[]): void {
    if (!Array.isArray(doc)) {
      const i = this.lowerBound(doc._id);
      if (i < this.docs.length && compareKeys(this.docs[i]._id, doc._id) === 0) throw uniqueViolated(doc._id);
      if (i === this.docs.length) this.docs.push(doc);
      else this.docs.splice(i, 0, doc);
      return;
    }
    if (this.docs.length === 0 && doc.length > 32) {
      // A load: one sort. A duplicate goes the one-by-one way, which fails on it like nedb.
      const sorted = doc.slice().sort(byId);
      if (sorted.every((d, i) => i === 0 || byId(sorted[i - 1], d) !== 0)) {
        this.docs = sorted;
        return;
      }
    }
    for (let i = 0; i < doc.length; i++) {
      try {
        this.insert(doc[i]);
      } catch (err) {
        for (let j = 0; j < i; j++) this.remove(doc[j]);
        throw err;
      }
    }
  }

  remove(doc: Doc | Doc[]): void {
    if (Array.isArray(doc)) {
      for (const d of doc) this.remove(d);
      return;
    }
    // Like the tree: only this very document leaves.
    const i = this.find(doc._id);
    if (i >= 0 && this.docs[i] === doc) this.docs.splice(i, 1);
  }

  update(oldDoc: Doc | Pair[], newDoc?: Doc): void {
    if (Array.isArray(oldDoc)) {
      this.updateMany(oldDoc);
      return;
    }
    const i = this.find(oldDoc._id);
    if (i >= 0 && this.docs[i] === oldDoc && compareKeys(oldDoc._id, newDoc!._id) === 0) {
      this.docs[i] = newDoc!;
      return;
    }
    this.remove(oldDoc);
    try {
      this.insert(newDoc!);
    } catch (err) {
      this.insert(oldDoc);
      throw err;
    }
  }

  private updateMany(pairs: Pair[]): void {
    // nedb's updates keep every _id: swap each document in place (no splice of a long array).
    const at = pairs.map((p) => this.find(p.oldDoc._id));
    if (pairs.every((p, k) => at[k] >= 0 && this.docs[at[k]] === p.oldDoc && compareKeys(p.oldDoc._id, p.newDoc._id) === 0)) {
      pairs.forEach((p, k) => (this.docs[at[k]] = p.newDoc));
      return;
    }
    for (const p of pairs) this.remove(p.oldDoc);
    for (let i = 0; i < pairs.length; i++) {
      try {
        this.insert(pairs[i].newDoc);
      } catch (err) {
        for (let j = 0; j < i; j++) this.remove(pairs[j].newDoc);
        for (const p of pairs) this.insert(p.oldDoc);
        throw err;
      }
    }
  }

  revertUpdate(oldDoc: Doc | Pair[], newDoc?: Doc): void {
    if (!Array.isArray(oldDoc)) this.update(newDoc!, oldDoc);
    else this.update(oldDoc.map((p) => ({ oldDoc: p.newDoc, newDoc: p.oldDoc })));
  }

  getMatching(value: unknown): Doc[] {
    if (!Array.isArray(value)) {
      const i = this.find(value);
      return i >= 0 ? [this.docs[i]] : [];
    }
    // nedb's own way of merging several values (an object keyed by _id).
    const found: Record<string, Doc> = {};
    for (const v of value) for (const d of this.getMatching(v)) found[d._id as string] = d;
    return Object.keys(found).map((k) => found[k]);
  }

  getBetweenBounds(query: Record<string, unknown>): Doc[] {
    const holds = (id: unknown) =>
      (!('$gt' in query) || model.compareThings(id, query.$gt) > 0) &&
      (!('$gte' in query) || model.compareThings(id, query.$gte) >= 0) &&
      (!('$lt' in query) || model.compareThings(id, query.$lt) < 0) &&
      (!('$lte' in query) || model.compareThings(id, query.$lte) <= 0);
    return this.docs.filter((d) => holds(d._id));
  }

  getAll(): Doc[] {
    return this.docs.slice();
  }
}
