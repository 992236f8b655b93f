// 派工单: one order on one A4 sheet (route `#/print/<orderId>`), for the community's files or to
// hand to the volunteer who serves it. What `orders.get` answers the worker, laid out for paper:
// the community, the order number, service, when it was asked, the resident and address, the
// description, the volunteer, each step's limit and deadline, the timeline, and lines to sign.
// The resident's phone and door number are masked on paper (it may lie on a desk) unless the
// worker prints it for the volunteer assigned to the order, who sees them in the mini-program
// anyway (docs/console.md, "派工单"). `@media print` (app.css) leaves only the sheet.
import { useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Checkbox } from 'tdesign-react/es/checkbox';
import { Loading } from 'tdesign-react/es/loading';
import { Space } from 'tdesign-react/es/space';
import type { OrderDetail } from '../../cloudfunctions/orders/api';
import { call } from './cloud';
import { longDateTime } from '../../miniprogram/shared/clock';
import { addressText, printableForVolunteer, printedPerson, stepRows, timeText } from './order-text';

interface Props {
  orderId: string;
  communityName: string;
  onBack: () => void;
}

export function PrintView({ orderId, communityName, onBack }: Props) {
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [error, setError] = useState('');
  const [forVolunteer, setForVolunteer] = useState(false);

  useEffect(() => {
    setOrder(null);
    setError('');
    call('orders', 'get', { orderId }).then(setOrder, (err: Error) => setError(err.message));
  }, [orderId]);

  if (error)
    return (
      <div className="print-view">
        <p className="print-error">{error}</p>
        <Button onClick={onBack}>返回</Button>
      </div>
    );
  if (!order) return <Loading className="home-loading" text="正在读取订单…" />;

  const o = order;
  const mayShowWhole = printableForVolunteer(o);
  const whole = mayShowWhole && forVolunteer;
  const person = printedPerson(o.beneficiary, whole);

  return (
    <div className="print-view">
      <Space className="print-tools no-print" align="center">
        <Button theme="primary" className="print-now" onClick={() => window.print()}>
          打印派工单
        </Button>
        <Button variant="outline" className="print-back" onClick={onBack}>
          返回派单
        </Button>
        <Checkbox className="print-whole" checked={whole} disabled={!mayShowWhole} onChange={(v) => setForVolunteer(Boolean(v))}>
          交给接单志愿者（显示完整电话和门牌）
        </Checkbox>
        {!mayShowWhole && <span className="print-tip">订单尚未由志愿者接手，电话和门牌按隐私规则打码</span>}
      </Space>
      <article className="sheet" data-order={o._id}>
        <header className="sheet-head">
          <h1>{communityName} · 派工单</h1>
          <p>
            单号 <span className="sheet-no">{o._id}</span>　打印时间 {longDateTime(Date.now())}
          </p>
        </header>
        <table className="sheet-facts">
          <tbody>
            <tr>
              <th>服务项目</th>
              <td>{`${o.serviceName}（${o.tierLabel}）`}</td>
              <th>下单时间</th>
              <td>{timeText(o.createdAt)}</td>
            </tr>
            <tr>
              <th>居民</th>
              <td className="sheet-resident">{o.beneficiary.name}</td>
              <th>楼栋 / 门牌</th>
              <td className="sheet-address">{addressText({ building: o.beneficiary.building, room: person.room })}</td>
            </tr>
            <tr>
              <th>联系电话</th>
              <td className="sheet-phone">{person.phone}</td>
              <th>当前状态</th>
              <td>{o.statusLabel}</td>
            </tr>
            <tr>
              <th>{o.serverLabel}</th>
              <td className="sheet-volunteer">{o.volunteer?.name ?? '（待派单）'}</td>
              <th>代点单</th>
              <td>{o.forSomeoneElse ? o.orderedBy.name : '—'}</td>
            </tr>
            <tr>
              <th>需求描述</th>
              <td colSpan={3} className="sheet-description">
                {o.description ||
                  (o.voice ? `语音留言 ${o.voice.seconds} 秒${o.voice.transcript ? `：${o.voice.transcript}` : ''}` : '—')}
              </td>
            </tr>
          </tbody>
        </table>
        <h2>环节时限</h2>
        <table className="sheet-steps">
          <thead>
            <tr>
              <th>环节</th>
              <th>时限</th>
              <th>截止 / 完成</th>
            </tr>
          </thead>
          <tbody>
            {stepRows(o).map((r) => (
              <tr key={r.step}>
                <td>{r.label}</td>
                <td>{r.limit}</td>
                <td>{r.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>进度记录</h2>
        <table className="sheet-timeline">
          <tbody>
            {o.timeline.map((t, i) => (
              <tr key={i}>
                <td className="sheet-time">{timeText(t.at)}</td>
                <td>{`${t.actorName} ${t.actionLabel}${t.note ? `：${t.note}` : ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>服务记录</h2>
        <div className="sheet-lines">
          <p>服务内容：</p>
          <p>完成情况：</p>
        </div>
        <footer className="sheet-sign">
          <span>服务人签字：</span>
          <span>居民签字：</span>
          <span>日期：</span>
        </footer>
      </article>
    </div>
  );
}
