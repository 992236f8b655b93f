// 导出未读名单: every unread household of a notice, read page by page through notices.stats (20 a
// page, as the function answers), written as .xlsx with write-excel-file — building, room, names as
// the worker sees them, and phones masked (a console's stats answer masks them; masked here again
// so no whole number can reach a file whatever answered).
import { loadXlsxWriter } from './excel';
import type { UnreadHousehold } from '../../cloudfunctions/notices/api';
import { maskPhone } from '../../cloudfunctions/common/mask';
import { dateText } from '../../miniprogram/shared/clock';
import { call } from './cloud';

/** More pages than any community has households ÷ 20: a safety stop, never a limit met in use. */
const MAX_PAGES = 500;

export async function allUnread(noticeId: string): Promise<UnreadHousehold[]> {
  const rows: UnreadHousehold[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await call('notices', 'stats', { noticeId, ...(page > 1 ? { page } : {}) });
    rows.push(...res.unread.items);
    if (!res.unread.hasMore) break;
  }
  return rows;
}

export const EXPORT_HEADERS = ['楼栋', '房号', '住户', '手机号（已隐藏）', '备注'] as const;

/** One row per household, in the function's order (buildings in the community's order, call-first homes first). */
export function exportRows(rows: UnreadHousehold[]): string[][] {
  return rows.map((h) => [
    h.building,
    h.verified ? h.room : `${h.room}（房号待核实）`,
    h.members.map((m) => m.name).join('、'),
    h.members.map((m) => maskPhone(m.phone) ?? '—').join('、'),
    [h.attention ? '优先联系' : '', ...new Set(h.members.flatMap((m) => m.tags))].filter(Boolean).join(' '),
  ]);
}

/** File names keep to letters, digits and CJK: a notice title may hold anything. */
const safe = (s: string) => s.replace(/[^\p{L}\p{N}_-]+/gu, '').slice(0, 30) || '通知';

export async function exportUnread(noticeId: string, title: string): Promise<number> {
  const rows = await allUnread(noticeId);
  const header = EXPORT_HEADERS.map((value) => ({ value, fontWeight: 'bold' as const }));
  const data = [header, ...exportRows(rows).map((r) => r.map((value) => ({ value })))];
  const writeXlsxFile = await loadXlsxWriter();
  await writeXlsxFile(data, { columns: [{ width: 10 }, { width: 18 }, { width: 24 }, { width: 28 }, { width: 24 }] }).toFile(
    `未读名单-${safe(title)}-${dateText(Date.now())}.xlsx`,
  );
  return rows.length;
}
