// Topics (议题) walked through the real affairs function to a given status, for tests that need a
// topic at some step of 民主协商五步工作法. The minutes need the meeting's time to have come: the
// walk moves the clock past it (fake Date only, timers keep running, tests/helpers/clock.ts) and,
// unless the test runs on a fake clock already, goes back to the real one.
import type { LocalCloud } from '../../local/cloud';
import type { TopicDetail, TopicStatus } from '../../cloudfunctions/affairs/api';
import { invokeData } from './call';
import { CLOCK } from './clock';
import { forgetLimits } from './limits';

export const PROPOSER = 'demo-resident-2';
export const WORKER = 'demo-worker';

let serial = 0;
export const requestIdOf = (tag: string): string => `${tag}-${Date.now().toString(36)}-${++serial}`;

const HOUR = 3_600_000;

export interface WalkOptions {
  proposer?: string;
  title?: string;
  /** The test has installed a fake clock (jest.useFakeTimers(CLOCK)): move it and leave it. */
  fakeClock?: boolean;
}

/** A new topic in `status` (any but declined: decline one yourself). */
export async function topicIn(
  cloud: LocalCloud,
  status: Exclude<TopicStatus, 'declined'>,
  opts: WalkOptions = {},
): Promise<TopicDetail> {
  await forgetLimits();
  const proposer = opts.proposer ?? PROPOSER;
  const call = <A extends string>(action: A, payload: object, openid = WORKER) =>
    invokeData(cloud, 'affairs', action as never, payload, openid) as unknown as Promise<TopicDetail>;
  let t = await call(
    'propose',
    {
      title: opts.title ?? '小区东门加装非机动车充电桩',
      body: '电动车在楼道充电不安全，建议在东门空地加装充电桩。',
      requestId: requestIdOf('walk'),
    },
    proposer,
  );
  if (status === 'proposed') return t;
  t = await call('acceptTopic', { topicId: t._id });
  if (status === 'listed') return t;
  const meetingAt = new Date(Date.now() + HOUR);
  t = await call('scheduleMeeting', {
    topicId: t._id,
    at: meetingAt.toISOString(),
    place: '社区党群服务中心二楼',
    invited: '楼组长、业委会代表、物业经理',
  });
  if (status === 'scheduled') return t;
  if (!opts.fakeClock) jest.useFakeTimers(CLOCK);
  jest.setSystemTime(new Date(meetingAt.getTime() + HOUR));
  try {
    t = await call('postMinutes', { topicId: t._id, minutes: '与会人员一致同意在东门空地加装充电桩，费用由物业先行垫付。' });
  } finally {
    if (!opts.fakeClock) jest.useRealTimers();
  }
  if (status === 'discussed') return t;
  t = await call('decideTopic', { topicId: t._id, decision: '在东门空地加装 10 个充电桩，一个月内完工。' });
  if (status === 'decided') return t;
  return call('finishTopic', { topicId: t._id, note: '充电桩已安装完毕并通电。' });
}
