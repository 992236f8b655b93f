// Pages and texts the affairs subpackage shares.
import type { VoteState } from '../../services/affairs';

export const AFFAIRS_PAGES = {
  hub: '/packages/affairs/index/index',
  vote: '/packages/affairs/vote/index',
  result: '/packages/affairs/result/index',
  open: '/packages/affairs/open/index',
  register: '/packages/affairs/register/index',
  consult: '/packages/affairs/consult/index',
  consultNew: '/packages/affairs/consult-new/index',
} as const;

export const CHOICE_TEXT = { yes: '同意', no: '反对', abstain: '弃权' } as const;

/** 12 人 · 1 034.5 m² */
export function countText(c: { owners: number; area: number }): string {
  const whole = Math.floor(c.area / 100);
  const cents = c.area % 100;
  const area = cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
  return `${c.owners} 人 · ${area} 平方米`;
}

export interface ImportRow {
  building: string;
  room: string;
  area: string;
  holder?: string;
  developer?: boolean;
}

/**
 * Rows pasted from the housing register, one a line: 楼栋,房号,面积[,产权人编号][,开发商]
 * (commas, Chinese commas, tabs or spaces between). Answers the rows, or the first bad line.
 */
export function parseRows(text: string): { rows: ImportRow[]; error?: string } {
  const rows: ImportRow[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const cells = line.split(/[,，\t ]+/).filter(Boolean);
    const [building, room, area, ...rest] = cells;
    if (!building || !room || !area || !/^\d{1,6}(\.\d{1,2})?$/.test(area)) {
      return { rows: [], error: `第 ${i + 1} 行看不懂：请写成“楼栋,房号,面积”，例如“1栋,101,89.56”` };
    }
    const developer = rest.includes('开发商');
    const holder = rest.find((c) => c !== '开发商');
    rows.push({ building, room, area, ...(holder ? { holder } : {}), ...(developer ? { developer } : {}) });
  }
  if (rows.length === 0) return { rows: [], error: '请粘贴登记表，每行一套房屋' };
  return { rows };
}

export const VOTE_STATE_TEXT: Record<VoteState, string> = {
  announced: '公告中',
  open: '投票中',
  ended: '待计票',
  closed: '已结束',
};

export const MATTER_TEXT = { ordinary: '一般事项', major: '重大事项' } as const;
