// The timer's part for topics (亮灯预警 of 线上议事): a worker step turning yellow or red tells the
// community's workers, once per step clock and colour. Each topic keeps `yellowDue` / `redDue`
// (the clock's instants, set with it); common/light-sweep.ts reads and clears them — a step
// taken meanwhile has set a new clock, kept as is.
import { sweepLights, type Colour, type LightSweepReport } from '../common/light-sweep';
import type { Notice } from '../common/notify';
import { longDateTime } from '../../miniprogram/shared/clock';
import { TOPIC_CLOCK_LABELS } from '../../miniprogram/shared/topic-labels';
import { TOPICS, type TopicDoc } from './topics-model';
import { topicLink, workersOf } from './topics-store';

export type TopicsSweepReport = LightSweepReport;

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

export const sweepTopics = (now: Date, deadline = Infinity): Promise<TopicsSweepReport> =>
  sweepLights<TopicDoc>({ collection: TOPICS, workersOf, message }, now, deadline);
