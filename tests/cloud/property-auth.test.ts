// Who may do what in 评星定级 (docs/property.md, "Who may do what"): residents, volunteers and the
// company's own staff cannot do workers' actions; another community sees nothing of this one's
// company, ratings, grades or warnings; a refusal writes nothing.
import { collection } from '../../cloudfunctions/common/db';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, errorCode, invokeAs } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { all, OTHER_RESIDENT, OTHER_WORKER, propertyOf, RESIDENT, STAFF, WORKER } from '../helpers/property';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let T: ReturnType<typeof propertyOf>;
let warningId = '';

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-05-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  T = propertyOf(cloud);
  await T.served(RESIDENT, 'demo:property-complaint');
  data(await T.P(RESIDENT, 'rate', { scores: all(1) }));
  at('2031-06-02T10:00:00+08:00');
  warningId = data(await T.P(WORKER, 'publish', { month: '2031-05' })).warningId!;
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

const WORKER_ACTIONS = (): [string, object][] => [
  ['saveCompany', { name: '别的物业', manager: '张三', dutyPhone: '13800000099' }],
  ['preview', { month: '2031-05' }],
  ['publish', { month: '2031-04' }],
  ['warnings', {}],
  ['recordTalk', { warningId, talkDate: '2031-06-03', attendees: '某人', summary: '约谈', outcome: 'resolved' }],
];

test.each([RESIDENT, 'demo-volunteer-1', STAFF])('%s cannot do a worker’s action, and nothing is written', async (who) => {
  for (const [action, payload] of WORKER_ACTIONS()) {
    const before = await snapshot();
    const res = await invokeAs(cloud, 'property', action as never, payload, who);
    expect({ action, code: errorCode(res) }).toEqual({ action, code: 'E_FORBIDDEN' });
    expect(await snapshot()).toEqual(before);
  }
});

test('a stranger is not a member; no identity is unauthenticated', async () => {
  expect(errorCode(await T.P('stranger-x', 'grade', {}))).toBe('E_NOT_MEMBER');
  expect(errorCode(await T.P(undefined, 'company', {}))).toBe('E_UNAUTHENTICATED');
});

test('the demo residents see their company, grade and credit file', async () => {
  expect(data(await T.P(RESIDENT, 'company', {})).company?.name).toBe('幸福物业服务有限公司');
  expect(data(await T.P(RESIDENT, 'grade', {})).grade?.month).toBe('2031-05');
  expect(data(await T.P(RESIDENT, 'credit', {})).items).toHaveLength(1);
});

test('another community sees nothing of this one', async () => {
  expect(data(await T.P(OTHER_RESIDENT, 'company', {}))).toEqual({ company: null });
  expect(data(await T.P(OTHER_RESIDENT, 'grade', {}))).toEqual({ grade: null });
  expect(data(await T.P(OTHER_RESIDENT, 'grade', { month: '2031-05' }))).toEqual({ grade: null });
  expect(data(await T.P(OTHER_RESIDENT, 'credit', {}))).toEqual({ items: [], page: 1, hasMore: false });
  expect(data(await T.P(OTHER_RESIDENT, 'myRating', {}))).toMatchObject({ rated: false, mayRate: false });
  expect(data(await T.P(OTHER_WORKER, 'warnings', {}))).toEqual({ items: [], page: 1, hasMore: false });
  const before = await snapshot();
  expect(errorCode(await T.P(OTHER_RESIDENT, 'rate', { scores: all(5) }))).toBe('E_NOT_FOUND');
  expect(errorCode(await T.P(OTHER_WORKER, 'preview', { month: '2031-05' }))).toBe('E_NOT_FOUND');
  expect(errorCode(await T.P(OTHER_WORKER, 'publish', { month: '2031-05' }))).toBe('E_NOT_FOUND');
  const talk = { warningId, talkDate: '2031-06-03', attendees: '何平', summary: '约谈', outcome: 'rectify' as const };
  expect(errorCode(await T.P(OTHER_WORKER, 'recordTalk', talk))).toBe('E_NOT_FOUND');
  expect(await snapshot()).toEqual(before);
  // Another community's members are not in this one's menu or hall either.
  const menu = data(await T.O(OTHER_RESIDENT, 'menu', {}));
  expect(menu.tiers.flatMap((t) => t.items).some((i) => i.servedBy === 'property')).toBe(false);
});

test('a member whose room is not verified cannot rate; a pending member is not a member', async () => {
  await collection('members')
    .doc('demo:demo-resident-4')
    .update({ household: { status: 'claimed' } });
  expect(errorCode(await T.P('demo-resident-4', 'rate', { scores: all(4) }))).toBe('E_FORBIDDEN');
  expect(data(await T.P('demo-resident-4', 'myRating', {}))).toMatchObject({ mayRate: false });
});

test('bad input is refused with a field a person can fix', async () => {
  const res = await invokeAs(cloud, 'property', 'rate', { scores: { ...all(4), fees: 6 } }, RESIDENT);
  expect(res).toMatchObject({ ok: false, error: { code: 'E_VALIDATION' } });
  expect(JSON.stringify(res)).toContain('收费透明');
});
