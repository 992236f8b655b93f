// 通知 on the PC: the worker's boxes (已发布 with each notice's household read rate, 定时, 草稿,
// 已撤回), 20 a page; 写通知 and 修改 (drafts and scheduled notices) open the editor, 阅读情况 the
// statistics, 撤回 asks first. The same notices actions the mini-program's manage page calls.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Dialog } from 'tdesign-react/es/dialog';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Radio } from 'tdesign-react/es/radio';
import { Space } from 'tdesign-react/es/space';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import { Textarea } from 'tdesign-react/es/textarea';
import type { NoticeBox, NoticeDetail, NoticeSummary } from '../../cloudfunctions/notices/api';
import { call, CloudError } from './cloud';
import { NoticeEditor } from './NoticeEditor';
import { NoticeStats } from './NoticeStats';
import { percent, whenText } from './notice-format';
import { Pager } from './Pager';

type Box = Exclude<NoticeBox, 'feed'>;
const BOXES: { value: Box; label: string }[] = [
  { value: 'sent', label: '已发布' },
  { value: 'scheduled', label: '定时发布' },
  { value: 'drafts', label: '草稿' },
  { value: 'withdrawn', label: '已撤回' },
];

const STATE_TAGS: Record<
  NoticeSummary['state'],
  { label: string; theme: 'success' | 'warning' | 'default' | 'primary' | 'danger' }
> = {
  published: { label: '已发布', theme: 'success' },
  scheduled: { label: '定时', theme: 'primary' },
  draft: { label: '草稿', theme: 'default' },
  expired: { label: '已过期', theme: 'warning' },
  withdrawn: { label: '已撤回', theme: 'danger' },
};

type View = { kind: 'list' } | { kind: 'edit'; notice?: NoticeDetail } | { kind: 'stats'; noticeId: string };

export function Notices({ buildings }: { buildings: string[] }) {
  const [view, setView] = useState<View>({ kind: 'list' });
  const [box, setBox] = useState<Box>('sent');
  const [refresh, setRefresh] = useState(0);

  const back = (to?: Box) => {
    if (to) setBox(to);
    setRefresh((n) => n + 1);
    setView({ kind: 'list' });
  };

  const edit = async (noticeId: string) => {
    try {
      setView({ kind: 'edit', notice: await call('notices', 'get', { noticeId }) });
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
    }
  };

  if (view.kind === 'edit') return <NoticeEditor buildings={buildings} notice={view.notice} onDone={back} />;
  if (view.kind === 'stats') return <NoticeStats noticeId={view.noticeId} onBack={() => back()} />;
  return (
    <NoticeList
      box={box}
      refresh={refresh}
      onBox={setBox}
      onWrite={() => setView({ kind: 'edit' })}
      onEdit={(id) => void edit(id)}
      onStats={(noticeId) => setView({ kind: 'stats', noticeId })}
      onChanged={() => setRefresh((n) => n + 1)}
    />
  );
}

function NoticeList(props: {
  box: Box;
  refresh: number;
  onBox: (b: Box) => void;
  onWrite: () => void;
  onEdit: (noticeId: string) => void;
  onStats: (noticeId: string) => void;
  onChanged: () => void;
}) {
  const { box, refresh } = props;
  const [rows, setRows] = useState<NoticeSummary[]>([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [withdrawing, setWithdrawing] = useState<NoticeSummary | null>(null);

  const load = useCallback(
    async (next: number) => {
      setLoading(true);
      try {
        const res = await call('notices', 'list', { box, ...(next > 1 ? { page: next } : {}) });
        setRows(res.items);
        setHasMore(res.hasMore);
        setPage(next);
      } catch (err) {
        void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      } finally {
        setLoading(false);
      }
    },
    [box],
  );

  useEffect(() => {
    void load(1);
  }, [load, refresh]);

  const readColumn = {
    colKey: 'rate',
    title: '已读户数',
    width: 190,
    cell: ({ row }: { row: NoticeSummary }) =>
      row.households !== undefined
        ? `${row.readHouseholds}/${row.households} 户（${percent(row.readHouseholds ?? 0, row.households)}）`
        : `${row.readCount ?? 0} 人已读`,
  };

  return (
    <div className="notices">
      <Space className="notices-bar" align="center">
        <Radio.Group className="notice-boxes" variant="default-filled" value={box} onChange={(v) => props.onBox(v as Box)}>
          {BOXES.map((b) => (
            <Radio.Button key={b.value} value={b.value}>
              {b.label}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Button theme="primary" className="write-notice" onClick={props.onWrite}>
          写通知
        </Button>
      </Space>
      <Table
        rowKey="_id"
        data={rows}
        loading={loading}
        empty="这里还没有通知"
        columns={[
          {
            colKey: 'title',
            title: '标题',
            ellipsis: true,
            cell: ({ row }) => (
              <span>
                {row.pinned && (
                  <Tag theme="danger" variant="light" size="small" className="pin-tag">
                    置顶
                  </Tag>
                )}
                {row.title}
              </span>
            ),
          },
          { colKey: 'category', title: '分类', width: 100 },
          { colKey: 'audienceText', title: '发给', width: 150, ellipsis: true },
          {
            colKey: 'state',
            title: '状态',
            width: 90,
            cell: ({ row }) => (
              <Tag theme={STATE_TAGS[row.state].theme} variant="light">
                {STATE_TAGS[row.state].label}
              </Tag>
            ),
          },
          {
            colKey: 'publishAt',
            title: box === 'drafts' || box === 'withdrawn' ? '最后修改' : '发布时间',
            width: 150,
            cell: ({ row }) => whenText(box === 'drafts' || box === 'withdrawn' ? row.updatedAt : row.publishAt),
          },
          ...(box === 'sent' || box === 'withdrawn' ? [readColumn] : []),
          {
            colKey: 'op',
            title: '操作',
            width: 200,
            cell: ({ row }) => (
              <Space size={4}>
                {(row.state === 'published' || row.state === 'expired' || row.state === 'withdrawn') && (
                  <Button
                    size="small"
                    variant="text"
                    theme="primary"
                    className="open-stats"
                    onClick={() => props.onStats(row._id)}
                  >
                    阅读情况
                  </Button>
                )}
                {(row.state === 'draft' || row.state === 'scheduled') && (
                  <Button
                    size="small"
                    variant="text"
                    theme="primary"
                    className="edit-notice"
                    onClick={() => props.onEdit(row._id)}
                  >
                    修改
                  </Button>
                )}
                {row.state !== 'withdrawn' && (
                  <Button
                    size="small"
                    variant="text"
                    theme="danger"
                    className="withdraw-notice"
                    onClick={() => setWithdrawing(row)}
                  >
                    撤回
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager name="notices" page={page} hasMore={hasMore} loading={loading} load={(n) => void load(n)} />
      <WithdrawDialog notice={withdrawing} onClose={() => setWithdrawing(null)} onDone={props.onChanged} />
    </div>
  );
}

/** 撤回 asks first: it cannot be undone, and residents no longer see the notice. */
function WithdrawDialog(props: { notice: NoticeSummary | null; onClose: () => void; onDone: () => void }) {
  const { notice, onClose, onDone } = props;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setReason(''), [notice]);

  const confirm = async () => {
    if (!notice || busy) return;
    setBusy(true);
    try {
      await call('notices', 'withdraw', { noticeId: notice._id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      void MessagePlugin.success('已撤回');
      onClose();
      onDone();
    } catch (err) {
      void MessagePlugin.error(err instanceof Error ? err.message : String(err));
      if (err instanceof CloudError && (err.code === 'E_CONFLICT' || err.code === 'E_NOT_FOUND')) {
        onClose();
        onDone();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      className="withdraw-dialog"
      visible={Boolean(notice)}
      header="撤回这条通知？"
      confirmBtn={{ content: '确认撤回', theme: 'danger', loading: busy, className: 'confirm-withdraw' }}
      cancelBtn="再想想"
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>「{notice?.title}」撤回后居民就看不到了，撤回不能恢复；已发出的提醒会显示“已撤回”。</p>
      <Textarea
        placeholder="撤回原因（选填，记入操作记录）"
        maxlength={100}
        value={reason}
        onChange={(v) => setReason(String(v))}
      />
    </Dialog>
  );
}
