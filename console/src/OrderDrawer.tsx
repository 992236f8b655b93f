// One order in the console, as `orders.get` answers it to the signed-in worker: service and tier,
// the resident served (and who ordered, for 代点单), address and phone as the function shows them
// to a worker, the description, the status with the running step's clock and light, rating and
// comment, review, follow-up, cancellation, completion note, photos, the full timeline, and the
// actions the order allows now (OrderActions). Nothing is computed here that the answer lacks.
import { useCallback, useEffect, useState } from 'react';
import { Drawer } from 'tdesign-react/es/drawer';
import { Loading } from 'tdesign-react/es/loading';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Tag } from 'tdesign-react/es/tag';
import type { OrderDetail } from '../../cloudfunctions/orders/api';
import { LIGHT_LABELS } from '../../miniprogram/shared/order-labels';
import { call } from './cloud';
import { OrderActions } from './OrderActions';
import { addressText, clockLine, LIGHT_THEME, timeText } from './order-text';
import { Photos } from './Photos';
import { SuggestionDrawer } from './Suggestions';

interface Props {
  orderId: string | null;
  onClose: () => void;
  /** The order changed: the board reloads its list. */
  onChanged: () => void;
}

const stars = (n: number) => '★★★★★'.slice(0, n) + '☆☆☆☆☆'.slice(0, 5 - n);

export function OrderDrawer({ orderId, onClose, onChanged }: Props) {
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [picking, setPicking] = useState(false);

  const load = useCallback(async () => {
    if (!orderId) return;
    try {
      setOrder(await call('orders', 'get', { orderId }));
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      onClose();
    }
  }, [orderId, onClose]);

  useEffect(() => {
    setOrder(null);
    setPicking(false);
    void load();
  }, [load]);

  const changed = (next: OrderDetail) => {
    setOrder(next);
    onChanged();
  };
  const stale = () => {
    void load();
    onChanged();
  };
  const closePicker = useCallback(() => setPicking(false), []);
  const dispatched = useCallback(() => {
    void load();
    onChanged();
  }, [load, onChanged]);

  const o = order;
  return (
    <Drawer
      className="order-drawer"
      visible={Boolean(orderId)}
      header={o ? `订单详情 · ${o.serviceName}` : '订单详情'}
      footer={false}
      size="640px"
      onClose={onClose}
    >
      {!o && <Loading text="正在读取订单…" />}
      {o && (
        <div className="order-detail" data-order={o._id}>
          <div className="order-status">
            <strong className="order-status-label">{o.statusLabel}</strong>
            {o.light && <Tag theme={LIGHT_THEME[o.light]}>{LIGHT_LABELS[o.light]}</Tag>}
            {o.urgent && (
              <Tag theme="danger" variant="light">
                一键求助
              </Tag>
            )}
            {o.followUp?.needed && !o.followUp.result && (
              <Tag theme="warning" variant="light">
                需回访
              </Tag>
            )}
            <span className="order-clock">{clockLine(o)}</span>
          </div>
          <dl className="order-facts">
            <dt>服务</dt>
            <dd>{`${o.serviceName}（${o.tierLabel}）`}</dd>
            <dt>服务对象</dt>
            <dd className="fact-resident">{`${o.beneficiary.name} · ${addressText(o.beneficiary)} · ${o.beneficiary.phone ?? '未留电话'}`}</dd>
            {o.forSomeoneElse && (
              <>
                <dt>代点单</dt>
                <dd>{o.orderedBy.name}</dd>
              </>
            )}
            <dt>需求</dt>
            <dd className="fact-description">{o.description || (o.voice ? `语音 ${o.voice.seconds} 秒` : '—')}</dd>
            {o.voice?.transcript && (
              <>
                <dt>语音文字</dt>
                <dd>{o.voice.transcript}</dd>
              </>
            )}
            <dt>下单时间</dt>
            <dd>{timeText(o.createdAt)}</dd>
            <dt>{o.serverLabel}</dt>
            <dd>{o.volunteer ? `${o.volunteer.name}${o.volunteer.phone ? ` · ${o.volunteer.phone}` : ''}` : '—'}</dd>
            {o.completion && (
              <>
                <dt>服务说明</dt>
                <dd>{`${o.completion.note}（${timeText(o.completion.at)}）`}</dd>
              </>
            )}
            {o.rating && (
              <>
                <dt>居民评价</dt>
                <dd className="fact-rating">
                  <span className="stars">{stars(o.rating.stars)}</span> {o.rating.stars} 星
                  {o.rating.comment ? `：${o.rating.comment}` : ''}
                </dd>
              </>
            )}
            {o.review && (
              <>
                <dt>评单</dt>
                <dd>{o.review.result === 'pass' ? '通过' : `需返工：${o.review.note ?? ''}`}</dd>
              </>
            )}
            {o.followUp?.result && (
              <>
                <dt>回访</dt>
                <dd className="fact-followup">{`${o.followUp.resultLabel}${o.followUp.note ? `：${o.followUp.note}` : ''}（${timeText(o.followUp.at)}）`}</dd>
              </>
            )}
            {o.cancellation && (
              <>
                <dt>取消</dt>
                <dd className="fact-cancel">{`${o.cancellation.byName}：${o.cancellation.reason}`}</dd>
              </>
            )}
            {o.passedOver.length > 0 && (
              <>
                <dt>未接</dt>
                <dd>{o.passedOver.map((p) => `${p.name}（${p.timedOut ? '超时' : p.reason}）`).join('；')}</dd>
              </>
            )}
          </dl>
          <Photos title="下单照片" fileIds={o.photos} />
          <Photos title="完成照片" fileIds={o.completion?.photos ?? []} />
          <OrderActions
            order={o}
            onChanged={changed}
            onStale={stale}
            onDispatch={() => setPicking(true)}
            onPrint={() => {
              onClose();
              window.location.hash = `#/print/${encodeURIComponent(o._id)}`;
            }}
          />
          <h4 className="order-section">进度</h4>
          <ol className="order-timeline">
            {o.timeline.map((t, i) => (
              <li key={i} className={`timeline-${t.action}`}>
                <span className="timeline-time">{timeText(t.at)}</span>
                <span className="timeline-what">{`${t.actorName} ${t.actionLabel}`}</span>
                {t.note && <span className="timeline-note">{t.note}</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
      <SuggestionDrawer order={picking ? o : null} onClose={closePicker} onDispatched={dispatched} />
    </Drawer>
  );
}
