import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { maskPhone, maskPlate } from '../../cloudfunctions/common/mask';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<MemberApi>>;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());

const join = (openid: string, extra: Partial<MemberApi['join']['input']> = {}) =>
  call(openid, 'join', { inviteCode: DEMO_INVITES.pending, name: '新住户', building: '3栋', room: '808', ...extra });

// These tests play many callers' worth of actions; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

describe('me', () => {
  it('answers the worker their role, community and buildings', async () => {
    const me = data(await call('demo-worker', 'me'));
    expect(me).toMatchObject({
      openid: 'demo-worker',
      status: 'active',
      building: '1栋',
      room: '101',
      communityName: '幸福里社区',
    });
    expect(me!.roles).toEqual(expect.arrayContaining(['resident', 'worker']));
    expect(me!.buildings).toEqual(['1栋', '2栋', '3栋', '4栋', '5栋']);
    expect(me!.phone).toBe('13800000000');
  });

  it('answers null for someone who never joined', async () => {
    expect(data(await call('stranger-me', 'me'))).toBeNull();
  });

  it('needs an identity', async () => {
    expect(errorCode(await call(undefined, 'me'))).toBe('E_UNAUTHENTICATED');
  });
});

describe('joining', () => {
  it('makes a pending member, tells the workers, and the worker approves', async () => {
    const joined = data(await join('joiner-1', { phone: '13912345678' }));
    expect(joined).toMatchObject({ status: 'pending', building: '3栋', room: '808', gridId: 'g2', roles: ['resident'] });
    expect(data(await call('joiner-1', 'me'))).toMatchObject({ status: 'pending', communityName: '幸福里社区' });
    // A pending member cannot use member actions yet.
    expect(errorCode(await call('joiner-1', 'list'))).toBe('E_NOT_MEMBER');

    const inbox = await collection('messages').where({ openid: 'demo-worker', type: 'system' }).get();
    expect(inbox.data.length).toBeGreaterThan(0);

    const pending = data(await call('demo-worker', 'list', { status: 'pending' }));
    const row = pending.items.find((m) => m.openid === 'joiner-1');
    expect(row?.phone).toBe('13912345678');

    const approved = data(await call('demo-worker', 'approve', { openid: 'joiner-1' }));
    expect(approved.status).toBe('active');
    expect(errorCode(await call('demo-worker', 'approve', { openid: 'joiner-1' }))).toBe('E_CONFLICT');

    const notes = await collection('messages').where({ openid: 'joiner-1', type: 'member.approved' }).get();
    expect(notes.data).toHaveLength(1);
    const log = await collection('audit').where({ target: 'member:demo:joiner-1', what: 'member.approve' }).get();
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      actor: 'demo-worker',
      communityId: 'demo',
      before: { status: 'pending' },
      after: { status: 'active' },
    });
  });

  it('auto-approves through an auto-approve invite tied to a building', async () => {
    const joined = data(
      await call('joiner-2', 'join', { inviteCode: DEMO_INVITES.autoApprove.toLowerCase(), name: '李四', room: '202' }),
    );
    expect(joined).toMatchObject({ status: 'active', building: '2栋', gridId: 'g1' });
    const info = data(await call('joiner-2', 'inviteInfo', { inviteCode: DEMO_INVITES.autoApprove }));
    expect(info).toEqual({ communityName: '幸福里社区', building: '2栋', buildings: ['2栋'], autoApprove: true });
  });

  it('refuses a building other than the invite’s, an unknown building, and an unknown code', async () => {
    const res = await call('joiner-3', 'join', {
      inviteCode: DEMO_INVITES.autoApprove,
      name: '王五',
      building: '5栋',
      room: '1',
    });
    expect(errorCode(res)).toBe('E_VALIDATION');
    expect(!res.ok && res.error.message).toContain('2栋');
    expect(errorCode(await join('joiner-3', { building: '99栋' }))).toBe('E_VALIDATION');
    expect(errorCode(await join('joiner-3', { inviteCode: 'NOSUCH99' }))).toBe('E_NOT_FOUND');
    expect(data(await call('joiner-3', 'me'))).toBeNull();
  });

  it('joining twice, even at once, makes one membership', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => join('joiner-4')));
    expect(results.every((r) => r.ok)).toBe(true);
    const docs = await collection('members').where({ openid: 'joiner-4' }).get();
    expect(docs.data).toHaveLength(1);
  });

  it('a rejected applicant may apply again', async () => {
    data(await join('joiner-5'));
    const rejected = data(await call('demo-worker', 'reject', { openid: 'joiner-5', reason: '房号与登记不符' }));
    expect(rejected.status).toBe('rejected');
    expect(data(await join('joiner-5', { room: '809' }))).toMatchObject({ status: 'pending', room: '809' });
  });

  it('invites expire and must name a building of the community', async () => {
    const invite = data(await call('demo-worker', 'createInvite', { building: '4栋', autoApprove: true, expiresInDays: 1 }));
    expect(invite.inviteCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(errorCode(await call('demo-worker', 'createInvite', { building: '9栋' }))).toBe('E_VALIDATION');
    await collection('invites')
      .doc(invite.inviteCode)
      .update({ expiresAt: new Date(Date.now() - 1000) });
    expect(errorCode(await call('joiner-6', 'join', { inviteCode: invite.inviteCode, name: '甲', room: '1' }))).toBe(
      'E_NOT_FOUND',
    );
  });

  it('twenty approvals of one applicant at once: exactly one wins', async () => {
    data(await join('joiner-7'));
    const results = await Promise.all(Array.from({ length: 20 }, () => call('demo-worker', 'approve', { openid: 'joiner-7' })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'E_CONFLICT')).toHaveLength(19);
    const log = await collection('audit').where({ target: 'member:demo:joiner-7', what: 'member.approve' }).get();
    expect(log.data).toHaveLength(1);
  });
});

describe('roles and tags', () => {
  it('a worker makes a resident a volunteer and back', async () => {
    const v = data(await call('demo-worker', 'setRoles', { openid: 'demo-resident-2', roles: ['volunteer'] }));
    expect(v.roles).toEqual(['resident', 'volunteer']);
    const r = data(await call('demo-worker', 'setRoles', { openid: 'demo-resident-2', roles: [] }));
    expect(r).toMatchObject({ roles: ['resident'], onDuty: false });
  });

  it('a worker cannot drop their own worker role', async () => {
    expect(errorCode(await call('demo-worker', 'setRoles', { openid: 'demo-worker', roles: ['volunteer'] }))).toBe('E_FORBIDDEN');
  });

  it('tags come from the fixed list only', async () => {
    expect(errorCode(await call('demo-worker', 'setTags', { openid: 'demo-resident-3', tags: ['VIP' as never] }))).toBe(
      'E_VALIDATION',
    );
    const t = data(await call('demo-worker', 'setTags', { openid: 'demo-resident-3', tags: ['残疾', '低保', '残疾'] }));
    expect(t.tags).toEqual(['残疾', '低保']);
  });

  it('members of another community are not found', async () => {
    expect(errorCode(await call('demo-worker', 'setTags', { openid: 'other-resident', tags: [] }))).toBe('E_NOT_FOUND');
    expect(errorCode(await call('other-worker', 'approve', { openid: 'joiner-1' }))).toBe('E_NOT_FOUND');
  });
});

describe('list', () => {
  it('pages by 20 and filters by building', async () => {
    for (let i = 0; i < 22; i++)
      data(
        await call(`bulk-${i}`, 'join', { inviteCode: DEMO_INVITES.pending, name: `住户${i}`, building: '4栋', room: `${i}` }),
      );
    const first = data(await call('demo-worker', 'list', { status: 'pending', building: '4栋' }));
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    const second = data(await call('demo-worker', 'list', { status: 'pending', building: '4栋', page: 2 }));
    expect(second.items).toHaveLength(2);
    expect(second.hasMore).toBe(false);
    const ids = new Set([...first.items, ...second.items].map((m) => m.openid));
    expect(ids.size).toBe(22);
    const volunteers = data(await call('demo-worker', 'list', { role: 'volunteer' }));
    expect(volunteers.items.map((m) => m.openid).sort()).toEqual(['demo-volunteer-1', 'demo-volunteer-2', 'demo-volunteer-3']);
    const other = data(await call('other-worker', 'list', {}));
    expect(other.items.every((m) => m.communityId === 'heping')).toBe(true);
  });
});

describe('switchCommunity', () => {
  it('moves between the caller’s own communities only', async () => {
    data(await call('other-resident', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '马丽', room: '505' }));
    const inDemo = data(await call('other-resident', 'me'));
    expect(inDemo).toMatchObject({ communityId: 'demo' });
    expect(inDemo!.communities.map((c) => c.communityId).sort()).toEqual(['demo', 'heping']);
    const back = data(await call('other-resident', 'switchCommunity', { communityId: 'heping' }));
    expect(back).toMatchObject({ communityId: 'heping', communityName: '和平里社区' });
    expect(errorCode(await call('demo-resident-1', 'switchCommunity', { communityId: 'heping' }))).toBe('E_NOT_MEMBER');
  });
});

describe('masking', () => {
  it('masks phones and plates', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(undefined)).toBeUndefined();
    expect(maskPlate('粤B12345')).toBe('粤B***45');
  });
});

describe('authorization table', () => {
  // Each worker-only action as each kind of caller. Payloads are valid, so only access decides.
  const target = 'demo-resident-4';
  const workerOnly: [keyof MemberApi, object][] = [
    ['createInvite', {}],
    ['approve', { openid: target }],
    ['reject', { openid: target }],
    ['approveMany', { openids: [target] }],
    ['rejectMany', { openids: [target] }],
    ['setRoles', { openid: target, roles: [] }],
    ['setTags', { openid: target, tags: [] }],
    ['list', {}],
    ['verifyHousehold', { openid: target, note: '查看房产证' }],
    ['remove', { openid: target, reason: '测试' }],
    ['auditLog', {}],
    ['rateLimited', {}],
  ];
  const callers: [string, string | undefined, string][] = [
    ['resident', 'demo-resident-5', 'E_FORBIDDEN'],
    ['volunteer', 'demo-volunteer-1', 'E_FORBIDDEN'],
    ['non-member', 'nobody', 'E_NOT_MEMBER'],
    ['no identity', undefined, 'E_UNAUTHENTICATED'],
    ['worker of another community', 'other-worker', 'E_NOT_FOUND'],
  ];
  for (const [act, payload] of workerOnly) {
    for (const [who, openid, expected] of callers) {
      // Another community's worker may list, create invites, read the audit log and see who was rate
      // limited in their own community.
      const ownCommunity = act === 'list' || act === 'createInvite' || act === 'auditLog' || act === 'rateLimited';
      // A batch answers each openid: another community's member is notFound there, and nothing is written.
      const batch = act === 'approveMany' || act === 'rejectMany';
      const want = who === 'worker of another community' && (ownCommunity || batch) ? 'OK' : expected;
      it(`${act} as ${who} → ${want}`, async () => {
        const before = want === 'OK' && !batch ? undefined : await snapshot();
        const res = await cloud.invoke('member', { action: act, payload }, openid);
        expect(errorCode(res)).toBe(want);
        if (batch && res.ok) expect((res.data as { notFound: number }).notFound).toBe(1);
        if (before) expect(await snapshot()).toEqual(before);
      });
    }
  }

  // Household actions any active member may call. confirmHousehold about someone outside the
  // caller's room is not found for every member (a room reveals nobody); household answers each
  // member their own (empty unless verified).
  const memberCallers: [string, string | undefined, string, string][] = [
    ['resident', 'demo-resident-5', 'E_NOT_FOUND', 'OK'],
    ['volunteer', 'demo-volunteer-1', 'E_NOT_FOUND', 'OK'],
    ['worker', 'demo-worker', 'E_NOT_FOUND', 'OK'],
    ['non-member', 'nobody', 'E_NOT_MEMBER', 'E_NOT_MEMBER'],
    ['no identity', undefined, 'E_UNAUTHENTICATED', 'E_UNAUTHENTICATED'],
    ['worker of another community', 'other-worker', 'E_NOT_FOUND', 'OK'],
    ['resident of another community', 'other-resident', 'E_NOT_FOUND', 'OK'],
  ];
  for (const [who, openid, confirmWant, householdWant] of memberCallers) {
    it(`confirmHousehold as ${who} → ${confirmWant}, household → ${householdWant}`, async () => {
      const before = await snapshot();
      const res = await cloud.invoke(
        'member',
        { action: 'confirmHousehold', payload: { openid: target, confirm: false } },
        openid,
      );
      expect(errorCode(res)).toBe(confirmWant);
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      const mine = await cloud.invoke('member', { action: 'household', payload: {} }, openid);
      expect(errorCode(mine)).toBe(householdWant);
      if (mine.ok) expect((mine.data as { items: unknown[] }).items).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });
  }
  it('leave and erase act on the caller only: a stranger has nothing to leave, and erasing nothing changes nothing', async () => {
    const before = await snapshot();
    expect(errorCode(await cloud.invoke('member', { action: 'leave', payload: {} }, 'nobody'))).toBe('E_NOT_MEMBER');
    // Identity from the context only: a payload naming someone else is refused, and changes nothing.
    expect(errorCode(await cloud.invoke('member', { action: 'erase', payload: { openid: target } }, 'nobody'))).toBe(
      'E_VALIDATION',
    );
    expect(errorCode(await cloud.invoke('member', { action: 'leave', payload: { openid: target } }, 'demo-worker'))).toBe(
      'E_VALIDATION',
    );
    expect(await snapshot()).toEqual(before);
    expect(data(await call('nobody', 'erase', {}))).toEqual({ communities: 0, orders: 0, bookings: 0, files: 0 });
  });

  it('identified actions are open to anyone with an identity, and only to them', async () => {
    for (const act of ['me', 'inviteInfo', 'join', 'switchCommunity', 'leave', 'erase'] as const) {
      expect(errorCode(await cloud.invoke('member', { action: act, payload: {} }, undefined))).toBe('E_UNAUTHENTICATED');
    }
  });
});

describe('bad input changes nothing', () => {
  const cases: [string, unknown][] = [
    ['unknown action', { action: 'dropAll' }],
    ['prototype key as action', { action: '__proto__' }],
    ['no action', { payload: {} }],
    ['payload is a string', { action: 'join', payload: 'x' }],
    [
      'unknown field',
      { action: 'join', payload: { inviteCode: DEMO_INVITES.pending, name: 'a', building: '1栋', room: '1', role: 'worker' } },
    ],
    ['operator injection in an id', { action: 'approve', payload: { openid: { $gt: '' } } }],
    [
      'oversized name',
      { action: 'join', payload: { inviteCode: DEMO_INVITES.pending, name: '长'.repeat(5000), building: '1栋', room: '1' } },
    ],
    [
      'bad phone',
      { action: 'join', payload: { inviteCode: DEMO_INVITES.pending, name: '甲', building: '1栋', room: '1', phone: '12345' } },
    ],
    [
      'blocked word',
      { action: 'join', payload: { inviteCode: DEMO_INVITES.pending, name: '赌博王', building: '1栋', room: '1' } },
    ],
  ];
  const expected: Record<string, string> = {
    'unknown action': 'E_UNKNOWN_ACTION',
    'prototype key as action': 'E_UNKNOWN_ACTION',
    'no action': 'E_UNKNOWN_ACTION',
    'blocked word': 'E_CONTENT_REJECTED',
  };
  for (const [label, event] of cases) {
    it(label, async () => {
      const before = await snapshot();
      const res = await cloud.invoke(
        'member',
        event,
        label === 'operator injection in an id' ? 'demo-worker' : 'bad-input-caller',
      );
      expect(errorCode(res)).toBe(expected[label] ?? 'E_VALIDATION');
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await snapshot()).toEqual(before);
    });
  }
});
