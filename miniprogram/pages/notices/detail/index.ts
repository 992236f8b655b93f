// Notice detail, and the landing page of a notice card shared into a group chat. Opening it
// records the read receipt (server side). A visitor who is not a member yet goes to the join page
// first and comes back here. A worker sees the management buttons, and the card a worker shares
// carries an invite code, so that strangers in the group can join on the way.
import { noticesService, type NoticeDetail } from '../../../services/notices';
import { pictureSrc } from '../../../services/files';
import { messagesService } from '../../../services/messages';
import { memberService } from '../../../services/member';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { dateTimeText } from '../../../utils/format';
import { decodeQueryValue, openPage, replacePage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { enableShareMenu, pathWith, sendStrangerToJoin, shareCard } from '../../../utils/share';
import { NOTICE_DETAIL, NOTICE_PAGES, STATE_LABELS } from '../../../utils/notices';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'notice' | 'pending' | 'missing' | 'error';

interface View {
  title: string;
  body: string;
  category: string;
  pinned: boolean;
  audience: string;
  time: string;
  expires: string;
  author: string;
  images: string[];
  state: string;
  stateText: string;
  editable: boolean;
  withdrawable: boolean;
}

const INVITE_DAYS = 7;
const INVITE_KEY = 'notices.shareInvite';

const state = privateState(() => ({
  id: '',
  code: undefined as string | undefined,
  notice: undefined as NoticeDetail | undefined,
  /** Invite code put on cards this worker shares. */
  shareCode: undefined as string | undefined,
  busy: false,
}));

function viewOf(n: NoticeDetail): View {
  return {
    title: n.title,
    body: n.body,
    category: n.category,
    pinned: n.pinned,
    audience: n.audienceText,
    time: dateTimeText(n.publishAt),
    expires: dateTimeText(n.expiresAt),
    author: n.authorName,
    images: n.images.map(pictureSrc),
    state: n.state,
    stateText: STATE_LABELS[n.state],
    editable: n.canManage && (n.state === 'draft' || n.state === 'scheduled'),
    withdrawable: n.canManage && n.state !== 'withdrawn',
  };
}

/** An invite for the notice's building (or the whole community), kept a week on this phone. */
async function shareInviteFor(n: NoticeDetail): Promise<string | undefined> {
  const building = n.buildings.length === 1 ? n.buildings[0] : '';
  const key = `${INVITE_KEY}:${building || '*'}`;
  try {
    const cached = wx.getStorageSync(key) as { code?: string; until?: number } | '';
    if (cached && cached.code && (cached.until || 0) > Date.now()) return cached.code;
  } catch {
    // No storage: make a new one.
  }
  try {
    const invite = await memberService.createInvite({ ...(building ? { building } : {}), expiresInDays: INVITE_DAYS + 1 });
    try {
      wx.setStorageSync(key, { code: invite.inviteCode, until: Date.now() + INVITE_DAYS * 86400_000 });
    } catch {
      // Fine: the next share makes another.
    }
    return invite.inviteCode;
  } catch {
    return undefined;
  }
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    notice: null as View | null,
    canManage: false,
    message: '',
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      s.code = decodeQueryValue(query.code) || undefined;
      enableShareMenu();
      void messagesService.prepareSubscribe();
      if (!s.id) {
        this.setData({ phase: 'missing', message: '没有找到这条通知，请从通知列表重新打开' });
        return;
      }
      await this.load();
    },

    here(): string {
      return pathWith(NOTICE_DETAIL, { id: state(this).id });
    },

    async load() {
      const s = state(this);
      try {
        const notice = await noticesService.get(s.id);
        s.notice = notice;
        this.setData({ phase: 'notice', notice: viewOf(notice), canManage: notice.canManage });
        if (typeof wx.setNavigationBarTitle === 'function')
          wx.setNavigationBarTitle({ title: notice.category, fail: () => undefined });
        if (notice.canManage && notice.state === 'published') s.shareCode = await shareInviteFor(notice);
      } catch (err) {
        if (await sendStrangerToJoin(err, this.here(), s.code)) return;
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') {
          this.setData({ phase: 'pending', message: '您的加入申请正在等待社区审核，通过后就能查看这条通知。' });
        } else if (isServiceError(err) && err.code === 'E_NOT_FOUND') {
          this.setData({ phase: 'missing', message: err.message });
        } else {
          this.setData({ phase: 'error', message: errorMessage(err) });
        }
      }
    },

    onShareAppMessage() {
      const s = state(this);
      const n = s.notice;
      if (!n) return shareCard('社区通知', NOTICE_DETAIL, { id: s.id });
      const title = `【${n.category}】${n.title}`;
      return shareCard(title, NOTICE_DETAIL, { id: n._id, code: s.shareCode }, n.images[0]);
    },

    onShareTimeline() {
      const n = state(this).notice;
      return { title: n ? n.title : '社区通知', query: `id=${encodeURIComponent(state(this).id)}` };
    },

    onPreview(e: WechatMiniprogram.BaseEvent) {
      const images = this.data.notice ? this.data.notice.images : [];
      const current = images[Number(e.currentTarget.dataset.index)] || images[0];
      if (current) wx.previewImage({ urls: images, current });
    },

    /** A tap, so WeChat may ask for consent. */
    async onSubscribe() {
      const accepted = await messagesService.askSubscribe(['notice']);
      if (accepted > 0) showSuccess(this, '已开启，社区提醒会通过微信通知您');
    },

    onEdit() {
      openPage(`${NOTICE_PAGES.compose}?id=${encodeURIComponent(state(this).id)}`);
    },

    onStats() {
      openPage(`${NOTICE_PAGES.stats}?id=${encodeURIComponent(state(this).id)}`);
    },

    async onWithdraw() {
      const s = state(this);
      if (s.busy) return;
      const answer = await wx.showModal({
        title: '撤回这条通知？',
        content: '撤回后居民将看不到这条通知，此操作不能恢复。',
        confirmText: '撤回',
        confirmColor: '#d54941',
      });
      if (!answer.confirm) return;
      s.busy = true;
      try {
        const notice = await noticesService.withdraw(s.id);
        s.notice = notice;
        this.setData({ notice: viewOf(notice) });
        showSuccess(this, '已撤回');
      } catch (err) {
        showError(this, err);
      } finally {
        s.busy = false;
      }
    },

    onBackToList() {
      replacePage(NOTICE_PAGES.tab);
    },
  },
});
