// 批量审核: a worker approves or rejects up to 20 applicants in one call (the console's 成员审核).
// One read for all of them (by `_id`), then each member's own compare-and-set and audit entry, as
// the single approve / reject do. The answer is per member: an applicant another worker handled a
// moment ago is `handled`, not a failure of the batch; an openid that is not an applicant of this
// community (missing, or another community's) is `notFound`, the same for both (existence).
import { cmd, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { memberId, type MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { action, type MemberCtx } from '../common/router';
import { memberSchemas as s, type BatchOutcome, type BatchReview } from './api';
import { changeMember } from './change';

type Decision = { status: 'active' } | { status: 'rejected'; rejectReason?: string };

/** Reads the members by `_id` in one query; a stale version is read again once (a tag set meanwhile). */
async function readAll(ctx: MemberCtx, openids: string[]): Promise<Map<string, MemberDoc>> {
  const ids = openids.map((o) => memberId(ctx.communityId, o));
  const docs = await getAll<MemberDoc>(
    collection('members')
      .where({ _id: cmd().in(ids) })
      .limit(ids.length),
  );
  return new Map(docs.filter((m) => m.communityId === ctx.communityId).map((m) => [m.openid, m]));
}

/** One member: pending → decided with a compare-and-set (retried once on a change that left it pending). */
async function decide(ctx: MemberCtx, target: MemberDoc | undefined, decision: Decision): Promise<BatchOutcome['outcome']> {
  let current = target;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!current) return 'notFound';
    if (current.status !== 'pending') return 'handled';
    try {
      await changeMember(ctx, current, decision, '该申请已被处理，请刷新列表');
      return decision.status === 'active' ? 'approved' : 'rejected';
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'E_CONFLICT') throw err;
      current = (await readAll(ctx, [current.openid])).get(current.openid);
    }
  }
  return 'handled';
}

async function review(ctx: MemberCtx, openids: string[], decision: Decision): Promise<BatchReview> {
  const unique = [...new Set(openids)];
  const found = await readAll(ctx, unique);
  const outcomes = await Promise.all(unique.map((o) => decide(ctx, found.get(o), decision)));
  const items: BatchOutcome[] = unique.map((openid, i) => ({
    openid,
    outcome: outcomes[i],
    ...(outcomes[i] !== 'notFound' ? { name: found.get(openid)?.name } : {}),
  }));
  const done = items.filter((it) => it.outcome === 'approved' || it.outcome === 'rejected').map((it) => it.openid);
  if (done.length) {
    await notify(
      ctx.communityId,
      done,
      decision.status === 'active'
        ? { type: 'member.approved', title: '您已通过社区审核，欢迎加入', link: '/pages/home/index' }
        : { type: 'member.rejected', title: '您的入社区申请未通过', body: decision.rejectReason ?? '如有疑问请联系社区工作人员' },
      ctx.now,
    );
  }
  const count = (o: BatchOutcome['outcome']) => items.filter((it) => it.outcome === o).length;
  return {
    items,
    approved: count('approved'),
    rejected: count('rejected'),
    handled: count('handled'),
    notFound: count('notFound'),
  };
}

export const batchActions = {
  approveMany: action({
    schema: s.approveMany,
    roles: ['worker'],
    handler: async ({ openids }, ctx) => review(ctx, openids, { status: 'active' }),
  }),

  rejectMany: action({
    schema: s.rejectMany,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ openids, reason }, ctx) =>
      review(ctx, openids, reason ? { status: 'rejected', rejectReason: reason } : { status: 'rejected' }),
  }),
};
