// 房屋台账's Excel side, in the worker's browser: the register file read by its header names (not by
// column position) into the rows the affairs function checks again field by field, chunked by 200;
// the template and the export written as .xlsx. Parsing: read-excel-file (browser build); writing:
// write-excel-file (docs/console.md "房屋台账").
import type { CellValue } from 'read-excel-file/browser';
import type { AffairsApi, PartView } from '../../cloudfunctions/affairs/api';
import { CHUNK_ROWS, MAX_CHUNKS } from '../../cloudfunctions/affairs/register-sizes';

export type SheetRow = AffairsApi['checkParts']['input']['rows'][number];

/** The columns, as the template names them; a header is matched without spaces and bracketed notes. */
export const COLUMNS = { building: '楼栋', room: '房号', area: '面积', holder: '产权人编号', developer: '开发商' } as const;
type Field = keyof typeof COLUMNS;
const REQUIRED: Field[] = ['building', 'room', 'area'];
export const TEMPLATE_HEADER = ['楼栋', '房号', '面积', '产权人编号', '开发商(是/否)'];
export const EXPORT_HEADER = ['楼栋', '房号', '面积', '产权人编号', '开发商', '已核实业主数'];
/** Rows one file may have (the function takes 100 chunks of 200). */
export const MAX_FILE_ROWS = CHUNK_ROWS * MAX_CHUNKS;
const CELL_MAX = 64;

/** 「面积（㎡）」, 「 开发商(是/否) 」 → 面积, 开发商. */
const headerKey = (v: CellValue | null): string =>
  String(v ?? '')
    .replace(/[（(【\[].*?[）)】\]]/g, '')
    .replace(/[\s\u3000]/g, '');

/** What the function's cell pattern takes: one line, no control or direction characters, ≤ 64 characters. */
function cellOf(v: CellValue | null | undefined): string | number | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  const s = (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .trim();
  return s.length > CELL_MAX ? s.slice(0, CELL_MAX) : s;
}

export type Parsed = { ok: true; rows: SheetRow[] } | { ok: false; message: string };

/**
 * The register's rows from a sheet: the header is the first of the top 10 rows naming 楼栋 and 房号;
 * empty rows are left out; each row keeps its row number in the sheet, and rows of the same
 * building + room know each other's numbers (the function checks each chunk, the file is ours).
 */
export function rowsOfSheet(data: (CellValue | null)[][]): Parsed {
  const at = data.slice(0, 10).findIndex((r) => r.map(headerKey).includes('楼栋') && r.map(headerKey).includes('房号'));
  if (at < 0)
    return { ok: false, message: '没有找到表头：第一行应为 楼栋、房号、面积、产权人编号、开发商(是/否)，请下载模板对照' };
  const header = data[at].map(headerKey);
  const col = Object.fromEntries((Object.keys(COLUMNS) as Field[]).map((f) => [f, header.indexOf(COLUMNS[f])])) as Record<
    Field,
    number
  >;
  const missing = REQUIRED.filter((f) => col[f] < 0).map((f) => COLUMNS[f]);
  if (missing.length) return { ok: false, message: `表头缺少「${missing.join('」「')}」一列，请下载模板对照` };
  const rows: SheetRow[] = [];
  data.slice(at + 1).forEach((cells, i) => {
    const get = (f: Field) => (col[f] < 0 ? undefined : cellOf(cells[col[f]]));
    if ((Object.keys(COLUMNS) as Field[]).every((f) => get(f) === undefined || get(f) === '')) return;
    const holder = get('holder');
    const developer = get('developer');
    rows.push({
      line: at + i + 2,
      building: (get('building') ?? '') as string | number,
      room: (get('room') ?? '') as string | number,
      area: (get('area') ?? '') as string | number,
      ...(holder !== undefined && holder !== '' ? { holder: holder as string | number } : {}),
      ...(developer !== undefined ? { developer: developer as string | boolean } : {}),
    });
  });
  if (!rows.length) return { ok: false, message: '表格里没有房屋：表头下面每行填一套房屋' };
  if (rows.length > MAX_FILE_ROWS) return { ok: false, message: `一个文件最多 ${MAX_FILE_ROWS} 行，请分成几个文件导入` };
  const key = (r: SheetRow) => `${String(r.building).trim()}\u0000${String(r.room).trim()}`;
  const lines = new Map<string, number[]>();
  for (const r of rows) lines.set(key(r), [...(lines.get(key(r)) ?? []), r.line]);
  for (const r of rows) {
    const others = (lines.get(key(r)) ?? []).filter((l) => l !== r.line);
    if (others.length && String(r.room).trim() && String(r.building).trim()) r.dupLines = others.slice(0, 50);
  }
  return { ok: true, rows };
}

export const chunksOf = <T>(rows: T[], size = CHUNK_ROWS): T[][] =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/** A file's import id: the same for its chunks and their retries (the function's request id pattern). */
export function newImportId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `imp-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The template's rows: the header and one example house. */
export const templateRows = () => [TEMPLATE_HEADER, ['1栋', '1201', 89.56, 'A0001', '否']];

/** The export's rows: numbers of the register only — no names, no phones. */
export const exportRows = (parts: PartView[]) => [
  EXPORT_HEADER,
  ...parts.map((p) => [p.building, p.room, Number(p.area), p.holder ?? '', p.developer ? '是' : '否', p.owners?.length ?? 0]),
];

export const COLUMN_WIDTHS = [{ width: 10 }, { width: 12 }, { width: 10 }, { width: 16 }, { width: 14 }, { width: 14 }];
