// 发起意见征询 (workers): a question to the residents — title, text, 2 to 6 options, the whole
// community or some buildings, and when it closes. One answer per household, simple counts; not an
// owners' decision (that is 发起业主表决). Goes to the consultation once published.
import { memberService } from '../../../services/member';
import { consultService, newRequestId } from '../../../services/affairs';
import { isServiceError } from '../../../services/core';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { replacePage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { DAY_MS, dateText, instantOf, isoText } from '../../../shared/clock';
import { AFFAIRS_PAGES } from '../utils';

// The function's bounds (api-consult.ts CONSULT_OPTIONS_MIN/MAX); it refuses anything else.
const MIN_OPTIONS = 2;
const MAX_OPTIONS = 6;
const MAX_OPTION = 20;

const state = privateState(() => ({ title: '', body: '', requestId: newRequestId(), nextKey: MIN_OPTIONS }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'form' | 'error',
    loadError: '',
    options: [
      { key: 0, text: '' },
      { key: 1, text: '' },
    ],
    minOptions: MIN_OPTIONS,
    maxOptions: MAX_OPTIONS,
    whole: true,
    buildings: [] as { name: string; on: boolean }[],
    closesDate: '',
    closesTime: '20:00',
    today: '',
    error: '',
    busy: false,
  },

  methods: {
    async onLoad() {
      try {
        const me = await memberService.me();
        const now = Date.now();
        this.setData({
          phase: 'form',
          buildings: (me?.buildings ?? []).map((name) => ({ name, on: false })),
          today: dateText(now),
          closesDate: dateText(now + 7 * DAY_MS),
        });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onTitle(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).title = e.detail.value;
    },
    onBody(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).body = e.detail.value;
    },
    onOption(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ [`options[${i}].text`]: e.detail.value, error: '' });
    },
    onAddOption() {
      if (this.data.options.length >= MAX_OPTIONS) return;
      const s = state(this);
      this.setData({ [`options[${this.data.options.length}]`]: { key: s.nextKey++, text: '' } });
    },
    onRemoveOption(e: WechatMiniprogram.BaseEvent) {
      if (this.data.options.length <= MIN_OPTIONS) return;
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ options: this.data.options.filter((_, j) => j !== i) });
    },
    onPickWhole() {
      this.setData({ whole: true, buildings: this.data.buildings.map((b) => ({ ...b, on: false })) });
    },
    onToggleBuilding(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      const on = !this.data.buildings[i].on;
      this.setData({ [`buildings[${i}].on`]: on, whole: !on && this.data.buildings.every((b, j) => j === i || !b.on) });
    },
    onClosesDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ closesDate: e.detail.value, error: '' });
    },
    onClosesTime(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ closesTime: e.detail.value, error: '' });
    },

    /** The request, or the sentence saying what the form still needs. */
    input(): { error: string } | { input: Parameters<typeof consultService.create>[0] } {
      const s = state(this);
      const d = this.data;
      if (!s.title.trim() || !s.body.trim()) return { error: '请填写标题和征询说明' };
      const options = d.options.map((o) => o.text.trim());
      if (options.some((o) => !o)) return { error: '请填写每个选项，或删掉空的选项' };
      if (options.some((o) => Array.from(o).length > MAX_OPTION)) return { error: `每个选项最多 ${MAX_OPTION} 个字` };
      if (new Set(options).size !== options.length) return { error: '选项不能重复，请改一改' };
      const closesAt = instantOf(d.closesDate, d.closesTime);
      if (closesAt.getTime() <= Date.now()) return { error: '截止时间要晚于现在，请重新选择' };
      const buildings = d.buildings.filter((b) => b.on).map((b) => b.name);
      return {
        input: {
          title: s.title.trim(),
          body: s.body.trim(),
          options,
          ...(buildings.length ? { buildings } : {}),
          closesAt: isoText(closesAt),
          requestId: s.requestId,
        },
      };
    },

    async onSubmit() {
      if (this.data.busy) return;
      const made = this.input();
      if ('error' in made) {
        this.setData({ error: made.error });
        return;
      }
      this.setData({ error: '', busy: true });
      try {
        const consult = await consultService.create(made.input);
        showSuccess(this, '意见征询已发布');
        replacePage(`${AFFAIRS_PAGES.consult}?id=${encodeURIComponent(consult._id)}`);
      } catch (err) {
        // The same request id with another body: the next submit is a new request (conventions.md).
        if (isServiceError(err) && err.code === 'E_CONFLICT') state(this).requestId = newRequestId();
        const message = showError(this, err);
        if (isServiceError(err) && (err.code === 'E_VALIDATION' || err.code === 'E_CONTENT_REJECTED'))
          this.setData({ error: message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
