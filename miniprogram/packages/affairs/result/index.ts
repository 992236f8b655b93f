// 表决结果: the counted result of a closed vote under 民法典 第278条 — owners and area for each line,
// whether the quorum was met and the matter passed — and the published lists: houses that voted and
// every receipt (never names or choices). An owner sees whether their own receipt is listed. A vote
// opened on a topic that passed gives the worker 「据此形成决议」 here, where they read the count.
import { topicsService, votesService, type Tally, type VoteDetail } from '../../../services/affairs';
import { errorMessage } from '../../../services/feedback';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { countText } from '../utils';
import { TOPIC_PAGES } from '../topic-utils';

const state = privateState(() => ({ id: '', topicId: '' }));

/** Whether the worker can decide the vote's topic from it now: passed, and the topic still open to it. */
async function canDecide(vote: VoteDetail): Promise<boolean> {
  if (!vote.canManage || !vote.topicId || !vote.result?.passed) return false;
  const topic = await topicsService.get(vote.topicId).catch(() => null);
  return !!topic && topic.steps.includes('decide');
}

const rows = (t: Tally) => [
  { label: '应参与', text: countText(t.eligible) },
  { label: '已参与', text: countText(t.participated) },
  { label: '同意', text: countText(t.yes) },
  { label: '反对', text: countText(t.no) },
  { label: '弃权', text: countText(t.abstain) },
];

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    loadError: '',
    title: '',
    rows: [] as { label: string; text: string }[],
    quorumText: '',
    verdict: '',
    passed: false,
    houses: '',
    houseCount: 0,
    receipts: '',
    receiptCount: 0,
    mine: '',
    canDecide: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).id = decodeQueryValue(query.id);
      return this.load();
    },

    onShow() {
      // Back from 形成决议: the button goes once the topic is decided.
      if (this.data.canDecide) return this.load();
    },

    async load() {
      try {
        const id = state(this).id;
        const [vote, published] = await Promise.all([votesService.get(id), votesService.result(id)]);
        const r = published.result;
        state(this).topicId = vote.topicId ?? '';
        const decide = await canDecide(vote);
        const receipt = vote.my.receipt;
        this.setData({
          phase: 'ready',
          title: vote.title,
          rows: rows(r),
          quorumText: r.quorumMet
            ? '参与表决的业主人数和专有部分面积均达到三分之二以上'
            : '参与表决的业主人数或专有部分面积未达到三分之二，表决未生效',
          verdict: !r.quorumMet ? '未生效' : r.passed ? '通过' : '未通过',
          passed: r.passed,
          houses: published.houses.join('、'),
          houseCount: published.houses.length,
          receipts: published.receipts.join('  '),
          receiptCount: published.receipts.length,
          mine: receipt
            ? published.receipts.includes(receipt)
              ? `您的回执 ${receipt} 在名单中，已计入。`
              : `您的回执 ${receipt} 不在名单中，请联系社区工作人员。`
            : '',
          canDecide: decide,
        });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onDecide() {
      const { id, topicId } = state(this);
      openPage(`${TOPIC_PAGES.act}?id=${encodeURIComponent(topicId)}&step=decide&voteId=${encodeURIComponent(id)}`);
    },
  },
});
