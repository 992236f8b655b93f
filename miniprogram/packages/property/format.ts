// Texts the property pages share: stars, rates, lights, months, and the month chart's bars.
import { dateText } from '../../shared/clock';
import type { GradeView } from '../../services/property';

export const LIGHT_LABELS: Record<'green' | 'yellow' | 'red', string> = { green: '良好', yellow: '需关注', red: '亮红灯' };

/** ★★★☆☆ for 3; 暂无评级 without a grade. */
export const starsText = (stars: number | null): string => (stars ? '★'.repeat(stars) + '☆'.repeat(5 - stars) : '暂无评级');

/** 0.6667 → 66.7%; 无数据 without one. */
export const rateText = (rate: number | null): string => (rate === null ? '无数据' : `${Math.round(rate * 1000) / 10}%`);

/** The community's month now, `2031-05`. */
export const thisMonth = (): string => dateText(Date.now()).slice(0, 7);

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  const mm = (index % 12) + 1;
  return `${Math.floor(index / 12)}-${mm < 10 ? `0${mm}` : mm}`;
}

/** `2031-05` → 5月 (with the year when it is not this year's). */
export function shortMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y === Number(thisMonth().slice(0, 4)) ? '' : `${String(y).slice(2)}年`}${m}月`;
}

export interface Bar {
  month: string;
  label: string;
  stars: number;
  /** Height in per cent of the chart (a grade of 5 fills it). */
  height: number;
  light: string;
}

/** The credit file as bars, oldest on the left (the answer comes newest first). */
export const barsOf = (items: GradeView[]): Bar[] =>
  items
    .slice()
    .reverse()
    .map((g) => ({
      month: g.month,
      label: shortMonth(g.month),
      stars: g.stars ?? 0,
      height: Math.round(((g.stars ?? 0) / 5) * 100),
      light: g.light ?? 'green',
    }));

/** The grade's parts as rows a resident reads. */
export function partsOf(g: GradeView): { label: string; value: string }[] {
  return [
    { label: '住户评价', value: g.ratingScore === null ? '本月无评价' : `${g.ratingScore} 分（${g.ratingCount} 户）` },
    { label: '按时完成率', value: rateText(g.onTimeRate) },
    { label: '投诉率', value: `${rateText(g.complaintRate)}（${g.complaints}/${g.orders} 单）` },
    { label: '返工率', value: rateText(g.reworkRate) },
  ];
}

export const dimensionsOf = (g: GradeView): { label: string; value: string; width: number }[] =>
  g.dimensions.map((d) => ({
    label: d.label,
    value: d.average === null ? '—' : String(d.average),
    width: d.average === null ? 0 : Math.round((d.average / 5) * 100),
  }));
