// One rating per household per month under a race (docs/property.md, "Rating"): many members of
// one verified household — and one member tapping many times — rate at once; exactly one rating is
// stored, every other caller is told their household has rated. Two workers publishing one month
// at once: one grade, one notice, one warning.
import { collection } from '../../cloudfunctions/common/db';
import { memberId, type MemberDoc } from '../../cloudfunctions/common/model';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, errorCode } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { all, propertyOf, RESIDENT, WORKER } from '../helpers/property';

const N = 12;
let cloud: LocalCloud;
let T: ReturnType<typeof propertyOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-05-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  T = propertyOf(cloud);
  // N family members of 孙伟's flat (2栋 301), every one verified.
  const base = (await collection('members').doc(memberId('demo', RESIDENT)).get()).data[0] as MemberDoc;
  for (let i = 0; i < N; i++) {
    const openid = `race-family-${i}`;
    await collection('members').add({ ...base, _id: memberId('demo', openid), openid, name: `家人${i}` });
    await collection('users').add({ _id: openid, currentCommunityId: 'demo', updatedAt: new Date() });
  }
  // A second worker, so that two can race to publish.
  await collection('members')
    .doc(memberId('demo', 'demo-volunteer-2'))
    .update({ roles: ['resident', 'volunteer', 'worker'] });
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

test(`${N} members of one household rate at once: one rating`, async () => {
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) => T.P(`race-family-${i}`, 'rate', { scores: all((i % 5) + 1) })),
  );
  const codes = results.map(errorCode);
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
  expect(codes.filter((c) => c === 'E_CONFLICT')).toHaveLength(N - 1);
  const stored = await collection('property_ratings').where({ communityId: 'demo', month: '2031-05' }).get();
  expect(stored.data).toHaveLength(1);
  // The household's other members see it as rated, not by them.
  const view = data(await T.P(RESIDENT, 'myRating', {}));
  expect(view).toMatchObject({ rated: true, byMe: false, mayRate: false });
});

test('one member tapping many times at once: one rating', async () => {
  const results = await Promise.all(Array.from({ length: N }, () => T.P('demo-resident-3', 'rate', { scores: all(4) })));
  expect(results.map(errorCode).filter((c) => c === 'OK')).toHaveLength(1);
  const stored = await collection('property_ratings').where({ communityId: 'demo', month: '2031-05' }).get();
  expect(stored.data).toHaveLength(2);
});

test('two workers publish one month at once: one grade, one notice', async () => {
  at('2031-06-01T08:00:00+08:00');
  const results = await Promise.all(
    [WORKER, 'demo-volunteer-2', WORKER, 'demo-volunteer-2'].map((w) => T.P(w, 'publish', { month: '2031-05' })),
  );
  expect(results.map(errorCode).sort()).toEqual(['E_CONFLICT', 'E_CONFLICT', 'E_CONFLICT', 'OK']);
  expect((await collection('property_grades').where({ communityId: 'demo' }).get()).data).toHaveLength(1);
  const notices = await collection('notices').where({ communityId: 'demo', category: '议事公示' }).limit(100).get();
  expect(notices.data.filter((n: { title: string }) => n.title.startsWith('2031年5月物业服务评级'))).toHaveLength(1);
});
