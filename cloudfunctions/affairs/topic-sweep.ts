// The timer's part for topics (亮灯预警 of 线上议事): a worker step turning yellow or red tells the
// community's workers, once per step clock and colour. Each topic keeps `yellowDue` / `redDue`
// (the clock's instants, set with it); the sweep reads the due ones by index, sends the messages
// of a page in one batch (keyed: a repeated run sends nothing twice), then clears each marker
// only if it is still the one it read — a step taken meanwhile has set a new clock, kept as is.
// Markers are bookkeeping, not the topic's state: its version does not move.
import { cmd, collection, getAll } from '../common/db';
import { notifyMany, type Notice } from '../common/notify';
import { longDateTime } from '../../miniprogram/shared/clock';
import { TOPIC_CLOCK_LABELS } from '../../miniprogram/shared/topic-labels';
import { TOPICS, type TopicDoc } from './topics-model';
import { topicLink, workersOf } from './topics-store';

const PAGE = 100;
const MAX_PAGES = 20;

export interface TopicsSweepReport {
  yellow: number;
  red: number;
  messages: number;
  more: boolean;
}

type Colour = 'yellow' | 'red';
const FIELD = { yellow: 'yellowDue', red: 'redDue' } as const;

function message(t: TopicDoc, colour: Colour, to: string[]): Notice {
  const step = t.clock ? TOPIC_CLOCK_LABELS[t.clock] : '办理';
  const stamp = new Date(t.clockStartedAt ?? t.updatedAt).getTime();
  return {
    communityId: t.communityId,
    to,
    msg: {
      type: colour === 'red' ? 'topic.red' : 'topic.yellow',
      title: colour === 'red' ? `议题「${t.title}」${step}已超时` : `议题「${t.title}」${step}即将超时`,
      body: t.redAt ? `时限：${longDateTime(t.redAt)}` : '',
      link: topicLink(t._id),
      key: `topic:${t._id}:${t.clock}:${stamp}:${colour}`,
    },
  };
}

async function drain(colour: Colour, now: Date, deadline: number, report: TopicsSweepReport): Promise<void> {
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
    const due = await getAll<TopicDoc>(
      collection(TOPICS)
        .where({ [field]: cmd().lte(now) })
        .orderBy(field, 'asc')
        .limit(PAGE),
    );
    const notices: Notice[] = [];
    for (const t of due) {
      const to = await staff(t.communityId);
      if (to.length) notices.push(message(t, colour, to));
    }
    report.messages += await notifyMany(notices, now);
    let cleared = 0;
    for (const t of due) {
      // A red step no longer needs its yellow warning.
      const patch = colour === 'red' ? { redDue: null, yellowDue: null } : { yellowDue: null };
      const res = await collection(TOPICS)
        .where({ _id: t._id, [field]: t[field] })
        .update(patch);
      if (res.updated === 1) cleared += 1;
    }
    report[colour] += cleared;
    if (due.length < PAGE || cleared === 0) return;
  }
  report.more = true;
}

/** Red first: a step past its limit is not also warned as nearly late. */
export async function sweepTopics(now: Date, deadline = Infinity): Promise<TopicsSweepReport> {
  const report: TopicsSweepReport = { yellow: 0, red: 0, messages: 0, more: false };
  await drain('red', now, deadline, report);
  await drain('yellow', now, deadline, report);
  return report;
}
