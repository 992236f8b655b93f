// 工作台 home: what needs a worker today — orders past or near their step's time limit and those
// waiting for dispatch, members waiting for review, and sent notices few households have read.
// Every figure comes from the functions the mini-program uses, called as the signed-in worker.
import { useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { Col, Row } from 'tdesign-react/es/grid';
import { Loading } from 'tdesign-react/es/loading';
import { Statistic } from 'tdesign-react/es/statistic';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import type { OrderSummary } from '../../cloudfunctions/orders/api';
import type { Page } from '../../cloudfunctions/common/schema';
import { call } from './cloud';

interface Figures {
  red: Page<OrderSummary>;
  yellow: Page<OrderSummary>;
  waiting: Page<OrderSummary>;
  pendingMembers: number;
  pendingMore: boolean;
  lowRead: { noticeId: string; title: string; rate: number; readHouseholds: number; households: number }[];
}

/** Notices whose household read rate is under this show on the home. */
const LOW_READ = 0.6;
const NOTICES_CHECKED = 5;

async function loadFigures(): Promise<Figures> {
  const [red, yellow, waiting, members, sent] = await Promise.all([
    call('orders', 'listAll', { light: 'red' }),
    call('orders', 'listAll', { light: 'yellow' }),
    call('orders', 'listAll', { status: 'pending' }),
    call('member', 'list', { status: 'pending' }),
    call('notices', 'list', { box: 'sent' }),
  ]);
  const published = sent.items.filter((n) => n.state === 'published').slice(0, NOTICES_CHECKED);
  const stats = await Promise.all(published.map((n) => call('notices', 'stats', { noticeId: n._id })));
  const lowRead = stats
    .filter((s) => s.totals.households > 0 && s.totals.rate < LOW_READ)
    .map((s) => ({
      noticeId: s.noticeId,
      title: s.title,
      rate: s.totals.rate,
      readHouseholds: s.totals.readHouseholds,
      households: s.totals.households,
    }))
    .sort((a, b) => a.rate - b.rate);
  return { red, yellow, waiting, pendingMembers: members.items.length, pendingMore: members.hasMore, lowRead };
}

const count = (p: { items: unknown[]; hasMore: boolean }) => `${p.items.length}${p.hasMore ? '+' : ''}`;
const where = (o: OrderSummary) => [o.beneficiary.building, o.beneficiary.room].filter(Boolean).join(' ') || '—';

/** One figure card: a count from the first page of 20, "20+" when there are more. */
function Figure(props: {
  id: string;
  title: string;
  page: { items: { length: number }; hasMore: boolean };
  unit: string;
  color?: 'red' | 'orange';
}) {
  return (
    <Col span={3}>
      <div data-figure={props.id}>
        <Card className="figure">
          <Statistic
            title={props.title}
            value={props.page.items.length}
            unit={props.page.hasMore ? `+ ${props.unit}` : props.unit}
            color={props.color}
          />
        </Card>
      </div>
    </Col>
  );
}

export function Home() {
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState('');

  const reload = () => {
    setError('');
    loadFigures().then(setFigures, (err: Error) => setError(err.message));
  };
  useEffect(reload, []);

  if (error)
    return (
      <Card className="home-error">
        <p>{error}</p>
        <Button theme="primary" onClick={reload}>
          重新加载
        </Button>
      </Card>
    );
  if (!figures) return <Loading className="home-loading" text="正在读取工作台…" />;

  const urgent = [...figures.red.items, ...figures.yellow.items].slice(0, 8);
  return (
    <div className="home">
      <Row gutter={16} className="home-figures">
        <Figure id="red" title="已超时" page={figures.red} unit="单" color="red" />
        <Figure id="yellow" title="即将超时" page={figures.yellow} unit="单" color="orange" />
        <Figure id="waiting" title="待派单" page={figures.waiting} unit="单" />
        <Figure
          id="members"
          title="待审核成员"
          page={{ items: { length: figures.pendingMembers }, hasMore: figures.pendingMore }}
          unit="人"
        />
      </Row>
      <Row gutter={16}>
        <Col span={7}>
          <Card title={`需要盯紧的订单（超时 ${count(figures.red)}，即将超时 ${count(figures.yellow)}）`} className="home-orders">
            <Table
              rowKey="_id"
              size="small"
              data={urgent}
              empty="没有超时或即将超时的订单"
              columns={[
                {
                  colKey: 'light',
                  title: '时限',
                  width: 96,
                  cell: ({ row }) =>
                    row.light === 'red' ? <Tag theme="danger">已超时</Tag> : <Tag theme="warning">即将超时</Tag>,
                },
                { colKey: 'serviceName', title: '服务' },
                { colKey: 'where', title: '楼栋房号', cell: ({ row }) => where(row) },
                { colKey: 'statusLabel', title: '状态', width: 96 },
              ]}
            />
          </Card>
        </Col>
        <Col span={5}>
          <Card title="阅读率低的通知" className="home-notices">
            <Table
              rowKey="noticeId"
              size="small"
              data={figures.lowRead}
              empty="最近的通知阅读率都不低"
              columns={[
                { colKey: 'title', title: '通知', ellipsis: true },
                {
                  colKey: 'rate',
                  title: '已读户数',
                  width: 120,
                  cell: ({ row }) => `${row.readHouseholds}/${row.households}（${Math.round(row.rate * 100)}%）`,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
