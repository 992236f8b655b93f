// 统计: the figures a worker answers the 街道 with, for a range of months (default the last 12):
// orders by month, the on-time rate, volunteer hours and the top ten volunteers, the property
// company's grade, votes, the ledger's monthly statements and notice read rates — one call,
// `stats.community`, which reads counters kept on write (docs/console.md, "统计"). 导出 writes
// the tables as one .xlsx, a sheet per table.
import { useEffect, useMemo, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { DateRangePicker } from 'tdesign-react/es/date-picker';
import { Col, Row } from 'tdesign-react/es/grid';
import { Loading } from 'tdesign-react/es/loading';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Space } from 'tdesign-react/es/space';
import { Statistic } from 'tdesign-react/es/statistic';
import { Table } from 'tdesign-react/es/table';
import { loadXlsxWriter } from './excel';
import type { CommunityStats } from '../../cloudfunctions/stats/api';
import { Chart, type ChartOption } from './Chart';
import { call } from './cloud';
import { lastTwelveMonths, monthIndex, statsTables, type StatsTable } from './stats-tables';

const MAX_MONTHS = 24;

const axis = (months: string[]) => ({ type: 'category' as const, data: months.map((m) => m.slice(2)) });
const grid = { left: 48, right: 16, top: 36, bottom: 28 };

function chartOptions(s: CommunityStats): Record<'orders' | 'onTime' | 'hours' | 'property', ChartOption> {
  const months = s.months;
  const grades = new Map(s.property.map((g) => [g.month, g.score]));
  return {
    orders: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid,
      xAxis: axis(months),
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '新增', type: 'bar', data: s.orders.map((m) => m.created) },
        { name: '办结', type: 'bar', data: s.orders.map((m) => m.closed) },
        { name: '取消', type: 'bar', data: s.orders.map((m) => m.cancelled) },
      ],
    },
    onTime: {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
      grid,
      xAxis: axis(months),
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: '按时办结率',
          type: 'line',
          connectNulls: true,
          data: s.orders.map((m) => (m.onTimeRate === null ? null : Math.round(m.onTimeRate * 1000) / 10)),
        },
      ],
    },
    hours: {
      tooltip: { trigger: 'axis' },
      grid,
      xAxis: axis(months),
      yAxis: { type: 'value', name: '小时' },
      series: [{ name: '志愿服务时长', type: 'bar', data: s.orders.map((m) => m.servedHours) }],
    },
    property: {
      tooltip: { trigger: 'axis' },
      grid,
      xAxis: axis(months),
      yAxis: { type: 'value', min: 0, max: 5 },
      series: [{ name: '物业综合得分', type: 'line', connectNulls: true, data: months.map((m) => grades.get(m) ?? null) }],
    },
  };
}

/** Every table as a sheet of one workbook, named after the community and the months. */
export async function exportWorkbook(s: CommunityStats, tables: StatsTable[]): Promise<void> {
  const sheets = tables.map((t) => ({
    sheet: t.name,
    columns: t.columns.map((c) => ({ width: c.width })),
    data: [
      t.columns.map((c) => ({ value: c.title, fontWeight: 'bold' as const })),
      ...t.rows.map((r) => t.columns.map((c) => ({ value: r[c.key] }))),
    ],
  }));
  const writeXlsxFile = await loadXlsxWriter();
  await writeXlsxFile(sheets).toFile(`${s.communityName || '社区'}统计_${s.fromMonth}至${s.toMonth}.xlsx`);
}

function ChartCard(props: { title: string; option: ChartOption; name: string }) {
  return (
    <Card title={props.title} className="stats-card" bordered>
      <Chart option={props.option} className={`chart-${props.name}`} />
    </Card>
  );
}

function TableCard(props: { table: StatsTable; note?: string }) {
  const t = props.table;
  return (
    <Card title={t.name} className="stats-card" bordered>
      <div data-table={t.name}>
        <Table
          rowKey={t.columns[0].key}
          size="small"
          data={t.rows}
          empty={t.empty}
          columns={t.columns.map((c) => ({ colKey: c.key, title: c.title }))}
        />
      </div>
      {props.note && <p className="stats-note">{props.note}</p>}
    </Card>
  );
}

export function Stats() {
  const [range, setRange] = useState<[string, string]>(() => lastTwelveMonths());
  const [stats, setStats] = useState<CommunityStats | null>(null);
  const [loading, setLoading] = useState(true);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    call('stats', 'community', { fromMonth: range[0], toMonth: range[1] }).then(
      (s) => live && (setStats(s), setLoading(false)),
      (err: Error) => live && (setLoading(false), void MessagePlugin.error(err.message)),
    );
    return () => {
      live = false;
    };
  }, [range]);

  const tables = useMemo(() => (stats ? statsTables(stats) : []), [stats]);
  const charts = useMemo(() => (stats ? chartOptions(stats) : null), [stats]);

  const pick = (value: unknown) => {
    const [from, to] = (value as string[]) ?? [];
    if (!from || !to) return;
    if (monthIndex(to) - monthIndex(from) + 1 > MAX_MONTHS) {
      void MessagePlugin.warning(`一次最多统计 ${MAX_MONTHS} 个月，请缩短月份范围`);
      return;
    }
    setRange([from, to]);
  };

  const doExport = async () => {
    if (!stats) return;
    setExporting(true);
    try {
      await exportWorkbook(stats, tables);
    } catch {
      void MessagePlugin.error('导出失败，请稍后再试');
    } finally {
      setExporting(false);
    }
  };

  const byName = (name: string) => tables.find((t) => t.name === name)!;
  return (
    <div className="stats">
      <Space className="stats-bar" align="center">
        <span>统计月份</span>
        <DateRangePicker
          className="stats-range"
          mode="month"
          valueType="YYYY-MM"
          format="YYYY-MM"
          value={range}
          onChange={pick}
          allowInput={false}
          clearable={false}
        />
        <Button
          theme="primary"
          className="stats-export"
          loading={exporting}
          disabled={!stats || loading}
          onClick={() => void doExport()}
        >
          导出
        </Button>
      </Space>
      {loading && !stats && <Loading className="home-loading" />}
      {stats && charts && (
        <>
          <Row gutter={16} className="stats-totals">
            <Col span={2}>
              <div data-total="created">
                <Statistic title="新增订单" value={stats.totals.created} />
              </div>
            </Col>
            <Col span={2}>
              <div data-total="closed">
                <Statistic title="办结订单" value={stats.totals.closed} />
              </div>
            </Col>
            <Col span={2}>
              <div data-total="cancelled">
                <Statistic title="取消订单" value={stats.totals.cancelled} />
              </div>
            </Col>
            <Col span={2}>
              <div data-total="onTimeRate">
                <Statistic
                  title="按时办结率"
                  value={stats.totals.onTimeRate === null ? undefined : Math.round(stats.totals.onTimeRate * 1000) / 10}
                  unit={stats.totals.onTimeRate === null ? '—' : '%'}
                  decimalPlaces={1}
                />
              </div>
            </Col>
            <Col span={2}>
              <div data-total="servedHours">
                <Statistic title="志愿服务时长（小时）" value={stats.totals.servedHours} decimalPlaces={1} />
              </div>
            </Col>
            <Col span={2}>
              <div data-total="votes">
                <Statistic title="表决（通过/举行）" value={stats.votes.passed} unit={`/ ${stats.votes.held}`} />
              </div>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <ChartCard title="订单（按月）" option={charts.orders} name="orders" />
            </Col>
            <Col span={6}>
              <ChartCard title="按时办结率" option={charts.onTime} name="ontime" />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <ChartCard title="志愿服务时长（小时）" option={charts.hours} name="hours" />
            </Col>
            <Col span={6}>
              <TableCard table={byName('志愿者服务时长前十')} />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <ChartCard title="物业综合得分（按月）" option={charts.property} name="property" />
            </Col>
            <Col span={6}>
              <TableCard table={byName('物业评级（按月）')} />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <TableCard table={byName('业主表决')} note={stats.votes.truncated ? '只列出最近 100 项表决' : undefined} />
            </Col>
            <Col span={6}>
              <TableCard table={byName('账目月报')} />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}>
              <TableCard table={byName('通知阅读率')} note={stats.notices.truncated ? '只统计最近 500 条通知' : undefined} />
            </Col>
            <Col span={6}>
              <TableCard table={byName('订单（按月）')} />
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
