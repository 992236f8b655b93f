// 派单工作台 on the PC: every order of the community with filters (status, light, building, tier),
// pages of 20, and for an order waiting for dispatch the suggestion drawer — the volunteers the
// orders function ranks, with its reasons — and 派给TA. The same actions the mini-program's board
// and dispatch pages call (orders.listAll, orders.suggestVolunteers, orders.dispatch).
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Drawer } from 'tdesign-react/es/drawer';
import { Loading } from 'tdesign-react/es/loading';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Select } from 'tdesign-react/es/select';
import { Space } from 'tdesign-react/es/space';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import type { OrderSummary, Suggestion } from '../../cloudfunctions/orders/api';
import { LIGHT_LABELS, STATUS_LABELS, TIER_LABELS, type Light, type OrderStatus, type Tier } from '../../miniprogram/shared/order-labels';
import { call, CloudError } from './cloud';

interface Filters {
  status?: OrderStatus;
  light?: Light;
  building?: string;
  tier?: Tier;
}

const options = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

const LIGHT_THEME: Record<Light, 'success' | 'warning' | 'danger'> = { green: 'success', yellow: 'warning', red: 'danger' };

export function Board({ buildings }: { buildings: string[] }) {
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<OrderSummary[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [picking, setPicking] = useState<OrderSummary | null>(null);

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

  const set = <K extends keyof Filters>(key: K) => (value: unknown) =>
    setFilters((f) => ({ ...f, [key]: value ? (value as Filters[K]) : undefined }));

  return (
    <div className="board">
      <Space className="board-filters" breakLine>
        <Select className="filter-status" placeholder="全部状态" clearable style={{ width: 160 }} value={filters.status} onChange={set('status')} options={options(STATUS_LABELS)} />
        <Select className="filter-light" placeholder="全部时限" clearable style={{ width: 160 }} value={filters.light} onChange={set('light')} options={options(LIGHT_LABELS)} />
        <Select className="filter-building" placeholder="全部楼栋" clearable style={{ width: 160 }} value={filters.building} onChange={set('building')} options={buildings.map((b) => ({ value: b, label: b }))} />
        <Select className="filter-tier" placeholder="全部服务类别" clearable style={{ width: 160 }} value={filters.tier} onChange={set('tier')} options={options(TIER_LABELS)} />
      </Space>
      <Table
        rowKey="_id"
        data={rows}
        loading={loading}
        empty="没有符合条件的订单"
        columns={[
          { colKey: 'light', title: '时限', width: 100, cell: ({ row }) => (row.light ? <Tag theme={LIGHT_THEME[row.light]}>{LIGHT_LABELS[row.light]}</Tag> : '—') },
          { colKey: 'serviceName', title: '服务', cell: ({ row }) => `${row.serviceName}（${row.tierLabel}）` },
          { colKey: 'who', title: '服务对象', cell: ({ row }) => `${row.beneficiary.name} · ${[row.beneficiary.building, row.beneficiary.room].filter(Boolean).join(' ')}` },
          { colKey: 'statusLabel', title: '状态', width: 100 },
          { colKey: 'volunteer', title: '志愿者', width: 120, cell: ({ row }) => row.volunteer?.name ?? '—' },
          {
            colKey: 'op',
            title: '操作',
            width: 110,
            cell: ({ row }) =>
              row.status === 'pending' ? (
                <Button size="small" theme="primary" className="open-dispatch" onClick={() => setPicking(row)}>
                  派单
                </Button>
              ) : null,
          },
        ]}
      />
      {hasMore && (
        <Button variant="outline" className="board-more" loading={loading} onClick={() => void load(page + 1)}>
          加载更多
        </Button>
      )}
      <SuggestionDrawer order={picking} onClose={() => setPicking(null)} onDispatched={() => void load(1)} />
    </div>
  );
}

/** The volunteers the function suggests for one order, best first, with its reasons. */
function SuggestionDrawer(props: { order: OrderSummary | null; onClose: () => void; onDispatched: () => void }) {
  const { order, onClose, onDispatched } = props;
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setItems(null);
    if (!order) return;
    call('orders', 'suggestVolunteers', { orderId: order._id }).then(
      (res) => setItems(res.items),
      (err: Error) => {
        void MessagePlugin.error(err.message);
        onClose();
      },
    );
  }, [order, onClose]);

  const dispatch = async (s: Suggestion) => {
    if (!order || busy) return;
    setBusy(true);
    try {
      await call('orders', 'dispatch', { orderId: order._id, volunteerOpenid: s.openid });
      void MessagePlugin.success(`已派给${s.name}`);
      onClose();
      onDispatched();
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      if (err instanceof CloudError && (err.code === 'E_CONFLICT' || err.code === 'E_NOT_FOUND')) {
        onClose();
        onDispatched();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      className="suggestions"
      visible={Boolean(order)}
      header={order ? `派单 · ${order.serviceName}（${order.beneficiary.building ?? ''}${order.beneficiary.room ?? ''}）` : '派单'}
      footer={false}
      size="480px"
      onClose={onClose}
    >
      {!items && <Loading text="正在推荐志愿者…" />}
      {items && items.length === 0 && <p>没有在岗的志愿者。可以放入接单大厅，让志愿者自己接单。</p>}
      {items?.map((s, i) => (
        <div key={s.openid} className="suggestion" data-index={i}>
          <div className="suggestion-head">
            <strong>{s.name}</strong>
            <span className="suggestion-score">推荐分 {s.score}</span>
          </div>
          <p className="suggestion-reason">{s.reason}</p>
          <Button theme={i === 0 ? 'primary' : 'default'} size="small" disabled={busy} className="dispatch-to" onClick={() => void dispatch(s)}>
            派给TA
          </Button>
        </div>
      ))}
    </Drawer>
  );
}
