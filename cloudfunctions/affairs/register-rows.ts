// The rows of a worker's register file, checked one by one (pure: no data access). Each row either
// becomes a part to write or carries its problems, said so a worker can fix the cell in Excel.
// The same rules as importParts (api-votes.ts): a building of the community, the room pattern, an
// area above 0 with at most two decimals, the holder pattern.
import { z } from 'zod';
import type { RowCheck, RowCounts, registerSchemas } from './api-register';
import type { PartDoc } from './model-votes';
import { areaText, parseArea } from './tally';

type SheetRow = z.output<typeof registerSchemas.checkParts>['rows'][number];

/** What a good row writes. */
export interface PartRow {
  line: number;
  building: string;
  room: string;
  /** 0.01 m². */
  area: number;
  holder?: string;
  developer: boolean;
}

export type CheckedRow = { line: number; building: string; room: string } & (
  { ok: true; part: PartRow } | { ok: false; errors: string[] }
);

const ROOM = /^[A-Za-z0-9\u4e00-\u9fa5\-]{1,20}$/;
const AREA = /^\d{1,6}(\.\d{1,2})?$/;
const HOLDER = /^[A-Za-z0-9\-]{1,32}$/;
const YES = new Set(['是', 'Y', 'y', 'YES', 'yes', 'Yes', 'TRUE', 'true', '1']);
const NO = new Set(['', '否', 'N', 'n', 'NO', 'no', 'No', 'FALSE', 'false', '0']);

const textOf = (v: string | number | boolean | undefined): string => (v === undefined ? '' : String(v).trim());
const short = (s: string) => (s.length > 12 ? `${s.slice(0, 12)}…` : s);
const listOf = (xs: readonly string[], n = 6) => (xs.length > n ? `${xs.slice(0, n).join('、')} 等` : xs.join('、'));
export const lineList = (lines: number[]) => listOf(lines.map(String), 8);

/** A number from Excel as the register writes it: 89.56, not 89.56000000000001. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const rounded = Math.round(n * 100) / 100;
  return Math.abs(rounded - n) < 1e-9 ? String(rounded) : String(n);
}

function checkArea(v: string | number): { area?: number; error?: string } {
  const raw = typeof v === 'number' ? numberText(v) : v.trim();
  if (raw === '') return { error: '面积没有填：请按不动产登记簿填写建筑面积（平方米），例如 89.56' };
  if (!AREA.test(raw)) return { error: `面积「${short(raw)}」不对：应为大于 0 的数字，最多两位小数，不带单位，例如 89.56` };
  const area = parseArea(raw);
  if (area === 0) return { error: '面积不能为 0：请按不动产登记簿填写建筑面积' };
  return { area };
}

function checkOne(row: SheetRow, buildings: readonly string[]): CheckedRow {
  const building = textOf(row.building);
  const room = typeof row.room === 'number' ? numberText(row.room) : textOf(row.room);
  const errors: string[] = [];
  if (!building) errors.push('楼栋没有填');
  else if (!buildings.includes(building))
    errors.push(`楼栋「${short(building)}」不在本社区，请写成本社区的楼栋名：${listOf(buildings)}`);
  if (!room) errors.push('房号没有填');
  else if (!ROOM.test(room))
    errors.push(`房号「${short(room)}」格式不对：只能有汉字、字母、数字或连字符，最多 20 个字，例如 1201`);
  const { area, error } = checkArea(row.area);
  if (error) errors.push(error);
  const holderText = typeof row.holder === 'number' ? numberText(row.holder) : textOf(row.holder);
  if (holderText && !HOLDER.test(holderText))
    errors.push(`产权人编号「${short(holderText)}」格式不对：只能有字母、数字或连字符，最多 32 位；没有可空着`);
  let developer = false;
  if (typeof row.developer === 'boolean') developer = row.developer;
  else {
    const d = textOf(row.developer);
    if (YES.has(d)) developer = true;
    else if (!NO.has(d)) errors.push(`开发商一栏「${short(d)}」只能填「是」或「否」（开发商未售的房屋填「是」，空着算「否」）`);
  }
  if (errors.length) return { line: row.line, building, room, ok: false, errors };
  return {
    line: row.line,
    building,
    room,
    ok: true,
    part: { line: row.line, building, room, area: area!, developer, ...(holderText ? { holder: holderText } : {}) },
  };
}

/**
 * Every row checked; rows of one house (building + room) that appear more than once in the file —
 * in these rows, or elsewhere as the console says in `dupLines` — are all errors: which one is
 * right is the worker's call.
 */
export function checkRows(rows: SheetRow[], buildings: readonly string[]): CheckedRow[] {
  const checked = rows.map((r) => checkOne(r, buildings));
  const byHouse = new Map<string, number[]>();
  for (const c of checked) {
    if (!c.building || !c.room) continue;
    const key = `${c.building}\u0000${c.room}`;
    byHouse.set(key, [...(byHouse.get(key) ?? []), c.line]);
  }
  return checked.map((c, i) => {
    const here = byHouse.get(`${c.building}\u0000${c.room}`) ?? [];
    const others = [...new Set([...here, ...(rows[i].dupLines ?? [])])].filter((l) => l !== c.line).sort((a, b) => a - b);
    if (!others.length) return c;
    const dup = `与第 ${lineList(others)} 行是同一套房屋（${c.building} ${c.room}），请只留一行`;
    return { line: c.line, building: c.building, room: c.room, ok: false, errors: [...(c.ok ? [] : c.errors), dup] };
  });
}

/** What writing `row` would do to the stored part (undefined: none yet). */
export function outcomeOf(
  row: PartRow,
  stored: PartDoc | undefined,
): { outcome: 'create' | 'update' | 'unchanged'; changes?: string[] } {
  if (!stored) return { outcome: 'create' };
  const changes: string[] = [];
  if (stored.area !== row.area) changes.push(`面积 ${areaText(stored.area)} → ${areaText(row.area)}`);
  if ((stored.holder ?? '') !== (row.holder ?? '')) changes.push(`产权人编号 ${stored.holder || '无'} → ${row.holder || '无'}`);
  if (stored.developer !== row.developer)
    changes.push(`开发商 ${stored.developer ? '是' : '否'} → ${row.developer ? '是' : '否'}`);
  return changes.length ? { outcome: 'update', changes } : { outcome: 'unchanged' };
}

export function countOf(items: Pick<RowCheck, 'outcome'>[]): RowCounts {
  const n = (o: RowCheck['outcome']) => items.filter((i) => i.outcome === o).length;
  return { rows: items.length, created: n('create'), updated: n('update'), unchanged: n('unchanged'), errors: n('error') };
}
