// 我的: who I am in my current community, and the way in for workers and for newcomers.
import { memberService, type MeView } from '../../services/member';
import { messagesService, setMineBadge } from '../../services/messages';
import { NOTICE_PAGES } from '../../utils/notices';
import { errorMessage, showError } from '../../services/feedback';
import { PAGES, openPage } from '../../utils/nav';
import { STATUS_LABELS, addressText, maskPhone, roleText } from '../../utils/format';
import { privateState } from '../../utils/state';
import { inviteCodeError, normalizeCode } from '../../utils/validate';
import { isBusy, pageBehavior } from '../../utils/page-behavior';

type Phase = 'loading' | 'member' | 'guest' | 'error';

/** What leaving does (docs/privacy.md), said before the person confirms. */
const LEAVE_TEXT =
  '退出后：您在本社区还没开始服务的订单会被取消，您作为志愿者接下的订单会退回社区重新派单；您的车位预约会被取消，您的共享车位暂停开放。以后可以凭社区的邀请重新加入。';
/** What erasing removes and keeps, said before the person confirms. */
const ERASE_TEXT =
  '将在您加入过的所有社区：删除您的姓名、手机号、房号、车牌和上传的照片，清空您的消息和阅读记录，并退出所有社区。订单和车位预约记录会以“已注销用户”保留，仅用于社区统计，不能再关联到您。此操作不能撤销。';

/** Entries of the worker console and the volunteers' hall in other subpackages. */
const CONSOLE_ENTRIES = {
  board: '/packages/worker/board/index',
  parkingVerify: '/packages/parking/verify/index',
  hall: '/packages/orders/hall/index',
  /** 我的家人: the verified household and claims to it waiting for an answer. */
  family: '/packages/household/confirm/index',
  /** 亲情代办: the elder confirms relatives who live elsewhere; a relative follows the elder's orders. */
  familyLinks: '/packages/family/confirm/index',
  familyHome: '/packages/family/home/index',
  /** 议事与表决: topics, owners' votes, consultations. */
  affairs: '/packages/affairs/index/index',
} as const;

/** What 我的 says about the room (docs/members.md). */
const HOUSEHOLD_TEXT: Record<MeView['household']['status'], string> = {
  verified: '已核实',
  claimed: '待核实（请社区工作人员核实，或请已核实的家人确认）',
  disputed: '有异议，请联系社区工作人员核实',
};

interface ProfileView {
  name: string;
  communityName: string;
  address: string;
  phone: string;
  roleText: string;
  status: MeView['status'];
  statusText: string;
  householdText: string;
}

interface CommunityItem {
  name: string;
  statusText: string;
  current: boolean;
}

const state = privateState(() => ({
  loading: false,
  code: '',
  communityIds: [] as string[],
}));

function profileOf(me: MeView): ProfileView {
  return {
    name: me.name,
    communityName: me.communityName,
    address: addressText(me.building, me.room),
    phone: maskPhone(me.phone),
    roleText: roleText(me.roles),
    status: me.status,
    statusText: STATUS_LABELS[me.status],
    householdText: HOUSEHOLD_TEXT[me.household.status],
  };
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    profile: null as ProfileView | null,
    isWorker: false,
    /** Staff of the property company (物业人员): they serve its orders from the hall. */
    isStaff: false,
    isVolunteer: false,
    communities: [] as CommunityItem[],
    loadError: '',
    codeError: '',
    switching: false,
    /** Unread messages in the inbox (also the tab bar badge). */
    unread: 0,
    /** While leaving or erasing runs (pageBehavior's act). */
    busy: false,
  },

  methods: {
    onShow() {
      return this.load();
    },

    async load() {
      const s = state(this);
      if (s.loading) return;
      s.loading = true;
      try {
        const me = await memberService.me();
        this.render(me);
        void this.refreshUnread(!!me);
      } catch (err) {
        // Keep what is already shown; say what went wrong.
        if (this.data.phase === 'loading' || this.data.phase === 'error') {
          this.setData({ phase: 'error', loadError: errorMessage(err) });
        } else {
          showError(this, err);
        }
      } finally {
        s.loading = false;
      }
    },

    render(me: MeView | null) {
      if (!me) {
        state(this).communityIds = [];
        this.setData({ phase: 'guest', profile: null, isWorker: false, isVolunteer: false, communities: [], loadError: '' });
        return;
      }
      state(this).communityIds = me.communities.map((c) => c.communityId);
      this.setData({
        phase: 'member',
        profile: profileOf(me),
        isWorker: me.status === 'active' && me.roles.includes('worker'),
        isStaff: me.status === 'active' && me.roles.includes('property'),
        isVolunteer: me.status === 'active' && me.roles.includes('volunteer'),
        communities: me.communities.map((c) => ({
          name: c.name,
          statusText: STATUS_LABELS[c.status],
          current: c.communityId === me.communityId,
        })),
        loadError: '',
      });
    },

    /** The inbox's unread count, on the page and as the tab bar badge. */
    async refreshUnread(member: boolean) {
      if (!member) {
        setMineBadge(0);
        if (this.data.unread) this.setData({ unread: 0 });
        return;
      }
      const unread = await messagesService.refreshBadge();
      if (unread !== this.data.unread) this.setData({ unread });
    },

    /** 长辈模式 on or off for oneself; the phone (every open page) follows at once. */
    async onToggleElder() {
      const on = !this.data.elderOn;
      await this.act(() => memberService.setElderMode(on ? 'on' : 'off'), on ? '已打开长辈模式' : '已关闭长辈模式');
    },

    onOpenInbox() {
      openPage(NOTICE_PAGES.inbox);
    },

    onOpenLedger() {
      openPage(PAGES.ledger);
    },

    onOpenLedgerDesk() {
      openPage(PAGES.ledgerDesk);
    },

    onOpenProperty() {
      openPage(PAGES.property);
    },

    onOpenPropertyWorker() {
      openPage(PAGES.propertyWorker);
    },

    onOpenFamily() {
      openPage(CONSOLE_ENTRIES.family);
    },
    onOpenFamilyLinks() {
      openPage(CONSOLE_ENTRIES.familyLinks);
    },
    onOpenFamilyHome() {
      openPage(CONSOLE_ENTRIES.familyHome);
    },

    onOpenAffairs() {
      openPage(CONSOLE_ENTRIES.affairs);
    },

    onOpenNotices() {
      openPage(NOTICE_PAGES.manage);
    },

    onRetry() {
      this.setData({ phase: 'loading' });
      return this.load();
    },

    onOpenBoard() {
      openPage(CONSOLE_ENTRIES.board);
    },

    onOpenParkingVerify() {
      openPage(CONSOLE_ENTRIES.parkingVerify);
    },

    onOpenHall() {
      openPage(CONSOLE_ENTRIES.hall);
    },

    onOpenMembers() {
      openPage(PAGES.workerMembers);
    },

    onOpenInvite() {
      openPage(PAGES.workerInvite);
    },

    onOpenAudit() {
      openPage(PAGES.workerAudit);
    },

    onOpenLimits() {
      openPage(PAGES.workerLimits);
    },

    onOpenDeskSessions() {
      openPage(PAGES.deskSessions);
    },

    onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).code = normalizeCode(e.detail.value);
      if (this.data.codeError) this.setData({ codeError: '' });
    },

    onJoin() {
      const code = state(this).code;
      const codeError = inviteCodeError(code);
      if (codeError) {
        this.setData({ codeError });
        return;
      }
      openPage(`${PAGES.join}?code=${encodeURIComponent(code)}`);
    },

    /** 退出社区: says what leaving does, then leaves the current community. */
    async onLeave() {
      const profile = this.data.profile;
      if (!profile || isBusy(this)) return;
      const answer = await wx.showModal({
        title: `退出${profile.communityName}？`,
        content: LEAVE_TEXT,
        confirmText: '退出社区',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.act(
        () => memberService.leave(),
        '已退出社区',
        () => this.membershipChanged(),
      );
    },

    /** 注销并删除个人信息: says what is removed and what is kept, then erases. */
    async onErase() {
      if (isBusy(this)) return;
      const answer = await wx.showModal({
        title: '注销并删除个人信息？',
        content: ERASE_TEXT,
        confirmText: '确认注销',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.act(
        () => memberService.erase(),
        '个人信息已删除',
        () => this.membershipChanged(),
      );
    },

    /** After leaving or erasing: other pages reload their membership, this one shows what is current now. */
    membershipChanged() {
      const app = getApp<IAppOption>();
      if (app && app.globalData) app.globalData.membershipVersion += 1;
      void this.load();
    },

    async onSwitchCommunity(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const communityId = state(this).communityIds[index];
      if (!communityId || this.data.switching || this.data.communities[index].current) return;
      this.setData({ switching: true });
      try {
        const me = await memberService.switchCommunity(communityId);
        const app = getApp<IAppOption>();
        if (app && app.globalData) app.globalData.membershipVersion += 1;
        this.render(me);
      } catch (err) {
        showError(this, err);
      } finally {
        this.setData({ switching: false });
      }
    },
  },
});
