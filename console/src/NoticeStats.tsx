// 阅读情况 of one notice on the PC: households read overall and by building (a table with a bar per
// building), the unread households 20 a page (filter by building; phones masked), 一键提醒 — the
// one reminder a notice gets — and 导出未读名单 (.xlsx of every unread household, read through the
// function page by page). All figures are notices.stats' answer; nothing is counted here.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { Dialog } from 'tdesign-react/es/dialog';
import { Col, Row } from 'tdesign-react/es/grid';
import { Loading } from 'tdesign-react/es/loading';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Progress } from 'tdesign-react/es/progress';
import { Select } from 'tdesign-react/es/select';
import { Space } from 'tdesign-react/es/space';
import { Statistic } from 'tdesign-react/es/statistic';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import type { NoticeStats as Stats } from '../../cloudfunctions/notices/api';
import { maskPhone } from '../../cloudfunctions/common/mask';
import { call } from './cloud';
import { percent, whenText } from './notice-format';
import { exportUnread } from './unread-export';
import { Pager } from './Pager';

const STATE_LABELS: Record<Stats['state'], string> = {
  published: '已发布',
  scheduled: '定时发布',
  draft: '草稿',
  expired: '已过期',
  withdrawn: '已撤回',
};

export function NoticeStats({ noticeId, onBack }: { noticeId: string; onBack: () => void }) {
  const [stats, setStats] = useState<Stats | null>(null);
  const [building, setBuilding] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(true);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState<'remind' | 'export' | null>(null);

  const load = useCallback(
    async (b: string | undefined, p: number) => {
      setLoading(true);
      try {
        setStats(await call('notices', 'stats', { noticeId, ...(b ? { building: b } : {}), ...(p > 1 ? { page: p } : {}) }));
        setBuilding(b);
        setPage(p);
      } catch (err) {
        void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      } finally {
        setLoading(false);
      }
    },
    [noticeId],
  );

  useEffect(() => {
    void load(undefined, 1);
  }, [load]);

  const remind = async () => {
    setBusy('remind');
    try {
      const res = await call('notices', 'remind', { noticeId });
      void MessagePlugin.success(
        res.done ? `已提醒 ${res.sent} 人` : `已提醒 ${res.sent} 人，其余 ${res.pending} 人稍后陆续收到`,
      );
      setAsking(false);
      await load(building, page);
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      setAsking(false);
    } finally {
      setBusy(null);
    }
  };

  const download = async () => {
    if (!stats) return;
    setBusy('export');
    try {
      const n = await exportUnread(noticeId, stats.title);
      void MessagePlugin.success(`已导出 ${n} 户未读名单`);
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  if (!stats)
    return loading ? <Loading className="home-loading" text="正在读取阅读情况…" /> : <Button onClick={onBack}>‹ 返回列表</Button>;
  const t = stats.totals;
  const canRemind = stats.state === 'published' && !stats.remindedAt;
  return (
    <div className="notice-stats">
      <Space align="center" className="editor-head">
        <Button variant="text" className="back" onClick={onBack}>
          ‹ 返回列表
        </Button>
        <strong className="stats-title">{stats.title}</strong>
        <Tag variant="light">{STATE_LABELS[stats.state]}</Tag>
        <span className="hint">发给 {stats.audienceText}</span>
      </Space>
      <Row gutter={16} className="stats-figures">
        <Col span={3}>
          <Card>
            <Statistic title="已读户数" value={t.readHouseholds} unit={`/ ${t.households} 户`} />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <div data-figure="rate">
              <Statistic title="阅读率（按户）" value={t.households ? Math.round(t.rate * 100) : 0} unit="%" />
            </div>
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic title="已读人数" value={t.read} unit={`/ ${t.members} 人`} />
          </Card>
        </Col>
        <Col span={3}>
          <Card className="remind-card">
            <div className="remind-state">
              {stats.remindedAt
                ? `已于 ${whenText(stats.remindedAt)} 提醒 ${stats.remindedCount ?? 0} 人${stats.remindDone === false ? `，还有 ${stats.remindPending} 人待发` : ''}`
                : '每条通知只能提醒一次'}
            </div>
            <Space size={8}>
              <Button
                theme="primary"
                className="remind"
                disabled={!canRemind || t.readHouseholds >= t.households}
                onClick={() => setAsking(true)}
              >
                {stats.remindedAt ? '已提醒' : '一键提醒'}
              </Button>
              <Button variant="outline" className="export-unread" loading={busy === 'export'} onClick={() => void download()}>
                导出未读名单
              </Button>
            </Space>
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={5}>
          <Card title="各楼栋阅读率" className="building-stats">
            <Table
              rowKey="building"
              size="small"
              data={stats.buildings}
              empty="没有住户"
              columns={[
                { colKey: 'building', title: '楼栋', width: 70 },
                {
                  colKey: 'households',
                  title: '已读 / 户数',
                  width: 100,
                  cell: ({ row }) => `${row.readHouseholds} / ${row.households}`,
                },
                {
                  colKey: 'rate',
                  title: '阅读率',
                  cell: ({ row }) => (
                    <div
                      className="rate-bar"
                      data-building={row.building}
                      data-rate={percent(row.readHouseholds, row.households)}
                    >
                      <Progress
                        percentage={Math.round(row.rate * 100)}
                        label={percent(row.readHouseholds, row.households)}
                        theme="line"
                      />
                    </div>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={7}>
          <Card
            title="未读住户"
            className="unread-list"
            actions={
              <Select
                className="unread-building"
                placeholder="全部楼栋"
                clearable
                style={{ width: 140 }}
                value={building}
                onChange={(v) => void load(v ? String(v) : undefined, 1)}
                options={stats.buildings.map((b) => ({ value: b.building, label: b.building }))}
              />
            }
          >
            <Table
              rowKey="key"
              size="small"
              loading={loading}
              data={stats.unread.items.map((h) => ({ ...h, key: `${h.building}:${h.room}:${h.members[0]?.name ?? ''}` }))}
              empty="这里的住户都已读"
              columns={[
                { colKey: 'building', title: '楼栋', width: 70 },
                {
                  colKey: 'room',
                  title: '房号',
                  width: 130,
                  cell: ({ row }) => (row.verified ? row.room : `${row.room}（待核实）`),
                },
                {
                  colKey: 'members',
                  title: '住户',
                  cell: ({ row }) => row.members.map((m) => `${m.name} ${maskPhone(m.phone) ?? ''}`.trim()).join('、'),
                },
                {
                  colKey: 'attention',
                  title: '备注',
                  width: 150,
                  cell: ({ row }) =>
                    row.attention ? (
                      <Tag theme="warning" variant="light">
                        优先联系
                      </Tag>
                    ) : null,
                },
              ]}
            />
            <Pager
              name="unread"
              page={page}
              hasMore={stats.unread.hasMore}
              loading={loading}
              load={(n) => void load(building, n)}
            />
          </Card>
        </Col>
      </Row>
      <Dialog
        className="remind-dialog"
        visible={asking}
        header="提醒未读住户？"
        confirmBtn={{ content: '发送提醒', theme: 'primary', loading: busy === 'remind', className: 'confirm-remind' }}
        cancelBtn="取消"
        onConfirm={() => void remind()}
        onClose={() => setAsking(false)}
      >
        <p>给 {t.households - t.readHouseholds} 户未读住户发一条“请查看社区通知”的消息。每条通知只能提醒一次。</p>
      </Dialog>
    </div>
  );
}
