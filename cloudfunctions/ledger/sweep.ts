// The timer's part for the ledger: a resident's question still open when it turns yellow (80 % of
// its 3 days used) tells the community's workers, and again when it turns red (past the limit).
// As topics do (affairs/topic-sweep.ts): each open question keeps `yellowDue` / `redDue` markers
// (set by `ask`, cleared by `answer`); the sweep reads the due ones by index, sends a page's
// messages in one batch (keyed: a repeated run sends nothing twice), then clears each marker only
// if it is still the one it read. Markers are bookkeeping: the question's version does not move.
import { cmd, collection, getAll } from '../common/db';
import { notifyMany, type Notice } from '../common/notify';
import { longDateTime } from '../../miniprogram/shared/clock';
import { QUESTIONS, type QuestionDoc } from './model';
import { questionLink, workersOf } from './questions';

const PAGE = 100;
const MAX_PAGES = 20;

export interface LedgerSweepReport {
  yellow: number;
  red: number;
  messages: number;
  more: boolean;
}

type Colour = 'yellow' | 'red';
const FIELD = { yellow: 'yellowDue', red: 'redDue' } as const;

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

async function drain(colour: Colour, now: Date, deadline: number, report: LedgerSweepReport): Promise<void> {
  const field = FIELD[colour];
  const workers = new Map<string, Promise<string[]>>();
  const staff = (communityId: string) => {
    if (!workers.has(communityId)) workers.set(communityId, workersOf(communityId));
    return workers.get(communityId)!;
  };
  for (let page = 0; page < MAX_PAGES; page++) {
    if (performance.now() >= deadline) {
      report.more = true;
      return;
    }
    const due = await getAll<QuestionDoc>(
      collection(QUESTIONS)
        .where({ [field]: cmd().lte(now) })
        .orderBy(field, 'asc')
        .limit(PAGE),
    );
    const notices: Notice[] = [];
    for (const q of due) {
      // An answered question has no markers; one answered between the read and now is skipped here.
      if (q.status !== 'open') continue;
      const to = await staff(q.communityId);
      if (to.length) notices.push(message(q, colour, to));
    }
    report.messages += await notifyMany(notices, now);
    let cleared = 0;
    for (const q of due) {
      // A red question no longer needs its yellow warning.
      const patch = colour === 'red' ? { redDue: null, yellowDue: null } : { yellowDue: null };
      const res = await collection(QUESTIONS)
        .where({ _id: q._id, [field]: q[field] })
        .update(patch);
      if (res.updated === 1) cleared += 1;
    }
    report[colour] += cleared;
    if (due.length < PAGE || cleared === 0) return;
  }
  report.more = true;
}

/** Red first: a question past its limit is not also warned as nearly late. */
export async function sweepLedger(now: Date, deadline = Infinity): Promise<LedgerSweepReport> {
  const report: LedgerSweepReport = { yellow: 0, red: 0, messages: 0, more: false };
  await drain('red', now, deadline, report);
  await drain('yellow', now, deadline, report);
  return report;
}
