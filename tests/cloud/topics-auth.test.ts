// The authorization table of topics (议题): every topic action × the proposer, another resident, a
// volunteer, a worker, a non-member, members of the other community and no identity. Residents'
// actions are open to every active member; the steps of 民主协商五步工作法 after 征集议题 are
// the workers'; another community's topic does not exist for anyone. A refused call writes nothing.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { TopicsApi, TopicStatus } from '../../cloudfunctions/affairs/api';
import type { ErrorCode } from '../../cloudfunctions/common/envelope';
import { startTestCloud } from '../helpers/local';
import { errorCode } from '../helpers/call';
import { WriteWatch } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';
import { CLOCK } from '../helpers/clock';
import { PROPOSER, requestIdOf, topicIn } from '../helpers/topics';
import { topicSchemas } from '../../cloudfunctions/affairs/api-topics';

let cloud: LocalCloud;

const CALLERS = {
  proposer: PROPOSER,
  resident: 'demo-resident-5',
  volunteer: 'demo-volunteer-2',
  worker: 'demo-worker',
  nonMember: 'nobody-at-all',
  otherResident: 'other-resident',
  otherWorker: 'other-worker',
  anonymous: undefined,
} as const;
type Who = keyof typeof CALLERS;
type Expect = ErrorCode | 'OK';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);
const watch = new WriteWatch(() => cloud.dataDir);

const ALL = (e: Expect, over: Partial<Record<Who, Expect>> = {}): Record<Who, Expect> => ({
  proposer: e,
  resident: e,
  volunteer: e,
  worker: e,
  nonMember: 'E_NOT_MEMBER',
  otherResident: e,
  otherWorker: e,
  anonymous: 'E_UNAUTHENTICATED',
  ...over,
});
/** Any member of the community; the other community's do not see the topic. */
const MEMBERS = ALL('OK', { otherResident: 'E_NOT_FOUND', otherWorker: 'E_NOT_FOUND' });
const WORKER_ONLY = ALL('E_FORBIDDEN', { worker: 'OK', otherWorker: 'E_NOT_FOUND' });

interface Row {
  action: keyof TopicsApi;
  /** The topic the call is about: a fresh one in this status for every successful call. */
  state?: Exclude<TopicStatus, 'declined'>;
  payload: (topicId: string) => object;
  expect: Record<Who, Expect>;
}

const soon = () => new Date(Date.now() + 86_400_000).toISOString();

const ROWS: Row[] = [
  {
    action: 'propose',
    payload: () => ({ title: '加装充电桩', body: '楼道充电不安全', requestId: requestIdOf('auth') }),
    expect: ALL('OK'),
  },
  { action: 'listTopics', payload: () => ({}), expect: ALL('OK') },
  { action: 'getTopic', state: 'proposed', payload: (topicId) => ({ topicId }), expect: MEMBERS },
  { action: 'listComments', state: 'proposed', payload: (topicId) => ({ topicId }), expect: MEMBERS },
  {
    action: 'comment',
    state: 'proposed',
    payload: (topicId) => ({ topicId, text: '赞成', requestId: requestIdOf('auth-c') }),
    expect: MEMBERS,
  },
  { action: 'second', state: 'proposed', payload: (topicId) => ({ topicId }), expect: { ...MEMBERS, proposer: 'E_FORBIDDEN' } },
  { action: 'acceptTopic', state: 'proposed', payload: (topicId) => ({ topicId }), expect: WORKER_ONLY },
  {
    action: 'declineTopic',
    state: 'proposed',
    payload: (topicId) => ({ topicId, reason: '不属于社区事务' }),
    expect: WORKER_ONLY,
  },
  {
    action: 'scheduleMeeting',
    state: 'listed',
    payload: (topicId) => ({ topicId, at: soon(), place: '议事厅', invited: '楼组长' }),
    expect: WORKER_ONLY,
  },
  { action: 'postMinutes', state: 'scheduled', payload: (topicId) => ({ topicId, minutes: '同意' }), expect: WORKER_ONLY },
  { action: 'decideTopic', state: 'discussed', payload: (topicId) => ({ topicId, decision: '加装' }), expect: WORKER_ONLY },
  { action: 'reportProgress', state: 'decided', payload: (topicId) => ({ topicId, note: '已进场' }), expect: WORKER_ONLY },
  { action: 'finishTopic', state: 'decided', payload: (topicId) => ({ topicId, note: '已完工' }), expect: WORKER_ONLY },
];

it('the table covers every topic action', () => {
  expect([...new Set(ROWS.map((r) => r.action))].sort()).toEqual(Object.keys(topicSchemas).sort());
});

describe.each(ROWS.map((r) => [r.action, r] as const))('%s', (_label, row) => {
  let shared = '';
  beforeAll(async () => {
    if (row.state) shared = (await topicIn(cloud, row.state))._id;
  });

  for (const who of Object.keys(CALLERS) as Who[]) {
    const want = row.expect[who];
    it(`as ${who} → ${want}`, async () => {
      const openid = CALLERS[who];
      if (want === 'OK') {
        // Reads and seconds may share the topic; a worker's step needs one of its own.
        const topic = row.state && row.expect === WORKER_ONLY ? await topicIn(cloud, row.state) : undefined;
        const topicId = topic?._id ?? shared;
        // The minutes wait for the meeting: the clock moves past it (Date only).
        if (topic?.meeting) {
          jest.useFakeTimers(CLOCK);
          jest.setSystemTime(new Date(topic.meeting.at).getTime() + 3_600_000);
        }
        try {
          const res = await cloud.invoke('affairs', { action: row.action, payload: row.payload(topicId) }, openid);
          expect(errorCode(res)).toBe('OK');
        } finally {
          jest.useRealTimers();
        }
        return;
      }
      const before = await watch.before();
      const res = await cloud.invoke('affairs', { action: row.action, payload: row.payload(shared) }, openid);
      expect(errorCode(res)).toBe(want);
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await watch.written(before)).toEqual([]);
    });
  }
});
