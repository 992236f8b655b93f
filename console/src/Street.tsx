// 街道 view (docs/street.md): a street leader compares the communities of their street — one row per
// community, every column sortable, red cells for red figures, and bars of one figure side by side.
// Read-only: no button here changes anything. Every figure comes from street.overview, counted by
// the function as the signed-in leader; nothing about a person ever reaches this screen.
import { useEffect, useMemo, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { Loading } from 'tdesign-react/es/loading';
import { Radio } from 'tdesign-react/es/radio';
import { Select } from 'tdesign-react/es/select';
import { Table } from 'tdesign-react/es/table';
import type { SortInfo, TableSort } from 'tdesign-react/es/table';
import type { CommunityFigures, FigureKey, StreetOverview } from '../../cloudfunctions/street/api';
import { longDateTime } from '../../miniprogram/shared/clock';
import { call } from './cloud';

type NumericKey = {
  [K in keyof CommunityFigures]: CommunityFigures[K] extends number | null ? K : never;
}[keyof CommunityFigures];

interface Column {
  key: NumericKey;
  title: string;
  /** What the figure is, on hover of its title. */
  hint: string;
  /** How the cell shows the value. */
  show: (v: number | null, row: CommunityFigures) => string;
  /** The red rule this column shows (docs/street.md, "Red figures"). */
  red?: FigureKey;
  width?: number;
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const num = (v: number | null) => (v === null ? '—' : String(v));

export const COLUMNS: Column[] = [
  { key: 'membersActive', title: '居民', hint: '已入住的成员', show: num },
  { key: 'membersPending', title: '待审核', hint: '等待社区审核的加入申请', show: num },
  { key: 'volunteersOnDuty', title: '在岗志愿者', hint: '现在在岗的志愿者', show: num },
  { key: 'ordersCreated', title: '订单', hint: '本月新下的订单', show: num },
  { key: 'ordersClosed', title: '已办结', hint: '本月的订单中已办结的', show: num },
  { key: 'onTimeRate', title: '准时率', hint: '本月已完成服务的订单中按时完成的比例', show: pct, red: 'onTimeRate' },
  { key: 'redNow', title: '超时', hint: '现在正在超时（亮红灯）的订单', show: num, red: 'redNow' },
  {
    key: 'ratingAverage',
    title: '评分',
    hint: '本月订单的平均星级（评价数）',
    show: (v, row) => (v === null ? '—' : `${v.toFixed(1)}（${row.ratingCount}）`),
    red: 'ratingAverage',
  },
  { key: 'noticeReadRate', title: '阅读率', hint: '本月通知的户阅读率', show: pct, red: 'noticeReadRate' },
  {
    key: 'propertyStars',
    title: '物业',
    hint: '最近一次公示的物业服务评级',
    show: (v, row) => (v === null ? '—' : `${v} 星（${row.propertyMonth}）`),
    red: 'propertyStars',
  },
  { key: 'openTopics', title: '议题', hint: '征集到落实中的议题', show: num },
  { key: 'openVotes', title: '表决', hint: '正在进行的业主表决', show: num },
  { key: 'openQuestions', title: '账目提问', hint: '居民对账目的提问中还未答复的', show: num },
];

/** Figures the bars can compare. */
const BAR_FIGURES: { key: NumericKey; label: string; rate?: boolean }[] = [
  { key: 'ordersCreated', label: '本月订单' },
  { key: 'onTimeRate', label: '准时率', rate: true },
  { key: 'ratingAverage', label: '平均评分' },
  { key: 'noticeReadRate', label: '通知阅读率', rate: true },
  { key: 'redNow', label: '当前超时' },
  { key: 'membersActive', label: '居民' },
];

/** The current month and the eleven before it, `YYYY-MM`, from the figures' own month. */
function months(current: string): string[] {
  const [y, m] = current.split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const index = y * 12 + (m - 1) - i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`;

function sorted(rows: CommunityFigures[], sort: SortInfo | undefined): CommunityFigures[] {
  if (!sort) return rows;
  const key = sort.sortBy as NumericKey | 'name';
  const value = (r: CommunityFigures) => (key === 'name' ? r.name : r[key]);
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    // Communities without the figure go last whichever way.
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    const c = typeof x === 'string' ? x.localeCompare(String(y), 'zh-CN') : (x as number) - (y as number);
    return sort.descending ? -c : c;
  });
}

function Bars(props: { rows: CommunityFigures[] }) {
  const [figure, setFigure] = useState<NumericKey>('ordersCreated');
  const spec = BAR_FIGURES.find((f) => f.key === figure)!;
  const max = spec.rate ? 1 : figure === 'ratingAverage' ? 5 : Math.max(1, ...props.rows.map((r) => r[figure] ?? 0));
  return (
    <Card title="对比" className="street-bars">
      <Radio.Group variant="default-filled" value={figure} onChange={(v) => setFigure(v as NumericKey)}>
        {BAR_FIGURES.map((f) => (
          <Radio.Button key={f.key} value={f.key}>
            {f.label}
          </Radio.Button>
        ))}
      </Radio.Group>
      <div className="bars">
        {props.rows.map((r) => {
          const v = r[figure];
          const col = COLUMNS.find((c) => c.key === figure)!;
          const red = col.red ? r.red.includes(col.red) : false;
          return (
            <div key={r.communityId} className="bar-row" data-bar={r.communityId}>
              <span className="bar-name">{r.name}</span>
              <span className="bar-track">
                <span
                  className={red ? 'bar-fill bar-red' : 'bar-fill'}
                  style={{ width: `${v === null ? 0 : Math.max(1, (v / max) * 100)}%` }}
                />
              </span>
              <span className="bar-value">{col.show(v, r)}</span>
            </div>
          );
        })}
      </div>
    </Card>
  );
}

export function Street() {
  const [month, setMonth] = useState<string | undefined>(undefined);
  const [view, setView] = useState<StreetOverview | null>(null);
  const [error, setError] = useState('');
  const [sort, setSort] = useState<TableSort | undefined>(undefined);

  const load = (m?: string) => {
    setError('');
    setView(null);
    call('street', 'overview', m ? { month: m } : {}).then(setView, (err: Error) => setError(err.message));
  };
  useEffect(() => load(month), [month]);

  const first = Array.isArray(sort) ? sort[0] : sort;
  const rows = useMemo(() => (view ? sorted(view.communities, first) : []), [view, first]);
  const choices = useMemo(() => (view ? months(month ?? view.month) : []), [view, month]);

  if (error)
    return (
      <Card className="street-error">
        <p>{error}</p>
        <Button theme="primary" onClick={() => load(month)}>
          重新加载
        </Button>
      </Card>
    );
  if (!view) return <Loading className="home-loading" text="正在统计各社区的数据…" />;

  const redCount = rows.reduce((n, r) => n + r.red.length, 0);
  return (
    <div className="street">
      <div className="street-head">
        <h2 className="street-title">
          {view.streetName} · {view.communities.length} 个社区 · {monthLabel(view.month)}
        </h2>
        <Select
          className="street-month"
          value={view.month}
          onChange={(v) => setMonth(String(v))}
          options={choices.map((m) => ({ label: monthLabel(m), value: m }))}
          style={{ width: 160 }}
        />
      </div>
      <p className="street-note">
        {`只显示各社区的汇总数字，不含任何居民的姓名、房号、电话、订单内容或投票。红色为需要关注的数字（当前超时、准时率低于 80%、平均评分低于 3.5、通知阅读率低于 50%、物业评级低于 3 星或亮红灯），本月共 ${redCount} 处。点列标题旁的箭头排序。`}
      </p>
      <Card className="street-table">
        <Table
          rowKey="communityId"
          size="small"
          tableLayout="auto"
          data={rows}
          sort={sort}
          onSortChange={(s) => setSort(s)}
          empty="这个街道还没有社区，请联系平台运营方添加"
          columns={[
            { colKey: 'name', title: '社区', sorter: true },
            ...COLUMNS.map((c) => ({
              colKey: c.key,
              title: <span title={c.hint}>{c.title}</span>,
              sorter: true,
              width: c.width,
              align: 'right' as const,
              cell: ({ row }: { row: CommunityFigures }) => {
                const red = c.red ? row.red.includes(c.red) : false;
                return (
                  <span
                    className={red ? 'cell-red' : undefined}
                    data-cell={`${row.communityId}:${c.key}`}
                    data-red={red ? 'true' : undefined}
                  >
                    {c.show(row[c.key], row)}
                  </span>
                );
              },
            })),
          ]}
        />
      </Card>
      <Bars rows={rows} />
      <p className="street-asof">统计时间：{longDateTime(view.asOf)}</p>
    </div>
  );
}
