// Ending a membership: the member leaves (leave, and every community on erase) or a worker removes
// them. One compare-and-set moves the membership to `left` / `removed` and off duty; a community
// is never left without an active worker; then the obligations (obligations.ts), the current
// community, the audit entry.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberDoc, UserDoc } from '../common/model';
import type { Ctx, MemberCtx } from '../common/router';
import { settleObligations, type Actor, type ObligationCounts } from './obligations';

const LAST_WORKER = '您是本社区唯一的社区工作者，请先为其他成员设置社区工作者角色，再退出';

async function activeWorkers(communityId: string): Promise<string[]> {
  const docs = await getAll<MemberDoc>(
    collection('members').where({ communityId, status: 'active', roles: 'worker' }).field({ openid: true }).limit(2),
  );
  return docs.map((d) => d.openid);
}

const isWorker = (m: MemberDoc) => m.status === 'active' && m.roles.includes('worker');

/** Refuses (E_CONFLICT) when `m` is the only active worker of their community. Reads only. */
export async function assertNotLastWorker(m: MemberDoc): Promise<void> {
  if (!isWorker(m)) return;
  const workers = await activeWorkers(m.communityId);
  if (!workers.some((o) => o !== m.openid)) throw new AppError('E_CONFLICT', LAST_WORKER);
}

/** The audit context of a change in `m`'s community by the caller of `ctx`. */
export const inCommunity = (ctx: Ctx, communityId: string, member: MemberDoc): MemberCtx => ({
  ...ctx,
  communityId,
  member,
});

export interface Departure extends ObligationCounts {
  communityId: string;
  status: 'left' | 'removed';
}

/**
 * Ends `m`'s membership. `actor` is who does it (the member, or the removing worker whose
 * membership is `ctx.member`). Refuses with E_CONFLICT when the membership is no longer what was
 * read (a concurrent leave, removal or change), or when it would leave the community without a
 * worker; nothing is changed then.
 */
export async function endMembership(
  ctx: Ctx,
  m: MemberDoc,
  how: { status: 'left' | 'removed'; actor: Actor; reason?: string },
): Promise<Departure> {
  if (m.status !== 'active' && m.status !== 'pending') throw new AppError('E_CONFLICT', '该成员已不在社区，请刷新');
  await assertNotLastWorker(m);
  const patch: Partial<MemberDoc> = { status: how.status, onDuty: false, leftAt: ctx.now, updatedAt: ctx.now };
  if (how.reason) patch.removeReason = how.reason;
  await compareAndSet(
    'members',
    { _id: m._id, version: m.version, status: m.status },
    patch,
    '成员状态刚刚发生了变化，请刷新后重试',
  );
  if (isWorker(m) && (await activeWorkers(m.communityId)).length === 0) {
    // Two last workers left at the same moment: each saw the other. Undo ours; they may try again.
    await compareAndSet(
      'members',
      { _id: m._id, version: m.version + 1 },
      { status: m.status, onDuty: m.onDuty, leftAt: cmd().remove(), removeReason: cmd().remove() },
    );
    throw new AppError('E_CONFLICT', LAST_WORKER);
  }
  const settled =
    m.status === 'active' ? await settleObligations(m, how.actor, ctx.now, how.status) : { counts: none(), changes: [] };
  const counts = settled.counts;
  await moveCurrent(m, how.status, ctx.now);
  const actorCtx = inCommunity(ctx, m.communityId, ctx.member ?? m);
  // Each order, booking and spot the departure changed, as its own entry (product.md §7).
  for (const change of settled.changes)
    await audit(actorCtx, { ...change, note: `成员${how.status === 'left' ? '退出' : '被移出'}社区` });
  await audit(actorCtx, {
    target: `member:${m._id}`,
    before: { status: m.status, roles: m.roles },
    after: { status: how.status, ...counts },
    note: how.reason,
  });
  return { communityId: m.communityId, status: how.status, ...counts };
}

const none = (): ObligationCounts => ({ cancelledOrders: 0, returnedOrders: 0, cancelledBookings: 0, withdrawnSpots: 0 });

/**
 * When the ended membership was the person's current community: another membership of theirs
 * (active first, then pending) becomes current; with none, nothing is current after leaving, and
 * a removed member keeps the removed membership current so their inbox shows why.
 */
async function moveCurrent(m: MemberDoc, status: 'left' | 'removed', now: Date): Promise<void> {
  const users = collection('users');
  const user = (await getAll<UserDoc>(users.where({ _id: m.openid }).limit(1)))[0];
  if (!user || user.currentCommunityId !== m.communityId) return;
  const others = (await getAll<MemberDoc>(collection('members').where({ openid: m.openid }).limit(50))).filter(
    (o) => o.communityId !== m.communityId && (o.status === 'active' || o.status === 'pending'),
  );
  const next = others.find((o) => o.status === 'active') ?? others[0];
  if (next)
    await users
      .where({ _id: m.openid, currentCommunityId: m.communityId })
      .update({ currentCommunityId: next.communityId, updatedAt: now });
  else if (status === 'left') await users.where({ _id: m.openid, currentCommunityId: m.communityId }).remove();
}

/** The caller's current community after a change: what `leave` answers. */
export async function currentCommunityOf(openid: string): Promise<string | null> {
  const user = (await getAll<UserDoc>(collection('users').where({ _id: openid }).limit(1)))[0];
  return user?.currentCommunityId ?? null;
}
