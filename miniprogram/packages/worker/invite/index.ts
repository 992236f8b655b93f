// Worker console: create an invite (optionally for one building, optionally auto-approving) and
// share it as a card into the building's group chat. The card opens pages/join/index?code=….
import { memberService, type InviteView } from '../../../services/member';
import { errorMessage, showError } from '../../../services/feedback';
import { dateTimeText } from '../../../utils/format';
import { PAGES } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { pageBehavior } from '../../../utils/page-behavior';

const state = privateState(() => ({
  invite: undefined as InviteView | undefined,
  creating: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'form' | 'error',
    loadError: '',
    communityName: '',
    buildings: [] as string[],
    /** '' is every building. */
    building: '',
    autoApprove: false,
    creating: false,
    code: '',
    codeBuilding: '',
    expires: '',
  },

  methods: {
    async onLoad() {
      try {
        const me = await memberService.me();
        if (!me || me.status !== 'active' || !me.roles.includes('worker')) {
          this.setData({ phase: 'error', loadError: '只有社区工作者可以邀请居民' });
          return;
        }
        this.setData({ phase: 'form', communityName: me.communityName, buildings: me.buildings });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onPickBuilding(e: WechatMiniprogram.BaseEvent) {
      this.setData({ building: String(e.currentTarget.dataset.building || '') });
    },

    onPickApproval(e: WechatMiniprogram.BaseEvent) {
      this.setData({ autoApprove: e.currentTarget.dataset.auto === 'yes' });
    },

    async onCreate() {
      const s = state(this);
      if (s.creating) return;
      s.creating = true;
      this.setData({ creating: true });
      try {
        const invite = await memberService.createInvite({
          ...(this.data.building ? { building: this.data.building } : {}),
          autoApprove: this.data.autoApprove,
        });
        s.invite = invite;
        this.setData({
          code: invite.inviteCode,
          codeBuilding: invite.building || '全部楼栋',
          expires: dateTimeText(invite.expiresAt),
          creating: false,
        });
      } catch (err) {
        this.setData({ creating: false });
        showError(this, err);
      } finally {
        s.creating = false;
      }
    },

    /** The card shared from the share button (and from the menu once an invite exists). */
    onShareAppMessage() {
      const invite = state(this).invite;
      if (!invite) return { title: `${this.data.communityName}邻里帮`, path: PAGES.home };
      const where = invite.building ? `（${invite.building}）` : '';
      return {
        title: `邀请您加入${this.data.communityName}${where}`,
        path: `${PAGES.join}?code=${encodeURIComponent(invite.inviteCode)}`,
      };
    },
  },
});
