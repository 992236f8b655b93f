// A whole-database snapshot through the SDK, to prove that a refused call wrote nothing.
import { collection } from '../../cloudfunctions/common/db';
import database from '../../cloudfunctions/database.json';

export async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of (database as { collections: { name: string }[] }).collections) {
    const res = await collection(name).orderBy('_id', 'asc').limit(1000).get();
    out[name] = res.data;
  }
  return out;
}
