// 我的车位: register a spot for the community to verify, see each spot's state, open one to
// publish its windows.
import { uploadPicture } from '../../../services/files';
import { parkingService, type MySpots, type SpotView } from '../../../services/parking';
import { showError, showSuccess } from '../../../services/feedback';
import { openPage } from '../../../utils/nav';
import { pagedList } from '../../../utils/paged-list';
import { privateState } from '../../../utils/state';
import { PARKING_PAGES, SPOT_STATUS_TEXT } from '../utils';
import { pageBehavior } from '../../../utils/page-behavior';

interface SpotRow {
  code: string;
  location: string;
  status: SpotView['status'];
  statusText: string;
  rejectReason: string;
  windows: string[];
  hasPhoto: boolean;
}

const rowOf = (s: SpotView): SpotRow => ({
  code: s.code,
  location: s.location,
  status: s.status,
  statusText: SPOT_STATUS_TEXT[s.status],
  rejectReason: s.rejectReason ?? '',
  windows: s.windows.map((w) => w.label),
  hasPhoto: !!s.photo,
});

const CODE = /^[0-9A-Z\-\u4e00-\u9fa5]{1,20}$/;
const MAX_HOURS = [4, 8, 12, 24];

const list = pagedList({
  fetch: (_host, page: number) => parkingService.mySpots(page),
  rowOf,
  idOf: (s: SpotView) => s._id,
  // No spot yet: the form is what the person came for.
  extra: (res: MySpots, page) => ({ points: res.points, ...(page === 1 && res.items.length === 0 ? { formOpen: true } : {}) }),
});

const state = privateState(() => ({
  form: { code: '', location: '', photo: '' },
  submitting: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    items: [] as SpotRow[],
    points: 0,
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    formOpen: false,
    code: '',
    location: '',
    maxHoursOptions: MAX_HOURS,
    maxHours: 12,
    hasPhoto: false,
    errors: { code: '', location: '' },
    submitting: false,
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

    onOpenSpot(e: WechatMiniprogram.BaseEvent) {
      const id = list.ids(this)[Number(e.currentTarget.dataset.index)];
      if (id) openPage(PARKING_PAGES.spot(id));
    },

    onOpenForm() {
      this.setData({ formOpen: true });
    },

    /** A rejected claim: the form opens with its code, to correct and send again. */
    onResubmit(e: WechatMiniprogram.BaseEvent) {
      const row = this.data.items[Number(e.currentTarget.dataset.index)];
      if (!row) return;
      const s = state(this);
      s.form.code = row.code;
      s.form.location = row.location;
      this.setData({ formOpen: true, code: row.code, location: row.location });
    },

    onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).form.code = e.detail.value || '';
      if (this.data.errors.code) this.setData({ 'errors.code': '' });
    },

    onLocationChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).form.location = e.detail.value || '';
      if (this.data.errors.location) this.setData({ 'errors.location': '' });
    },

    onPickMaxHours(e: WechatMiniprogram.BaseEvent) {
      this.setData({ maxHours: Number(e.currentTarget.dataset.hours) });
    },

    async onAddPhoto() {
      try {
        const picked = await wx.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'] });
        const file = picked.tempFiles[0];
        if (!file) return;
        state(this).form.photo = await uploadPicture(file.tempFilePath, 'spot');
        this.setData({ hasPhoto: true });
      } catch (err) {
        // Closing the picker is not an error.
        if ((err as { errMsg?: string }).errMsg?.includes('cancel')) return;
        showError(this, err);
      }
    },

    async onRegister() {
      const s = state(this);
      if (s.submitting) return;
      const code = s.form.code.replace(/\s+/g, '').toUpperCase();
      const location = s.form.location.trim();
      const errors = {
        code: !code ? '请填写车位编号，例如 B2-103' : CODE.test(code) ? '' : '车位编号只能用字母、数字、汉字和“-”，最多 20 个字',
        location: !location
          ? '请写清车位在哪里，例如 地下二层 B 区电梯口'
          : location.length > 50
            ? '位置说明不能超过 50 个字'
            : '',
      };
      if (errors.code || errors.location) {
        this.setData({ errors });
        return;
      }
      s.submitting = true;
      this.setData({ submitting: true });
      try {
        await parkingService.registerSpot({
          code,
          location,
          maxHours: this.data.maxHours,
          ...(s.form.photo ? { photo: s.form.photo } : {}),
        });
        s.form = { code: '', location: '', photo: '' };
        this.setData({ formOpen: false, code: '', location: '', hasPhoto: false, submitting: false });
        showSuccess(this, '已提交，等社区工作者核实');
        await this.reload();
      } catch (err) {
        this.setData({ submitting: false });
        showError(this, err);
      } finally {
        s.submitting = false;
      }
    },

    onFind() {
      openPage(PARKING_PAGES.find);
    },
  },
});
