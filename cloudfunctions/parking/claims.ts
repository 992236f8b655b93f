// The claims a booking takes before it becomes `booked`: for every half hour of its range, the
// spot's slot, the booker's hold and the plate's hold — documents with deterministic ids inserted
// with insertOnce, so the store's unique `_id` is the only arbiter (docs/parking.md).
//
// Claims are taken in one global order — by half hour, then spot, booker, plate — and an attempt
// that finds a claim held by another attempt still in flight keeps what it holds and waits for
// that attempt to finish. Waiting in one global order cannot deadlock (every wait is for a claim
// later than all those the waiter holds), and nobody gives up because of an attempt that later
// rolls back: a booking is refused only for a booking that succeeded — as if the requests had
// come one at a time.
import { insertOnce } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import {
  BOOKINGS,
  SLOTS,
  bookerHoldIdFor,
  plateHoldIdFor,
  slotIdFor,
  type BookingDoc,
  type HoldDoc,
  type SlotDoc,
} from './model';
import { rangeLabel, slotsOf } from './time';

/**
 * How long an attempt waits for others in flight (functions time out after 10 s). Only an attempt
 * that died holding claims makes anyone wait this long; the timer removes it after two minutes.
 */
const WAIT_BUDGET_MS = 6000;
/** An attempt still pending this long after it began has died with its function (10 s timeout). */
const DEAD_AFTER_MS = 15_000;

export const SLOT_TAKEN = '所选时段已被其他邻居预约，请换个时间或换个车位';
const PLATE_TAKEN = '这辆车在所选时段已有车位预约（同一车牌同一时间只能约一个车位），请换个时间或核对车牌';
const BUSY = '同时预约这个时段的人较多，请稍后再试';
const STUCK = '所选时段有一笔中断的预约正在清理，请两分钟后再试，或换个时间';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Claim = (SlotDoc & { kind?: undefined }) | HoldDoc;

/** Every claim of the booking, in the global order. */
export function claimsFor(b: BookingDoc, now: Date): Claim[] {
  const base = { communityId: b.communityId, bookingId: b._id, attempt: b.attempt, createdAt: now };
  return slotsOf(new Date(b.start), new Date(b.end)).flatMap((start): Claim[] => [
    { _id: slotIdFor(b.spotId, start), ...base, spotId: b.spotId, start },
    { _id: bookerHoldIdFor(b.communityId, b.booker, start), ...base, kind: 'booker', start },
    { _id: plateHoldIdFor(b.communityId, b.plate, start), ...base, kind: 'plate', start },
  ]);
}

/** Statuses whose claims stay: a booking holding a claim in one of these is a real conflict. */
const HOLDING = new Set(['booked', 'checked_in', 'completed']);

function refusal(claim: Claim, holder: BookingDoc): AppError {
  if (claim.kind === 'booker') {
    const what = `${holder.spotCode} ${rangeLabel(new Date(holder.start), new Date(holder.end))}`;
    return new AppError('E_CONFLICT', `您在所选时段已经约了车位（${what}），同一时间只能约一个车位`);
  }
  if (claim.kind === 'plate') return new AppError('E_CONFLICT', PLATE_TAKEN);
  return new AppError('E_CONFLICT', SLOT_TAKEN);
}

/**
 * A claim of the booking that a finished booking holds, if any — found in two reads, so an
 * attempt that will lose anyway does not wait in line for attempts in flight ahead of it.
 */
async function finishedHolder(b: BookingDoc, claims: Claim[]): Promise<{ claim: Claim; holder: BookingDoc } | undefined> {
  const held = (
    await getAll<SlotDoc | HoldDoc>(
      collection(SLOTS)
        .where({ _id: cmd().in(claims.map((c) => c._id)) })
        .limit(1000),
    )
  ).filter((c) => c.bookingId !== b._id);
  if (held.length === 0) return undefined;
  const holders = await getAll<BookingDoc>(
    collection(BOOKINGS)
      .where({ _id: cmd().in([...new Set(held.map((c) => c.bookingId))]) })
      .limit(1000),
  );
  for (const c of held) {
    const holder = holders.find((h) => h._id === c.bookingId && h.attempt === c.attempt && HOLDING.has(h.status));
    if (holder) return { claim: claims.find((x) => x._id === c._id) ?? claims[0], holder };
  }
  return undefined;
}

/**
 * Takes every claim of the booking, or throws: `E_CONFLICT` naming what a finished booking holds,
 * or — only when attempts in flight hold out past the budget — asking to try again. The caller
 * removes this attempt's claims (by booking and attempt) when it throws.
 */
export async function claimAll(b: BookingDoc, now: Date): Promise<void> {
  const deadline = performance.now() + WAIT_BUDGET_MS;
  const claims = claimsFor(b, now);
  for (const claim of claims) {
    while (!(await insertOnce(SLOTS, claim))) {
      const held = await findById<SlotDoc | HoldDoc>(SLOTS, claim._id);
      if (!held) continue;
      // An insert that landed although its answer was lost.
      if (held.bookingId === b._id && held.attempt === b.attempt) break;
      // Is any claim of this booking held by a finished booking? Then it loses whatever the
      // attempts in flight do, and need not wait in line behind them.
      const finished = await finishedHolder(b, claims);
      if (finished) throw refusal(finished.claim, finished.holder);
      await awaitHolder(held, b, claim, deadline);
    }
  }
}

/**
 * Waits while the claim's holder is an attempt in flight, watching only the holder's document.
 * Returns when the claim may be free (the attempt gave up, or a cancelled booking is releasing
 * it); throws the refusal when the holder succeeded, or when it died or holds out too long.
 */
async function awaitHolder(held: SlotDoc | HoldDoc, b: BookingDoc, claim: Claim, deadline: number): Promise<void> {
  for (let wait = 20; ; wait = Math.min(Math.round(wait * 1.5), 200)) {
    const holder = await findById<BookingDoc>(BOOKINGS, held.bookingId);
    // Gone, or another attempt under the same id: its claims were removed before its document.
    if (!holder || holder.attempt !== held.attempt) return;
    if (HOLDING.has(holder.status)) throw refusal(claim, holder);
    if (holder.status !== 'pending') {
      await sleep(wait); // cancelled or no-show: its follow-ups are releasing the claims
      return;
    }
    const started = new Date(holder.createdAt).getTime();
    if (new Date(b.createdAt).getTime() - started > DEAD_AFTER_MS) throw new AppError('E_CONFLICT', STUCK);
    if (performance.now() > deadline) throw new AppError('E_CONFLICT', BUSY);
    await sleep(wait + Math.floor(Math.random() * (wait / 2)));
  }
}

/**
 * Removes the booker and plate holds of these bookings (an erasure: their ids hash the person and
 * the car). Holds of open bookings go with the booking; a finished one keeps its holds until then.
 */
export async function forgetHolds(bookingIds: string[]): Promise<void> {
  for (let i = 0; i < bookingIds.length; i += 100) {
    await collection(SLOTS)
      .where({ bookingId: cmd().in(bookingIds.slice(i, i + 100)), kind: cmd().in(['booker', 'plate']) })
      .remove();
  }
}
