// Follow-ups of a booking's state change: give slots back, record strikes and blocks, credit the
// owner's points, tell the people concerned. Each step is idempotent (deterministic ids, message
// keys, removals by owner), so the action that made the change runs them and the timer re-runs
// them for any booking whose `effectsPending` a crash left set.
import { auditSystemOnce } from '../common/audit';
import { insertOnce } from '../common/cas';
import { cmd, collection, getAll } from '../common/db';
import { notify } from '../common/notify';
import { BOOKINGS, LEDGER, POINTS_PER_BOOKING, SLOTS, STRIKES, type BookingDoc, type LedgerDoc, type StrikeDoc } from './model';
import { STRIKE_LOOKBACK_MS, STRIKES_TO_BLOCK, STRIKE_WINDOW_DAYS, BLOCK_DAYS, blockedUntil, dayLabel } from './rules';
import { rangeLabel } from './time';
import { MINUTE_MS } from '../../miniprogram/shared/clock';

export const PAGES = {
  bookings: '/packages/parking/bookings/index',
  spot: (spotId: string) => `/packages/parking/spot/index?id=${spotId}`,
  verify: '/packages/parking/verify/index',
  spots: '/packages/parking/spots/index',
};

/** Removes the booking's slot claims (from `from` on, if given). Only its own attempt's claims. */
export async function releaseSlots(b: Pick<BookingDoc, '_id' | 'attempt'>, from?: Date): Promise<void> {
  const where: Record<string, unknown> = { bookingId: b._id, attempt: b.attempt };
  if (from) where.start = cmd().gte(from);
  await collection(SLOTS).where(where).remove();
}

/** Gives up an unfinished booking attempt: its claims and its pending document. */
export async function abandon(b: Pick<BookingDoc, '_id' | 'attempt'>): Promise<void> {
  await releaseSlots(b);
  await collection(BOOKINGS).where({ _id: b._id, attempt: b.attempt, status: 'pending' }).remove();
}

/** Strike times of a member in a community that can still matter for a block. */
export async function strikeTimes(communityId: string, openid: string, now: Date): Promise<Date[]> {
  const docs = await getAll<StrikeDoc>(
    collection(STRIKES)
      .where({ communityId, openid, at: cmd().gt(new Date(now.getTime() - STRIKE_LOOKBACK_MS)) })
      .orderBy('at', 'desc')
      .limit(100),
  );
  return docs.map((d) => new Date(d.at));
}

async function strike(b: BookingDoc, kind: StrikeDoc['kind'], now: Date): Promise<void> {
  const doc: StrikeDoc = {
    _id: `${b._id}:${kind}`,
    communityId: b.communityId,
    openid: b.booker,
    bookingId: b._id,
    kind,
    at: new Date(b.updatedAt),
  };
  await insertOnce(STRIKES, doc);
  const until = blockedUntil(await strikeTimes(b.communityId, b.booker, now), now);
  if (until) {
    // The rule, not a person, blocks: once per block, whichever run or action gets here first.
    await auditSystemOnce(`block:${b.communityId}:${b.booker}:${until.getTime().toString(36)}`, 'timer.block', now, {
      communityId: b.communityId,
      target: `member:${b.communityId}:${b.booker}`,
      after: { parkingBlockedUntil: until },
      note: `近 ${STRIKE_WINDOW_DAYS} 天未按时入场或超时离场满 ${STRIKES_TO_BLOCK} 次，暂停预约 ${BLOCK_DAYS} 天`,
    });
    await notify(
      b.communityId,
      [b.booker],
      {
        type: 'parking.blocked',
        title: `共享车位预约已暂停至${dayLabel(until)}`,
        body: `近 ${STRIKE_WINDOW_DAYS} 天内未按时入场或超时离场满 ${STRIKES_TO_BLOCK} 次，暂停预约 ${BLOCK_DAYS} 天。到期后自动恢复；如有误会请联系社区工作者。`,
        link: PAGES.bookings,
        key: `parking-blocked:${b.communityId}:${b.booker}:${until.getTime()}`,
      },
      now,
    );
  }
}

/** The shortest stay that earns the owner points: a check-in and out within minutes is no use of the spot. */
export const MIN_STAY_FOR_POINTS_MIN = 30;

/**
 * A real stay: checked out at least 30 minutes after checking in — or closed by the timer, the car
 * still there 15 minutes past the end (forgetting to check out counts as staying).
 */
export function earnsPoints(b: Pick<BookingDoc, 'autoClosed' | 'checkedInAt' | 'checkedOutAt'>): boolean {
  if (b.autoClosed) return true;
  if (!b.checkedInAt || !b.checkedOutAt) return false;
  return new Date(b.checkedOutAt).getTime() - new Date(b.checkedInAt).getTime() >= MIN_STAY_FOR_POINTS_MIN * MINUTE_MS;
}

async function creditOwner(b: BookingDoc): Promise<void> {
  if (!earnsPoints(b)) return;
  const doc: LedgerDoc = {
    _id: `parking:${b._id}`,
    communityId: b.communityId,
    openid: b.owner,
    points: POINTS_PER_BOOKING,
    source: 'parking',
    reason: `共享车位 ${b.spotCode} 被使用`,
    refId: b._id,
    at: new Date(b.updatedAt),
  };
  await insertOnce(LEDGER, doc);
}

/** Runs the follow-ups of the booking's current state, then clears `effectsPending`. */
export async function applyEffects(b: BookingDoc, now: Date): Promise<void> {
  const label = `${b.spotCode} ${rangeLabel(new Date(b.start), new Date(b.end))}`;
  const send = (to: string, msg: Parameters<typeof notify>[2]) => notify(b.communityId, [to], msg, now);
  switch (b.status) {
    case 'booked':
      await send(b.owner, {
        type: 'parking.booked',
        title: `您的车位 ${b.spotCode} 有新预约`,
        body: `${label}，车牌 ${b.plate}，预约人 ${b.bookerName}（${b.bookerBuilding}）`,
        link: PAGES.spot(b.spotId),
        key: `parking-booked:${b._id}`,
      });
      break;
    case 'cancelled':
      await releaseSlots(b);
      if (b.cancelledBy === 'owner') {
        await send(b.booker, {
          type: 'parking.cancelled',
          title: '车主取消了您的车位预约',
          body: `${label}。原因：${b.cancelReason ?? '未说明'}。可以在“找车位”里另选车位。`,
          link: PAGES.bookings,
          key: `parking-cancelled:${b._id}`,
        });
      } else {
        await send(b.owner, {
          type: 'parking.cancelled',
          title: `车位 ${b.spotCode} 的一笔预约已取消`,
          body: `${label}，预约人已取消，该时段可再被预约。`,
          link: PAGES.spot(b.spotId),
          key: `parking-cancelled:${b._id}`,
        });
      }
      break;
    case 'no_show':
      await releaseSlots(b);
      await send(b.booker, {
        type: 'parking.no_show',
        title: '车位预约已作废：未按时入场',
        body: `${label}，开始后 30 分钟内未入场，记 1 次爽约。近 ${STRIKE_WINDOW_DAYS} 天满 ${STRIKES_TO_BLOCK} 次将暂停预约 ${BLOCK_DAYS} 天。`,
        link: PAGES.bookings,
        key: `parking-no-show:${b._id}`,
      });
      await send(b.owner, {
        type: 'parking.no_show',
        title: `车位 ${b.spotCode} 的预约人未到，时段已释放`,
        body: label,
        link: PAGES.spot(b.spotId),
        key: `parking-no-show:${b._id}`,
      });
      await strike(b, 'no_show', now);
      break;
    case 'completed':
      if (b.releasedFrom) await releaseSlots(b, new Date(b.releasedFrom));
      await creditOwner(b);
      if (b.overstay) {
        await send(b.booker, {
          type: 'parking.overstay',
          title: b.autoClosed ? '车位使用已超时，系统已结束预约' : '本次停车超时离场',
          body: `${label}，超过结束时间 15 分钟未离场，记 1 次超时。近 ${STRIKE_WINDOW_DAYS} 天满 ${STRIKES_TO_BLOCK} 次将暂停预约 ${BLOCK_DAYS} 天。`,
          link: PAGES.bookings,
          key: `parking-overstay:${b._id}`,
        });
        await strike(b, 'overstay', now);
      }
      break;
    case 'pending':
    case 'checked_in':
      break;
    default: {
      const never: never = b.status;
      throw new Error(`unknown booking status ${String(never)}`);
    }
  }
  await collection(BOOKINGS).where({ _id: b._id, effectsPending: true }).update({ effectsPending: false });
}
