// A community of its own for a vote test: a worker, owners and tenants put straight into the store,
// and its register of exclusive parts, so each §278 case counts exactly the owners it names.
import { put } from '../../local/seed/community';
import { partId, type PartDoc } from '../../cloudfunctions/affairs/model-votes';
import { parseArea } from '../../cloudfunctions/affairs/tally';
import type { CommunityDoc, MemberDoc } from '../../cloudfunctions/common/model';

export interface PartSpec {
  room: string;
  /** m², as the register writes it. */
  area: string;
  building?: string;
  /** The owner's openid (verified); none: an owner who has not joined. */
  owner?: string;
  developer?: boolean;
  holder?: string;
}

export interface Stage {
  communityId: string;
  worker: string;
  /** Every owner openid named by the parts, in order of first appearance. */
  owners: string[];
  tenants: string[];
  partIds: string[];
}

export const BUILDINGS = ['1栋', '2栋', '3栋'];

async function putMember(
  communityId: string,
  openid: string,
  building: string,
  room: string,
  roles: MemberDoc['roles'],
  now: Date,
) {
  const member: MemberDoc = {
    _id: `${communityId}:${openid}`,
    communityId,
    openid,
    name: `成员${openid.slice(-4)}`,
    building,
    room,
    status: 'active',
    roles,
    tags: [],
    skills: [],
    onDuty: false,
    household: { status: 'verified', via: 'worker', at: now },
    joinedAt: now,
    updatedAt: now,
    version: 1,
  };
  await put('members', member);
  await put('users', { _id: openid, currentCommunityId: communityId, updatedAt: now } as { _id: string });
}

/** Writes the community, its worker, owners, tenants and register. `noticeDays` 0 unless told. */
export async function stageCommunity(
  communityId: string,
  parts: PartSpec[],
  opts: { noticeDays?: number | null; tenants?: number } = {},
): Promise<Stage> {
  const now = new Date();
  const community: CommunityDoc = {
    _id: communityId,
    name: `表决测试${communityId}`,
    grids: [{ id: 'g1', name: '第一网格', buildings: BUILDINGS }],
    stepLimits: { dispatch: 30, accept: 30, serve: 1440, review: 4320 },
    ...(opts.noticeDays === null ? {} : { voteNoticeDays: opts.noticeDays ?? 0 }),
    createdAt: now,
  };
  await put('communities', community);
  const worker = `${communityId}-worker`;
  await putMember(communityId, worker, '1栋', '000', ['resident', 'worker'], now);
  const owners: string[] = [];
  const partIds: string[] = [];
  for (const p of parts) {
    const building = p.building ?? '1栋';
    if (p.owner && !owners.includes(p.owner)) {
      owners.push(p.owner);
      await putMember(communityId, p.owner, building, p.room, ['resident'], now);
    }
    const doc: PartDoc = {
      _id: partId(communityId, building, p.room),
      communityId,
      building,
      room: p.room,
      area: parseArea(p.area),
      developer: p.developer ?? false,
      ...(p.holder ? { holder: p.holder } : {}),
      owners: p.owner ? [p.owner] : [],
      updatedAt: now,
      version: 1,
    };
    partIds.push(doc._id);
    await put('parts', doc);
  }
  const tenants: string[] = [];
  for (let i = 0; i < (opts.tenants ?? 0); i++) {
    const openid = `${communityId}-tenant-${i + 1}`;
    tenants.push(openid);
    await putMember(communityId, openid, '1栋', parts[0]?.room ?? '101', ['resident'], now);
  }
  return { communityId, worker, owners, tenants, partIds };
}

/** `n` parts of equal area, one owner each: `${prefix}-1` … */
export const equalParts = (prefix: string, n: number, area = '100', building = '1栋'): PartSpec[] =>
  Array.from({ length: n }, (_, i) => ({ room: `${101 + i}`, area, owner: `${prefix}-${i + 1}`, building }));

/** A closesAt a week from now (ISO). */
export const inAWeek = (): string => new Date(Date.now() + 7 * 86400_000).toISOString();

/**
 * Every audited action of the register, votes and consultations once, in the demo community, on
 * the caller's fake clock (tests/cloud/audit.test.ts's scenario).
 */
export async function auditVoteScenario(
  invoke: (fn: 'affairs', action: string, payload: unknown, openid: string) => Promise<unknown>,
  pictureOf: (openid: string) => Promise<string>,
  rid: () => string,
): Promise<void> {
  const W = 'demo-worker';
  const call = <T>(action: string, payload: unknown, openid: string) => invoke('affairs', action, payload, openid) as Promise<T>;
  const part = partId('demo', '1栋', 'A901');
  await call('importParts', { rows: [{ building: '1栋', room: 'A901', area: '80' }] }, W);
  await call(
    'importPartRows',
    {
      importId: rid(),
      fileName: '台账.xlsx',
      chunk: 1,
      chunks: 1,
      rows: [{ line: 2, building: '1栋', room: 'A902', area: '80' }],
    },
    W,
  );
  await call('verifyOwner', { partId: part, openid: 'demo-resident-2' }, W);
  await call('removeOwner', { partId: part, openid: 'demo-resident-2' }, W);
  const closesAt = Date.now() + 2 * 3600_000;
  const vote = await call<{ _id: string }>(
    'openVote',
    { title: '审计表决', body: '说明', matter: 'ordinary', closesAt: new Date(closesAt).toISOString(), requestId: rid() },
    W,
  );
  await call('cast', { voteId: vote._id, choice: 'yes' }, 'demo-resident-3');
  const authorization = await pictureOf('demo-resident-1');
  await call(
    'castProxy',
    { voteId: vote._id, partId: partId('demo', '5栋', '601'), choice: 'no', authorization },
    'demo-resident-1',
  );
  jest.setSystemTime(closesAt + 120_000);
  await call('closeVote', { voteId: vote._id }, W); // 2 of 10 owners: no quorum
  await call('extendVote', { voteId: vote._id, closesAt: new Date(Date.now() + 86400_000).toISOString() }, W);
  const consult = await call<{ _id: string }>(
    'createConsult',
    {
      title: '审计征询',
      body: '说明',
      options: ['是', '否'],
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
      requestId: rid(),
    },
    W,
  );
  await call('answerConsult', { consultId: consult._id, option: 0 }, 'demo-resident-3');
  await call('closeConsult', { consultId: consult._id }, W);
}
