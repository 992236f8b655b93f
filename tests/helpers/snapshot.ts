// Proving that a refused call wrote nothing: a whole-database snapshot through the SDK, or the
// cheaper WriteWatch over the local cloud's data files.
import fs from 'fs';
import path from 'path';
import { collection } from '../../cloudfunctions/common/db';
import database from '../../cloudfunctions/database.json';
import { RATE_LIMITS } from '../../cloudfunctions/common/limits';

/**
 * Collections a refused call may write: the rate limiter counts every attempt, refused ones too
 * (docs/limits.md). Everything else must stay as it was.
 */
export const ATTEMPT_COUNTERS: readonly string[] = [RATE_LIMITS];

export async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of (database as { collections: { name: string }[] }).collections) {
    if (ATTEMPT_COUNTERS.includes(name)) continue;
    const res = await collection(name).orderBy('_id', 'asc').limit(1000).get();
    out[name] = res.data;
  }
  return out;
}

/**
 * A cheap write detector. The local cloud's store appends every insert, update and removal to
 * `<dataDir>/<collection>.db` before the write answers, so a file that did not grow was not
 * written. When one grew during a refused call, its documents are compared with a copy taken
 * before the call (a write undone in the same call — a rolled-back claim — is no write).
 */
export class WriteWatch {
  private readonly copies = new Map<string, { size: number; docs: string }>();

  /** `dataDir`: the cloud's data dir (a function, for a cloud started later in beforeAll). */
  constructor(private readonly dataDir: () => string) {}

  private sizes(): Map<string, number> {
    const out = new Map<string, number>();
    for (const file of fs.readdirSync(this.dataDir()))
      if (file.endsWith('.db')) out.set(file.slice(0, -3), fs.statSync(path.join(this.dataDir(), file)).size);
    return out;
  }

  private async docs(name: string): Promise<string> {
    const all: unknown[] = [];
    for (let offset = 0; ; offset += 1000) {
      const res = await collection(name).orderBy('_id', 'asc').skip(offset).limit(1000).get();
      all.push(...res.data);
      if (res.data.length < 1000) return JSON.stringify(all);
    }
  }

  /** Before a call: the sizes, and a fresh copy of every collection written since the last one. */
  async before(): Promise<Map<string, number>> {
    const sizes = this.sizes();
    for (const [name, size] of sizes) {
      if (this.copies.get(name)?.size !== size) this.copies.set(name, { size, docs: await this.docs(name) });
    }
    return sizes;
  }

  /** After a refused call: the collections whose documents changed. */
  async written(before: Map<string, number>): Promise<string[]> {
    const changed: string[] = [];
    for (const [name, size] of this.sizes()) {
      if (before.get(name) === size || ATTEMPT_COUNTERS.includes(name)) continue;
      const docs = await this.docs(name);
      if (docs !== this.copies.get(name)?.docs) changed.push(name);
      else this.copies.set(name, { size, docs });
    }
    return changed;
  }
}
