// Topics (议题, 线上议事) through the real affairs function: 民主协商五步工作法 from a resident's
// proposal to a decision published as a 议事公示 notice with read receipts and followed to done;
// the timeline, the messages to the proposer and seconders, the audit, the lights of the workers'
// steps, the year's 议事清单 and the list by status.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { AffairsApi, TopicDetail } from '../../cloudfunctions/affairs/api';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import { collection, findById } from '../../cloudfunctions/common/db';
import type { NoticeDoc } from '../../cloudfunctions/notices/model';
import { wallTime } from '../../miniprogram/shared/clock';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal, runTimer } from '../helpers/call';
import type { TopicDoc } from '../../cloudfunctions/affairs/topics-model';
import { forgetLimits } from '../helpers/limits';
import { at, CLOCK } from '../helpers/clock';
import { snapshot } from '../helpers/snapshot';
import { requestIdOf, topicIn } from '../helpers/topics';

let cloud: LocalCloud;
let affairs: ReturnType<typeof caller<AffairsApi>>;
let notices: ReturnType<typeof caller<NoticesApi>>;

const W = 'demo-worker';
const P = 'demo-resident-2'; // proposer
const S = 'demo-resident-3'; // seconder
const R = 'demo-resident-5';
const V = 'demo-volunteer-1';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  affairs = caller<AffairsApi>(cloud, 'affairs');
  notices = caller<NoticesApi>(cloud, 'notices');
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);
afterEach(() => jest.useRealTimers());

const MEETING = (topicId: string) => ({
  topicId,
  at: new Date(Date.now() + 86_400_000).toISOString(),
  place: '议事厅',
  invited: '楼组长',
});
const messagesOf = async (openid: string, type: string) =>
  (await collection('messages').where({ openid, type }).limit(1000).get()).data as { title: string; link: string }[];
const auditOf = async (topicId: string) =>
  (
    await collection('audit')
      .where({ target: `topic:${topicId}` })
      .orderBy('at', 'asc')
      .limit(100)
      .get()
  ).data as {
    what: string;
    actor: string;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
  }[];

describe('民主协商五步工作法, end to end', () => {
  test('proposed, seconded, listed, met, minuted, decided and published, followed to done', async () => {
    jest.useFakeTimers(CLOCK);
    at('2030-03-02T09:00:00+08:00');
    const proposed = data(
      await affairs(P, 'propose', {
        title: '3栋楼道加装声控灯',
        body: '晚上楼道太黑，老人上下楼不安全。',
        requestId: requestIdOf('e2e'),
      }),
    );
    expect(proposed).toMatchObject({ status: 'proposed', statusLabel: '征集中', stepsDone: 1, mine: true, secondCount: 0 });
    expect(proposed.proposerName).toMatch(/^2栋 .\*+$/); // a public name, never the full name
    const id = proposed._id;
    // 确定议题 is the workers' step: they are told.
    expect((await messagesOf(W, 'topic.proposed')).some((m) => m.link.endsWith(id))).toBe(true);

    expect(data(await affairs(S, 'second', { topicId: id }))).toEqual({ topicId: id, secondCount: 1, seconded: true });
    const comment = data(await affairs(R, 'comment', { topicId: id, text: '赞成，顺便修一下扶手', requestId: requestIdOf('c') }));
    expect(comment).toMatchObject({ text: '赞成，顺便修一下扶手', mine: true });
    expect(data(await affairs(S, 'getTopic', { topicId: id }))).toMatchObject({
      seconded: true,
      canSecond: false,
      commentCount: 1,
    });

    const listed = data(await affairs(W, 'acceptTopic', { topicId: id, note: '列入今年清单' }));
    expect(listed).toMatchObject({ status: 'listed', listText: '2030年议事清单第1项', stepsDone: 2 });
    const year = data(await affairs(R, 'listTopics', { year: 2030 }));
    expect(year.items.map((t) => t._id)).toEqual([id]);

    // The minutes wait for the meeting.
    const meeting = data(
      await affairs(W, 'scheduleMeeting', {
        topicId: id,
        at: '2030-03-05T19:00:00+08:00',
        place: '3栋楼下议事角',
        invited: '3栋楼组长、物业电工',
        inviteOpenids: [V],
      }),
    );
    expect(meeting).toMatchObject({ status: 'scheduled', meeting: { place: '3栋楼下议事角', invitedCount: 1 } });
    expect((await messagesOf(V, 'topic.meeting')).some((m) => m.link.endsWith(id))).toBe(true);
    const early = refusal(await affairs(W, 'postMinutes', { topicId: id, minutes: '同意' }));
    expect(early).toEqual({ code: 'E_CONFLICT', message: '议事会还没开，开完会再发布会议纪要' });

    at('2030-03-05T21:00:00+08:00');
    const minuted = data(await affairs(W, 'postMinutes', { topicId: id, minutes: '一致同意加装声控灯，由物业负责。' }));
    expect(minuted).toMatchObject({ status: 'discussed', stepsDone: 3, minutes: { text: '一致同意加装声控灯，由物业负责。' } });

    const decided = data(
      await affairs(W, 'decideTopic', { topicId: id, decision: '3栋 1–6 层加装声控灯', dueAt: '2030-04-05T18:00:00+08:00' }),
    );
    expect(decided).toMatchObject({ status: 'decided', stepsDone: 4, clock: { step: 'implement' } });
    expect(decided.decision!.dueAt).toBe(new Date('2030-04-05T18:00:00+08:00').toISOString());

    // The decision is a 议事公示 notice to everybody, with read receipts like any notice.
    const noticeId = decided.decision!.noticeId;
    const notice = await findById<NoticeDoc>('notices', noticeId);
    expect(notice).toMatchObject({
      category: '议事公示',
      status: 'published',
      audience: ['*'],
      title: '议事决议：3栋楼道加装声控灯',
    });
    expect(notice!.body).toContain('决议：3栋 1–6 层加装声控灯');
    expect(data(await notices(R, 'get', { noticeId }))).toMatchObject({ title: '议事决议：3栋楼道加装声控灯' });
    const stats = data(await notices(W, 'stats', { noticeId }));
    expect(stats.totals.read).toBe(1);

    const progress = data(await affairs(W, 'reportProgress', { topicId: id, note: '灯具已采购' }));
    expect(progress.status).toBe('decided');
    const done = data(await affairs(W, 'finishTopic', { topicId: id, note: '已安装并验收' }));
    expect(done).toMatchObject({ status: 'done', statusLabel: '已落实', stepsDone: 5, steps: [] });
    expect(done.clock).toBeUndefined();
    expect(done.timeline.map((e) => e.event)).toEqual([
      'propose',
      'accept',
      'schedule',
      'minutes',
      'decide',
      'progress',
      'finish',
    ]);

    // Every step told the proposer and the seconder, once each; the worker who acted, not.
    for (const who of [P, S]) expect((await messagesOf(who, 'topic.update')).filter((m) => m.link.endsWith(id))).toHaveLength(6);
    expect((await messagesOf(W, 'topic.update')).filter((m) => m.link.endsWith(id))).toHaveLength(0);

    const log = await auditOf(id);
    expect(log.map((e) => e.what)).toEqual([
      'affairs.propose',
      'affairs.second',
      'affairs.comment',
      'affairs.acceptTopic',
      'affairs.scheduleMeeting',
      'affairs.postMinutes',
      'affairs.decideTopic',
      'affairs.reportProgress',
      'affairs.finishTopic',
    ]);
    expect(log[3]).toMatchObject({ actor: W, before: { status: 'proposed' }, after: { status: 'listed' } });
    expect(
      await collection('audit')
        .where({ target: `notice:${noticeId}`, what: 'affairs.decideTopic' })
        .count(),
    ).toMatchObject({
      total: 1,
    });
  });

  test('declined with a reason: no more seconds or comments, the proposer is told why', async () => {
    const t = await topicIn(cloud, 'listed');
    const declined = data(await affairs(W, 'declineTopic', { topicId: t._id, reason: '属于业委会职责，已转交业委会' }));
    expect(declined).toMatchObject({ status: 'declined', declineReason: '属于业委会职责，已转交业委会', steps: [] });
    expect(refusal(await affairs(S, 'second', { topicId: t._id })).code).toBe('E_CONFLICT');
    expect(errorCode(await affairs(S, 'comment', { topicId: t._id, text: '可惜', requestId: requestIdOf('c') }))).toBe(
      'E_CONFLICT',
    );
    const told = (await messagesOf(P, 'topic.update')).filter((m) => m.link.endsWith(t._id));
    expect(told.map((m) => m.title)).toContain(`议题「${t.title}」未被采纳`);
    expect(errorCode(await affairs(W, 'acceptTopic', { topicId: t._id }))).toBe('E_CONFLICT');
  });

  test('a step that does not apply is refused with E_CONFLICT and changes nothing', async () => {
    const t = await topicIn(cloud, 'proposed');
    const before = await snapshot();
    expect(refusal(await affairs(W, 'postMinutes', { topicId: t._id, minutes: '同意' })).code).toBe('E_CONFLICT');
    expect(refusal(await affairs(W, 'finishTopic', { topicId: t._id, note: '完成' })).code).toBe('E_CONFLICT');
    expect(refusal(await affairs(W, 'scheduleMeeting', MEETING(t._id))).code).toBe('E_CONFLICT');
    expect(await snapshot()).toEqual(before);
    const listed = data(await affairs(W, 'acceptTopic', { topicId: t._id }));
    // Without minutes, only an owners' vote decides.
    const noVote = refusal(await affairs(W, 'decideTopic', { topicId: listed._id, decision: '同意' }));
    expect(noVote.code).toBe('E_CONFLICT');
    expect(noVote.message).toContain('业主表决');
  });
});

describe('the decision by an owners’ vote', () => {
  const OWNERS_1 = ['demo-worker', 'demo-volunteer-1', 'demo-resident-1']; // 1栋's owners in the demo register
  let n = 0;
  /** A vote of 1栋's owners on the topic, everyone casting `choice`, counted and closed. */
  async function voteOn(topicId: string, choice?: 'yes' | 'no') {
    await forgetLimits();
    const vote = data(
      await affairs(W, 'openVote', {
        title: `东门充电桩表决${++n}`,
        body: '是否在东门空地加装充电桩',
        matter: 'ordinary',
        buildings: ['1栋'],
        closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        requestId: requestIdOf('vote'),
        topicId,
      }),
    );
    if (!choice) return vote._id;
    for (const o of OWNERS_1) data(await affairs(o, 'cast', { voteId: vote._id, choice }));
    data(await affairs(W, 'closeVote', { voteId: vote._id }));
    return vote._id;
  }

  test('a passed vote on the topic decides it without minutes; an open, failed or other vote is refused', async () => {
    const t = await topicIn(cloud, 'listed');
    const other = await topicIn(cloud, 'listed');
    const ask = (voteId: string) => affairs(W, 'decideTopic', { topicId: t._id, decision: '加装充电桩', voteId });
    expect(refusal(await ask(await voteOn(t._id))).code).toBe('E_CONFLICT'); // still open
    expect(refusal(await ask(await voteOn(t._id, 'no'))).message).toContain('没有通过');
    expect(refusal(await ask(await voteOn(other._id, 'yes'))).code).toBe('E_VALIDATION');
    await collection('votes').add({ _id: `vt-far-${t._id}`, communityId: 'heping', topicId: t._id, status: 'closed' });
    expect(refusal(await ask(`vt-far-${t._id}`))).toEqual(refusal(await ask('vt-no-such-vote')));

    const passed = await voteOn(t._id, 'yes');
    const decided = data(await ask(passed));
    expect(decided).toMatchObject({ status: 'decided', decision: { voteId: passed } });
    const notice = await findById<NoticeDoc>('notices', decided.decision!.noticeId);
    expect(notice!.body).toContain('经业主表决通过（表决：东门充电桩表决');
  });
});

describe('clocks and lights of the workers’ steps', () => {
  test('确定议题: green, yellow from 80 % of 7 days, red past them', async () => {
    jest.useFakeTimers(CLOCK);
    at('2030-05-01T08:00:00+08:00');
    const t = await topicIn(cloud, 'proposed', { fakeClock: true });
    expect(t).toMatchObject({ light: 'green', clock: { step: 'confirm', label: '确定议题' } });
    const light = async () => data(await affairs(R, 'getTopic', { topicId: t._id })).light;
    const day = 24 * 3_600_000;
    jest.setSystemTime(new Date('2030-05-01T08:00:00+08:00').getTime() + 5.6 * day - 1);
    expect(await light()).toBe('green');
    jest.setSystemTime(new Date('2030-05-01T08:00:00+08:00').getTime() + 5.6 * day);
    expect(await light()).toBe('yellow');
    jest.setSystemTime(new Date('2030-05-01T08:00:00+08:00').getTime() + 7 * day);
    expect(await light()).toBe('red');
    // The next step starts its own clock.
    const listed = data(await affairs(W, 'acceptTopic', { topicId: t._id }));
    expect(listed).toMatchObject({ light: 'green', clock: { step: 'schedule' } });
  });

  test('the timer tells the workers once when a step turns yellow, once when it turns red', async () => {
    jest.useFakeTimers(CLOCK);
    at('2030-07-01T08:00:00+08:00');
    const t = await topicIn(cloud, 'proposed', { fakeClock: true });
    const told = async () =>
      (
        (
          await collection('messages')
            .where({ openid: W, link: `/packages/affairs/topic/index?id=${t._id}` })
            .limit(100)
            .get()
        ).data as { type: string; title: string }[]
      ).filter((m) => m.type !== 'topic.proposed');
    const start = new Date('2030-07-01T08:00:00+08:00').getTime();
    jest.setSystemTime(start + 5.5 * 86_400_000);
    await runTimer(cloud);
    expect(await told()).toEqual([]);
    jest.setSystemTime(start + 5.7 * 86_400_000);
    expect((await runTimer(cloud)).topics.yellow).toBeGreaterThanOrEqual(1);
    await runTimer(cloud);
    expect((await told()).map((m) => [m.type, m.title])).toEqual([['topic.yellow', `议题「${t.title}」确定议题即将超时`]]);
    jest.setSystemTime(start + 7 * 86_400_000 + 60_000);
    await runTimer(cloud);
    await runTimer(cloud);
    expect((await told()).map((m) => m.type).sort()).toEqual(['topic.red', 'topic.yellow']);
    // The next step has a clock of its own, and a warning of its own when it runs late.
    const listed = data(await affairs(W, 'acceptTopic', { topicId: t._id }));
    expect((await findById<TopicDoc>('topics', listed._id))!.redDue).toEqual(new Date(listed.clock!.redAt));
  });

  test('the minutes clock runs from the meeting, 3 days', async () => {
    jest.useFakeTimers(CLOCK);
    at('2030-06-01T08:00:00+08:00');
    const t = await topicIn(cloud, 'scheduled', { fakeClock: true });
    const meetingAt = new Date(t.meeting!.at).getTime();
    expect(new Date(t.clock!.redAt).getTime()).toBe(meetingAt + 3 * 24 * 3_600_000);
    expect(t.light).toBe('green');
  });
});

describe('lists', () => {
  test('by status, 20 a page, newest change first', async () => {
    const made: TopicDetail[] = [];
    for (let i = 0; i < 21; i++) {
      await forgetLimits();
      made.push(data(await affairs(R, 'propose', { title: `分页议题${i}`, body: '内容', requestId: requestIdOf('page') })));
    }
    const first = data(await affairs(S, 'listTopics', { tab: 'collecting' }));
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    expect(first.items[0]._id).toBe(made[20]._id);
    const second = data(await affairs(S, 'listTopics', { tab: 'collecting', page: 2 }));
    expect(second.items.every((t) => t.status === 'proposed')).toBe(true);
    expect(new Set([...first.items, ...second.items].map((t) => t._id)).size).toBe(first.items.length + second.items.length);
    const mine = data(await affairs(R, 'listTopics', { mine: true }));
    expect(mine.items.slice(0, 20).map((t) => t._id)).toEqual(
      made
        .slice(1)
        .reverse()
        .map((t) => t._id),
    );
    const discussing = data(await affairs(S, 'listTopics', { tab: 'discussing' }));
    expect(discussing.items.every((t) => ['listed', 'scheduled', 'discussed'].includes(t.status))).toBe(true);
  });

  test('comments, newest first, 20 a page; the same request id posts once', async () => {
    const t = await topicIn(cloud, 'proposed');
    const rid = requestIdOf('same');
    const a = data(await affairs(S, 'comment', { topicId: t._id, text: '支持', requestId: rid }));
    const b = data(await affairs(S, 'comment', { topicId: t._id, text: '支持', requestId: rid }));
    expect(b._id).toBe(a._id);
    expect(refusal(await affairs(S, 'comment', { topicId: t._id, text: '反对', requestId: rid })).code).toBe('E_CONFLICT');
    for (let i = 0; i < 20; i++) await affairs(R, 'comment', { topicId: t._id, text: `意见${i}`, requestId: requestIdOf('cm') });
    const page1 = data(await affairs(P, 'listComments', { topicId: t._id }));
    expect(page1).toMatchObject({ page: 1, hasMore: true });
    expect(page1.items[0].text).toBe('意见19');
    const page2 = data(await affairs(P, 'listComments', { topicId: t._id, page: 2 }));
    expect(page2.items.map((c) => c.text)).toEqual(['支持']);
    expect(data(await affairs(P, 'getTopic', { topicId: t._id })).commentCount).toBe(21);
  });

  test('the list number follows the community year', async () => {
    const t = await topicIn(cloud, 'listed');
    expect(t.listText).toMatch(new RegExp(`^${wallTime(new Date()).year}年议事清单第\\d+项$`));
  });
});
