// Concurrency: many neighbours booking one spot at once never produce overlapping bookings.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { BookingView, ParkingApi } from '../../cloudfunctions/parking/api';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { CLOCK, addResidents, at, t } from '../helpers/parking';
import { caller, data, errorCode } from '../helpers/call';

const DAY = '2030-01-08'; // a Tuesday

let cloud: LocalCloud;
let call: ReturnType<typeof caller<ParkingApi>>;
let spotId: string;
let residents: string[] = [];

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(t('2030-01-07', '07:00'));
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<ParkingApi>(cloud, 'parking');
  residents = await addResidents('race-resident', 30);
  const spot = data(await call('demo-resident-2', 'registerSpot', { code: 'RACE-1', location: '地下二层' }));
  data(await call('demo-worker', 'verifySpot', { spotId: spot._id }));
  data(
    await call('demo-resident-2', 'publishWindow', {
      spotId: spot._id,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      from: '06:00',
      to: '23:00',
    }),
  );
  spotId = spot._id;
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const overlaps = (a: BookingView, b: BookingView) => a.start < b.end && b.start < a.end;

async function bookingsOf(where: Record<string, unknown>) {
  return (await collection('parking_bookings').where(where).limit(1000).get()).data as {
    _id: string;
    status: string;
    start: Date;
    end: Date;
  }[];
}

async function claimsOf(where: Record<string, unknown>) {
  return (await collection('parking_slots').where(where).limit(1000).get()).data as { _id: string; bookingId: string }[];
}

/** Every claim belongs to an open booking, and every open booking holds exactly its own half hours. */
async function expectClaimsMatchBookings(): Promise<void> {
  const open = (await bookingsOf({ spotId })).filter((b) => b.status === 'booked' || b.status === 'checked_in');
  const claims = await claimsOf({ spotId });
  const expected = open.reduce((n, b) => n + (new Date(b.end).getTime() - new Date(b.start).getTime()) / 1800_000, 0);
  expect(claims).toHaveLength(expected);
  const openIds = new Set(open.map((b) => b._id));
  expect(claims.every((c) => openIds.has(c.bookingId))).toBe(true);
  expect((await bookingsOf({ spotId })).filter((b) => b.status === 'pending')).toEqual([]);
}

describe('thirty neighbours booking one spot at once', () => {
  it('overlapping ranges: the winners never overlap, every loser gets E_CONFLICT', async () => {
    at(t('2030-01-07', '07:00'));
    // Deterministic spread of ranges between 09:00 and 15:00, 1 to 3 hours long.
    const ranges = residents.map((_, i) => {
      const start = 9 * 60 + ((i * 7) % 10) * 30;
      const length = 60 + ((i * 5) % 5) * 30;
      return [hm(start), hm(Math.min(start + length, 15 * 60))] as const;
    });
    const results = await Promise.all(
      residents.map((openid, i) =>
        call(openid, 'book', {
          spotId,
          start: t(DAY, ranges[i][0]),
          end: t(DAY, ranges[i][1]),
          plate: '粤B12345',
          requestId: `race-a-${openid}`,
        }),
      ),
    );
    const winners = results.filter((r) => r.ok).map((r) => data(r));
    const losers = results.filter((r) => !r.ok);
    expect(winners.length).toBeGreaterThan(0);
    expect(winners.length + losers.length).toBe(30);
    for (const r of losers) expect(errorCode(r)).toBe('E_CONFLICT');
    for (let i = 0; i < winners.length; i++) {
      for (let j = i + 1; j < winners.length; j++)
        expect([winners[i].label, winners[j].label, overlaps(winners[i], winners[j])]).toEqual([
          winners[i].label,
          winners[j].label,
          false,
        ]);
    }
    expect((await bookingsOf({ spotId, status: 'booked' })).map((b) => b._id).sort()).toEqual(winners.map((w) => w._id).sort());
    await expectClaimsMatchBookings();
  });

  it('the very same range: exactly one winner', async () => {
    at(t('2030-01-07', '07:00'));
    const results = await Promise.all(
      residents.map((openid) =>
        call(openid, 'book', {
          spotId,
          start: t(DAY, '18:00'),
          end: t(DAY, '20:00'),
          plate: '粤B54321',
          requestId: `race-b-${openid}`,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'E_CONFLICT')).toHaveLength(29);
    await expectClaimsMatchBookings();
  });

  it('cancel, then the same slot can be booked again — also when many try at once', async () => {
    at(t('2030-01-07', '07:00'));
    const [winner] = (await bookingsOf({ spotId, status: 'booked' })).filter(
      (b) => new Date(b.start).getTime() === new Date(t(DAY, '18:00')).getTime(),
    );
    const booker = ((await collection('parking_bookings').doc(winner._id).get()).data as { booker: string }[])[0].booker;
    data(await call(booker, 'cancelBooking', { bookingId: winner._id }));
    const retry = await Promise.all(
      residents
        .filter((r) => r !== booker)
        .slice(0, 10)
        .map((openid) =>
          call(openid, 'book', {
            spotId,
            start: t(DAY, '19:00'),
            end: t(DAY, '20:00'),
            plate: '粤B54321',
            requestId: `race-c-${openid}`,
          }),
        ),
    );
    expect(retry.filter((r) => r.ok)).toHaveLength(1);
    expect(
      data(
        await call(booker, 'book', {
          spotId,
          start: t(DAY, '18:00'),
          end: t(DAY, '19:00'),
          plate: '粤B54321',
          requestId: `race-d-${booker}`,
        }),
      ).status,
    ).toBe('booked');
    await expectClaimsMatchBookings();
  });

  it('removing a window while people book on it: either the window stays with its bookings, or it goes with none', async () => {
    at(t('2030-01-07', '07:00'));
    for (let round = 0; round < 6; round++) {
      const day = `2030-01-${String(14 + round).padStart(2, '0')}`;
      const owner = data(
        await call('demo-resident-2', 'publishWindow', { spotId, start: t(day, '02:00'), end: t(day, '04:00') }),
      );
      const windowId = owner.windows[owner.windows.length - 1].id;
      const results = await Promise.all([
        ...residents.slice(0, 4).map((openid, i) =>
          call(openid, 'book', {
            spotId,
            start: t(day, hm(minutes('02:00') + i * 30)),
            end: t(day, hm(minutes('02:30') + i * 30)),
            plate: '粤B12345',
            requestId: `race-w${round}-${openid}`,
          }),
        ),
        call('demo-resident-2', 'removeWindow', { spotId, windowId }),
      ]);
      const removed = results[4].ok;
      const booked = (await bookingsOf({ spotId, status: 'booked' })).filter(
        (b) => new Date(b.start) >= new Date(t(day, '00:00')) && new Date(b.start) < new Date(t(day, '23:59')),
      );
      if (removed) expect(booked).toEqual([]);
      else {
        expect(errorCode(results[4])).toBe('E_CONFLICT');
        expect(booked.length).toBeGreaterThan(0);
        const spot = data(await call('demo-resident-2', 'mySpots', {})).items.find((s) => s._id === spotId)!;
        expect(spot.windows.map((w) => w.id)).toContain(windowId);
      }
      for (const r of results.slice(0, 4)) expect(['OK', 'E_CONFLICT', 'E_VALIDATION']).toContain(errorCode(r));
    }
    await expectClaimsMatchBookings();
  });

  it('the owner cancelling while the booker checks in: exactly one of them wins', async () => {
    at(t('2030-01-07', '07:00'));
    const b = data(
      await call('race-resident-30', 'book', {
        spotId,
        start: t('2030-01-09', '09:00'),
        end: t('2030-01-09', '10:00'),
        plate: '粤B12345',
        requestId: 'race-e-0000001',
      }),
    );
    at(t('2030-01-09', '08:50'));
    const [checkIn, cancel] = await Promise.all([
      call('race-resident-30', 'checkIn', { bookingId: b._id }),
      call('demo-resident-2', 'cancelBooking', { bookingId: b._id, reason: '临时要用' }),
    ]);
    expect([checkIn.ok, cancel.ok].filter(Boolean)).toHaveLength(1);
    expect(errorCode(checkIn.ok ? cancel : checkIn)).toBe('E_CONFLICT');
    const doc = (await bookingsOf({ _id: b._id }))[0];
    expect(doc.status).toBe(checkIn.ok ? 'checked_in' : 'cancelled');
  });
});
