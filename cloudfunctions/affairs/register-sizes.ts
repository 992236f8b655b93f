// Sizes of a register import, shared by the affairs function and the console (no zod here, so the
// console's bundle does not pull it in).

/** Rows one check or import call takes (a file of more goes in chunks of this many). */
export const CHUNK_ROWS = 200;
/** Chunks one import may have: a file of at most 100 × 200 = 20 000 rows. */
export const MAX_CHUNKS = 100;
