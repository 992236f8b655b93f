// Reading parking documents with the community scope and the caller's right to act on them.
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberDoc } from '../common/model';
import { readPage } from '../common/paging';
import type { MemberCtx } from '../common/router';
import type { BookingStatus } from './api';
import { BOOKINGS, SPOTS, type BookingDoc, type SpotDoc } from './model';

export const OPEN_STATUSES: BookingStatus[] = ['booked', 'checked_in'];
export const PAST_STATUSES: BookingStatus[] = ['completed', 'cancelled', 'no_show'];

const SPOT_MISSING = '车位不存在或已删除，请刷新后重试';
const BOOKING_MISSING = '预约不存在或已删除，请刷新后重试';

/**
 * A spot the caller may see: of their community, and verified — or theirs, or they are a worker.
 * Any other spot answers exactly as a missing one (docs/conventions.md, existence).
 */
export async function loadSpot(ctx: MemberCtx, spotId: string): Promise<SpotDoc> {
  const spot = await findById<SpotDoc>(SPOTS, spotId);
  const visible =
    spot?.communityId === ctx.communityId &&
    (spot.status === 'verified' || spot.owner === ctx.openid || ctx.member.roles.includes('worker'));
  if (!spot || !visible) throw new AppError('E_NOT_FOUND', SPOT_MISSING);
  return spot;
}

export async function ownSpot(ctx: MemberCtx, spotId: string): Promise<SpotDoc> {
  const spot = await loadSpot(ctx, spotId);
  if (spot.owner !== ctx.openid) throw new AppError('E_FORBIDDEN', '只有车主本人可以管理这个车位');
  return spot;
}

export async function loadBooking(ctx: MemberCtx, bookingId: string): Promise<BookingDoc> {
  const b = await findById<BookingDoc>(BOOKINGS, bookingId);
  // Only the booker and the spot's owner see a booking (the plate is theirs): to anyone else it is missing.
  if (!b || b.communityId !== ctx.communityId || (b.booker !== ctx.openid && b.owner !== ctx.openid)) {
    throw new AppError('E_NOT_FOUND', BOOKING_MISSING);
  }
  if (b.status === 'pending') throw new AppError('E_CONFLICT', '这笔预约还在处理中，请稍后刷新');
  return b;
}

/** The current membership of each spot's owner, by openid (one read). */
export async function ownersOf(ctx: MemberCtx, spots: SpotDoc[]): Promise<Map<string, MemberDoc>> {
  const ids = [...new Set(spots.map((x) => `${ctx.communityId}:${x.owner}`))];
  if (ids.length === 0) return new Map();
  const docs = await getAll<MemberDoc>(
    collection('members')
      .where({ _id: cmd().in(ids) })
      .limit(ids.length),
  );
  return new Map(docs.map((m) => [m.openid, m]));
}

/**
 * A page of bookings of one spot or one booker: upcoming ones soonest first, past ones latest
 * first. `match` is `{ spotId }` or `{ booker }`.
 */
export function bookingPage(
  ctx: MemberCtx,
  match: { spotId: string } | { booker: string },
  scope: 'upcoming' | 'past',
  pageNo: number,
): Promise<{ docs: BookingDoc[]; hasMore: boolean }> {
  const upcoming = scope === 'upcoming';
  return readPage<BookingDoc>(
    collection(BOOKINGS)
      .where({ communityId: ctx.communityId, ...match, status: cmd().in(upcoming ? OPEN_STATUSES : PAST_STATUSES) })
      .orderBy('start', upcoming ? 'asc' : 'desc'),
    pageNo,
  );
}
