// Worker console: who in the community was refused for going too fast (docs/limits.md), newest
// first, 20 at a time. A real resident never shows up here; a script or a stolen phone does.
import { memberService, type RateLimitedView } from '../../../services/member';
import { dateTimeText } from '../../../utils/format';
import { pagedList } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';

/** What a row shows. */
interface LimitRow {
  name: string;
  what: string;
  refused: string;
  at: string;
  until: string;
}

function windowText(minutes: number): string {
  if (minutes === 60) return '每小时';
  return minutes % 60 === 0 ? `每 ${minutes / 60} 小时` : `每 ${minutes} 分钟`;
}

export function limitRowOf(v: RateLimitedView): LimitRow {
  return {
    name: v.name || '已离开社区的成员',
    what: `${v.kindLabel}（${windowText(v.windowMinutes)}最多 ${v.max} 次）`,
    refused: `被拦下 ${v.refused} 次`,
    at: dateTimeText(v.limitedAt),
    until: dateTimeText(v.windowEnd),
  };
}

const list = pagedList({
  fetch: (_host, page: number) => memberService.rateLimited(page),
  rowOf: limitRowOf,
  idOf: (v: RateLimitedView) => v._id,
});

Component({
  behaviors: [pageBehavior],
  data: {
    items: [] as LimitRow[],
    loading: false,
    hasMore: false,
    loaded: false,
    loadError: '',
  },

  methods: {
    onLoad() {
      return this.reload();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    reload() {
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },
  },
});
