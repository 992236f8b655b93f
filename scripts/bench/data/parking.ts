// Parking: verified spots (plus a few pending) with their windows, and a month of bookings with
// their slot claims, points, strikes and messages.
import {
  bookingIdFor,
  DEFAULT_MAX_MINUTES,
  POINTS_PER_BOOKING,
  slotIdFor,
  spotIdFor,
  type BookingDoc,
  type LedgerDoc,
  type SlotDoc,
  type SpotDoc,
  type StrikeDoc,
} from '../../../cloudfunctions/parking/model';
import type { Window } from '../../../cloudfunctions/parking/rules';
import { slotsOf } from '../../../cloudfunctions/parking/time';
import type { BookingStatus } from '../../../cloudfunctions/parking/api';
import { DAY_MS, HOUR_MS, MINUTE_MS, startOfDay } from '../../../miniprogram/shared/clock';
import type { Gen } from './gen';
import type { Community, Person } from './members';
import { addMessage } from './messages';

/** `spots` verified spots and a twentieth more pending; answers the spots open around the clock. */
export function addParking(g: Gen, c: Community, spots: number): { allDay: string[] } {
  const allDay: string[] = [];
  const today = startOfDay(g.now).getTime();
  const owners = c.residents.slice(0, spots + Math.ceil(spots / 20));
  owners.forEach((owner, i) => {
    const code = `B${1 + (i % 3)}-${String(100 + i).padStart(3, '0')}`;
    const verified = i < spots;
    const kind = i % 3;
    const windows: Window[] = !verified
      ? []
      : kind === 0
        ? [{ id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }]
        : kind === 1
          ? [
              { id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
              { id: 'w2', kind: 'weekly', weekdays: [6, 7], from: '09:00', to: '21:00' },
            ]
          : [{ id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '19:00', to: '07:00' }];
    const spot: SpotDoc = {
      _id: spotIdFor(c.doc._id, code),
      communityId: c.doc._id,
      owner: owner.openid,
      ownerName: owner.name,
      ownerBuilding: owner.building,
      code,
      location: `地下${1 + (i % 3)}层 ${String.fromCharCode(65 + (i % 6))} 区 ${i + 1} 号`,
      status: verified ? 'verified' : 'pending',
      rejectReason: '',
      maxMinutes: DEFAULT_MAX_MINUTES,
      windows,
      windowSeq: windows.length,
      ...(verified ? { verifiedBy: c.workers[0].openid, verifiedAt: g.ago(60 * DAY_MS) } : {}),
      createdAt: g.ago((90 - (i % 60)) * DAY_MS),
      updatedAt: g.ago(60 * DAY_MS),
      version: verified ? 2 : 1,
    };
    g.add('parking_spots', spot);
    if (!verified) return;
    if (kind === 0) allDay.push(spot._id);
    // A month back and a week ahead, about one booking a day, 1–3 hours, never overlapping.
    for (let d = -30; d <= 7; d++) {
      if (g.rand() < 0.15) continue;
      const hour = kind === 2 ? 19 + g.int(0, 2) : kind === 1 ? 9 + g.int(0, 5) : 8 + g.int(0, 10);
      const start = new Date(today + d * DAY_MS + hour * HOUR_MS + (g.rand() < 0.5 ? 30 * MINUTE_MS : 0));
      const end = new Date(start.getTime() + g.int(2, 6) * 30 * MINUTE_MS);
      const booker = g.pick(c.residents.filter((r) => r.openid !== owner.openid).slice(0, 1200));
      const future = start.getTime() > g.now.getTime();
      const r = g.rand();
      const status: BookingStatus = future
        ? r < 0.9
          ? 'booked'
          : 'cancelled'
        : r < 0.85
          ? 'completed'
          : r < 0.93
            ? 'cancelled'
            : 'no_show';
      addBooking(g, c, spot, booker, start, end, status);
    }
  });
  return { allDay };
}

function addBooking(g: Gen, c: Community, spot: SpotDoc, booker: Person, start: Date, end: Date, status: BookingStatus): void {
  const requestId = `bench-${spot._id}-${start.getTime()}`;
  const created = new Date(start.getTime() - g.int(1, 72) * HOUR_MS);
  const b: BookingDoc = {
    _id: bookingIdFor(c.doc._id, booker.openid, requestId),
    communityId: c.doc._id,
    spotId: spot._id,
    spotCode: spot.code,
    spotLocation: spot.location,
    owner: spot.owner,
    booker: booker.openid,
    bookerName: booker.name,
    bookerBuilding: booker.building,
    plate: `粤B${String(10000 + Math.floor(g.rand() * 89999))}`,
    start,
    end,
    windowId: 'w1',
    requestId,
    attempt: `a${Math.floor(g.rand() * 1e12).toString(16)}`,
    status,
    effectsPending: false,
    createdAt: created,
    updatedAt: status === 'booked' ? created : end,
    version: status === 'booked' ? 2 : 3,
  };
  if (status === 'cancelled') {
    b.cancelledBy = 'booker';
    b.updatedAt = new Date(start.getTime() - HOUR_MS);
  }
  if (status === 'completed') {
    b.checkedInAt = start;
    b.checkedOutAt = end;
    b.version = 4;
  }
  g.add('parking_bookings', b);
  if (status === 'booked' || status === 'completed') {
    for (const s of slotsOf(start, end)) {
      const slot: SlotDoc = {
        _id: slotIdFor(spot._id, s),
        communityId: c.doc._id,
        spotId: spot._id,
        start: s,
        bookingId: b._id,
        attempt: b.attempt,
        createdAt: created,
      };
      g.add('parking_slots', slot);
    }
  }
  if (status === 'completed') {
    const entry: LedgerDoc = {
      _id: `parking:${b._id}`,
      communityId: c.doc._id,
      openid: spot.owner,
      points: POINTS_PER_BOOKING,
      source: 'parking',
      reason: `车位 ${spot.code} 共享`,
      refId: b._id,
      at: end,
    };
    g.add('points_ledger', entry);
  }
  if (status === 'no_show') {
    const strike: StrikeDoc = {
      _id: `${b._id}:no_show`,
      communityId: c.doc._id,
      openid: booker.openid,
      bookingId: b._id,
      kind: 'no_show',
      at: new Date(start.getTime() + 30 * MINUTE_MS),
    };
    g.add('parking_strikes', strike);
  }
  if (status === 'booked') {
    addMessage(
      g,
      c.doc._id,
      spot.owner,
      {
        type: 'parking.booked',
        title: `您的车位 ${spot.code} 有新预约`,
        body: `车牌 ${b.plate}`,
        key: `parking-booked:${b._id}`,
      },
      created,
    );
  }
}
