// Issue #14.2, the rules a resident would expect, through the real function: one resident and one
// plate hold one spot at a time (also when the requests race), points only for a real stay, and
// spot codes written one way.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import { isSpotCode, normalizeSpotCode } from '../../cloudfunctions/parking/rules';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import {
  CLOCK,
  addResidents,
  at,
  expectClaimsMatchBookings,
  openSpot,
  overlap,
  plateOf,
  storedBookings,
  storedClaims,
  t,
} from '../helpers/parking';
import { forgetHolds } from '../../cloudfunctions/parking/claims';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<ParkingApi>>;
let spots: string[];
let people: string[];
let seq = 0;
const rid = () => `hold-${++seq}-${Date.now()}`;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(t('2030-01-07', '07:00'));
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<ParkingApi>(cloud, 'parking');
  people = await addResidents('hold', 12);
  spots = [];
  for (let i = 1; i <= 4; i++) spots.push(await openSpot(call, 'demo-resident-2', `HOLD-${i}`));
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

const book = (openid: string, spotId: string, day: string, from: string, to: string, plate: string) =>
  call(openid, 'book', { spotId, start: t(day, from), end: t(day, to), plate, requestId: rid() });

describe('one resident, one spot at a time', () => {
  it('a resident who holds a spot cannot book another for an overlapping time; touching or after a cancel is fine', async () => {
    at(t('2030-01-07', '07:00'));
    const [me] = people;
    const first = data(await book(me, spots[0], '2030-01-08', '18:00', '20:00', plateOf(1)));
    const again = await book(me, spots[1], '2030-01-08', '19:00', '21:00', plateOf(2));
    expect(errorCode(again)).toBe('E_CONFLICT');
    expect(refusal(again).message).toContain('同一时间只能约一个车位');
    expect(refusal(again).message).toContain('HOLD-1');
    // The refusal left nothing behind: no attempt, no claim.
    await expectClaimsMatchBookings({ booker: me });
    expect(data(await book(me, spots[1], '2030-01-08', '20:00', '21:00', plateOf(1))).status).toBe('booked');
    data(await call(me, 'cancelBooking', { bookingId: first._id }));
    expect(data(await book(me, spots[1], '2030-01-08', '18:00', '20:00', plateOf(1))).status).toBe('booked');
    await expectClaimsMatchBookings({ booker: me });
  });

  it('a plate is in one spot at a time, whoever books it', async () => {
    at(t('2030-01-07', '07:00'));
    const [, a, b] = people;
    data(await book(a, spots[0], '2030-01-09', '08:00', '10:00', '粤A55555'));
    const same = await book(b, spots[1], '2030-01-09', '09:30', '11:00', '粤a 55555');
    expect(errorCode(same)).toBe('E_CONFLICT');
    expect(refusal(same).message).toContain('同一车牌同一时间只能约一个车位');
    expect(data(await book(b, spots[1], '2030-01-09', '09:30', '11:00', '粤A66666')).status).toBe('booked');
    // Touching the plate's booking is fine.
    expect(data(await book(people[9], spots[2], '2030-01-09', '10:00', '10:30', '粤A55555')).status).toBe('booked');
  });

  it('leaving early frees the resident from the next half hour on', async () => {
    at(t('2030-01-07', '07:00'));
    const me = people[3];
    const b = data(await book(me, spots[0], '2030-01-10', '09:00', '12:00', plateOf(4)));
    at(t('2030-01-10', '09:00'));
    data(await call(me, 'checkIn', { bookingId: b._id }));
    expect(errorCode(await book(me, spots[1], '2030-01-10', '10:30', '11:30', plateOf(4)))).toBe('E_CONFLICT');
    at('2030-01-10T10:10:00+08:00');
    data(await call(me, 'checkOut', { bookingId: b._id }));
    expect(data(await book(me, spots[1], '2030-01-10', '10:30', '11:30', plateOf(4))).status).toBe('booked');
  });

  it('one resident booking two spots for the same evening at once: exactly one succeeds, round after round', async () => {
    at(t('2030-01-07', '07:00'));
    for (let round = 0; round < 8; round++) {
      await forgetLimits();
      const day = `2030-01-${String(11 + round).padStart(2, '0')}`;
      const me = people[4 + (round % 4)];
      const ranges = [
        ['18:00', '22:00'],
        ['19:00', '21:00'],
        ['17:30', '18:30'],
        ['21:30', '22:30'],
      ];
      const answers = await Promise.all(
        spots.map((spotId, i) => book(me, spotId, day, ranges[i][0], ranges[i][1], plateOf(5 + i))),
      );
      const won = answers.filter((a) => a.ok).map((a) => data(a));
      for (const [i, a] of won.entries()) for (const b of won.slice(i + 1)) expect(overlap(a, b)).toBe(false);
      for (const [i, a] of answers.entries()) {
        if (a.ok) continue;
        expect(errorCode(a)).toBe('E_CONFLICT');
        const asked = { start: t(day, ranges[i][0]), end: t(day, ranges[i][1]) };
        expect(won.some((w) => overlap(w, asked))).toBe(true);
      }
      expect(won.length).toBeGreaterThanOrEqual(1);
      const mine = (await storedBookings({ booker: me, status: 'booked' })).filter((x) => x.start >= new Date(t(day, '00:00')));
      expect(mine.map((x) => x._id).sort()).toEqual(won.map((w) => w._id).sort());
      await expectClaimsMatchBookings({ booker: me });
    }
  }, 90_000);

  it('the very same evening on two spots at once, by one resident or with one plate: exactly one', async () => {
    at(t('2030-01-07', '07:00'));
    for (let round = 0; round < 6; round++) {
      const day = `2030-01-${String(20 + round).padStart(2, '0')}`;
      const byPlate = round % 2 === 1;
      const answers = await Promise.all(
        spots.map((spotId, i) =>
          byPlate
            ? book(people[8 + i], spotId, day, '19:00', '21:00', '粤B99999')
            : book(people[8], spotId, day, '19:00', '21:00', plateOf(20 + i)),
        ),
      );
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
      expect(answers.filter((a) => errorCode(a) === 'E_CONFLICT')).toHaveLength(3);
    }
  }, 90_000);
});

describe('points only for a real stay', () => {
  async function stay(spotId: string, me: string, day: string, minutes: number): Promise<number> {
    at(t('2030-01-07', '07:00'));
    const b = data(await book(me, spotId, day, '09:00', '11:00', plateOf(30)));
    at(t(day, '09:00'));
    data(await call(me, 'checkIn', { bookingId: b._id }));
    jest.setSystemTime(new Date(new Date(t(day, '09:00')).getTime() + minutes * 60_000));
    expect(data(await call(me, 'checkOut', { bookingId: b._id })).status).toBe('completed');
    const ledger = await collection('points_ledger')
      .where({ _id: `parking:${b._id}` })
      .get();
    return (ledger.data as { points: number }[]).reduce((n, x) => n + x.points, 0);
  }

  it('in and out within minutes earns nothing; 30 minutes or more earns the owner 10 points', async () => {
    const me = people[11];
    expect(await stay(spots[3], me, '2030-01-28', 5)).toBe(0);
    expect(await stay(spots[3], me, '2030-01-29', 29)).toBe(0);
    expect(await stay(spots[3], me, '2030-01-30', 30)).toBe(10);
    expect(await stay(spots[3], me, '2030-01-31', 90)).toBe(10);
  });

  it('an erasure forgets the holds of finished bookings (their ids hash the person and the car); the spot keeps its record', async () => {
    const ids = (await storedBookings({ booker: people[11], status: 'completed' })).map((b) => b._id);
    expect(ids).toHaveLength(4);
    const holds = async () => (await Promise.all(ids.map((id) => storedClaims({ bookingId: id })))).flat();
    expect((await holds()).filter((c) => c.kind)).not.toEqual([]);
    const spotClaims = (await holds()).filter((c) => !c.kind).length;
    await forgetHolds(ids);
    expect((await holds()).filter((c) => c.kind)).toEqual([]);
    expect((await holds()).filter((c) => !c.kind)).toHaveLength(spotClaims);
  });
});

describe('spot codes written one way', () => {
  it('normalises separators, width and case; refuses what is not a code', () => {
    for (const raw of ['b2 - 088', 'B2 088', 'B2-088', ' b2_088 ', 'Ｂ２－０８８', 'B2--088', 'B2·088', '-B2-088-']) {
      expect([raw, normalizeSpotCode(raw)]).toEqual([raw, 'B2-088']);
    }
    expect(normalizeSpotCode('地下二层 18')).toBe('地下二层-18');
    expect(normalizeSpotCode('B2088')).toBe('B2088');
    for (const bad of ['', ' - ', 'B2#088', 'A-'.repeat(11) + 'A'])
      expect([bad, isSpotCode(normalizeSpotCode(bad))]).toEqual([bad, false]);
  });

  it('registering `b2 - 088`, `B2 088` and `B2-088` is one spot, B2-088, shown that way everywhere', async () => {
    at(t('2030-01-07', '07:00'));
    const first = data(await call('demo-resident-3', 'registerSpot', { code: 'b2 - 088', location: '地下二层' }));
    expect(first.code).toBe('B2-088');
    const again = data(await call('demo-resident-3', 'registerSpot', { code: 'B2 088', location: '地下二层' }));
    expect(again._id).toBe(first._id);
    const other = await call('demo-resident-4', 'registerSpot', { code: 'B2-088', location: '地下二层' });
    expect(errorCode(other)).toBe('E_CONFLICT');
    expect(refusal(other).message).toContain('B2-088');
    const bad = await call('demo-resident-4', 'registerSpot', { code: 'B2#088', location: '地下二层' });
    expect(errorCode(bad)).toBe('E_VALIDATION');
    expect(await storedBookings({ spotId: first._id })).toEqual([]);

    // A spot stored before the rule (two hyphens) is shown normalised in search and bookings.
    const legacy = spots[3];
    await collection('parking_spots').doc(legacy).update({ code: 'HOLD--4' });
    const found = data(await call(people[0], 'search', { start: t('2030-02-01', '09:00'), end: t('2030-02-01', '10:00') }));
    expect(found.items.find((x) => x.spotId === legacy)?.code).toBe('HOLD-4');
    const b = data(await book(people[0], legacy, '2030-02-01', '09:00', '10:00', plateOf(1)));
    expect(b.spotCode).toBe('HOLD-4');
  });
});
