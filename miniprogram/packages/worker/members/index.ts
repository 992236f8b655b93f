// Worker console: members by status, 20 at a time, approve or reject pending applications.
import { memberService, type MemberStatus, type MemberView } from '../../../services/member';
import { showError, showSuccess } from '../../../services/feedback';
import { addressText, dateTimeText, maskPhone, roleText } from '../../../utils/format';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';

/** What a row shows; the openid stays in private state. */
interface MemberRow {
  name: string;
  address: string;
  phone: string;
  joined: string;
  roles: string;
  /** The row's status now: a pending row becomes active / rejected once handled here. */
  status: MemberStatus;
  busy: boolean;
}

const FILTERS: { status: MemberStatus; label: string }[] = [
  { status: 'pending', label: '待审核' },
  { status: 'active', label: '已加入' },
  { status: 'rejected', label: '已拒绝' },
];

function rowOf(m: MemberView): MemberRow {
  return {
    name: m.name,
    address: addressText(m.building, m.room),
    phone: maskPhone(m.phone),
    joined: dateTimeText(m.joinedAt),
    roles: roleText(m.roles),
    status: m.status,
    busy: false,
  };
}

/** Members of the picked status; `list.ids(this)[i]` is row i's openid. */
const list = pagedList({
  fetch: (host: ListHost<{ status: MemberStatus }>, page: number) => memberService.list({ status: host.data.status, page }),
  rowOf,
  idOf: (m: MemberView) => m.openid,
});

Component({
  behaviors: [pageBehavior],
  data: {
    filters: FILTERS,
    status: 'pending' as MemberStatus,
    items: [] as MemberRow[],
    loading: false,
    hasMore: false,
    loaded: false,
    loadError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const wanted = FILTERS.find((f) => f.status === query.status);
      if (wanted) this.setData({ status: wanted.status });
      return this.reload();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    onPickFilter(e: WechatMiniprogram.BaseEvent) {
      const status = e.currentTarget.dataset.status as MemberStatus;
      if (status === this.data.status) return undefined;
      this.setData({ status });
      return this.reload();
    },

    reload() {
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },

    async onApprove(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      await this.decide(index, 'active');
    },

    async onReject(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row) return;
      const answer = await wx.showModal({
        title: `不通过${row.name}的申请？`,
        content: '',
        editable: true,
        placeholderText: '原因（选填，会告诉对方）',
        confirmText: '不通过',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.decide(index, 'rejected', (answer.content || '').trim());
    },

    /** 移出社区: an active member leaves the community by a worker's hand, with an optional reason. */
    async onRemove(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const openid = list.ids(this)[index];
      const row = this.data.items[index];
      if (!openid || !row || row.busy || row.status !== 'active') return;
      const answer = await wx.showModal({
        title: `将${row.name}移出社区？`,
        content: '',
        editable: true,
        placeholderText: '原因（选填，会告诉对方）。对方未开始的订单和车位预约会被取消',
        confirmText: '移出',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      const reason = (answer.content || '').trim().slice(0, 100);
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view = await memberService.remove(openid, reason || undefined);
        this.setData({ [`items[${index}].status`]: view.status, [`items[${index}].busy`]: false });
        showSuccess(this, `已将${row.name}移出社区`);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
      }
    },

    async decide(index: number, to: 'active' | 'rejected', reason?: string) {
      const openid = list.ids(this)[index];
      const row = this.data.items[index];
      if (!openid || !row || row.busy || row.status !== 'pending') return;
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view =
          to === 'active'
            ? await memberService.approve(openid)
            : await memberService.reject(openid, reason ? reason.slice(0, 100) : undefined);
        this.setData({ [`items[${index}].status`]: view.status, [`items[${index}].busy`]: false });
        showSuccess(this, to === 'active' ? `已通过${row.name}的申请` : `已拒绝${row.name}的申请`);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
      }
    },
  },
});
