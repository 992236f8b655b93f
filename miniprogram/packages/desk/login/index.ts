// 电脑登录确认: the page the console's mini-program code opens (wxacode.getUnlimited, `scene` = the
// login's session id). The worker sees where (the console's IP) and when it asked, and confirms;
// only then may the browser that showed the code sign in (docs/console.md). Not a worker, an old
// or used code: says so, and nothing happens.
import { deskService } from '../../../services/desk';
import { isServiceError } from '../../../services/core';
import { errorMessage } from '../../../services/feedback';
import { dateTimeText } from '../../../utils/format';
import { PAGES, decodeQueryValue, openPage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

type Phase = 'loading' | 'ask' | 'done' | 'gone' | 'forbidden' | 'error';

const state = privateState(() => ({ sessionId: '' }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    ip: '',
    askedAt: '',
    community: '',
    /** A street leader scanned: the console will show the street's figures (docs/street.md). */
    leader: false,
    endsAt: '',
    message: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).sessionId = decodeQueryValue(query.scene ?? query.session);
      return this.load();
    },

    async load() {
      const { sessionId } = state(this);
      if (!sessionId) return this.setData({ phase: 'gone' });
      try {
        const view = await deskService.viewLogin(sessionId);
        this.setData({
          phase: 'ask',
          ip: view.ip,
          askedAt: dateTimeText(view.askedAt),
          community: view.communityName,
          leader: view.kind === 'leader',
        });
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_FOUND') this.setData({ phase: 'gone' });
        else if (isServiceError(err) && (err.code === 'E_FORBIDDEN' || err.code === 'E_NOT_MEMBER'))
          this.setData({ phase: 'forbidden' });
        else this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    async onConfirm() {
      await this.act(
        () => deskService.confirmLogin(state(this).sessionId),
        '已确认，电脑上即将登录',
        (answer) => this.setData({ phase: 'done', endsAt: dateTimeText(answer.sessionEndsAt) }),
      );
    },

    onCancel() {
      openPage(PAGES.mine);
    },

    onOpenSessions() {
      openPage(PAGES.deskSessions);
    },
  },
});
