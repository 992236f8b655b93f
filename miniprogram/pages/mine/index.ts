// 我的: who I am in my current community, and the way in for workers and for newcomers.
import { memberService, type MeView } from '../../services/member';
import { messagesService, setMineBadge } from '../../services/messages';
import { NOTICE_PAGES } from '../../utils/notices';
import { errorMessage, showError } from '../../services/feedback';
import { PAGES, openPage } from '../../utils/nav';
import { STATUS_LABELS, addressText, maskPhone, roleText } from '../../utils/format';
import { privateState } from '../../utils/state';
import { inviteCodeError, normalizeCode } from '../../utils/validate';
import { pageBehavior } from '../../utils/page-behavior';

type Phase = 'loading' | 'member' | 'guest' | 'error';

/** Entries of the worker console and the volunteers' hall in other subpackages. */
const CONSOLE_ENTRIES = {
  board: '/packages/worker/board/index',
  parkingVerify: '/packages/parking/verify/index',
  hall: '/packages/orders/hall/index',
} as const;

interface ProfileView {
  name: string;
  communityName: string;
  address: string;
  phone: string;
  roleText: string;
  status: MeView['status'];
  statusText: string;
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
  };
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    profile: null as ProfileView | null,
    isWorker: false,
    isVolunteer: false,
    communities: [] as CommunityItem[],
    loadError: '',
    codeError: '',
    switching: false,
    /** Unread messages in the inbox (also the tab bar badge). */
    unread: 0,
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

    onOpenInbox() {
      openPage(NOTICE_PAGES.inbox);
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

    onOpenLimits() {
      openPage(PAGES.workerLimits);
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
