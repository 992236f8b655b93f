// 意见征询: a question to residents, one answer per household, simple counts for everyone. Not an
// owners' decision (no area, no quorum): tenants answer too.
import { consultService, type ConsultDetail } from '../../../services/affairs';
import { errorMessage } from '../../../services/feedback';
import { shortDateTime } from '../../../utils/format';
import { decodeQueryValue } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

const state = privateState(() => ({ id: '' }));

function viewOf(c: ConsultDetail) {
  return {
    title: c.title,
    body: c.body,
    closed: c.state === 'closed',
    line: `${c.scopeText} · ${c.state === 'closed' ? '已结束' : `${shortDateTime(c.closesAt)} 截止`} · ${c.answered} 户已回答`,
    options: c.options.map((o, i) => ({ text: o.text, count: o.count, mine: c.myOption === i })),
    canAnswer: c.canAnswer,
    note: c.reason ?? (c.myOption !== undefined ? '您家已经回答过了，每户一次。' : ''),
  };
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    loadError: '',
    consult: null as ReturnType<typeof viewOf> | null,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).id = decodeQueryValue(query.id);
      return this.load();
    },

    async load() {
      try {
        this.setData({ phase: 'ready', consult: viewOf(await consultService.get(state(this).id)) });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    async onAnswer(e: WechatMiniprogram.BaseEvent) {
      const option = Number(e.currentTarget.dataset.index);
      if (isBusy(this)) return;
      await this.act(
        () => consultService.answer(state(this).id, option),
        '已提交，谢谢您的意见',
        (c) => this.setData({ consult: viewOf(c) }),
      );
    },
  },
});
