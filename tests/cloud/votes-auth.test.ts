// Authorization table: every register, vote and consultation action × resident / volunteer /
// worker / tenant / pending member / non-member / no identity / the other community. Payloads are
// valid, so access (and, past it, the state) decides; every refusal writes nothing.
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { put } from '../../local/seed/community';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { partId } from '../../cloudfunctions/affairs/model-votes';
import { fixturePicture, startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { WriteWatch } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
const ids = { vote: '', consult: '' };
const pics: Record<string, string> = {};

type Who =
  | 'resident'
  | 'volunteer'
  | 'worker'
  | 'tenant'
  | 'pending member'
  | 'non-member'
  | 'no identity'
  | 'other resident'
  | 'other worker';
const OPENID: Record<Who, string | undefined> = {
  resident: 'demo-resident-5',
  volunteer: 'demo-volunteer-3',
  worker: 'demo-worker',
  tenant: 'auth-tenant',
  'pending member': 'applicant-v',
  'non-member': 'nobody-at-all',
  'no identity': undefined,
  'other resident': 'other-resident',
  'other worker': 'other-worker',
};
const WHO = Object.keys(OPENID) as Who[];
const FIXED: Partial<Record<Who, string>> = {
  'pending member': 'E_NOT_MEMBER',
  'non-member': 'E_NOT_MEMBER',
  'no identity': 'E_UNAUTHENTICATED',
};

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  const call = caller<AffairsApi>(cloud, 'affairs');
  const week = new Date(Date.now() + 7 * 86400_000).toISOString();
  ids.vote = data(
    await call('demo-worker', 'openVote', {
      title: '表决',
      body: '说明',
      matter: 'ordinary',
      closesAt: week,
      requestId: 'auth-vote-1',
    }),
  )._id;
  ids.consult = data(
    await call('demo-worker', 'createConsult', {
      title: '征询',
      body: '说明',
      options: ['好', '不好'],
      closesAt: week,
      requestId: 'auth-consult-1',
    }),
  )._id;
  // A tenant: an active, verified member living in 2栋 301, who owns nothing.
  const now = new Date();
  await put('members', {
    _id: 'demo:auth-tenant',
    communityId: 'demo',
    openid: 'auth-tenant',
    name: '租户',
    building: '2栋',
    room: '302',
    status: 'active',
    roles: ['resident'],
    tags: [],
    skills: [],
    onDuty: false,
    household: { status: 'verified', via: 'worker', at: now },
    joinedAt: now,
    updatedAt: now,
    version: 1,
  } as never);
  await put('users', { _id: 'auth-tenant', currentCommunityId: 'demo', updatedAt: now } as never);
  data(
    await caller<MemberApi>(cloud, 'member')('applicant-v', 'join', {
      inviteCode: DEMO_INVITES.pending,
      name: '新住户',
      building: '3栋',
      room: '909',
    }),
  );
  for (const who of WHO) if (OPENID[who]) pics[who] = await uploadAs(cloud, OPENID[who]!, 'affairs', fixturePicture('done.png'));
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);

const part = (building: string, room: string) => partId('demo', building, room);
/** Whose house each caller casts a proxy ballot for (all different). */
const PROXY_FOR: Partial<Record<Who, string>> = {
  resident: part('1栋', '102'),
  volunteer: part('2栋', '301'),
  worker: part('3栋', '402'),
  tenant: part('4栋', '103'),
};

const MEMBERS_OK = { resident: 'OK', volunteer: 'OK', worker: 'OK', tenant: 'OK', 'other resident': 'OK', 'other worker': 'OK' };
const WORKER_ONLY = {
  resident: 'E_FORBIDDEN',
  volunteer: 'E_FORBIDDEN',
  worker: 'OK',
  tenant: 'E_FORBIDDEN',
  'other resident': 'E_FORBIDDEN',
};
const IN_DEMO = { 'other resident': 'E_NOT_FOUND', 'other worker': 'E_NOT_FOUND' };
const NOT_YET = { resident: 'E_FORBIDDEN', volunteer: 'E_FORBIDDEN', worker: 'E_FORBIDDEN', tenant: 'E_FORBIDDEN', ...IN_DEMO };

const table: [keyof AffairsApi, (who: Who) => unknown, Partial<Record<Who, string>>][] = [
  [
    'importParts',
    () => ({ rows: [{ building: '1栋', room: '999', area: '50' }] }),
    { ...WORKER_ONLY, 'other worker': 'E_VALIDATION' },
  ],
  ['listParts', () => ({}), { ...WORKER_ONLY, 'other worker': 'OK' }],
  [
    'verifyOwner',
    () => ({ partId: part('1栋', '101'), openid: 'demo-resident-1' }),
    { ...WORKER_ONLY, 'other worker': 'E_NOT_FOUND' },
  ],
  [
    'removeOwner',
    () => ({ partId: part('1栋', '101'), openid: 'demo-resident-1' }),
    { ...WORKER_ONLY, 'other worker': 'E_NOT_FOUND' },
  ],
  ['myParts', () => ({}), MEMBERS_OK],
  // 房屋台账 (api-register.ts): the dry run, the chunked import and its log
  [
    'checkParts',
    () => ({ rows: [{ line: 2, building: '1栋', room: '999', area: '50' }] }),
    { ...WORKER_ONLY, 'other worker': 'OK' },
  ],
  [
    'importPartRows',
    (who) => ({
      importId: `auth-import-${who.replace(/ /g, '-')}`,
      fileName: '台账.xlsx',
      chunk: 1,
      chunks: 1,
      rows: [{ line: 2, building: '1栋', room: '998', area: '50' }],
    }),
    { ...WORKER_ONLY, 'other worker': 'OK' }, // 和平里 has no 1栋: the row is skipped as an error, the log is its own
  ],
  ['listPartImports', () => ({}), { ...WORKER_ONLY, 'other worker': 'OK' }],
  [
    'openVote',
    (who) => ({
      title: '表决',
      body: '说明',
      matter: 'major',
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
      requestId: `auth-open-${who.replace(/ /g, '-')}`,
    }),
    { ...WORKER_ONLY, 'other worker': 'E_VALIDATION' }, // 和平里 keeps the 15-day notice period
  ],
  ['listVotes', () => ({}), MEMBERS_OK],
  ['getVote', () => ({ voteId: ids.vote }), { ...MEMBERS_OK, ...IN_DEMO }],
  [
    'cast',
    () => ({ voteId: ids.vote, choice: 'yes' }),
    { resident: 'OK', volunteer: 'OK', worker: 'OK', tenant: 'E_FORBIDDEN', ...IN_DEMO },
  ],
  [
    'castProxy',
    (who) => ({
      voteId: ids.vote,
      partId: PROXY_FOR[who] ?? part('1栋', '102'),
      choice: 'no',
      authorization: pics[who] ?? pics.resident,
    }),
    { resident: 'OK', volunteer: 'OK', worker: 'OK', tenant: 'OK', ...IN_DEMO },
  ],
  ['tally', () => ({ voteId: ids.vote }), { ...NOT_YET, worker: 'OK' }],
  ['voteResult', () => ({ voteId: ids.vote }), NOT_YET],
  ['closeVote', () => ({ voteId: ids.vote }), { ...WORKER_ONLY, worker: 'E_CONFLICT', 'other worker': 'E_NOT_FOUND' }],
  [
    'extendVote',
    () => ({ voteId: ids.vote, closesAt: '2099-01-07T10:00:00+08:00' }),
    { ...WORKER_ONLY, worker: 'E_CONFLICT', 'other worker': 'E_NOT_FOUND' },
  ],
  [
    'createConsult',
    (who) => ({
      title: '征询',
      body: '说明',
      options: ['是', '否'],
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
      requestId: `auth-c-${who.replace(/ /g, '-')}`,
    }),
    { ...WORKER_ONLY, 'other worker': 'OK' },
  ],
  ['listConsults', () => ({}), MEMBERS_OK],
  ['getConsult', () => ({ consultId: ids.consult }), { ...MEMBERS_OK, ...IN_DEMO }],
  [
    'answerConsult',
    () => ({ consultId: ids.consult, option: 0 }),
    { resident: 'OK', volunteer: 'OK', worker: 'OK', tenant: 'OK', ...IN_DEMO },
  ],
  ['closeConsult', () => ({ consultId: ids.consult }), { ...WORKER_ONLY, 'other worker': 'E_NOT_FOUND' }],
];

describe('authorization table', () => {
  const watch = new WriteWatch(() => cloud.dataDir);
  for (const [act, payload, expected] of table) {
    for (const who of WHO) {
      const want = FIXED[who] ?? expected[who];
      it(`${act} as ${who} → ${want}`, async () => {
        expect(want).toBeDefined();
        const before = want === 'OK' ? undefined : await watch.before();
        const res = await cloud.invoke('affairs', { action: act, payload: payload(who) }, OPENID[who]);
        expect(errorCode(res)).toBe(want);
        if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/);
        if (before) expect(await watch.written(before)).toEqual([]);
      });
    }
  }

  it('covers every action of the register, votes and consultations', () => {
    const { voteSchemas } =
      require('../../cloudfunctions/affairs/api-votes') as typeof import('../../cloudfunctions/affairs/api-votes');
    const { consultSchemas } =
      require('../../cloudfunctions/affairs/api-consult') as typeof import('../../cloudfunctions/affairs/api-consult');
    const { registerSchemas } =
      require('../../cloudfunctions/affairs/api-register') as typeof import('../../cloudfunctions/affairs/api-register');
    expect(table.map(([a]) => a).sort()).toEqual(
      [...Object.keys(voteSchemas), ...Object.keys(registerSchemas), ...Object.keys(consultSchemas)].sort(),
    );
  });
});
