// 评价物业服务: the household's rating of this month (docs/property.md, "Rating") — five
// dimensions of 1–5 stars and an optional comment, once per household and month. A household that
// has rated sees its scores; a member who may not rate is told why.
import { DIMENSION_LABELS, DIMENSIONS, type Dimension } from '../../../shared/property-labels';
import { propertyService, type MyRatingView } from '../../../services/property';
import { errorMessage } from '../../../services/feedback';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';

interface DimRow {
  key: Dimension;
  label: string;
  stars: number;
}

const rowsOf = (scores?: Partial<Record<Dimension, number>>): DimRow[] =>
  DIMENSIONS.map((key) => ({ key, label: DIMENSION_LABELS[key], stars: scores?.[key] ?? 0 }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'form' | 'done' | 'closed' | 'error',
    message: '',
    monthLabel: '',
    dims: rowsOf(),
    comment: '',
    complete: false,
    busy: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async load() {
      try {
        this.show(await propertyService.myRating());
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    show(r: MyRatingView) {
      const monthLabel = `${Number(r.month.slice(5))}月`;
      if (r.rated)
        this.setData({
          phase: 'done',
          monthLabel,
          dims: rowsOf(r.scores),
          message: r.byMe ? '感谢您的评价' : '您的家人已代表本户评价',
        });
      else if (!r.mayRate) this.setData({ phase: 'closed', monthLabel, message: r.reason ?? '暂不能评价' });
      else this.setData({ phase: 'form', monthLabel });
    },

    onStar(e: WechatMiniprogram.BaseEvent) {
      if (this.data.phase !== 'form') return;
      const index = Number(e.currentTarget.dataset.index);
      const stars = Number(e.currentTarget.dataset.stars);
      const dims = this.data.dims.map((d, i) => (i === index ? { ...d, stars } : d));
      this.setData({ [`dims[${index}].stars`]: stars, complete: dims.every((d) => d.stars > 0) });
    },

    onComment(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ comment: e.detail.value });
    },

    async onSubmit() {
      if (isBusy(this)) return;
      if (!this.data.complete) {
        this.setData({ message: '请为每一项打分（1–5 星）' });
        return;
      }
      const scores = Object.fromEntries(this.data.dims.map((d) => [d.key, d.stars])) as Record<Dimension, number>;
      await this.act(
        () => propertyService.rate(scores, this.data.comment.trim() || undefined),
        '评价已提交，谢谢',
        (r) => this.show(r),
      );
    },
  },
});
