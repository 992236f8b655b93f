// 成员审核 on the PC: applicants waiting for review, 20 a page, with checkboxes — 批量通过 /
// 批量拒绝 (with a reason) through member.approveMany / rejectMany, and 通过 / 拒绝 on each row
// (member.approve / reject). A batch answers per applicant: one another worker handled meanwhile is
// reported, not a failure. Phones are masked on the console.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Dialog } from 'tdesign-react/es/dialog';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Space } from 'tdesign-react/es/space';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import { Textarea } from 'tdesign-react/es/textarea';
import type { BatchReview, MemberView } from '../../cloudfunctions/member/api';
import { maskPhone } from '../../cloudfunctions/common/mask';
import { call } from './cloud';
import { whenText } from './notice-format';
import { Pager } from './Pager';

/** `已通过 3 人；1 人已被其他工作人员处理；1 人不在待审核名单中` */
export function batchText(res: BatchReview, verb: '通过' | '拒绝'): string {
  const done = verb === '通过' ? res.approved : res.rejected;
  return [
    `已${verb} ${done} 人`,
    res.handled ? `${res.handled} 人已被其他工作人员处理` : '',
    res.notFound ? `${res.notFound} 人不在待审核名单中` : '',
  ]
    .filter(Boolean)
    .join('；');
}

type Rejecting = { openids: string[]; names: string[] } | null;

export function Members() {
  const [rows, setRows] = useState<MemberView[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<string[]>([]);
  const [rejecting, setRejecting] = useState<Rejecting>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (next: number) => {
    setLoading(true);
    try {
      const res = await call('member', 'list', { status: 'pending', ...(next > 1 ? { page: next } : {}) });
      setRows(res.items);
      setHasMore(res.hasMore);
      setPage(next);
      setSelected([]);
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(1);
  }, [load]);

  const run = async (work: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    try {
      void MessagePlugin.success(await work());
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      await load(page);
    }
  };

  const approve = (openids: string[]) =>
    run(async () =>
      openids.length === 1
        ? (await call('member', 'approve', { openid: openids[0] })) && '已通过'
        : batchText(await call('member', 'approveMany', { openids }), '通过'),
    );

  const reject = (target: NonNullable<Rejecting>) =>
    run(async () => {
      const why = reason.trim() ? { reason: reason.trim() } : {};
      setRejecting(null);
      return target.openids.length === 1
        ? (await call('member', 'reject', { openid: target.openids[0], ...why })) && '已拒绝'
        : batchText(await call('member', 'rejectMany', { openids: target.openids, ...why }), '拒绝');
    });

  const askReject = (openids: string[]) => {
    setReason('');
    setRejecting({ openids, names: rows.filter((r) => openids.includes(r.openid)).map((r) => r.name) });
  };

  return (
    <div className="members">
      <Space className="members-bar" align="center">
        <Button
          theme="primary"
          className="approve-selected"
          disabled={!selected.length || busy}
          onClick={() => void approve(selected)}
        >
          批量通过{selected.length ? `（${selected.length}）` : ''}
        </Button>
        <Button
          theme="danger"
          variant="outline"
          className="reject-selected"
          disabled={!selected.length || busy}
          onClick={() => askReject(selected)}
        >
          批量拒绝{selected.length ? `（${selected.length}）` : ''}
        </Button>
        <span className="hint">勾选本页的申请人后批量处理；每人的结果单独记录。</span>
      </Space>
      <Table
        rowKey="openid"
        data={rows}
        loading={loading}
        empty="没有待审核的申请"
        selectedRowKeys={selected}
        onSelectChange={(keys) => setSelected(keys.map(String))}
        columns={[
          { colKey: 'row-select', type: 'multiple', width: 50 },
          { colKey: 'name', title: '姓名', width: 120 },
          { colKey: 'where', title: '楼栋房号', width: 160, cell: ({ row }) => `${row.building} ${row.room}` },
          { colKey: 'phone', title: '手机号', width: 140, cell: ({ row }) => maskPhone(row.phone) ?? '—' },
          {
            colKey: 'household',
            title: '房号',
            width: 120,
            cell: ({ row }) => (
              <Tag
                theme={
                  row.household.status === 'verified' ? 'success' : row.household.status === 'disputed' ? 'danger' : 'default'
                }
                variant="light"
              >
                {row.household.statusLabel}
              </Tag>
            ),
          },
          { colKey: 'joinedAt', title: '申请时间', width: 160, cell: ({ row }) => whenText(row.joinedAt) },
          {
            colKey: 'op',
            title: '操作',
            width: 150,
            cell: ({ row }) => (
              <Space size={4}>
                <Button
                  size="small"
                  variant="text"
                  theme="primary"
                  className="approve-one"
                  disabled={busy}
                  onClick={() => void approve([row.openid])}
                >
                  通过
                </Button>
                <Button
                  size="small"
                  variant="text"
                  theme="danger"
                  className="reject-one"
                  disabled={busy}
                  onClick={() => askReject([row.openid])}
                >
                  拒绝
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Pager name="members" page={page} hasMore={hasMore} loading={loading} load={(n) => void load(n)} />
      <Dialog
        className="reject-dialog"
        visible={Boolean(rejecting)}
        header={
          rejecting && rejecting.openids.length > 1
            ? `拒绝 ${rejecting.openids.length} 位申请人？`
            : `拒绝${rejecting?.names[0] ?? ''}的申请？`
        }
        confirmBtn={{ content: '确认拒绝', theme: 'danger', className: 'confirm-reject' }}
        cancelBtn="取消"
        onConfirm={() => rejecting && void reject(rejecting)}
        onClose={() => setRejecting(null)}
      >
        <p>申请人会收到“入社区申请未通过”的消息和下面的原因。</p>
        <Textarea
          className="reject-reason"
          placeholder="原因（选填），例如：房号与登记不符，请到社区居委会核实"
          maxlength={100}
          value={reason}
          onChange={(v) => setReason(String(v))}
        />
      </Dialog>
    </div>
  );
}
