// 亲情代办 — the elder's side (docs/family.md): 邀请家人 makes a family code to send to a relative
// who lives elsewhere; their requests wait here for 同意 / 不同意; a bound relative can be 解除.
// A worker opens it from the member list with `?elder=<openid>` and does the same for that elder.
import { familyService, type FamilyLinkView } from '../../../services/member';
import { errorMessage } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { maskPhone, shortDateTime } from '../../../utils/format';
import { decodeQueryValue } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { privateState } from '../../../utils/state';

type Phase = 'loading' | 'list' | 'guest' | 'error';

interface LinkRow {
  title: string;
  phone: string;
  time: string;
  status: FamilyLinkView['status'];
  statusLabel: string;
  mayAnswer: boolean;
  mayEnd: boolean;
}

const state = privateState(() => ({ elder: '' }));

const rowOf = (l: FamilyLinkView): LinkRow => ({
  title: `${l.relativeName}（${l.relation}）`,
  phone: maskPhone(l.relativePhone),
  time: shortDateTime(l.requestedAt),
  status: l.status,
  statusLabel: l.statusLabel,
  mayAnswer: l.mayAnswer,
  mayEnd: l.mayEnd,
});

/** The request answered first: its 同意 is the screen's one filled action, 邀请 is outlined meanwhile. */
const firstAnswerOf = (rows: LinkRow[]): number => rows.findIndex((r) => r.mayAnswer);

/** The elder's links, 20 a page. `firstAnswer` is found on the first page that has a request. */
const list = pagedList({
  fetch: (host: ListHost<{ firstAnswer: number; items: LinkRow[] }>, page: number) =>
    familyService.links(state(host).elder || undefined, page),
  rowOf,
  idOf: (l: FamilyLinkView) => l._id,
  extra: (answer, page, host) => {
    const first = answer.items.findIndex((l) => l.mayAnswer);
    if (page === 1) return { firstAnswer: first };
    // Rows shown so far come first: this page's rows are appended after them.
    return host.data.firstAnswer < 0 && first >= 0 ? { firstAnswer: host.data.items.length + first } : {};
  },
  settled: { phase: 'list' },
  onError: (host, err) => {
    // The first page failing is the page failing; a later one is a toast over the rows.
    if (host.data.items.length) return false;
    if (isServiceError(err) && err.code === 'E_NOT_MEMBER') host.setData({ phase: 'guest', loading: false });
    else host.setData({ phase: 'error', message: errorMessage(err), loading: false });
    return true;
  },
});

/** The page a family code's share card opens. */
export const bindPath = (code: string): string => `/packages/family/bind/index?code=${code}`;

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    /** The worker's view of one elder. */
    forElder: false,
    code: '',
    codeUntil: '',
    items: [] as LinkRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    /** Index of the first request waiting for an answer; -1 when none. */
    firstAnswer: -1,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).elder = decodeQueryValue(query.elder);
      this.setData({ forElder: !!state(this).elder });
      return this.load();
    },

    load() {
      return list.reload(this);
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    async onCode() {
      await this.act(
        () => familyService.code(state(this).elder || undefined),
        '亲情码已生成',
        (v) => this.setData({ code: v.code, codeUntil: shortDateTime(v.expiresAt) }),
      );
    },

    onShareAppMessage() {
      return { title: '请用这个亲情码绑定，帮我下单、看订单进度', path: bindPath(this.data.code) };
    },

    async onAnswer(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const confirm = e.currentTarget.dataset.confirm === 'yes';
      const linkId = list.ids(this)[index];
      const row = this.data.items[index];
      if (!linkId || !row || isBusy(this)) return;
      await this.act(
        () => familyService.answer(linkId, confirm),
        confirm ? `已同意${row.title}绑定` : '已拒绝这条申请',
        (l) => {
          const links = this.data.items.map((r, i) => (i === index ? rowOf(l) : r));
          this.setData({ [`items[${index}]`]: links[index], firstAnswer: firstAnswerOf(links) });
        },
      );
    },

    async onEnd(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const linkId = list.ids(this)[index];
      const row = this.data.items[index];
      if (!linkId || !row || isBusy(this)) return;
      const sure = await wx.showModal({
        title: `解除与${row.title}的绑定？`,
        content: '解除后，TA 不能再为您下单，也看不到您的订单。',
        confirmText: '解除',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!sure.confirm) return;
      await this.act(
        () => familyService.end(linkId),
        '已解除绑定',
        (l) => this.setData({ [`items[${index}]`]: rowOf(l) }),
      );
    },
  },
});
