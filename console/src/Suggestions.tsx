// The 派单 drawer: the volunteers the orders function suggests for one order (orders.suggestVolunteers),
// best first with its reasons, and 派给TA (orders.dispatch). Opened from the board and the order drawer.
import { useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Drawer } from 'tdesign-react/es/drawer';
import { Loading } from 'tdesign-react/es/loading';
import { MessagePlugin } from 'tdesign-react/es/message';
import type { OrderSummary, Suggestion } from '../../cloudfunctions/orders/api';
import { call, CloudError } from './cloud';

/** The volunteers the function suggests for one order, best first, with its reasons. */
export function SuggestionDrawer(props: { order: OrderSummary | null; onClose: () => void; onDispatched: () => void }) {
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
      header={
        order ? `派单 · ${order.serviceName}（${order.beneficiary.building ?? ''}${order.beneficiary.room ?? ''}）` : '派单'
      }
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
          <Button
            theme={i === 0 ? 'primary' : 'default'}
            size="small"
            disabled={busy}
            className="dispatch-to"
            onClick={() => void dispatch(s)}
          >
            派给TA
          </Button>
        </div>
      ))}
    </Drawer>
  );
}
