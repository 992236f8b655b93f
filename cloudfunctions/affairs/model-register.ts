// The import log of the register (房屋台账 导入记录): one document per imported file.
import crypto from 'crypto';
import type { ImportStatus, RowCounts } from './api-register';

export const PART_IMPORTS = 'part_imports';

/** One chunk as first imported: what a retry answers, and the digest a retry must match. */
export interface ImportChunkDoc extends RowCounts {
  /** sha256 of the chunk's rows as sent. */
  digest: string;
  /** `writing` while its parts are written; a retry finishes the writing and answers the counts. */
  state: 'writing' | 'done';
  errorLines: number[];
}

export interface PartImportDoc extends RowCounts {
  _id: string; // importDocId(communityId, importId)
  communityId: string;
  fileName: string;
  chunks: number;
  /** `String(chunk)` → its result; the counts above are their sums. */
  parts: Record<string, ImportChunkDoc>;
  chunksDone: number;
  status: ImportStatus;
  /** The worker; erasure replaces both with the erased token and name. */
  byOpenid: string;
  byName: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Deterministic: one log per community and import id, whatever the retries. */
export const importDocId = (communityId: string, importId: string): string =>
  `pi${sha(`${communityId}\u0000import\u0000${importId}`).slice(0, 22)}`;

export const digestOf = (rows: unknown): string => sha(JSON.stringify(rows));
