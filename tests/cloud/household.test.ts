// Households are proven (docs/members.md): a room typed in at joining is `claimed` until a worker
// verifies it or a verified member of that household confirms the newcomer. Through the real
// member and orders functions on a fresh local cloud.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { collection } from '../../cloudfunctions/common/db';
import type { MemberDoc } from '../../cloudfunctions/common/model';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let member: ReturnType<typeof caller<MemberApi>>;
let orders: ReturnType<typeof caller<OrdersApi>>;

const WORKER = 'demo-worker';
const R1 = 'demo-resident-1'; // 1栋 102, 赵秀兰, 独居老人 高龄, 13800000021
const R2 = 'demo-resident-2'; // 2栋 301, 孙伟, 13800000022
const R3 = 'demo-resident-3'; // 3栋 402

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  member = caller<MemberApi>(cloud, 'member');
  orders = caller<OrdersApi>(cloud, 'orders');
});
afterAll(() => cloud.close());

let seq = 0;
const rid = () => `hh-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** An auto-approving invite for `building`: whoever taps it is an active member at once. */
async function autoInvite(building: string): Promise<string> {
  return data(await member(WORKER, 'createInvite', { building, autoApprove: true })).inviteCode;
}

async function doc(openid: string): Promise<MemberDoc> {
  const res = await collection('members').doc(`demo:${openid}`).get();
  return (res.data as MemberDoc[])[0];
}

async function inbox(openid: string, type: string): Promise<{ title: string; body?: string; link?: string }[]> {
  const res = await collection('messages').where({ openid, type }).limit(100).get();
  return res.data as { title: string; body?: string; link?: string }[];
}

const createFor = (openid: string, forOpenid: string, serviceId = 'demo:errand') =>
  orders(openid, 'create', { serviceId, description: '帮家里买药', requestId: rid(), forOpenid });

describe('the attack from issue #12', () => {
  it('joining by an auto-approved invite with a victim’s room reveals nothing and orders nothing', async () => {
    const code = await autoInvite('1栋');
    const joined = data(await member('attacker', 'join', { inviteCode: code, name: '王某', room: '102' }));
    expect(joined).toMatchObject({ status: 'active', building: '1栋', room: '102', household: { status: 'claimed' } });

    const before = await snapshot();
    const menu = await orders('attacker', 'menu', { forOpenid: R1 });
    const created = await createFor('attacker', R1);
    for (const res of [menu, created]) {
      expect(errorCode(res)).toBe('E_NOT_FOUND');
      const text = JSON.stringify(res);
      for (const secret of ['赵秀兰', '13800000021', '独居老人', '高龄']) expect(text).not.toContain(secret);
    }
    // The same answer as for someone who does not exist at all: existence is not revealed.
    const nobody = await orders('attacker', 'menu', { forOpenid: 'no-such-person' });
    expect(refusal(nobody)).toEqual(refusal(menu));
    expect(data(await member('attacker', 'household', {}))).toEqual({ verified: false, items: [], claims: [] });
    expect(await snapshot()).toEqual(before);

    // The victim is asked, with a link to the page that answers.
    const asked = await inbox(R1, 'member.household');
    expect(asked).toHaveLength(1);
    expect(asked[0].title).toBe('王某申请加入您家（1栋 102），是您的家人吗？');
    expect(asked[0].link).toBe('/packages/household/confirm/index?openid=attacker');
  });

  it('the victim says 不是我家人: the claim is disputed, workers are told, still nothing for the attacker', async () => {
    const claims = data(await member(R1, 'household', {})).claims;
    expect(claims.map((c) => [c.openid, c.name])).toEqual([['attacker', '王某']]);

    const view = data(await member(R1, 'confirmHousehold', { openid: 'attacker', confirm: false }));
    expect(view.household).toEqual({ status: 'disputed', statusLabel: '房号有异议' });
    expect(await doc('attacker')).toMatchObject({
      household: { status: 'disputed', via: 'household', by: R1, byName: '赵秀兰' },
    });
    const told = await inbox(WORKER, 'member.household_disputed');
    expect(told.map((m) => m.body)).toContain('赵秀兰表示王某不是其家人（1栋 102）');
    const log = await collection('audit').where({ target: 'member:demo:attacker', what: 'member.confirmHousehold' }).get();
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      actor: R1,
      before: { household: { status: 'claimed' } },
      after: { household: { status: 'disputed' } },
    });

    expect(errorCode(await createFor('attacker', R1))).toBe('E_NOT_FOUND');
    expect(data(await member(R1, 'household', {})).claims).toEqual([]);
    // Answered once: a second answer (either way) is a conflict and changes nothing.
    const before = await snapshot();
    expect(errorCode(await member(R1, 'confirmHousehold', { openid: 'attacker', confirm: true }))).toBe('E_CONFLICT');
    expect(await snapshot()).toEqual(before);
  });
});

describe('a real family member', () => {
  it('joins, is confirmed by the household, and then they order for each other', async () => {
    data(
      await member('r2-daughter', 'join', {
        inviteCode: DEMO_INVITES.autoApprove,
        name: '孙小梅',
        room: '301',
        phone: '13912340000',
      }),
    );
    // Claimed: nothing yet, for her or about her.
    expect(errorCode(await createFor('r2-daughter', R2))).toBe('E_NOT_FOUND');
    expect(errorCode(await createFor(R2, 'r2-daughter'))).toBe('E_NOT_FOUND');
    expect(data(await member(R2, 'household', {}))).toMatchObject({
      verified: true,
      items: [],
      claims: [{ openid: 'r2-daughter', name: '孙小梅', phone: '139****0000' }],
    });

    const view = data(await member(R2, 'confirmHousehold', { openid: 'r2-daughter', confirm: true }));
    expect(view).toMatchObject({ openid: 'r2-daughter', phone: '139****0000', household: { status: 'verified' } });
    expect(view.tagProofs).toBeUndefined();
    expect(view.household).toEqual({ status: 'verified', statusLabel: '房号已核实' });
    expect(await doc('r2-daughter')).toMatchObject({ household: { status: 'verified', via: 'household', by: R2 } });

    expect(data(await member('r2-daughter', 'household', {})).items.map((m) => m.name)).toEqual(['孙伟']);
    expect(data(await member(R2, 'household', {}))).toMatchObject({ items: [{ name: '孙小梅' }], claims: [] });
    const order = data(await createFor('r2-daughter', R2));
    expect(order).toMatchObject({ forSomeoneElse: true, beneficiary: { openid: R2, phone: '13800000022' } });
    expect(data(await orders('r2-daughter', 'menu', { forOpenid: R2 })).tiers).toHaveLength(3);
    // A verified neighbour is still nobody's household.
    expect(errorCode(await createFor(R3, R2))).toBe('E_NOT_FOUND');
  });

  it('only a verified member of that same room may answer; everyone else gets not found', async () => {
    data(await member('r2-cousin', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '表亲', room: '301' }));
    data(await member('r2-stranger', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '路人', room: '301' }));
    const before = await snapshot();
    for (const who of [R3, WORKER, 'demo-volunteer-1', 'r2-stranger', 'r2-cousin', 'other-worker']) {
      const res = await member(who, 'confirmHousehold', { openid: 'r2-cousin', confirm: true });
      expect({ who, code: errorCode(res) }).toEqual({ who, code: 'E_NOT_FOUND' });
    }
    // An unverified claimant sees no household and no claims.
    expect(data(await member('r2-stranger', 'household', {}))).toEqual({ verified: false, items: [], claims: [] });
    expect(errorCode(await member(R2, 'confirmHousehold', { openid: 'nobody-here', confirm: true }))).toBe('E_NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });

  it('two household members answering at once: exactly one outcome', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        member(i % 2 ? R2 : 'r2-daughter', 'confirmHousehold', { openid: 'r2-stranger', confirm: i % 2 === 1 }),
      ),
    );
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'E_CONFLICT')).toHaveLength(7);
    const outcome = won[0].ok ? won[0].data.household.status : undefined;
    expect((await doc('r2-stranger')).household?.status).toBe(outcome);
    const log = await collection('audit').where({ target: 'member:demo:r2-stranger', what: 'member.confirmHousehold' }).get();
    expect(log.data).toHaveLength(1);
  });

  it('an answer is not lost to an unrelated change of the member made meanwhile', async () => {
    // The claimant's version moves (a worker sets a tag) between the read and the write: still one answer.
    const [tagged, answered] = await Promise.all([
      member(WORKER, 'setTags', { openid: 'r2-cousin', tags: ['低保'], note: '查看低保证' }),
      member(R2, 'confirmHousehold', { openid: 'r2-cousin', confirm: true }),
    ]);
    expect(errorCode(answered)).toBe('OK');
    expect(['OK', 'E_CONFLICT']).toContain(errorCode(tagged));
    expect((await doc('r2-cousin')).household?.status).toBe('verified');
  });
});

describe('workers verify', () => {
  it('a room with nobody verified is verified by a worker, with how', async () => {
    data(await member('newcomer', 'join', { inviteCode: await autoInvite('4栋'), name: '钱多多', room: '909' }));
    expect(await inbox(WORKER, 'member.household')).toEqual([]);
    const view = data(await member(WORKER, 'verifyHousehold', { openid: 'newcomer', note: ' 查看租赁合同 ' }));
    expect(view.household).toMatchObject({
      status: 'verified',
      statusLabel: '房号已核实',
      via: 'worker',
      byName: '李梅',
      note: '查看租赁合同',
    });
    const listed = data(await member(WORKER, 'list', { building: '4栋', status: 'active' })).items.find(
      (m) => m.openid === 'newcomer',
    );
    expect(listed?.household).toMatchObject({ status: 'verified', note: '查看租赁合同' });
    expect((await inbox('newcomer', 'member.household')).map((m) => m.title)).toEqual(['社区已核实您的房号（4栋 909）']);
    // The member sees their own room's proof; another resident sees the status only.
    expect(data(await member('newcomer', 'me', {}))!.household).toMatchObject({ status: 'verified', note: '查看租赁合同' });
  });

  it('a disputed claim is settled by a worker; a rejected applicant is not verified', async () => {
    data(await member(WORKER, 'verifyHousehold', { openid: 'attacker', note: '上门核实，确为租客' }));
    expect((await doc('attacker')).household).toMatchObject({ status: 'verified', via: 'worker', note: '上门核实，确为租客' });
    // The old proof's `by` is gone, not merged into the new one.
    expect((await doc('attacker')).household?.by).toBe(WORKER);

    data(await member('refused-1', 'join', { inviteCode: DEMO_INVITES.pending, name: '钱某', building: '5栋', room: '1' }));
    data(await member(WORKER, 'reject', { openid: 'refused-1' }));
    expect(errorCode(await member(WORKER, 'verifyHousehold', { openid: 'refused-1' }))).toBe('E_CONFLICT');
    expect(errorCode(await member('other-worker', 'verifyHousehold', { openid: 'newcomer' }))).toBe('E_NOT_FOUND');
  });

  it('moving to another room on re-application makes the room claimed again and asks that household', async () => {
    data(await member('mover', 'join', { inviteCode: DEMO_INVITES.pending, name: '搬家', building: '5栋', room: '777' }));
    data(await member(WORKER, 'verifyHousehold', { openid: 'mover', note: '查看房产证' }));
    // Correcting the name only keeps the proof.
    data(await member('mover', 'join', { inviteCode: DEMO_INVITES.pending, name: '搬家户', building: '5栋', room: '777' }));
    expect((await doc('mover')).household?.status).toBe('verified');
    // Another room: claimed, and 郑丽 (5栋 601, verified) is asked.
    const moved = data(
      await member('mover', 'join', { inviteCode: DEMO_INVITES.pending, name: '搬家户', building: '5栋', room: '601' }),
    );
    expect(moved.household.status).toBe('claimed');
    expect(await doc('mover')).toMatchObject({ room: '601', household: { status: 'claimed' } });
    expect((await doc('mover')).household?.note).toBeUndefined();
    expect((await inbox('demo-resident-5', 'member.household')).map((m) => m.title)).toEqual([
      '搬家户申请加入您家（5栋 601），是您的家人吗？',
    ]);
    // Sending the same application again asks nobody twice.
    data(await member('mover', 'join', { inviteCode: DEMO_INVITES.pending, name: '搬家户', building: '5栋', room: '601' }));
    expect(await inbox('demo-resident-5', 'member.household')).toHaveLength(1);
  });
});

describe('listing by the room’s proof', () => {
  async function listed(household: 'claimed' | 'verified' | 'disputed'): Promise<string[]> {
    const out: string[] = [];
    for (let page = 1; ; page++) {
      const res = data(await member(WORKER, 'list', { household, page }));
      out.push(...res.items.map((m) => m.openid));
      if (!res.hasMore) return out;
    }
  }

  it('workers list claimed, verified or disputed rooms; a membership written before proofs existed is claimed', async () => {
    // Older data: no household field at all, in 张建国's room.
    const now = new Date();
    await collection('members')
      .doc('demo:legacy-1')
      .set({
        communityId: 'demo',
        openid: 'legacy-1',
        name: '老住户',
        building: '1栋',
        room: '302',
        status: 'active',
        roles: ['resident'],
        tags: [],
        skills: [],
        onDuty: false,
        joinedAt: now,
        updatedAt: now,
        version: 1,
      });
    await collection('users').doc('legacy-1').set({ currentCommunityId: 'demo', updatedAt: now });
    data(await member('disp-1', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '冒名者', room: '301' }));
    data(await member(R2, 'confirmHousehold', { openid: 'disp-1', confirm: false }));
    const told = (await inbox(WORKER, 'member.household_disputed')).find((m) => m.title.startsWith('冒名者'));
    expect(told?.link).toBe('/packages/worker/members/index?status=active&household=disputed');

    const [claimed, verified, disputed] = [await listed('claimed'), await listed('verified'), await listed('disputed')];
    expect(claimed).toContain('legacy-1');
    expect(claimed).not.toContain(R1);
    expect(verified).toEqual(expect.arrayContaining([R1, R2, 'r2-daughter', 'newcomer']));
    expect(verified).not.toContain('legacy-1');
    expect(disputed).toContain('disp-1');
    expect(disputed).not.toContain('legacy-1');
    expect(new Set([...claimed, ...verified, ...disputed]).size).toBe(claimed.length + verified.length + disputed.length);

    // The legacy member is treated as claimed everywhere.
    expect(data(await member('legacy-1', 'me', {}))!.household.status).toBe('claimed');
    expect(data(await member('legacy-1', 'household', {}))).toEqual({ verified: false, items: [], claims: [] });
    expect(errorCode(await createFor('legacy-1', 'demo-volunteer-1'))).toBe('E_NOT_FOUND');
    // 张建国 (verified, same room) may answer for them.
    expect(data(await member('demo-volunteer-1', 'household', {})).claims.map((c) => c.openid)).toEqual(['legacy-1']);
    expect(errorCode(await member(WORKER, 'list', { household: 'unknown' as never }))).toBe('E_VALIDATION');
  });
});

describe('tags with how they were verified', () => {
  it('each tag keeps its own note, worker and time; a cleared tag loses its note', async () => {
    const R4 = 'demo-resident-4';
    let v = data(await member(WORKER, 'setTags', { openid: R4, tags: ['残疾'], note: '查看残疾证' }));
    expect(v.tagProofs).toEqual([{ tag: '残疾', note: '查看残疾证', byName: '李梅', at: expect.any(String) }]);
    v = data(await member(WORKER, 'setTags', { openid: R4, tags: ['残疾', '低保'], note: '民政系统查询' }));
    expect(v.tagProofs?.map((p) => [p.tag, p.note])).toEqual([
      ['残疾', '查看残疾证'],
      ['低保', '民政系统查询'],
    ]);
    v = data(await member(WORKER, 'setTags', { openid: R4, tags: ['低保'] }));
    expect(v.tagProofs?.map((p) => [p.tag, p.note])).toEqual([['低保', '民政系统查询']]);
    expect((await doc(R4)).tagProofs?.map((p) => p.tag)).toEqual(['低保']);
    // A seeded tag without a proof gets one when saved with a note.
    v = data(await member(WORKER, 'setTags', { openid: R1, tags: ['独居老人', '高龄'], note: '入户走访' }));
    expect(v.tagProofs?.map((p) => p.tag)).toEqual(['独居老人', '高龄']);
    const log = await collection('audit')
      .where({ target: `member:demo:${R4}`, what: 'member.setTags' })
      .get();
    expect(log.data).toHaveLength(3);
    // Refused notes write nothing.
    const before = await snapshot();
    expect(errorCode(await member(WORKER, 'setTags', { openid: R4, tags: [], note: '长'.repeat(51) }))).toBe('E_VALIDATION');
    expect(await snapshot()).toEqual(before);
  });

  it('a change sent with the version a page showed does not overwrite a newer one', async () => {
    const R5 = 'demo-resident-5';
    const shown = data(await member(WORKER, 'list', { building: '5栋', status: 'active' })).items.find((m) => m.openid === R5)!;
    // Another worker tags her first.
    const newer = data(
      await member(WORKER, 'setTags', { openid: R5, tags: ['高龄'], note: '查看身份证', version: shown.version }),
    );
    expect(newer.version).toBe(shown.version + 1);
    const before = await snapshot();
    const stale = await member(WORKER, 'setTags', { openid: R5, tags: ['优抚'], version: shown.version });
    expect(refusal(stale)).toEqual({ code: 'E_CONFLICT', message: '成员信息已被修改，请刷新后重试' });
    expect(errorCode(await member(WORKER, 'setRoles', { openid: R5, roles: ['volunteer'], version: shown.version }))).toBe(
      'E_CONFLICT',
    );
    expect(await snapshot()).toEqual(before);
    // Ten saves of one shown version at once: one lands.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        member(WORKER, 'setTags', { openid: R5, tags: i % 2 ? ['低保'] : ['优抚'], version: newer.version }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'E_CONFLICT')).toHaveLength(9);
    expect((await doc(R5)).version).toBe(newer.version + 1);
  });
});
