// 议事与表决: the community's topics (议题) and owners' votes (业主表决), one tab each.
import { consultService, votesService, type ConsultSummary, type VoteSummary } from '../../../services/affairs';
import { isActiveWorker, memberService } from '../../../services/member';
import { openPage } from '../../../utils/nav';
import { shortDateTime } from '../../../utils/format';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';
import { AFFAIRS_PAGES, MATTER_TEXT, VOTE_STATE_TEXT } from '../utils';
import { TOPIC_PAGES } from '../topic-utils';

type Tab = 'topics' | 'votes' | 'consults';

interface VoteRow {
  title: string;
  state: VoteSummary['state'];
  stateText: string;
  matterText: string;
  timeText: string;
}

const voteRow = (v: VoteSummary): VoteRow => ({
  title: v.title,
  state: v.state,
  stateText: VOTE_STATE_TEXT[v.state],
  matterText: MATTER_TEXT[v.matter],
  timeText: v.state === 'announced' ? `${shortDateTime(v.opensAt)} 开始投票` : `${shortDateTime(v.closesAt)} 截止`,
});

const votes = pagedList({
  fetch: (_host: ListHost, page: number) => votesService.listVotes(page),
  rowOf: voteRow,
  idOf: (v: VoteSummary) => v._id,
});

const consultRow = (c: ConsultSummary): VoteRow => ({
  title: c.title,
  state: c.state === 'open' ? 'open' : 'closed',
  stateText: c.state === 'open' ? '征询中' : '已结束',
  matterText: c.scopeText,
  timeText: `${c.answered} 户已回答 · ${shortDateTime(c.closesAt)} 截止`,
});

const consults = pagedList({
  fetch: (_host: ListHost, page: number) => consultService.list(page),
  rowOf: consultRow,
  idOf: (c: ConsultSummary) => c._id,
});

/** The list behind a tab (topics have their own pages). */
const listOf = (tab: Tab) => (tab === 'votes' ? votes : tab === 'consults' ? consults : null);

const TABS: { tab: Tab; label: string }[] = [
  { tab: 'topics', label: '议题' },
  { tab: 'votes', label: '业主表决' },
  { tab: 'consults', label: '意见征询' },
];

Component({
  behaviors: [pageBehavior],
  data: {
    tabs: TABS,
    tab: 'votes' as Tab,
    items: [] as VoteRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    isWorker: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.tab === 'topics' || query.tab === 'consults') this.setData({ tab: query.tab });
      memberService
        .me()
        .then((me) => this.setData({ isWorker: isActiveWorker(me) }))
        .catch(() => undefined);
    },

    onShow() {
      return this.reload();
    },

    onReachBottom() {
      return listOf(this.data.tab)?.reachBottom(this);
    },

    onPickTab(e: WechatMiniprogram.BaseEvent) {
      const tab = e.currentTarget.dataset.tab as Tab;
      if (tab === this.data.tab) return undefined;
      // Answers still on their way for the tab left behind are dropped.
      listOf(this.data.tab)?.reset(this);
      this.setData({ tab });
      return this.reload();
    },

    onOpenTopics() {
      openPage(TOPIC_PAGES.list);
    },

    onProposeTopic() {
      openPage(TOPIC_PAGES.propose);
    },

    reload() {
      const list = listOf(this.data.tab);
      if (!list) return undefined;
      return list.reload(this);
    },

    onOpenRow(e: WechatMiniprogram.BaseEvent) {
      const list = listOf(this.data.tab);
      const id = list?.ids(this)[Number(e.currentTarget.dataset.index)];
      if (!id) return;
      const page = this.data.tab === 'votes' ? AFFAIRS_PAGES.vote : AFFAIRS_PAGES.consult;
      openPage(`${page}?id=${encodeURIComponent(id)}`);
    },

    onOpenVoteForm() {
      openPage(AFFAIRS_PAGES.open);
    },

    onOpenConsultForm() {
      openPage(AFFAIRS_PAGES.consultNew);
    },

    onOpenRegister() {
      openPage(AFFAIRS_PAGES.register);
    },
  },
});
