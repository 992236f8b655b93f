// 线上议事: the community's topics by status (征集中 / 协商中 / 落实中 / 已落实 / 未采纳), the
// year's 议事清单 in list order, or one's own; 20 a page, appended by path. Any member may
// propose one (民主协商五步工作法 starts with 征集议题).
import { topicsService, type TopicSummary, type TopicTab } from '../../../services/affairs';
import { TOPIC_TAB_LABELS, TOPIC_TABS } from '../../../shared/topic-labels';
import { wallTime } from '../../../shared/clock';
import { openPage } from '../../../utils/nav';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';
import { TOPIC_PAGES, topicRow, topicUrl, type TopicRow } from '../topic-utils';

/** The status tabs, then two views that are not a status. */
type View = TopicTab | 'list' | 'mine';

interface ViewData {
  view: View;
  year: number;
}

const VIEWS: { view: View; label: string }[] = [
  ...TOPIC_TABS.map((tab) => ({ view: tab as View, label: TOPIC_TAB_LABELS[tab] })),
  { view: 'list', label: '议事清单' },
  { view: 'mine', label: '我提出的' },
];

const EMPTY: Record<View, string> = {
  all: '还没有议题，有什么想和邻居一起商量的事，就提一个吧',
  collecting: '没有正在征集附议的议题',
  discussing: '没有正在协商的议题',
  implementing: '没有正在落实的决议',
  done: '还没有落实完成的议题',
  declined: '没有未采纳的议题',
  list: '今年的议事清单还是空的',
  mine: '你还没有提出过议题',
};

function query(d: ViewData, page: number) {
  if (d.view === 'list') return { year: d.year, page };
  if (d.view === 'mine') return { mine: true, page };
  return { tab: d.view, page };
}

const topics = pagedList<TopicSummary, Awaited<ReturnType<typeof topicsService.list>>, ViewData>({
  fetch: (host: ListHost<ViewData>, page: number) => topicsService.list(query(host.data, page)),
  rowOf: topicRow,
  idOf: (t) => t._id,
});

Component({
  behaviors: [pageBehavior],
  data: {
    views: VIEWS,
    view: 'all' as View,
    year: wallTime(Date.now()).year,
    emptyText: EMPTY.all,
    items: [] as TopicRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
  },

  methods: {
    onLoad(q: Record<string, string | undefined>) {
      const view = VIEWS.find((v) => v.view === q.view)?.view;
      if (view) this.setData({ view, emptyText: EMPTY[view] });
    },

    onShow() {
      return this.reload();
    },

    onReachBottom() {
      return topics.reachBottom(this);
    },

    reload() {
      return topics.reload(this);
    },

    onPickView(e: WechatMiniprogram.BaseEvent) {
      const view = e.currentTarget.dataset.view as View;
      if (view === this.data.view) return undefined;
      this.setData({ view, emptyText: EMPTY[view] });
      return this.reload();
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const id = topics.ids(this)[Number(e.currentTarget.dataset.index)];
      if (id) openPage(topicUrl(id));
    },

    onPropose() {
      openPage(TOPIC_PAGES.propose);
    },
  },
});
