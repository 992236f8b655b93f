// The timer's part for the ledger: a resident's question still open when it turns yellow (80 % of
// its 3 days used) tells the community's workers, and again when it turns red (past the limit).
// Each open question keeps `yellowDue` / `redDue` markers (set by `ask`, cleared by `answer`);
// common/light-sweep.ts reads and clears them as it does for topics.
import { sweepLights, type Colour, type LightSweepReport } from '../common/light-sweep';
import type { Notice } from '../common/notify';
import { longDateTime } from '../../miniprogram/shared/clock';
import { QUESTIONS, type QuestionDoc } from './model';
import { questionLink, workersOf } from './questions';

export type LedgerSweepReport = LightSweepReport;

function message(q: QuestionDoc, colour: Colour, to: string[]): Notice {
  const excerpt = q.question.length > 30 ? `${q.question.slice(0, 30)}…` : q.question;
  return {
    communityId: q.communityId,
    to,
    msg: {
      type: colour === 'red' ? 'ledger.red' : 'ledger.yellow',
      title: colour === 'red' ? '居民对账目的提问已超时未回复' : '居民对账目的提问即将超时',
      body: `「${excerpt}」回复时限：${longDateTime(q.dueAt)}`,
      link: questionLink(q.entryId),
      key: `ledger-question:${q._id}:${colour}`,
    },
  };
}

export const sweepLedger = (now: Date, deadline = Infinity): Promise<LedgerSweepReport> =>
  sweepLights<QuestionDoc>(
    {
      collection: QUESTIONS,
      workersOf,
      message,
      // An answered question has no markers; one answered between the read and now is skipped.
      stillDue: (q) => q.status === 'open',
    },
    now,
    deadline,
  );
