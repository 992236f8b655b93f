// The 统计 screen's tables, defined once: the screen shows them (TDesign Table columns) and 导出
// writes each as a sheet of the .xlsx (write-excel-file), with the same titles and the same texts.
import type { CommunityStats } from '../../cloudfunctions/stats/api';
import { dateText } from '../../miniprogram/shared/clock';

export const monthIndex = (m: string): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
export const monthAt = (i: number): string => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The last 12 months on the community's clock, this month included (the screen's default range). */
export function lastTwelveMonths(now = Date.now()): [string, string] {
  const to = dateText(now).slice(0, 7);
  return [monthAt(monthIndex(to) - 11), to];
}

export interface StatsColumn {
  key: string;
  title: string;
  /** Column width in the sheet (characters). */
  width: number;
}

export interface StatsTable {
  /** The sheet's name and the table's heading. */
  name: string;
  columns: StatsColumn[];
  /** One object per row, keyed by column key; cells are what the screen and the sheet show. */
  rows: Record<string, string | number>[];
  empty: string;
}

export const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
/** Fen as yuan with two decimals. */
export const yuan = (fen: number): string => (fen / 100).toFixed(2);
const LIGHTS: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const col = (key: string, title: string, width = 12): StatsColumn => ({ key, title, width });

export function statsTables(s: CommunityStats): StatsTable[] {
  return [
    {
      name: '订单（按月）',
      columns: [
        col('month', '月份', 10),
        col('created', '新增订单'),
        col('closed', '办结'),
        col('cancelled', '取消'),
        col('closedOnTime', '按时办结'),
        col('onTimeRate', '按时率'),
        col('servedHours', '志愿服务时长（小时）', 20),
      ],
      rows: s.orders.map((m) => ({
        month: m.month,
        created: m.created,
        closed: m.closed,
        cancelled: m.cancelled,
        closedOnTime: m.closedOnTime,
        onTimeRate: percent(m.onTimeRate),
        servedHours: m.servedHours,
      })),
      empty: '所选月份没有订单',
    },
    {
      name: '志愿者服务时长前十',
      columns: [
        col('rank', '名次', 6),
        col('name', '志愿者', 14),
        col('building', '楼栋', 8),
        col('orders', '办结订单'),
        col('hours', '服务时长（小时）', 18),
      ],
      rows: s.topVolunteers.map((v) => ({
        rank: v.rank,
        name: v.name,
        building: v.building || '—',
        orders: v.orders,
        hours: v.hours,
      })),
      empty: '所选月份还没有志愿者办结的订单',
    },
    {
      name: '物业评级（按月）',
      columns: [
        col('month', '月份', 10),
        col('score', '综合得分'),
        col('stars', '星级', 8),
        col('light', '亮灯', 8),
        col('ratingCount', '评价户数'),
        col('onTimeRate', '按时率'),
        col('complaintRate', '投诉率'),
        col('reworkRate', '返工率'),
      ],
      rows: s.property.map((g) => ({
        month: g.month,
        score: g.score ?? '—',
        stars: g.stars === null ? '—' : `${g.stars} 星`,
        light: g.light ? LIGHTS[g.light] : '—',
        ratingCount: g.ratingCount,
        onTimeRate: percent(g.onTimeRate),
        complaintRate: percent(g.complaintRate),
        reworkRate: percent(g.reworkRate),
      })),
      empty: '所选月份没有公示的物业评级',
    },
    {
      name: '业主表决',
      columns: [
        col('title', '表决事项', 28),
        col('closedOn', '结束日期'),
        col('participation', '参与户数', 12),
        col('turnout', '参与率（户）', 14),
        col('areaTurnout', '参与率（面积）', 14),
        col('quorum', '法定人数', 10),
        col('result', '结果', 8),
      ],
      rows: s.votes.items.map((v) => ({
        title: v.title,
        closedOn: v.closedOn,
        participation: `${v.participatedOwners}/${v.eligibleOwners}`,
        turnout: percent(v.turnout),
        areaTurnout: percent(v.areaTurnout),
        quorum: v.quorumMet ? '达到' : '未达到',
        result: v.passed ? '通过' : '未通过',
      })),
      empty: '所选月份没有结束计票的表决',
    },
    {
      name: '账目月报',
      columns: [
        col('month', '月份', 10),
        col('opening', '期初余额（元）', 16),
        col('income', '收入（元）', 14),
        col('expense', '支出（元）', 14),
        col('closing', '期末余额（元）', 16),
        col('rating', '居民评分', 10),
      ],
      rows: s.ledger.map((p) => ({
        month: p.month,
        opening: yuan(p.opening),
        income: yuan(p.income),
        expense: yuan(p.expense),
        closing: yuan(p.closing),
        rating: p.rating === null ? '—' : `${p.rating}（${p.ratingCount} 人）`,
      })),
      empty: '所选月份没有已结账的月报',
    },
    {
      name: '通知阅读率',
      columns: [
        col('month', '月份', 10),
        col('notices', '发布通知'),
        col('households', '应读户数'),
        col('readHouseholds', '已读户数'),
        col('readRate', '阅读率'),
      ],
      rows: s.notices.items.map((n) => ({
        month: n.month,
        notices: n.notices,
        households: n.households,
        readHouseholds: n.readHouseholds,
        readRate: percent(n.readRate),
      })),
      empty: '所选月份没有发布通知',
    },
  ];
}
