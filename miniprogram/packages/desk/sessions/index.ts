// 电脑登录: the consoles (社区工作台) signed in as me, where from and since when, each with 结束 —
// a console whose session ended is refused on its next call (docs/console.md).
import { deskService, type ConsoleSession } from '../../../services/desk';
import { errorMessage } from '../../../services/feedback';
import { dateTimeText } from '../../../utils/format';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';

interface Row {
  sessionId: string;
  ip: string;
  since: string;
  until: string;
}

const rowOf = (s: ConsoleSession): Row => ({
  sessionId: s.sessionId,
  ip: s.ip,
  since: dateTimeText(s.signedInAt),
  until: dateTimeText(s.endsAt),
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'list' | 'error',
    items: [] as Row[],
    message: '',
    busy: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async load() {
      try {
        const items = await deskService.listSessions();
        this.setData({ phase: 'list', items: items.map(rowOf) });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    async onEnd(e: WechatMiniprogram.BaseEvent) {
      const row = this.data.items[Number(e.currentTarget.dataset.index)];
      if (!row || isBusy(this)) return;
      const sure = await wx.showModal({
        title: '结束这台电脑的登录？',
        content: `来自 ${row.ip}，${row.since} 登录。结束后那台电脑需要重新扫码。`,
        confirmText: '结束',
        confirmColor: '#d54941',
        cancelText: '不结束',
      });
      if (sure.confirm) await this.act(() => deskService.endSession(row.sessionId), '已结束这台电脑的登录');
    },
  },
});
