// 物业服务评级 (评星定级, docs/property.md): what residents read of their property company — its
// duty phone, the latest published month's stars and every part of the grade, the credit file as
// a bar chart by month (plain views, no chart library), and the household's rating of this month
// (the main action). `?month=2031-05` opens that month's grade.
import { propertyService, type GradeView } from '../../../services/property';
import { errorMessage } from '../../../services/feedback';
import { pageBehavior } from '../../../utils/page-behavior';
import { decodeQueryValue } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { barsOf, dimensionsOf, LIGHT_LABELS, partsOf, starsText, type Bar } from '../format';

const state = privateState(() => ({ month: '' }));

export const RATE_PAGE = '/packages/property/rate/index';

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'none' | 'error',
    message: '',
    company: { name: '', manager: '', dutyPhone: '' },
    hasGrade: false,
    monthLabel: '',
    stars: '',
    score: '',
    light: '',
    lightLabel: '',
    dims: [] as { label: string; value: string; width: number }[],
    parts: [] as { label: string; value: string }[],
    bars: [] as Bar[],
    rated: false,
    mayRate: false,
    rateHint: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const asked = decodeQueryValue(query.month);
      state(this).month = /^\d{4}-\d{2}$/.test(asked) ? asked : '';
      return this.load();
    },

    onShow() {
      // Back from the rating form: the household's state changed.
      if (this.data.phase === 'ready') return this.load();
    },

    async load() {
      try {
        const company = await propertyService.company();
        if (!company) {
          this.setData({ phase: 'none', message: '本社区尚未登记物业公司' });
          return;
        }
        const [grade, credit, mine] = await Promise.all([
          propertyService.grade(state(this).month || undefined),
          propertyService.credit(),
          propertyService.myRating(),
        ]);
        this.setData({
          phase: 'ready',
          company: { name: company.name, manager: company.manager, dutyPhone: company.dutyPhone },
          ...this.gradePatch(grade),
          bars: barsOf(credit.items),
          rated: mine.rated,
          mayRate: mine.mayRate,
          rateHint: mine.rated
            ? `您家已评价${mine.month.slice(5).replace(/^0/, '')}月的物业服务，下月可再评`
            : (mine.reason ?? '每户每月可评价一次，评价计入当月评级'),
        });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    gradePatch(g: GradeView | null) {
      if (!g) return { hasGrade: false };
      return {
        hasGrade: true,
        monthLabel: g.monthLabel,
        stars: starsText(g.stars),
        score: g.score === null ? '' : `综合 ${g.score} 分`,
        light: g.light ?? '',
        lightLabel: g.light ? LIGHT_LABELS[g.light] : '',
        dims: dimensionsOf(g),
        parts: partsOf(g),
      };
    },

    async onBar(e: WechatMiniprogram.BaseEvent) {
      const month = String(e.currentTarget.dataset.month);
      try {
        this.setData(this.gradePatch(await propertyService.grade(month)));
      } catch (err) {
        this.setData({ message: errorMessage(err) });
      }
    },

    onRate() {
      if (!this.data.mayRate) return;
      wx.navigateTo({ url: RATE_PAGE });
    },

    onCall() {
      wx.makePhoneCall({ phoneNumber: this.data.company.dutyPhone });
    },
  },
});
