// 亲情代办 — the elder's side (docs/family.md): 邀请家人 makes a family code to send to a relative
// who lives elsewhere; their requests wait here for 同意 / 不同意; a bound relative can be 解除.
// A worker opens it from the member list with `?elder=<openid>` and does the same for that elder.
import { familyService, type FamilyLinkView } from '../../../services/member';
import { errorMessage } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { maskPhone, shortDateTime } from '../../../utils/format';
import { decodeQueryValue } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
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

const state = privateState(() => ({ elder: '', ids: [] as string[], page: 1 }));

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
    links: [] as LinkRow[],
    /** Index of the first request waiting for an answer; -1 when none. */
    firstAnswer: -1,
    hasMore: false,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).elder = decodeQueryValue(query.elder);
      this.setData({ forElder: !!state(this).elder });
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const answer = await familyService.links(s.elder || undefined, 1);
        s.ids = answer.items.map((l) => l._id);
        s.page = 1;
        const links = answer.items.map(rowOf);
        this.setData({ phase: 'list', links, hasMore: answer.hasMore, firstAnswer: firstAnswerOf(links) });
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') this.setData({ phase: 'guest' });
        else this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    async onReachBottom() {
      const s = state(this);
      if (!this.data.hasMore) return;
      const answer = await familyService.links(s.elder || undefined, s.page + 1);
      s.page += 1;
      const start = s.ids.length;
      s.ids.push(...answer.items.map((l) => l._id));
      const patch: Record<string, unknown> = { hasMore: answer.hasMore };
      const rows = answer.items.map(rowOf);
      rows.forEach((r, i) => (patch[`links[${start + i}]`] = r));
      if (this.data.firstAnswer < 0 && firstAnswerOf(rows) >= 0) patch.firstAnswer = start + firstAnswerOf(rows);
      this.setData(patch);
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
      const linkId = state(this).ids[index];
      const row = this.data.links[index];
      if (!linkId || !row || isBusy(this)) return;
      await this.act(
        () => familyService.answer(linkId, confirm),
        confirm ? `已同意${row.title}绑定` : '已拒绝这条申请',
        (l) => {
          const links = this.data.links.map((r, i) => (i === index ? rowOf(l) : r));
          this.setData({ [`links[${index}]`]: links[index], firstAnswer: firstAnswerOf(links) });
        },
      );
    },

    async onEnd(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const linkId = state(this).ids[index];
      const row = this.data.links[index];
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
        (l) => this.setData({ [`links[${index}]`]: rowOf(l) }),
      );
    },
  },
});
