// Shared stage for the parking race tests: a controlled clock, residents put straight into the
// store, a verified spot open every day, and the bookings and claims as stored.
import { put } from '../../local/seed/community';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import type { MemberDoc } from '../../cloudfunctions/common/model';
import { collection } from '../../cloudfunctions/common/db';
import type { caller } from './call';
import { data } from './call';

export { CLOCK, at } from './clock';
/** `t('2030-01-07', '10:00')` → an ISO instant in +08:00. */
export const t = (day: string, hm: string) => `${day}T${hm}:00+08:00`;
export const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Active residents of the demo community, `${prefix}-1` …, put straight into the store. */
export async function addResidents(prefix: string, count: number): Promise<string[]> {
  const now = new Date();
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  for (const [i, openid] of ids.entries()) {
    const member: MemberDoc = {
      _id: `demo:${openid}`,
      communityId: 'demo',
      openid,
      name: `住户${i + 1}`,
      building: '3栋',
      room: `${100 + i}`,
      status: 'active',
      roles: ['resident'],
      tags: [],
      skills: [],
      onDuty: false,
      joinedAt: now,
      updatedAt: now,
      version: 1,
    };
    await put('members', member);
    await put('users', { _id: openid, currentCommunityId: 'demo', updatedAt: now } as { _id: string });
  }
  return ids;
}

/** A verified spot of `owner` open every day 06:00–23:00. */
export async function openSpot(call: ReturnType<typeof caller<ParkingApi>>, owner: string, code: string): Promise<string> {
  const spot = data(await call(owner, 'registerSpot', { code, location: '地下二层' }));
  data(await call('demo-worker', 'verifySpot', { spotId: spot._id }));
  data(await call(owner, 'publishWindow', { spotId: spot._id, weekdays: [1, 2, 3, 4, 5, 6, 7], from: '06:00', to: '23:00' }));
  return spot._id;
}

/** A valid ordinary plate per number: 粤B10001 … */
export const plateOf = (n: number) => `粤B${String(10000 + n).padStart(5, '0')}`;

export interface StoredBooking {
  _id: string;
  status: string;
  spotId: string;
  booker: string;
  plate: string;
  requestId: string;
  start: Date;
  end: Date;
}

export async function storedBookings(where: Record<string, unknown>): Promise<StoredBooking[]> {
  return (await collection('parking_bookings').where(where).limit(1000).get()).data as StoredBooking[];
}

export async function storedClaims(where: Record<string, unknown>): Promise<{ _id: string; bookingId: string; kind?: string }[]> {
  return (await collection('parking_slots').where(where).limit(1000).get()).data as {
    _id: string;
    bookingId: string;
    kind?: string;
  }[];
}

export const overlap = (a: { start: Date | string; end: Date | string }, b: { start: Date | string; end: Date | string }) =>
  new Date(a.start).getTime() < new Date(b.end).getTime() && new Date(b.start).getTime() < new Date(a.end).getTime();

/**
 * Every open booking holds exactly its claims — each half hour of its spot, its booker and its
 * plate — and no claim belongs to anything else; no attempt is left pending.
 */
export async function expectClaimsMatchBookings(
  where: Record<string, unknown>,
  keep: (b: StoredBooking) => boolean = () => true,
): Promise<void> {
  const all = (await storedBookings(where)).filter(keep);
  expect(all.filter((b) => b.status === 'pending')).toEqual([]);
  const open = all.filter((b) => b.status === 'booked' || b.status === 'checked_in');
  const openIds = new Set(open.map((b) => b._id));
  const claims = (await Promise.all(all.map((b) => storedClaims({ bookingId: b._id })))).flat();
  const halfHours = open.reduce((n, b) => n + (new Date(b.end).getTime() - new Date(b.start).getTime()) / 1800_000, 0);
  expect(claims.filter((c) => !openIds.has(c.bookingId))).toEqual([]);
  expect(claims.filter((c) => !c.kind)).toHaveLength(halfHours);
  expect(claims.filter((c) => c.kind === 'booker')).toHaveLength(halfHours);
  expect(claims.filter((c) => c.kind === 'plate')).toHaveLength(halfHours);
}
