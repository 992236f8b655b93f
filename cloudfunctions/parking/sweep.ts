// The parking part of the timer: no-shows, overstays left checked in, abandoned booking attempts,
// and follow-ups a crash interrupted. Each step is a compare-and-set on one booking plus
// idempotent follow-ups, so running the sweep twice (or two sweeps at once) changes nothing twice.
// Bounded: at most `limit` bookings per step and run, none started after the run's deadline; the
// next run takes the rest.
import { auditSystem, type SystemEntry } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { abandon, applyEffects } from './effects';
import { BOOKINGS, type BookingDoc } from './model';
import { MINUTE_MS } from '../../miniprogram/shared/clock';
import { NO_SHOW_AFTER_MIN, OVERSTAY_GRACE_MIN } from './views';

/** A booking attempt this old that never finished has died with its function. */
const ABANDONED_AFTER_MIN = 2;
/** Follow-ups the action itself did not finish within this long are done here. */
const FOLLOW_UP_AFTER_MIN = 1;

export interface ParkingSweepResult {
  noShows: number;
  overstays: number;
  abandoned: number;
  followUps: number;
}

const before = (now: Date, minutes: number) => new Date(now.getTime() - minutes * MINUTE_MS);

async function due(where: Record<string, unknown>, order: string, limit: number): Promise<BookingDoc[]> {
  return getAll<BookingDoc>(collection(BOOKINGS).where(where).orderBy(order, 'asc').limit(limit));
}

/** Moves one booking on; false when someone else moved it first (checked in at the last moment). */
async function settle(b: BookingDoc, patch: Partial<BookingDoc>, now: Date): Promise<boolean> {
  try {
    await compareAndSet(
      BOOKINGS,
      { _id: b._id, version: b.version, status: b.status },
      { ...patch, effectsPending: true, updatedAt: now },
    );
  } catch (err) {
    if (err instanceof AppError && err.code === 'E_CONFLICT') return false;
    throw err;
  }
  await applyEffects({ ...b, ...patch, effectsPending: true, updatedAt: now, version: b.version + 1 }, now);
  return true;
}

/** `deadline`: performance.now() after which no new booking is taken (the timer's time budget). */
export async function sweepParking(now: Date, limit = 50, deadline = Infinity): Promise<ParkingSweepResult> {
  const result: ParkingSweepResult = { noShows: 0, overstays: 0, abandoned: 0, followUps: 0 };
  const late = () => performance.now() >= deadline;

  // Each step's changes go to the audit log in one data call, also when the deadline cuts it short.
  const noShows: SystemEntry[] = [];
  try {
    for (const b of await due({ status: 'booked', start: cmd().lte(before(now, NO_SHOW_AFTER_MIN)) }, 'start', limit)) {
      if (late()) return result;
      if (!(await settle(b, { status: 'no_show' }, now))) continue;
      result.noShows++;
      noShows.push({
        communityId: b.communityId,
        target: `parking_booking:${b._id}`,
        before: { status: 'booked' },
        after: { status: 'no_show' },
        note: `开始后 ${NO_SHOW_AFTER_MIN} 分钟未入场，记爽约 1 次，时段已释放`,
      });
    }
  } finally {
    await auditSystem('timer.noShow', now, noShows);
  }

  const overstays: SystemEntry[] = [];
  try {
    for (const b of await due({ status: 'checked_in', end: cmd().lte(before(now, OVERSTAY_GRACE_MIN)) }, 'end', limit)) {
      if (late()) return result;
      if (!(await settle(b, { status: 'completed', overstay: true, autoClosed: true }, now))) continue;
      result.overstays++;
      overstays.push({
        communityId: b.communityId,
        target: `parking_booking:${b._id}`,
        before: { status: 'checked_in' },
        after: { status: 'completed', overstay: true },
        note: `超过结束时间 ${OVERSTAY_GRACE_MIN} 分钟未离场，系统结束预约，记超时 1 次`,
      });
    }
  } finally {
    await auditSystem('timer.overstay', now, overstays);
  }

  for (const b of await due({ status: 'pending', createdAt: cmd().lte(before(now, ABANDONED_AFTER_MIN)) }, 'createdAt', limit)) {
    if (late()) return result;
    await abandon(b);
    result.abandoned++;
  }

  for (const b of await due(
    { effectsPending: true, updatedAt: cmd().lte(before(now, FOLLOW_UP_AFTER_MIN)) },
    'updatedAt',
    limit,
  )) {
    if (late()) return result;
    await applyEffects(b, now);
    result.followUps++;
  }

  return result;
}
