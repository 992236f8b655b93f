// Compare-and-set on one document: the update applies only if the document still matches what
// the caller read. CloudBase answers how many documents changed; 0 means someone else won.
import { AppError } from './errors';
import { cmd, collection } from './db';

export async function compareAndSet(
  name: string,
  expect: { _id: string; version: number } & Record<string, unknown>,
  patch: Record<string, unknown>,
  conflictMessage?: string,
): Promise<void> {
  const res = await collection(name)
    .where(expect)
    .update({ ...patch, version: cmd().inc(1) });
  if (res.updated !== 1) throw new AppError('E_CONFLICT', conflictMessage);
}

/** Insert with a deterministic `_id`; false when it already exists (a repeated request). */
export async function insertOnce<T extends { _id: string }>(name: string, doc: T): Promise<boolean> {
  try {
    await collection(name).add(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export function isDuplicateKey(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${(err as { code?: string }).code ?? ''}` : String(err);
  return /duplicate|DUPLICATE|E11000|already exists|unique/i.test(text);
}
