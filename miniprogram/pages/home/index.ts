// 首页: the community's service menu by tier (基础 / 增值 / 特惠). Tapping an item opens the order
// form; an item the person may not order explains why instead. Volunteers get the order hall,
// workers the community console; a visitor who has not joined is pointed to joining.
// Elders (tagged 独居老人 / 高龄, or in elder mode: utils/orders.ts mayAskHelp) get 一键求助 at the
// top — a big confirm, the urgent order, then 拨打社区值班电话 — and 说话点单; in elder mode a
// tapped service opens the voice form with it picked (two taps: the service, then hold to speak).
import { memberService, type MeView } from '../../services/member';
import { ordersService, type MenuView, type ServiceView, type Tier } from '../../services/orders';
import { errorMessage, showError } from '../../services/feedback';
import { isServiceError } from '../../services/core';
import { PAGES, openPage } from '../../utils/nav';
import { privateState } from '../../utils/state';
import { markElderPrompted, shouldPromptElder } from '../../utils/elder';
import { ORDER_PAGES, mayAskHelp, newRequestId, priceText } from '../../utils/orders';
import { pageBehavior } from '../../utils/page-behavior';

type Phase = 'loading' | 'menu' | 'guest' | 'pending' | 'error';

interface TierTab {
  tier: Tier;
  label: string;
  count: number;
}

interface ItemRow {
  name: string;
  description: string;
  priceText: string;
  free: boolean;
  orderable: boolean;
  reason: string;
}

const TIER_HINTS: Record<Tier, string> = {
  basic: '免费服务，社区志愿者上门帮忙',
  value_added: '按标价收费，服务后线下结算',
  discounted: '为独居、高龄、残疾等登记居民提供的免费或优惠服务',
};

const rowOf = (s: ServiceView): ItemRow => ({
  name: s.name,
  description: s.description,
  priceText: priceText(s.price),
  free: !s.price,
  orderable: s.orderable,
  reason: s.orderable ? '' : s.reason || '暂时不能预约',
});

const state = privateState(() => ({
  menu: undefined as MenuView | undefined,
  membershipVersion: -1,
  loading: false,
  /** One request id per opened help dialog: a retry in it makes one order. */
  helpRequestId: '',
  helpOrderId: '',
  dutyPhone: '',
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    tiers: [] as TierTab[],
    tier: 'basic' as Tier,
    tierHint: TIER_HINTS.basic,
    items: [] as ItemRow[],
    firstOrderable: -1,
    isVolunteer: false,
    isWorker: false,
    name: '',
    communityName: '',
    loadError: '',
    isElder: false,
    /** The help dialog: 'confirm' (are you sure), 'sending', 'done' (who was told, call the duty phone). */
    help: '' as '' | 'confirm' | 'sending' | 'done',
    helpText: '',
    hasDutyPhone: false,
  },

  methods: {
    onLoad() {},

    async onShow() {
      const app = getApp<IAppOption>();
      const version = app && app.globalData ? app.globalData.membershipVersion : 0;
      const s = state(this);
      // The menu rarely changes: load it once, and again after joining or switching community.
      if (s.membershipVersion === version && this.data.phase === 'menu') return;
      s.membershipVersion = version;
      await this.load();
    },

    async load() {
      const s = state(this);
      if (s.loading) return;
      s.loading = true;
      try {
        const me = await memberService.me();
        if (!me || (me.status !== 'active' && me.status !== 'pending')) {
          this.setData({ phase: 'guest', isVolunteer: false, isWorker: false });
          return;
        }
        if (me.status === 'pending') {
          this.setData({ phase: 'pending', isVolunteer: false, isWorker: false });
          return;
        }
        const menu = await ordersService.menu();
        s.menu = menu;
        this.showMenu(me, menu);
        void this.promptElder(me);
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') {
          this.setData({ phase: 'guest' });
          return;
        }
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      } finally {
        s.loading = false;
      }
    },

    /**
     * The first visit of a member whose tags (高龄, 独居老人) turned 长辈模式 on: say so once, with a
     * way to turn it off (规范: a noticeable prompt on first entry; docs/elder-mode.md). A modal waits
     * for the tap: no time limit.
     */
    async promptElder(me: MeView) {
      if (!shouldPromptElder(me)) return;
      markElderPrompted(me.openid);
      const answer = await wx.showModal({
        title: '已为您打开长辈模式',
        content: '字更大、按钮更大，每屏只放一件要做的事。以后可以在“我的”里关掉。',
        confirmText: '好的',
        cancelText: '关掉',
      });
      if (answer.cancel) {
        try {
          await memberService.setElderMode('off');
        } catch (err) {
          showError(this, err);
        }
      }
    },

    showMenu(me: MeView, menu: MenuView) {
      const tiers = menu.tiers.map((t) => ({ tier: t.tier, label: t.label, count: t.items.length }));
      const keep = tiers.some((t) => t.tier === this.data.tier) ? this.data.tier : tiers[0]?.tier || 'basic';
      this.setData({
        phase: 'menu',
        name: me.name,
        communityName: me.communityName,
        isVolunteer: me.roles.includes('volunteer'),
        isWorker: me.roles.includes('worker'),
        isElder: mayAskHelp(me.tags, me.elder),
        tiers,
        ...this.tierPatch(keep),
      });
    },

    tierPatch(tier: Tier) {
      const menu = state(this).menu;
      const found = menu ? menu.tiers.find((t) => t.tier === tier) : undefined;
      const items = found ? found.items.map(rowOf) : [];
      // 长辈模式: the first service one can book carries the screen's one filled button.
      return { tier, tierHint: TIER_HINTS[tier], items, firstOrderable: items.findIndex((i) => i.orderable) };
    },

    onPickTier(e: WechatMiniprogram.BaseEvent) {
      const tier = String(e.currentTarget.dataset.tier) as Tier;
      if (tier === this.data.tier) return;
      this.setData(this.tierPatch(tier));
    },

    onPickItem(e: WechatMiniprogram.BaseEvent) {
      const menu = state(this).menu;
      const tier = menu ? menu.tiers.find((t) => t.tier === this.data.tier) : undefined;
      const item = tier ? tier.items[Number(e.currentTarget.dataset.index)] : undefined;
      if (!item) return;
      if (!item.orderable) {
        wx.showModal({
          title: item.name,
          content: item.reason || '暂时不能预约这项服务',
          showCancel: false,
          confirmText: '知道了',
        });
        return;
      }
      // Elder mode (长辈模式, pageBehavior's `elderOn`) orders by voice: the service is picked
      // here, the next tap is holding the record button (two taps).
      const elderMode = Boolean((this.data as { elderOn?: boolean }).elderOn);
      const form = elderMode ? ORDER_PAGES.voice : ORDER_PAGES.create;
      openPage(`${form}?serviceId=${encodeURIComponent(item._id)}`);
    },

    // ------------------------------------------------------------------ elders

    onVoiceOrder() {
      openPage(ORDER_PAGES.voice);
    },

    onHelp() {
      const s = state(this);
      s.helpRequestId = newRequestId();
      this.setData({ help: 'confirm', helpText: '' });
    },

    onHelpClose() {
      if (this.data.help === 'sending') return;
      this.setData({ help: '' });
    },

    async onHelpConfirm() {
      const s = state(this);
      if (this.data.help !== 'confirm') return;
      this.setData({ help: 'sending' });
      try {
        const res = await ordersService.help(s.helpRequestId);
        s.helpOrderId = res.order._id;
        s.dutyPhone = res.dutyPhone || '';
        this.setData({
          help: 'done',
          hasDutyPhone: !!res.dutyPhone,
          helpText: res.notified
            ? `已通知社区工作者和楼里的志愿者（共 ${res.notified} 人），他们会尽快联系您。`
            : '求助已发出，社区会尽快联系您。',
        });
      } catch (err) {
        showError(this, err);
        this.setData({ help: 'confirm' });
      }
    },

    onCallDuty() {
      const phone = state(this).dutyPhone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone });
    },

    onHelpOrder() {
      const id = state(this).helpOrderId;
      this.setData({ help: '' });
      if (id) openPage(`${ORDER_PAGES.detail}?id=${encodeURIComponent(id)}`);
    },

    onOpenHall() {
      openPage(ORDER_PAGES.hall);
    },

    onOpenBoard() {
      openPage(ORDER_PAGES.workerBoard);
    },

    onOpenParking() {
      openPage('/packages/parking/find/index');
    },

    onOpenAffairs() {
      openPage('/packages/affairs/index/index');
    },

    onOpenLedger() {
      openPage(PAGES.ledger);
    },

    onGoJoin() {
      openPage(PAGES.mine);
    },

    onRetry() {
      this.setData({ phase: 'loading' });
      return this.load();
    },
  },
});
