// 派单工作台 on the PC: every order of the community with filters (status, light, building, tier) and
// two quick views — 待评单 (rated, waiting for the worker's review) and 需回访 (owing a call-back) —
// pages of 20. A row opens the order (OrderDrawer: detail, timeline, 评单 / 回访 / 取消 / 转单 and
// the printed 派工单); an order waiting for dispatch opens the suggestion drawer straight away. The
// same actions the mini-program's board and dispatch pages call (orders.listAll, orders.get, …).
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Select } from 'tdesign-react/es/select';
import { Space } from 'tdesign-react/es/space';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import type { OrderSummary } from '../../cloudfunctions/orders/api';
import {
  LIGHT_LABELS,
  STATUS_LABELS,
  TIER_LABELS,
  type Light,
  type OrderStatus,
  type Tier,
} from '../../miniprogram/shared/order-labels';
import { call } from './cloud';
import { OrderDrawer } from './OrderDrawer';
import { LIGHT_THEME } from './order-text';
import { SuggestionDrawer } from './Suggestions';

interface Filters {
  status?: OrderStatus;
  light?: Light;
  building?: string;
  tier?: Tier;
  needsFollowUp?: boolean;
}

type Option = { value: string; label: string };
const options = <K extends string>(labels: Record<K, string>): Option[] =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

/** The four filter selects, in the order shown; each is cleared back to 全部. */
const FILTERS: {
  key: 'status' | 'light' | 'building' | 'tier';
  placeholder: string;
  options: (buildings: string[]) => Option[];
}[] = [
  { key: 'status', placeholder: '全部状态', options: () => options(STATUS_LABELS) },
  { key: 'light', placeholder: '全部时限', options: () => options(LIGHT_LABELS) },
  { key: 'building', placeholder: '全部楼栋', options: (buildings) => buildings.map((b) => ({ value: b, label: b })) },
  { key: 'tier', placeholder: '全部服务类别', options: () => options(TIER_LABELS) },
];

export function Board({ buildings }: { buildings: string[] }) {
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<OrderSummary[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [picking, setPicking] = useState<OrderSummary | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const load = useCallback(
    async (next: number) => {
      setLoading(true);
      try {
        const res = await call('orders', 'listAll', { ...filters, ...(next > 1 ? { page: next } : {}) });
        setRows((old) => (next === 1 ? res.items : [...old, ...res.items]));
        setHasMore(res.hasMore);
        setPage(next);
      } catch (err) {
        void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      } finally {
        setLoading(false);
      }
    },
    [filters],
  );

  useEffect(() => {
    void load(1);
  }, [load]);

  const reload = useCallback(() => void load(1), [load]);
  const closePicker = useCallback(() => setPicking(null), []);
  const closeDetail = useCallback(() => setOpened(null), []);

  const set =
    <K extends keyof Filters>(key: K) =>
    (value: unknown) =>
      setFilters((f) => ({ ...f, [key]: value ? (value as Filters[K]) : undefined }));
  const toReview = filters.status === 'rated';
  const toCall = filters.needsFollowUp === true;

  return (
    <div className="board">
      <Space className="board-filters" breakLine>
        {FILTERS.map(({ key, placeholder, options: of }) => (
          <Select
            key={key}
            className={`filter-${key}`}
            placeholder={placeholder}
            clearable
            style={{ width: 160 }}
            value={filters[key]}
            onChange={set(key)}
            options={of(buildings)}
          />
        ))}
        <Button
          className="quick-review"
          variant={toReview ? 'base' : 'outline'}
          theme={toReview ? 'primary' : 'default'}
          onClick={() => set('status')(toReview ? undefined : 'rated')}
        >
          待评单
        </Button>
        <Button
          className="quick-followup"
          variant={toCall ? 'base' : 'outline'}
          theme={toCall ? 'primary' : 'default'}
          onClick={() => set('needsFollowUp')(!toCall)}
        >
          需回访
        </Button>
      </Space>
      <Table
        rowKey="_id"
        data={rows}
        loading={loading}
        empty="没有符合条件的订单"
        rowClassName={() => 'board-row'}
        onRowClick={({ row }) => setOpened(row._id)}
        columns={[
          {
            colKey: 'light',
            title: '时限',
            width: 100,
            cell: ({ row }) => (row.light ? <Tag theme={LIGHT_THEME[row.light]}>{LIGHT_LABELS[row.light]}</Tag> : '—'),
          },
          { colKey: 'serviceName', title: '服务', cell: ({ row }) => `${row.serviceName}（${row.tierLabel}）` },
          {
            colKey: 'who',
            title: '服务对象',
            cell: ({ row }) =>
              `${row.beneficiary.name} · ${[row.beneficiary.building, row.beneficiary.room].filter(Boolean).join(' ')}`,
          },
          {
            colKey: 'statusLabel',
            title: '状态',
            width: 130,
            cell: ({ row }) => (
              <span>
                {row.statusLabel}
                {row.needsFollowUp && (
                  <Tag className="tag-followup" size="small" theme="warning" variant="light">
                    需回访
                  </Tag>
                )}
              </span>
            ),
          },
          { colKey: 'volunteer', title: '志愿者', width: 120, cell: ({ row }) => row.volunteer?.name ?? '—' },
          {
            colKey: 'op',
            title: '操作',
            width: 150,
            cell: ({ row }) => (
              <div className="board-ops" onClick={(e) => e.stopPropagation()}>
                {row.status === 'pending' && (
                  <Button size="small" theme="primary" className="open-dispatch" onClick={() => setPicking(row)}>
                    派单
                  </Button>
                )}
                <Button
                  size="small"
                  variant="text"
                  theme="primary"
                  className="open-detail"
                  data-order={row._id}
                  onClick={() => setOpened(row._id)}
                >
                  详情
                </Button>
              </div>
            ),
          },
        ]}
      />
      {hasMore && (
        <Button variant="outline" className="board-more" loading={loading} onClick={() => void load(page + 1)}>
          加载更多
        </Button>
      )}
      <SuggestionDrawer order={picking} onClose={closePicker} onDispatched={reload} />
      <OrderDrawer orderId={opened} onClose={closeDetail} onChanged={reload} />
    </div>
  );
}
