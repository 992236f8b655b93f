// 长辈模式 (docs/elder-mode.md): the member's setting, its default from the tags, who may switch it
// for whom. Through the real member function on a fresh local cloud.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { collection } from '../../cloudfunctions/common/db';
import { elderOn } from '../../cloudfunctions/common/elder-mode';
import { isElder } from '../../miniprogram/utils/elder';
import { startTestCloud } from '../helpers/local';
import { caller, data, refusal } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let member: ReturnType<typeof caller<MemberApi>>;

const WORKER = 'demo-worker';
const R1 = 'demo-resident-1'; // 赵秀兰, 独居老人 高龄
const R2 = 'demo-resident-2'; // 孙伟, 2栋 301, verified
const R3 = 'demo-resident-3';
const DAUGHTER = 'elder-daughter';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  member = caller<MemberApi>(cloud, 'member');
  // 孙伟's daughter joins his room and he confirms her: a verified household.
  data(await member(DAUGHTER, 'join', { inviteCode: 'DEMOAUTO', name: '孙小梅', room: '301' }));
  data(await member(R2, 'confirmHousehold', { openid: DAUGHTER, confirm: true }));
});
afterAll(() => cloud.close());

const me = async (openid: string) => data(await member(openid, 'me', {}))!;

test('the default: on for 高龄 and for 独居老人, off for everyone else', async () => {
  expect(elderOn({ tags: ['高龄'] })).toBe(true);
  expect(elderOn({ tags: ['独居老人'] })).toBe(true);
  expect(elderOn({ tags: ['残疾', '低保'] })).toBe(false);
  expect(elderOn({ tags: ['高龄'], elderMode: 'off' })).toBe(false);
  expect(elderOn({ tags: [], elderMode: 'on' })).toBe(true);
  const zhao = await me(R1);
  expect([zhao.elderMode, zhao.elder, isElder(zhao)]).toEqual(['auto', true, true]);
  const sun = await me(R2);
  expect([sun.elderMode, sun.elder, isElder(sun)]).toEqual(['auto', false, false]);
});

test('a member switches it for themself: off overrides the tag, auto goes back to the tag', async () => {
  const off = data(await member(R1, 'setElderMode', { mode: 'off' }));
  expect([off.elderMode, off.elder]).toEqual(['off', false]);
  expect((await me(R1)).elder).toBe(false);
  data(await member(R1, 'setElderMode', { mode: 'auto' }));
  expect((await me(R1)).elder).toBe(true);
  data(await member(R3, 'setElderMode', { mode: 'on' }));
  expect((await me(R3)).elder).toBe(true);
  data(await member(R3, 'setElderMode', { mode: 'auto' }));
});

test('a worker switches it for a member, and the audit log says who did', async () => {
  const before = await me(R2);
  const view = data(await member(WORKER, 'setElderMode', { openid: R2, mode: 'on', version: before.version }));
  expect(view.elder).toBe(true);
  expect((await me(R2)).elder).toBe(true);
  const entries = (
    await collection('audit')
      .where({ target: `member:demo:${R2}`, what: 'member.setElderMode' })
      .limit(10)
      .get()
  ).data as { actor: string; after: { elderMode: string } }[];
  expect(entries.map((e) => [e.actor, e.after.elderMode])).toContainEqual([WORKER, 'on']);
  // The page's version is stale now: a conflict, nothing overwritten.
  expect(refusal(await member(WORKER, 'setElderMode', { openid: R2, mode: 'off', version: before.version })).code).toBe(
    'E_CONFLICT',
  );
  data(await member(WORKER, 'setElderMode', { openid: R2, mode: 'auto' }));
});

test('a verified member of the household switches it for their family', async () => {
  data(await member(DAUGHTER, 'setElderMode', { openid: R2, mode: 'on' }));
  expect((await me(R2)).elderMode).toBe('on');
  data(await member(DAUGHTER, 'setElderMode', { openid: R2, mode: 'auto' }));
});

test('anyone else: the member does not exist for them, and nothing is written', async () => {
  const before = await snapshot();
  const missing = refusal(await member(R3, 'setElderMode', { openid: 'no-such-member', mode: 'on' }));
  const stranger = refusal(await member(R3, 'setElderMode', { openid: R1, mode: 'on' }));
  const otherCommunity = refusal(await member('other-worker', 'setElderMode', { openid: R1, mode: 'on' }));
  expect(stranger).toEqual(missing);
  expect(otherCommunity).toEqual(missing);
  expect(missing.code).toBe('E_NOT_FOUND');
  expect(refusal(await member(R3, 'setElderMode', { mode: 'big' } as never)).code).toBe('E_VALIDATION');
  expect(refusal(await member('no-member-at-all', 'setElderMode', { mode: 'on' })).code).toBe('E_NOT_MEMBER');
  expect(await snapshot()).toEqual(before);
});
