// What every part of the data set is built with: the collections so far, the clock they are
// dated against, and one seeded PRNG (so the same data comes out on every run).

type AnyDoc = { _id: string } & object;
export type Collections = Map<string, AnyDoc[]>;

/** Small deterministic PRNG (mulberry32): the same data on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly out: Collections = new Map();
  readonly rand: () => number;

  constructor(
    readonly now: Date,
    seed: number,
  ) {
    this.rand = rng(seed);
  }

  add(collection: string, doc: AnyDoc): void {
    let list = this.out.get(collection);
    if (!list) this.out.set(collection, (list = []));
    list.push(doc);
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)];
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  ago(ms: number): Date {
    return new Date(this.now.getTime() - ms);
  }
}
