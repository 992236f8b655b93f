// What a worker may do to one order now — exactly the order's `allowedActions` (the function's own
// rules, so the buttons and the refusals never disagree): 派单 / 改派 (the suggestion drawer), 转单
// (release to the 接单大厅), 评单 (pass, or rework with a note), 回访 (result and note), 取消 (reason),
// and 打印派工单. A refusal shows the function's Chinese sentence; when the order moved on
// (E_CONFLICT) or is gone (E_NOT_FOUND) the drawer reloads it as it is now.
import { useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Radio } from 'tdesign-react/es/radio';
import { Space } from 'tdesign-react/es/space';
import { Textarea } from 'tdesign-react/es/textarea';
import type { OrderDetail } from '../../cloudfunctions/orders/api';
import { FOLLOW_UP_LABELS, FOLLOW_UP_RESULTS, type FollowUpResult } from '../../miniprogram/shared/order-labels';
import { call, CloudError } from './cloud';

type Form = 'review' | 'followUp' | 'cancel' | 'release' | null;

interface Props {
  order: OrderDetail;
  /** The function answered the changed order. */
  onChanged: (next: OrderDetail) => void;
  /** Reload the order (it moved on or is gone). */
  onStale: () => void;
  onDispatch: () => void;
  onPrint: () => void;
}

export function OrderActions({ order, onChanged, onStale, onDispatch, onPrint }: Props) {
  const [form, setForm] = useState<Form>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<'pass' | 'rework'>('pass');
  const [callResult, setCallResult] = useState<FollowUpResult | ''>('');
  const [note, setNote] = useState('');
  const [hint, setHint] = useState('');
  const may = (a: OrderDetail['allowedActions'][number]) => order.allowedActions.includes(a);

  const open = (f: Form) => {
    setForm(form === f ? null : f);
    setNote('');
    setHint('');
    setResult('pass');
    setCallResult('');
  };

  const run = async (work: () => Promise<OrderDetail>, done: string) => {
    if (busy) return;
    setBusy(true);
    try {
      const next = await work();
      void MessagePlugin.success(done);
      setForm(null);
      onChanged(next);
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      if (err instanceof CloudError && (err.code === 'E_CONFLICT' || err.code === 'E_NOT_FOUND')) {
        setForm(null);
        onStale();
      }
    } finally {
      setBusy(false);
    }
  };

  const text = note.trim();
  const submit = () => {
    const orderId = order._id;
    if (form === 'review') {
      if (result === 'rework' && !text) return setHint('请写明哪里需要返工，志愿者会看到这段话');
      const doneText = result === 'pass' ? '评单通过，订单已办结' : '已退回返工，志愿者会收到通知';
      return void run(() => call('orders', 'review', { orderId, result, ...(text ? { note: text } : {}) }), doneText);
    }
    if (form === 'followUp') {
      if (!callResult) return setHint('请选择回访结果');
      return void run(
        () => call('orders', 'followUp', { orderId, result: callResult, ...(text ? { note: text } : {}) }),
        '回访已记录',
      );
    }
    if (form === 'cancel') {
      if (!text) return setHint('请填写取消原因，居民和志愿者会看到');
      return void run(() => call('orders', 'cancel', { orderId, reason: text }), '订单已取消');
    }
    if (form === 'release') return void run(() => call('orders', 'release', { orderId }), '已转到接单大厅，在岗志愿者可以接单');
  };

  return (
    <div className="order-actions">
      <Space breakLine>
        {may('dispatch') && (
          <Button theme="primary" className="act-dispatch" onClick={onDispatch}>
            {order.status === 'open' ? '改派给志愿者' : '派单'}
          </Button>
        )}
        {may('review') && (
          <Button theme="primary" className="act-review" onClick={() => open('review')}>
            评单
          </Button>
        )}
        {may('followUp') && (
          <Button className="act-followup" variant="outline" onClick={() => open('followUp')}>
            回访
          </Button>
        )}
        {may('release') && (
          <Button className="act-release" variant="outline" onClick={() => open('release')}>
            转到接单大厅
          </Button>
        )}
        {may('cancel') && (
          <Button className="act-cancel" theme="danger" variant="outline" onClick={() => open('cancel')}>
            取消订单
          </Button>
        )}
        <Button className="act-print" variant="outline" onClick={onPrint}>
          打印派工单
        </Button>
      </Space>
      {form && (
        <div className={`action-form form-${form}`}>
          {form === 'review' && (
            <Radio.Group
              className="review-result"
              value={result}
              onChange={(v) => setResult(v as 'pass' | 'rework')}
              options={[
                { value: 'pass', label: '通过（办结，志愿者得积分）' },
                { value: 'rework', label: '需返工（退回志愿者）' },
              ]}
            />
          )}
          {form === 'followUp' && (
            <Radio.Group
              className="followup-result"
              value={callResult}
              onChange={(v) => {
                setCallResult(v as FollowUpResult);
                setHint('');
              }}
              options={FOLLOW_UP_RESULTS.map((r) => ({ value: r, label: FOLLOW_UP_LABELS[r] }))}
            />
          )}
          {form === 'release' ? (
            <p className="action-note">订单将进入接单大厅，在岗志愿者先到先得；之后仍可从大厅改派。</p>
          ) : (
            <Textarea
              className="action-text"
              value={note}
              maxlength={form === 'cancel' ? 200 : 300}
              autosize={{ minRows: 2, maxRows: 4 }}
              placeholder={
                form === 'review'
                  ? '评单意见（返工时必填，志愿者会看到）'
                  : form === 'followUp'
                    ? '回访记录（选填）：居民怎么说'
                    : '取消原因（必填）：居民和志愿者会看到'
              }
              onChange={(v) => {
                setNote(String(v));
                setHint('');
              }}
            />
          )}
          {hint && <p className="action-hint">{hint}</p>}
          <Space>
            <Button theme={form === 'cancel' ? 'danger' : 'primary'} className="action-submit" loading={busy} onClick={submit}>
              {form === 'review' ? '提交评单' : form === 'followUp' ? '记录回访' : form === 'cancel' ? '确认取消' : '确认转单'}
            </Button>
            <Button variant="text" onClick={() => setForm(null)}>
              收起
            </Button>
          </Space>
        </div>
      )}
    </div>
  );
}
