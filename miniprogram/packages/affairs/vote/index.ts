// 业主表决: one vote — the matter, its scope and window, the caller's place in it (eligible or why
// not, voted, their receipt), the three choices with a confirmation (a ballot is final), and for
// workers the running count, closing and the one extension.
import { votesService, type Tally, type VoteChoice, type VoteDetail } from '../../../services/affairs';
import { errorMessage } from '../../../services/feedback';
import { shortDateTime } from '../../../utils/format';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { isoText, instantOf } from '../../../shared/clock';
import { AFFAIRS_PAGES, CHOICE_TEXT, MATTER_TEXT, VOTE_STATE_TEXT, countText } from '../utils';

type Phase = 'loading' | 'ready' | 'error';

const MATTER_HINT = {
  ordinary: '一般事项：参与表决的业主人数和专有部分面积都超过一半同意即通过。',
  major: '重大事项（筹集维修资金、改建重建、改变共有部分用途等）：需参与表决人数和面积都达到四分之三同意。',
} as const;

const state = privateState(() => ({ id: '' }));

function myText(v: VoteDetail): string {
  const my = v.my;
  if (!my.eligible) return my.reason ?? '您不在本次表决的业主名册里';
  const houses = my.houses.join('、');
  if (!my.voted) return `您作为 ${houses} 的业主参加表决，每户一票，提交后不能更改。`;
  if (my.receipt)
    return `您已投票（${CHOICE_TEXT[my.choice!]}${my.proxy ? '，代理' : ''}）。回执：${my.receipt}，结果公布时可核对。`;
  return `${houses} 已经投过票了${my.proxy ? '（由代理人投票）' : '（由家里其他业主投票）'}。`;
}

const tallyRows = (t: Tally) => [
  { label: '应参与', text: countText(t.eligible) },
  { label: '已参与', text: countText(t.participated) },
  { label: '同意', text: countText(t.yes) },
  { label: '反对', text: countText(t.no) },
  { label: '弃权', text: countText(t.abstain) },
];

function viewOf(v: VoteDetail) {
  return {
    title: v.title,
    body: v.body,
    state: v.state,
    stateText: VOTE_STATE_TEXT[v.state],
    matterText: MATTER_TEXT[v.matter],
    matterHint: MATTER_HINT[v.matter],
    scopeText: `${v.scopeText}（${v.parts} 套房屋，${countText(v.eligible)}）`,
    windowText: `${shortDateTime(v.opensAt)} 至 ${shortDateTime(v.closesAt)}${v.extensions ? '（已延期）' : ''}`,
    myText: myText(v),
    canCast: v.state === 'open' && v.my.eligible && !v.my.voted,
    closed: v.state === 'closed',
    verdict: v.result
      ? !v.result.quorumMet
        ? '参与人数或面积未达到三分之二，表决未生效'
        : v.result.passed
          ? '表决通过'
          : '表决未通过'
      : '',
    canManage: v.canManage,
    canClose: v.canManage && v.state !== 'closed',
    canExtend: v.canManage && v.canExtend,
  };
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    loadError: '',
    vote: null as ReturnType<typeof viewOf> | null,
    tally: [] as { label: string; text: string }[],
    extendDate: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).id = decodeQueryValue(query.id);
      return this.load();
    },

    async load() {
      try {
        const v = await votesService.get(state(this).id);
        const tally = v.canManage && v.state !== 'closed' ? tallyRows(await votesService.tally(v._id)) : [];
        this.setData({ phase: 'ready', vote: viewOf(v), tally });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    async onCast(e: WechatMiniprogram.BaseEvent) {
      const choice = e.currentTarget.dataset.choice as VoteChoice;
      if (isBusy(this) || !CHOICE_TEXT[choice]) return;
      const answer = await wx.showModal({
        title: `确认投「${CHOICE_TEXT[choice]}」？`,
        content: '每户一票，提交后不能更改。',
        confirmText: '确认投票',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.act(() => votesService.cast(state(this).id, choice), '投票成功');
    },

    onOpenResult() {
      openPage(`${AFFAIRS_PAGES.result}?id=${encodeURIComponent(state(this).id)}`);
    },

    async onClose() {
      if (isBusy(this)) return;
      const answer = await wx.showModal({
        title: '结束计票？',
        content: '结束后公布结果，业主不能再投票。',
        confirmText: '结束计票',
      });
      if (!answer.confirm) return;
      await this.act(() => votesService.close(state(this).id), '已结束计票并公布结果');
    },

    onExtendDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ extendDate: e.detail.value });
    },

    async onExtend() {
      const date = this.data.extendDate;
      if (isBusy(this) || !date) return;
      await this.act(
        () => votesService.extend(state(this).id, isoText(instantOf(date, '20:00'))),
        '已延期，尚未投票的业主可以继续投票',
      );
    },
  },
});
