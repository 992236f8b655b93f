// Lists of 20 (product.md §7): one read of a page and one more document, to know whether more follow.
import { getAll } from './db';
import { PAGE_SIZE } from './schema';

/** What `skip` and `limit` need of an ordered query. */
export interface Pageable {
  skip(n: number): { limit(n: number): { get(): Promise<{ data: unknown[] }> } };
}

/** Page `pageNo` (1-based) of an ordered query: its documents and whether more follow. */
export async function readPage<T>(query: Pageable, pageNo: number): Promise<{ docs: T[]; hasMore: boolean }> {
  const docs = await getAll<T>(query.skip((pageNo - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1));
  return { docs: docs.slice(0, PAGE_SIZE), hasMore: docs.length > PAGE_SIZE };
}
