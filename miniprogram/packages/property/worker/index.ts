// 物业评级管理 (workers, docs/property.md): last month's grade as it stands (preview) with every
// part, published to residents with one tap (the main action) once the month has ended; the
// warnings red lights recorded, 20 at a time, and a 约谈 recorded on one with its outcome.
import { dateText } from '../../../shared/clock';
import { propertyService, type GradeView, type TalkOutcome, type WarningView } from '../../../services/property';
import { errorMessage } from '../../../services/feedback';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { privateState } from '../../../utils/state';
import { dimensionsOf, LIGHT_LABELS, partsOf, rateText, shiftMonth, starsText, thisMonth } from '../format';

interface WarningRow {
  id: string;
  title: string;
  status: string;
  open: boolean;
  reasons: string[];
  talks: string[];
}

const OUTCOMES: { value: TalkOutcome; label: string }[] = [
  { value: 'rectify', label: '限期整改' },
  { value: 'resolved', label: '已整改到位' },
  { value: 'escalate', label: '上报街道处理' },
];

const warningRow = (w: WarningView): WarningRow => ({
  id: w._id,
  title: `${w.monthLabel} · ${starsText(w.stars)} · 投诉率 ${rateText(w.complaintRate)}`,
  status: w.statusLabel,
  open: w.status === 'open',
  reasons: w.reasons,
  talks: w.talks.map((t) => `${t.talkDate} ${t.outcomeLabel}：${t.summary}（${t.attendees}；记录人 ${t.byName}）`),
});

const state = privateState(() => ({ month: '' }));

/** The warnings of every month, newest first: they do not change with the month shown. */
const warnings = pagedList({
  fetch: (_host: ListHost, page: number) => propertyService.warnings(page),
  rowOf: warningRow,
  idOf: (w: WarningView) => w._id,
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    monthLabel: '',
    published: false,
    stars: '',
    score: '',
    lightLabel: '',
    light: '',
    dims: [] as { label: string; value: string; width: number }[],
    parts: [] as { label: string; value: string }[],
    items: [] as WarningRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    /** The warning whose 约谈 form is open (-1: none). */
    talkIndex: -1,
    talkDate: '',
    attendees: '',
    summary: '',
    outcomes: OUTCOMES,
    outcome: 'rectify' as TalkOutcome,
    busy: false,
  },

  methods: {
    onLoad() {
      state(this).month = shiftMonth(thisMonth(), -1);
      return this.load();
    },

    async load() {
      await Promise.all([this.loadGrade(), warnings.reload(this)]);
    },

    /** The month's grade; the page stays on the month shown until it is answered. */
    async loadGrade() {
      try {
        const grade = await propertyService.preview(state(this).month);
        this.setData({ phase: 'ready', ...this.gradePatch(grade), talkIndex: -1 });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    gradePatch(g: GradeView) {
      return {
        monthLabel: g.monthLabel,
        published: g.published,
        stars: starsText(g.stars),
        score: g.score === null ? '本月既没有住户评价也没有物业订单' : `综合 ${g.score} 分`,
        light: g.light ?? '',
        lightLabel: g.light ? LIGHT_LABELS[g.light] : '',
        dims: dimensionsOf(g),
        parts: partsOf(g),
      };
    },

    onReachBottom() {
      return warnings.reachBottom(this);
    },

    onPrevMonth() {
      state(this).month = shiftMonth(state(this).month, -1);
      return this.loadGrade();
    },

    onNextMonth() {
      const next = shiftMonth(state(this).month, 1);
      if (next >= thisMonth()) return;
      state(this).month = next;
      return this.loadGrade();
    },

    async onPublish() {
      if (this.data.published || isBusy(this)) return;
      await this.act(() => propertyService.publish(state(this).month), '已公示，居民可在「物业服务评级」查看');
    },

    onOpenTalk(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ talkIndex: index, talkDate: dateText(Date.now()), attendees: '', summary: '', outcome: 'rectify' });
    },

    onAttendees(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ attendees: e.detail.value });
    },

    onSummary(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ summary: e.detail.value });
    },

    onTalkDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ talkDate: e.detail.value });
    },

    onOutcome(e: WechatMiniprogram.BaseEvent) {
      this.setData({ outcome: e.currentTarget.dataset.value as TalkOutcome });
    },

    async onSubmitTalk() {
      const row = this.data.items[this.data.talkIndex];
      if (!row || isBusy(this)) return;
      const { talkDate, attendees, summary, outcome } = this.data;
      if (!attendees.trim() || !summary.trim()) {
        this.setData({ message: '请填写参加人员和约谈内容' });
        return;
      }
      await this.act(
        () =>
          propertyService.recordTalk({
            warningId: row.id,
            talkDate,
            attendees: attendees.trim(),
            summary: summary.trim(),
            outcome,
          }),
        '约谈已记录',
        (w) => this.setData({ [`items[${this.data.talkIndex}]`]: warningRow(w), talkIndex: -1, message: '' }),
      );
    },
  },
});
