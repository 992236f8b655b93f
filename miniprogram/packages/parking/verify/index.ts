// 车位核实 (workers): spots waiting for verification, oldest first, 20 at a time; verify after
// checking ownership, or reject with a reason the owner is told.
import { parkingService, type SpotStatus, type SpotView } from '../../../services/parking';
import { showError, showSuccess } from '../../../services/feedback';
import { dateTimeText } from '../../../utils/format';
import { pagedList } from '../../../utils/paged-list';
import { SPOT_STATUS_TEXT } from '../utils';
import { pageBehavior } from '../../../utils/page-behavior';
import { showHint } from '../../../utils/elder';

interface SpotRow {
  code: string;
  location: string;
  owner: string;
  phone: string;
  submitted: string;
  status: SpotStatus;
  statusText: string;
  busy: boolean;
}

const rowOf = (s: SpotView): SpotRow => ({
  code: s.code,
  location: s.location,
  owner: s.owner ? `${s.owner.name}（${s.owner.building}${s.owner.room ? ` ${s.owner.room}室` : ''}）` : s.ownerBuilding,
  phone: s.owner?.phone ?? '',
  submitted: dateTimeText(s.createdAt),
  status: s.status,
  statusText: SPOT_STATUS_TEXT[s.status],
  busy: false,
});

const list = pagedList({
  fetch: (_host, page: number) => parkingService.listSpots('pending', page),
  rowOf,
  idOf: (s: SpotView) => s._id,
});

Component({
  behaviors: [pageBehavior],
  data: {
    items: [] as SpotRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
  },

  methods: {
    onShow() {
      return this.reload();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    reload() {
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },

    async decide(index: number, run: (id: string) => Promise<SpotView>, done: string) {
      const id = list.ids(this)[index];
      const row = this.data.items[index];
      if (!id || !row || row.busy || row.status !== 'pending') return;
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view = await run(id);
        this.setData({
          [`items[${index}].status`]: view.status,
          [`items[${index}].statusText`]: SPOT_STATUS_TEXT[view.status],
          [`items[${index}].busy`]: false,
        });
        showSuccess(this, done);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
      }
    },

    onVerify(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      return this.decide(index, (id) => parkingService.verifySpot(id), row ? `已核实 ${row.code}，车主会收到通知` : '已核实');
    },

    async onReject(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row) return;
      const answer = await wx.showModal({
        title: `不通过车位 ${row.code}？`,
        content: '',
        editable: true,
        placeholderText: '请写原因，例如：产权证明与车位号不符',
        confirmText: '不通过',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      const reason = (answer.content || '').trim();
      if (!reason) {
        showHint('请写上原因，车主才知道怎么改');
        return;
      }
      await this.decide(index, (id) => parkingService.rejectSpot(id, reason.slice(0, 100)), `已驳回 ${row.code}`);
    },
  },
});
