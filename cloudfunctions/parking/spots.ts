// Spots: a resident registers one, a worker verifies or rejects it, owners and workers list them.
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import type { MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { readPage } from '../common/paging';
import { ANY_MEMBER, action, type MemberCtx } from '../common/router';
import { parkingSchemas as s, type SpotView } from './api';
import { PAGES } from './effects';
import { DEFAULT_MAX_MINUTES, LEDGER, POINTS_PER_BOOKING, SPOTS, spotIdFor, type SpotDoc } from './model';
import { loadSpot, ownersOf } from './store';
import { spotView, viewerOf } from './views';

const WORKER = ['worker'] as const;

async function notifyWorkers(ctx: MemberCtx, spot: SpotDoc): Promise<void> {
  const workers = await getAll<MemberDoc>(
    collection('members').where({ communityId: ctx.communityId, status: 'active', roles: 'worker' }).limit(50),
  );
  await notify(
    ctx.communityId,
    workers.map((w) => w.openid),
    {
      type: 'system',
      title: `有新的共享车位待核实：${spot.code}`,
      body: `${spot.ownerBuilding} ${spot.ownerName} 登记了车位 ${spot.code}（${spot.location}），请核实产权后通过`,
      link: PAGES.verify,
      key: `parking-register:${spot._id}:${spot.version}`,
    },
    ctx.now,
  );
}

/** A worker's decision on a pending spot: compare-and-set, audit, the owner is told. */
async function decideSpot(ctx: MemberCtx, spotId: string, to: 'verified' | 'rejected', reason = ''): Promise<SpotView> {
  const spot = await loadSpot(ctx, spotId);
  if (spot.status !== 'pending') {
    throw new AppError('E_CONFLICT', spot.status === 'verified' ? '该车位已核实过了' : '该车位的登记已被驳回，请等车主重新提交');
  }
  const patch: Partial<SpotDoc> =
    to === 'verified'
      ? { status: to, verifiedBy: ctx.openid, verifiedAt: ctx.now, updatedAt: ctx.now }
      : { status: to, rejectReason: reason, updatedAt: ctx.now };
  await compareAndSet(
    SPOTS,
    { _id: spot._id, version: spot.version, status: 'pending' },
    patch,
    '该车位刚被其他工作人员处理过，请刷新列表',
  );
  const after = to === 'verified' ? { status: to } : { status: to, rejectReason: reason };
  await audit(ctx, { target: `parking_spot:${spot._id}`, before: { status: spot.status }, after });
  const key = `parking-${to}:${spot._id}:${spot.version + 1}`;
  await notify(
    ctx.communityId,
    [spot.owner],
    to === 'verified'
      ? {
          type: 'parking.verified',
          title: `车位 ${spot.code} 已通过社区核实`,
          body: '现在可以发布开放时段，邻居就能预约了',
          link: PAGES.spot(spot._id),
          key,
        }
      : {
          type: 'parking.rejected',
          title: `车位 ${spot.code} 未通过核实`,
          body: `原因：${reason}。修改后可重新提交登记。`,
          link: PAGES.spots,
          key,
        },
    ctx.now,
  );
  const next: SpotDoc = { ...spot, ...patch, version: spot.version + 1 };
  const owners = await ownersOf(ctx, [next]);
  return spotView(next, viewerOf(ctx), ctx.now, owners.get(next.owner));
}

export const spotActions = {
  registerSpot: action({
    schema: s.registerSpot,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async (input, ctx) => {
      const id = spotIdFor(ctx.communityId, input.code);
      const details = {
        location: input.location,
        photo: input.photo ?? '',
        maxMinutes: (input.maxHours ?? DEFAULT_MAX_MINUTES / 60) * 60,
      };
      const mine = { owner: ctx.openid, ownerName: ctx.member.name, ownerBuilding: ctx.member.building };
      let spot = await findById<SpotDoc>(SPOTS, id);
      // A claim repeated with the photo it already has keeps it (the owner's own upload).
      const kept = spot && spot.owner === ctx.openid && spot.photo ? [spot.photo] : [];
      await checkAttachments(details.photo ? [details.photo] : [], ctx.openid, { keep: kept });
      if (!spot) {
        const doc: SpotDoc = {
          _id: id,
          communityId: ctx.communityId,
          ...mine,
          code: input.code,
          ...details,
          status: 'pending',
          rejectReason: '',
          windows: [],
          windowSeq: 0,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          version: 1,
        };
        if (await insertOnce(SPOTS, doc)) {
          await audit(ctx, {
            target: `parking_spot:${id}`,
            after: { status: 'pending', code: doc.code, location: doc.location },
          });
          await notifyWorkers(ctx, doc);
          return spotView(doc, viewerOf(ctx), ctx.now, ctx.member);
        }
        spot = await findById<SpotDoc>(SPOTS, id);
        if (!spot) throw new AppError('E_CONFLICT');
      }
      const takenMessage = `车位 ${input.code} 已由其他住户登记。如果这是您的车位，请带上产权或租赁证明联系社区工作者`;
      if (spot.owner !== ctx.openid && spot.status !== 'rejected') throw new AppError('E_CONFLICT', takenMessage);
      if (spot.owner === ctx.openid && spot.status === 'verified') {
        const same =
          spot.location === details.location && (spot.photo || '') === details.photo && spot.maxMinutes === details.maxMinutes;
        if (same) return spotView(spot, viewerOf(ctx), ctx.now, ctx.member);
        throw new AppError('E_CONFLICT', '该车位已核实，如需修改位置等信息请联系社区工作者');
      }
      // The owner correcting a pending or rejected claim, or a new claimant after a rejection.
      const patch: Partial<SpotDoc> = { ...mine, ...details, status: 'pending', rejectReason: '', updatedAt: ctx.now };
      if (spot.owner !== ctx.openid) Object.assign(patch, { windows: [] });
      await compareAndSet(SPOTS, { _id: id, version: spot.version, status: spot.status, owner: spot.owner }, patch, takenMessage);
      const next: SpotDoc = { ...spot, ...patch, version: spot.version + 1 };
      await audit(ctx, {
        target: `parking_spot:${id}`,
        before: { status: spot.status, owner: spot.owner, location: spot.location },
        after: { status: 'pending', owner: ctx.openid, location: details.location },
      });
      await notifyWorkers(ctx, next);
      return spotView(next, viewerOf(ctx), ctx.now, ctx.member);
    },
  }),

  mySpots: action({
    schema: s.mySpots,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await readPage<SpotDoc>(
        collection(SPOTS).where({ communityId: ctx.communityId, owner: ctx.openid }).orderBy('createdAt', 'asc'),
        pageNo,
      );
      const earned = await collection(LEDGER)
        .where({ communityId: ctx.communityId, openid: ctx.openid, source: 'parking' })
        .count();
      const viewer = viewerOf(ctx);
      return {
        items: docs.map((d) => spotView(d, viewer, ctx.now, ctx.member)),
        page: pageNo,
        hasMore,
        points: earned.total * POINTS_PER_BOOKING,
      };
    },
  }),

  listSpots: action({
    schema: s.listSpots,
    roles: WORKER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (input.status) where.status = input.status;
      // The verification queue reads oldest first; other lists newest first.
      const { docs, hasMore } = await readPage<SpotDoc>(
        collection(SPOTS)
          .where(where)
          .orderBy('createdAt', input.status === 'pending' ? 'asc' : 'desc'),
        pageNo,
      );
      const owners = await ownersOf(ctx, docs);
      const viewer = viewerOf(ctx);
      return { items: docs.map((d) => spotView(d, viewer, ctx.now, owners.get(d.owner))), page: pageNo, hasMore };
    },
  }),

  verifySpot: action({
    schema: s.verifySpot,
    roles: WORKER,
    handler: async ({ spotId }, ctx) => decideSpot(ctx, spotId, 'verified'),
  }),

  rejectSpot: action({
    schema: s.rejectSpot,
    roles: WORKER,
    limit: 'text',
    handler: async ({ spotId, reason }, ctx) => decideSpot(ctx, spotId, 'rejected', reason),
  }),
};
