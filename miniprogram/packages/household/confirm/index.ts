// 家人确认: someone gave my building and room when joining — are they family? The message
// 「…申请加入您家（3栋 201），是您的家人吗？」 opens this page with `?openid=` of the newcomer. Only a
// member whose own room is verified may answer (member.household answers the open claims); 确认
// makes the newcomer's room verified, 不是我家人 marks it disputed and tells the community workers.
import { memberService, type HouseholdMemberView } from '../../../services/member';
import { isServiceError } from '../../../services/core';
import { errorMessage } from '../../../services/feedback';
import { addressText, maskPhone, shortDateTime } from '../../../utils/format';
import { PAGES, decodeQueryValue, openPage } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

type Phase = 'loading' | 'list' | 'guest' | 'unverified' | 'error';

interface ClaimRow {
  name: string;
  address: string;
  phone: string;
  time: string;
  /** The newcomer the message was about. */
  focus: boolean;
  /** '' while open; what this page answered once it did. */
  answer: '' | 'verified' | 'disputed';
}

const state = privateState(() => ({ openid: '', ids: [] as string[] }));

const rowOf = (c: HouseholdMemberView, focus: boolean): ClaimRow => ({
  name: c.name,
  address: addressText(c.building, c.room),
  phone: maskPhone(c.phone),
  time: shortDateTime(c.joinedAt),
  focus,
  answer: '',
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    where: '',
    claims: [] as ClaimRow[],
    /** Verified family members, as 孙伟、孙小梅. */
    family: '',
    /** The linked claim is no longer open (answered by someone else, withdrawn, not for this home). */
    gone: false,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).openid = decodeQueryValue(query.openid);
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const me = await memberService.me();
        if (!me || me.status !== 'active') {
          this.setData({ phase: 'guest' });
          return;
        }
        const home = await memberService.household();
        if (!home.verified) {
          this.setData({ phase: 'unverified', where: addressText(me.building, me.room) });
          return;
        }
        // The newcomer of the message first, then any other open claim, oldest first.
        const claims = [...home.claims].sort((a, b) => Number(b.openid === s.openid) - Number(a.openid === s.openid));
        s.ids = claims.map((c) => c.openid);
        this.setData({
          phase: 'list',
          where: addressText(me.building, me.room),
          claims: claims.map((c) => rowOf(c, c.openid === s.openid)),
          family: home.items.map((m) => m.name).join('、'),
          gone: !!s.openid && !s.ids.includes(s.openid),
        });
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') this.setData({ phase: 'guest' });
        else this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    onConfirm(e: WechatMiniprogram.BaseEvent) {
      return this.answer(Number(e.currentTarget.dataset.index), true);
    },

    async onDeny(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.claims[index];
      if (!row || row.answer || isBusy(this)) return;
      const sure = await wx.showModal({
        title: `${row.name}不是您的家人？`,
        content: '社区工作人员会来核实这个房号。核实前，对方不能以您家人的身份下单。',
        confirmText: '不是家人',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (sure.confirm) await this.answer(index, false);
    },

    async answer(index: number, confirm: boolean) {
      const openid = state(this).ids[index];
      const row = this.data.claims[index];
      if (!openid || !row || row.answer) return;
      await this.act(
        () => memberService.confirmHousehold(openid, confirm),
        confirm ? `已确认${row.name}是您的家人` : '已告诉社区，工作人员会来核实',
        () => this.setData({ [`claims[${index}].answer`]: confirm ? 'verified' : 'disputed' }),
      );
    },

    onGoMine() {
      openPage(PAGES.mine);
    },
  },
});
