// Topics under concurrency and hostile input: many 附议 from one person count once, many people
// at once all count; a repeated proposal makes one topic; racing workers move a topic once (one
// list number, one decision notice); bad input is refused and writes nothing.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { collection, findById } from '../../cloudfunctions/common/db';
import type { TopicDoc } from '../../cloudfunctions/affairs/topics-model';
import { startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { snapshot } from '../helpers/snapshot';
import { wallTime } from '../../miniprogram/shared/clock';
import { requestIdOf, topicIn } from '../helpers/topics';

let cloud: LocalCloud;
let affairs: ReturnType<typeof caller<AffairsApi>>;
let member: ReturnType<typeof caller<MemberApi>>;

const W = 'demo-worker';
const S = 'demo-resident-3';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  affairs = caller<AffairsApi>(cloud, 'affairs');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);

const seconds = async (topicId: string) =>
  (await collection('topic_seconds').where({ topicId }).limit(1000).get()).data as { openid: string }[];

/** People who join through an auto-approving invite (30 calls at a time on this 2-core machine). */
async function joinMany(prefix: string, n: number): Promise<string[]> {
  const invite = data(await member(W, 'createInvite', { building: '4栋', autoApprove: true }));
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  for (let from = 0; from < n; from += 30) {
    await Promise.all(
      ids
        .slice(from, from + 30)
        .map((openid, k) =>
          member(openid, 'join', { inviteCode: invite.inviteCode, name: `住户${from + k}`, room: `${600 + from + k}` }).then(
            data,
          ),
        ),
    );
  }
  return ids;
}

describe('附议 races', () => {
  test('twenty taps of one person at once count once', async () => {
    const t = await topicIn(cloud, 'proposed');
    const results = await Promise.all(Array.from({ length: 20 }, () => affairs(S, 'second', { topicId: t._id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map(errorCode)).toEqual(Array(19).fill('E_CONFLICT'));
    expect(await seconds(t._id)).toHaveLength(1);
    expect((await findById<TopicDoc>('topics', t._id))!.secondCount).toBe(1);
    expect(refusal(await affairs(S, 'second', { topicId: t._id })).message).toBe('你已经附议过这个议题了');
  });

  test('sixty people at once all count, and every one of them hears of the next step', async () => {
    const t = await topicIn(cloud, 'proposed');
    const people = await joinMany('seconder', 60);
    const results = await Promise.all(people.map((o) => affairs(o, 'second', { topicId: t._id })));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect((await seconds(t._id)).map((d) => d.openid).sort()).toEqual([...people].sort());
    expect(data(await affairs(S, 'getTopic', { topicId: t._id })).secondCount).toBe(60);
    await affairs(W, 'acceptTopic', { topicId: t._id });
    const told = await collection('messages')
      .where({ type: 'topic.update', link: `/packages/affairs/topic/index?id=${t._id}` })
      .limit(1000)
      .get();
    const to = (told.data as { openid: string }[]).map((m) => m.openid);
    expect(to.sort()).toEqual([...people, 'demo-resident-2'].sort());
  }, 120_000); // 60 joins and 60 seconds: minutes on a loaded 2-core machine

  test("one's own topic cannot be seconded", async () => {
    const t = await topicIn(cloud, 'proposed');
    expect(refusal(await affairs('demo-resident-2', 'second', { topicId: t._id }))).toEqual({
      code: 'E_FORBIDDEN',
      message: '不能附议自己提出的议题',
    });
    expect(await seconds(t._id)).toHaveLength(0);
  });
});

describe('racing writes', () => {
  test('ten repeats of one proposal make one topic', async () => {
    const payload = { title: '快递柜加装雨棚', body: '下雨天取快递会淋湿。', requestId: requestIdOf('twice') };
    const results = await Promise.all(Array.from({ length: 10 }, () => affairs(S, 'propose', payload)));
    const ids = new Set(results.map((r) => data(r)._id));
    expect(ids.size).toBe(1);
    expect(
      await collection('topics')
        .where({ _id: [...ids][0] })
        .count(),
    ).toMatchObject({ total: 1 });
    const other = refusal(await affairs(S, 'propose', { ...payload, body: '另一件事' }));
    expect(other.code).toBe('E_CONFLICT');
  });

  test('five acceptances at once: one wins, one list number is taken', async () => {
    const t = await topicIn(cloud, 'proposed');
    const listId = `demo:${wallTime(new Date()).year}`;
    const before = (await findById<{ count: number }>('topic_lists', listId))?.count ?? 0;
    const results = await Promise.all(Array.from({ length: 5 }, () => affairs(W, 'acceptTopic', { topicId: t._id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map(errorCode)).toEqual(Array(4).fill('E_CONFLICT'));
    const after = await findById<{ count: number }>('topic_lists', listId);
    expect(after!.count - before).toBe(1);
    expect((await findById<TopicDoc>('topics', t._id))!.listNo).toBe(after!.count);
  });

  test('five decisions at once: one decision, one notice', async () => {
    const t = await topicIn(cloud, 'discussed');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => affairs(W, 'decideTopic', { topicId: t._id, decision: `决议文本${i}` })),
    );
    const won = results.filter((r) => r.ok).map(data);
    expect(won).toHaveLength(1);
    const notices = (await collection('notices').where({ _id: won[0].decision!.noticeId }).get()).data as { body: string }[];
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toContain(won[0].decision!.text);
  });
});

describe('bad input is refused and writes nothing', () => {
  const base = { title: '加装充电桩', body: '楼道充电不安全', requestId: 'bad-input-0001' };
  test.each([
    ['an empty title', { ...base, title: '   ' }, 'E_VALIDATION'],
    ['a title of 41 characters', { ...base, title: '长'.repeat(41) }, 'E_VALIDATION'],
    ['a body of 1001 characters', { ...base, body: '长'.repeat(1001) }, 'E_VALIDATION'],
    ['no request id', { title: base.title, body: base.body }, 'E_VALIDATION'],
    ['an unknown field', { ...base, status: 'decided' }, 'E_VALIDATION'],
    ['a picture that was never uploaded', { ...base, images: ['https://example.com/a.png'] }, 'E_VALIDATION'],
    ['ten pictures', { ...base, images: Array(10).fill('cloud://x/uploads/a/topic/abcdefgh.png') }, 'E_VALIDATION'],
  ])('propose with %s', async (_, payload, code) => {
    const before = await snapshot();
    expect(errorCode(await cloud.invoke('affairs', { action: 'propose', payload }, S))).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  test("another member's upload cannot be attached", async () => {
    const theirs = await uploadAs(cloud, 'demo-resident-4', 'affairs');
    const before = await snapshot();
    const res = await affairs(S, 'propose', { ...base, requestId: requestIdOf('pic'), images: [theirs] });
    expect(refusal(res).code).toBe('E_FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  test('a meeting in the past, or one inviting a stranger, is refused', async () => {
    const t = await topicIn(cloud, 'listed');
    const meeting = { topicId: t._id, place: '议事厅', invited: '楼组长' };
    const before = await snapshot();
    const past = refusal(await affairs(W, 'scheduleMeeting', { ...meeting, at: '2020-01-01T19:00:00+08:00' }));
    expect(past).toEqual({ code: 'E_VALIDATION', message: '议事会时间要晚于现在，请重新选择' });
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const stranger = await affairs(W, 'scheduleMeeting', { ...meeting, at: soon, inviteOpenids: ['other-resident'] });
    expect(refusal(stranger).code).toBe('E_VALIDATION');
    expect(await snapshot()).toEqual(before);
  });
});
