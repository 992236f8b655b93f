// 议事与表决: the community's topics (议题) and owners' votes (业主表决), one tab each.
import { votesService, type VoteSummary } from '../../../services/affairs';
import { shortDateTime } from '../../../utils/format';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';
import { MATTER_TEXT, VOTE_STATE_TEXT } from '../utils';
import { openPage } from '../../../utils/nav';
import { TOPIC_PAGES } from '../topic-utils';

type Tab = 'topics' | 'votes';

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

const TABS: { tab: Tab; label: string }[] = [
  { tab: 'topics', label: '议题' },
  { tab: 'votes', label: '业主表决' },
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
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.tab === 'topics') this.setData({ tab: 'topics' });
    },

    onShow() {
      return this.reload();
    },

    onReachBottom() {
      if (this.data.tab === 'votes') return votes.reachBottom(this);
      return undefined;
    },

    onPickTab(e: WechatMiniprogram.BaseEvent) {
      const tab = e.currentTarget.dataset.tab as Tab;
      if (tab === this.data.tab) return undefined;
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
      if (this.data.tab === 'votes') return votes.reload(this);
      return undefined;
    },
  },
});
