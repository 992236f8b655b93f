// Client request ids: a create that may be repeated (a double tap, a retry after a lost answer)
// lands on one document whose `_id` comes from the request id. A repeat answers that document
// only when it asks for the same thing; the same id with another body is a client bug or a
// form reused after a lost answer, and answers E_CONFLICT without writing anything.
//
// "The same thing" is decided per action by a plain record of the fields the caller sent,
// normalized the way the handler stores them (docs/conventions.md, "Repeatable creates").
import { createHash } from 'crypto';
import { AppError } from './errors';

type Value = string | number | boolean | null | undefined | Date | readonly (string | number)[];

/** The fields of a request that must match for a repeat to be the same request. */
export type RequestBody = Record<string, Value>;

/** One stable text per body: keys sorted, dates as instants, absent as null. */
function canonical(body: RequestBody): string {
  const norm = (v: Value) => (v === undefined ? null : v instanceof Date ? v.getTime() : v);
  return JSON.stringify(
    Object.keys(body)
      .sort()
      .map((k) => [k, norm(body[k])]),
  );
}

/** A short one-way fingerprint of a body, for documents whose fields may change after the create. */
export function requestDigest(body: RequestBody): string {
  return createHash('sha256').update(canonical(body)).digest('hex').slice(0, 32);
}

export function sameRequest(a: RequestBody, b: RequestBody): boolean {
  return canonical(a) === canonical(b);
}

/** Throws E_CONFLICT with `message` (what happened and what to do) unless the bodies match. */
export function assertSameRequest(stored: RequestBody, asked: RequestBody, message: string): void {
  if (!sameRequest(stored, asked)) throw new AppError('E_CONFLICT', message);
}

/** The same check against a stored digest; a document from before digests were kept passes. */
export function assertSameDigest(stored: string | undefined, asked: RequestBody, message: string): void {
  if (stored !== undefined && stored !== requestDigest(asked)) throw new AppError('E_CONFLICT', message);
}
