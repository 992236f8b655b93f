// 批量审核 (member.approveMany / rejectMany, docs/members.md): one read, each member's own
// compare-and-set and audit entry, an outcome per member; one already decided by another worker
// never fails the batch; two workers batch-approving overlapping sets approve each member once.
import type { LocalCloud } from '../../local/cloud';
import type { InvocationRecord } from '../../local/functions';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<MemberApi>>;
const invocations: InvocationRecord[] = [];
const WORKER = 'demo-worker';
/** A second worker of the demo community, made in beforeAll. */
const WORKER2 = 'demo-resident-3';

beforeAll(async () => {
  cloud = await startTestCloud({ observe: { invocation: (r) => invocations.push(r) } });
  await seedIfEmpty(cloud);
  call = caller<MemberApi>(cloud, 'member');
  data(await call(WORKER, 'setRoles', { openid: WORKER2, roles: ['worker'] }));
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);

/** `n` new applicants `prefix-1` … `prefix-n`, pending in 3栋. */
async function applicants(prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  for (const [i, openid] of ids.entries()) {
    data(
      await call(openid, 'join', {
        inviteCode: DEMO_INVITES.pending,
        name: `申请人${i + 1}`,
        building: '3栋',
        room: `${600 + i}`,
      }),
    );
  }
  forgetLimits();
  return ids;
}

const audits = async (what: string, openid: string) =>
  (
    await collection('audit')
      .where({ target: `member:demo:${openid}`, what })
      .get()
  ).data;

describe('approveMany', () => {
  it('approves each pending applicant, audits and tells each one, answers per member', async () => {
    const ids = await applicants('batch-a', 3);
    const res = data(await call(WORKER, 'approveMany', { openids: [...ids, 'batch-a-missing', 'demo-resident-1'] }));
    expect(res.items).toEqual([
      { openid: 'batch-a-1', outcome: 'approved', name: '申请人1' },
      { openid: 'batch-a-2', outcome: 'approved', name: '申请人2' },
      { openid: 'batch-a-3', outcome: 'approved', name: '申请人3' },
      { openid: 'batch-a-missing', outcome: 'notFound' },
      { openid: 'demo-resident-1', outcome: 'handled', name: '赵秀兰' },
    ]);
    expect(res).toMatchObject({ approved: 3, rejected: 0, handled: 1, notFound: 1 });
    for (const openid of ids) {
      const m = data(await call(WORKER, 'list', { status: 'active', building: '3栋' })).items.find((x) => x.openid === openid);
      expect(m?.status).toBe('active');
      expect(await audits('member.approveMany', openid)).toHaveLength(1);
      const notes = await collection('messages').where({ openid, type: 'member.approved' }).get();
      expect(notes.data).toHaveLength(1);
    }
    expect(await audits('member.approveMany', 'demo-resident-1')).toHaveLength(0);
  });

  it('one approved a moment ago by another worker is handled, and the rest of the batch goes through', async () => {
    const ids = await applicants('batch-b', 3);
    data(await call(WORKER2, 'approve', { openid: ids[1] }));
    const res = data(await call(WORKER, 'approveMany', { openids: ids }));
    expect(res.items.map((i) => i.outcome)).toEqual(['approved', 'handled', 'approved']);
    expect(await audits('member.approve', ids[1])).toHaveLength(1);
    expect(await audits('member.approveMany', ids[1])).toHaveLength(0);
  });

  it('repeats in one batch count once', async () => {
    const [one] = await applicants('batch-c', 1);
    const res = data(await call(WORKER, 'approveMany', { openids: [one, one, one] }));
    expect(res.items).toEqual([{ openid: one, outcome: 'approved', name: '申请人1' }]);
    expect(await audits('member.approveMany', one)).toHaveLength(1);
  });

  it('two workers batch-approving overlapping sets at once: each member approved exactly once, audited once', async () => {
    const ids = await applicants('batch-race', 12);
    const first = ids.slice(0, 8);
    const second = ids.slice(4);
    const [a, b] = await Promise.all([
      call(WORKER, 'approveMany', { openids: first }),
      call(WORKER2, 'approveMany', { openids: second }),
    ]);
    const outcomes = [...data(a).items, ...data(b).items];
    for (const openid of ids) {
      const mine = outcomes.filter((o) => o.openid === openid);
      expect(mine.filter((o) => o.outcome === 'approved')).toHaveLength(1);
      expect(mine.every((o) => o.outcome === 'approved' || o.outcome === 'handled')).toBe(true);
      const log = (
        await collection('audit')
          .where({ target: `member:demo:${openid}` })
          .get()
      ).data as { what: string }[];
      expect(log.filter((e) => e.what === 'member.approveMany')).toHaveLength(1);
      const notes = await collection('messages').where({ openid, type: 'member.approved' }).get();
      expect(notes.data).toHaveLength(1);
    }
    expect(data(a).approved + data(b).approved).toBe(12);
    expect(data(a).handled + data(b).handled).toBe(4);
  });

  it('reads the members in one query: 2 and 12 already decided cost the same data calls', async () => {
    const cost = async (openids: string[]) => {
      invocations.length = 0;
      data(await call(WORKER, 'approveMany', { openids }));
      return invocations.find((r) => r.fn === 'member' && r.action === 'approveMany')!.dataCalls;
    };
    const decided = await applicants('batch-cost', 12);
    data(await call(WORKER, 'approveMany', { openids: decided }));
    expect(await cost(decided.slice(0, 2))).toBe(await cost(decided));
  });

  it('refuses an empty batch and more than 20, writing nothing', async () => {
    const before = await snapshot();
    expect(errorCode(await call(WORKER, 'approveMany', { openids: [] }))).toBe('E_VALIDATION');
    const many = Array.from({ length: 21 }, (_, i) => `too-many-${i}`);
    expect(errorCode(await call(WORKER, 'approveMany', { openids: many }))).toBe('E_VALIDATION');
    expect(await snapshot()).toEqual(before);
  });

  it('is for workers only', async () => {
    const [one] = await applicants('batch-d', 1);
    expect(errorCode(await call('demo-resident-5', 'approveMany', { openids: [one] }))).toBe('E_FORBIDDEN');
    expect(errorCode(await call('demo-volunteer-1', 'rejectMany', { openids: [one] }))).toBe('E_FORBIDDEN');
  });
});

describe('rejectMany', () => {
  it('rejects with the reason, tells each applicant, audits each', async () => {
    const ids = await applicants('batch-r', 2);
    const res = data(await call(WORKER, 'rejectMany', { openids: ids, reason: '房号与登记不符' }));
    expect(res).toMatchObject({ approved: 0, rejected: 2, handled: 0, notFound: 0 });
    for (const openid of ids) {
      const [entry] = (await audits('member.rejectMany', openid)) as { after: Record<string, unknown> }[];
      expect(entry.after).toMatchObject({ status: 'rejected', rejectReason: '房号与登记不符' });
      const notes = (await collection('messages').where({ openid, type: 'member.rejected' }).get()).data as { body: string }[];
      expect(notes.map((n) => n.body)).toEqual(['房号与登记不符']);
    }
    // Decided: a second batch finds them handled.
    expect(data(await call(WORKER, 'approveMany', { openids: ids })).items.map((i) => i.outcome)).toEqual(['handled', 'handled']);
  });

  it('checks the reason before anything is written', async () => {
    const [one] = await applicants('batch-s', 1);
    const before = await snapshot();
    const res = await call(WORKER, 'rejectMany', { openids: [one], reason: '这里有赌博广告' });
    expect(refusal(res).code).toBe('E_CONTENT_REJECTED');
    expect(await snapshot()).toEqual(before);
  });
});
