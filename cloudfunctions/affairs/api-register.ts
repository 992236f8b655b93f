// 房屋台账: the register of exclusive parts read from a worker's Excel file (the PC console), checked
// row by row before anything is written, imported in chunks under one import id, and logged.
// docs/votes.md "The register" and docs/console.md "房屋台账".
import { z } from 'zod';
import { page, pattern, requestId, type Page } from '../common/schema';
import { CHUNK_ROWS, MAX_CHUNKS } from './register-sizes';

export { CHUNK_ROWS, MAX_CHUNKS };

/**
 * One cell as Excel gives it, before the handler checks its content row by row: any one-line text
 * without control or direction characters, up to 64 characters. Not person-written text shown to
 * others (the handler matches each cell against its own rule: a building of the community, the
 * room, area and holder patterns) — so closed here, and never content-checked.
 */
const cell = pattern(
  /^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]{0,64}$/,
  'Excel 单元格里的一行文字，不超过 64 个字',
);
/** Excel keeps 1201 or 89.56 as a number unless the column is formatted as text. */
const cellOrNumber = z.union([cell, z.number().finite()]);

const sheetRow = z.strictObject({
  /** The row's number in the worker's sheet (the header is row 1), for the messages. */
  line: z.number().int().min(2).max(1_000_000),
  building: cellOrNumber,
  room: cellOrNumber,
  area: cellOrNumber,
  holder: cellOrNumber.optional(),
  /** 是 / 否 / empty, or a boolean. */
  developer: z.union([cell, z.boolean()]).optional(),
  /** Other rows of the file (in other chunks) for the same building + room: the console finds them. */
  dupLines: z.array(z.number().int().min(2).max(1_000_000)).max(50).optional(),
});

const sheetRows = z.array(sheetRow).min(1).max(CHUNK_ROWS);

/** An .xlsx file's name as the browser gives it (no path, no control characters). */
const fileName = pattern(
  /^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\/:*?"<>|]{1,96}\.[xX][lL][sS][xX]$/,
  'Excel 文件名（.xlsx），不超过 100 个字',
);

export const registerSchemas = {
  /** The dry run: what importing these rows would do, row by row. Writes nothing. */
  checkParts: z.strictObject({ rows: sheetRows }),
  /** One chunk of a file's import; `importId` is the file's request id, the same for every chunk and retry. */
  importPartRows: z
    .strictObject({
      importId: requestId,
      fileName,
      chunk: z.number().int().min(1).max(MAX_CHUNKS),
      chunks: z.number().int().min(1).max(MAX_CHUNKS),
      rows: sheetRows,
    })
    .refine((v) => v.chunk <= v.chunks, { message: '分段序号不能大于分段总数', path: ['chunk'] }),
  /** The import log, newest first, 20 a page. */
  listPartImports: z.strictObject({ page }),
};

type In<A extends keyof typeof registerSchemas> = z.input<(typeof registerSchemas)[A]>;

export type RowOutcome = 'create' | 'update' | 'unchanged' | 'error';

export interface RowCheck {
  line: number;
  /** As read (trimmed), to show beside the outcome. */
  building: string;
  room: string;
  outcome: RowOutcome;
  /** For an update: what changes, e.g. 「面积 80 → 89.56」. */
  changes?: string[];
  /** For an error: each problem in a sentence a worker can fix in Excel. */
  errors?: string[];
}

export interface RowCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
}

export interface CheckResult extends RowCounts {
  items: RowCheck[];
}

export type ImportStatus = 'partial' | 'done';

export interface ImportLogView extends RowCounts {
  _id: string;
  fileName: string;
  /** The worker who imported it (their name then). */
  byName: string;
  /** When the import started (first chunk), ISO. */
  at: string;
  chunks: number;
  chunksDone: number;
  status: ImportStatus;
}

export interface ImportChunkResult extends RowCounts {
  chunk: number;
  /** Lines skipped for errors. */
  errorLines: number[];
  /** A retry of a chunk already imported: nothing was written by this call. */
  repeated: boolean;
  log: ImportLogView;
}

export interface RegisterApi {
  checkParts: { input: In<'checkParts'>; output: CheckResult };
  importPartRows: { input: In<'importPartRows'>; output: ImportChunkResult };
  listPartImports: { input: In<'listPartImports'>; output: Page<ImportLogView> };
}
