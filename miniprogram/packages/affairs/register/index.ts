// 专有部分登记 (workers): paste the housing register (楼栋,房号,面积[,产权人编号][,开发商]) to import
// it, see each part with its verified owners, and verify as owner a member who lives in that room
// after seeing the title deed. Living in a room does not make an owner: only this verification.
import { memberService } from '../../../services/member';
import { votesService, type PartView } from '../../../services/affairs';
import { showError } from '../../../services/feedback';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { parseRows } from '../utils';

interface PartRow {
  house: string;
  area: string;
  note: string;
  owners: string;
  /** Members of that room who are not owners yet, shown after 核实业主. */
  candidates: { name: string }[];
  open: boolean;
}

const rowOf = (p: PartView): PartRow => ({
  house: `${p.building} ${p.room}`,
  area: `${p.area} 平方米`,
  note: p.developer ? '开发商未售' : p.holder ? `产权人编号 ${p.holder}` : '',
  owners: (p.owners ?? []).map((o) => o.name).join('、') || '尚未核实业主',
  candidates: [],
  open: false,
});

const state = privateState(() => ({ text: '', parts: [] as PartView[], candidates: {} as Record<number, string[]> }));

const list = pagedList({
  fetch: (_host: ListHost, page: number) => votesService.listParts(page),
  rowOf: (p: PartView, host: ListHost) => {
    state(host).parts.push(p);
    return rowOf(p);
  },
  idOf: (p: PartView) => p._id,
});

Component({
  behaviors: [pageBehavior],
  data: {
    items: [] as PartRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    importError: '',
    importResult: '',
    busy: false,
  },

  methods: {
    onLoad() {
      return this.reload();
    },
    onReachBottom() {
      return list.reachBottom(this);
    },
    reload() {
      state(this).parts = [];
      return list.reload(this);
    },

    onText(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).text = e.detail.value;
    },

    async onImport() {
      if (isBusy(this)) return;
      const { rows, error } = parseRows(state(this).text);
      if (error) {
        this.setData({ importError: error, importResult: '' });
        return;
      }
      this.setData({ importError: '' });
      await this.act(
        () => votesService.importParts(rows),
        '登记表已导入',
        (r) => {
          this.setData({ importResult: `新增 ${r.created} 套，更新 ${r.updated} 套，未变 ${r.unchanged} 套` });
          void this.reload();
        },
      );
    },

    async onShowCandidates(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      const part = state(this).parts[i];
      if (!part) return;
      try {
        const page = await memberService.list({ building: part.building, status: 'active' });
        const owners = new Set((part.owners ?? []).map((o) => o.openid));
        const here = page.items.filter((m) => m.room.trim() === part.room && !owners.has(m.openid));
        state(this).candidates[i] = here.map((m) => m.openid);
        this.setData({ [`items[${i}].candidates`]: here.map((m) => ({ name: m.name })), [`items[${i}].open`]: true });
      } catch (err) {
        showError(this, err);
      }
    },

    async onVerify(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      const j = Number(e.currentTarget.dataset.candidate);
      const part = state(this).parts[i];
      const openid = state(this).candidates[i]?.[j];
      if (!part || !openid || isBusy(this)) return;
      const answer = await wx.showModal({
        title: '核实为业主？',
        content: `请确认已查看 ${part.building} ${part.room} 的不动产权证书或购房合同。`,
        confirmText: '已核实',
      });
      if (!answer.confirm) return;
      await this.act(
        () => votesService.verifyOwner(part._id, openid),
        '已核实为业主',
        (p) => {
          state(this).parts[i] = p;
          this.setData({ [`items[${i}]`]: rowOf(p) });
        },
      );
    },
  },
});
