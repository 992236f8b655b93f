// Races (issue 15, point 5): many concurrent ballots from one owner count once; many owners at once
// all count; co-owners and a proxy racing for one household make one ballot; a proxy racing past
// the limit gets exactly the limit; a repeated open makes one vote; households answer once.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { MAX_PROXY_BALLOTS } from '../../cloudfunctions/affairs/model-votes';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud, uploadAs, fixturePicture } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { equalParts, inAWeek, stageCommunity } from '../helpers/affairs';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<AffairsApi>>;
beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<AffairsApi>(cloud, 'affairs');
}, 30_000);
afterAll(() => cloud.close());
beforeEach(forgetLimits);

const ballots = async (voteId: string) => (await collection('ballots').where({ voteId }).count()).total;
const openIn = async (worker: string, requestId: string) =>
  data(await call(worker, 'openVote', { title: '表决', body: '说明', matter: 'ordinary', closesAt: inAWeek(), requestId }));

test('30 concurrent casts by one owner, with different choices, make one ballot', async () => {
  const stage = await stageCommunity('race1', equalParts('r1', 3));
  const vote = await openIn(stage.worker, 'race1-vote');
  const choices = ['yes', 'no', 'abstain'] as const;
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) => call('r1-1', 'cast', { voteId: vote._id, choice: choices[i % 3] })),
  );
  const ok = answers.filter((a) => a.ok).map((a) => (a.ok ? a.data.receipt : ''));
  expect(answers.every((a) => a.ok || errorCode(a) === 'E_CONFLICT')).toBe(true);
  expect(new Set(ok).size).toBe(1); // every success is the one ballot's receipt (retries of the same choice)
  expect(await ballots(vote._id)).toBe(1);
  const t = data(await call(stage.worker, 'tally', { voteId: vote._id }));
  expect(t.participated).toEqual({ owners: 1, area: 10000 });
});

test('60 owners casting at once all count', async () => {
  const stage = await stageCommunity('race2', equalParts('r2', 60, '88.88'));
  const vote = await openIn(stage.worker, 'race2-vote');
  const answers = await Promise.all(
    stage.owners.map((o, i) => call(o, 'cast', { voteId: vote._id, choice: i % 4 === 0 ? 'no' : 'yes' })),
  );
  expect(answers.filter((a) => !a.ok)).toEqual([]);
  expect(new Set(answers.map((a) => (a.ok ? a.data.receipt : ''))).size).toBe(60);
  const t = data(await call(stage.worker, 'tally', { voteId: vote._id }));
  expect(t).toMatchObject({
    eligible: { owners: 60, area: 60 * 8888 },
    participated: { owners: 60, area: 60 * 8888 },
    yes: { owners: 45, area: 45 * 8888 },
    no: { owners: 15, area: 15 * 8888 },
    quorumMet: true,
    passed: true,
  });
});

test('co-owners and a proxy racing for one household make one ballot', async () => {
  const stage = await stageCommunity('race3', equalParts('r3', 3), { tenants: 2 });
  for (const t of stage.tenants) data(await call(stage.worker, 'verifyOwner', { partId: stage.partIds[0], openid: t }));
  const vote = await openIn(stage.worker, 'race3-vote');
  const pic = await uploadAs(cloud, 'r3-2', 'affairs', fixturePicture('done.png'));
  const answers = await Promise.all([
    ...Array.from({ length: 5 }, () => call('r3-1', 'cast', { voteId: vote._id, choice: 'yes' })),
    ...stage.tenants.flatMap((t) => Array.from({ length: 5 }, () => call(t, 'cast', { voteId: vote._id, choice: 'no' }))),
    ...Array.from({ length: 5 }, () =>
      call('r3-2', 'castProxy', { voteId: vote._id, partId: stage.partIds[0], choice: 'abstain', authorization: pic }),
    ),
  ]);
  expect(answers.every((a) => a.ok || errorCode(a) === 'E_CONFLICT')).toBe(true);
  expect(await ballots(vote._id)).toBe(1);
  // The proxy holds a place only if its ballot won.
  const [ballot] = (await collection('ballots').where({ voteId: vote._id }).get()).data as { proxy: boolean }[];
  const slots = (await collection('proxy_slots').where({ voteId: vote._id }).count()).total;
  expect(slots).toBe(ballot.proxy ? 1 : 0);
});

test('one proxy racing for six households gets exactly the limit', async () => {
  const stage = await stageCommunity('race4', equalParts('r4', 8));
  const vote = await openIn(stage.worker, 'race4-vote');
  const pic = await uploadAs(cloud, 'r4-1', 'affairs', fixturePicture('done.png'));
  const answers = await Promise.all(
    [1, 2, 3, 4, 5, 6].map((i) =>
      call('r4-1', 'castProxy', { voteId: vote._id, partId: stage.partIds[i], choice: 'yes', authorization: pic }),
    ),
  );
  expect(answers.filter((a) => a.ok)).toHaveLength(MAX_PROXY_BALLOTS);
  expect(answers.filter((a) => !a.ok).map(errorCode)).toEqual(Array(6 - MAX_PROXY_BALLOTS).fill('E_CONFLICT'));
  expect(await ballots(vote._id)).toBe(MAX_PROXY_BALLOTS);
});

test('ten concurrent opens with one request id make one vote and one roll', async () => {
  const stage = await stageCommunity('race5', equalParts('r5', 4));
  const body = { title: '表决', body: '说明', matter: 'major' as const, closesAt: inAWeek(), requestId: 'race5-vote' };
  const answers = await Promise.all(Array.from({ length: 10 }, () => call(stage.worker, 'openVote', body)));
  const ids = new Set(answers.map((a) => (a.ok ? a.data._id : errorCode(a))));
  expect(ids.size).toBe(1);
  const [voteId] = [...ids];
  expect((await collection('votes').where({ _id: voteId }).count()).total).toBe(1);
  expect((await collection('vote_groups').where({ voteId }).count()).total).toBe(4);
  expect(
    (
      await collection('notices')
        .where({ _id: `n${voteId}a` })
        .count()
    ).total,
  ).toBe(1);
});

test('a household answers a consultation once, whoever of it answers and however often', async () => {
  const stage = await stageCommunity('race6', equalParts('r6', 3), { tenants: 3 }); // tenants live in 1栋 101 with r6-1
  const c = data(
    await call(stage.worker, 'createConsult', {
      title: '加装充电桩',
      body: '是否在地面车位加装充电桩？',
      options: ['赞成', '不赞成', '无所谓'],
      closesAt: inAWeek(),
      requestId: 'race6-consult',
    }),
  );
  const home = ['r6-1', ...stage.tenants];
  const answers = await Promise.all(
    home.flatMap((who) => [0, 1].map((option) => call(who, 'answerConsult', { consultId: c._id, option }))),
  );
  expect(answers.filter((a) => a.ok).length).toBeGreaterThan(0);
  expect(answers.every((a) => a.ok || errorCode(a) === 'E_CONFLICT')).toBe(true);
  await Promise.all(['r6-2', 'r6-3'].map((o) => call(o, 'answerConsult', { consultId: c._id, option: 2 })));
  const detail = data(await call('r6-2', 'getConsult', { consultId: c._id }));
  expect(detail.answered).toBe(3);
  expect(detail.options.map((o) => o.count).reduce((a, b) => a + b)).toBe(3);
  expect(detail.options[2].count).toBe(2);
  expect(detail).toMatchObject({ myOption: 2, canAnswer: false });
});
