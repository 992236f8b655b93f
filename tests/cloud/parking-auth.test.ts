// Authorization table: every parking action × resident / volunteer / worker / pending member /
// non-member / no identity / the other community. Payloads are valid, so only access decides;
// every refusal writes nothing.
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { DEMO_BOOKING_ID, DEMO_SPOTS } from '../../local/seed/parking';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { WriteWatch } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

const CLOCK: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'nextTick',
    'setImmediate',
    'setTimeout',
    'setInterval',
    'clearTimeout',
    'clearInterval',
    'queueMicrotask',
    'hrtime',
    'performance',
  ],
};
const t = (day: string, hm: string) => `${day}T${hm}:00+08:00`;
const TUE = '2030-01-08';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<ParkingApi>>;
const ids = { toVerify: '', toReject: '', windowToRemove: '' };

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  jest.setSystemTime(new Date(t('2030-01-07', '07:00')));
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<ParkingApi>(cloud, 'parking');
  ids.toVerify = data(await call('demo-resident-1', 'registerSpot', { code: 'AUTH-V', location: '地下一层' }))._id;
  ids.toReject = data(await call('demo-resident-1', 'registerSpot', { code: 'AUTH-R', location: '地下一层' }))._id;
  const spot = data(
    await call('demo-resident-2', 'publishWindow', { spotId: DEMO_SPOTS.resident2, weekdays: [6], from: '22:00', to: '23:00' }),
  );
  ids.windowToRemove = spot.windows[spot.windows.length - 1].id;
  // A pending applicant: identified, in the community, not yet approved.
  data(
    await caller<MemberApi>(cloud, 'member')('applicant-1', 'join', {
      inviteCode: DEMO_INVITES.pending,
      name: '新住户',
      building: '3栋',
      room: '901',
    }),
  );
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

type Who =
  | 'resident'
  | 'volunteer'
  | 'worker'
  | 'pending member'
  | 'non-member'
  | 'no identity'
  | 'other resident'
  | 'other worker'
  | 'owner'
  | 'booker';
const OPENID: Record<Who, string | undefined> = {
  resident: 'demo-resident-5',
  volunteer: 'demo-volunteer-3',
  worker: 'demo-worker',
  'pending member': 'applicant-1',
  'non-member': 'nobody-at-all',
  'no identity': undefined,
  'other resident': 'other-resident',
  'other worker': 'other-worker',
  owner: 'demo-resident-2',
  booker: 'demo-resident-3',
};
const EVERYONE: Who[] = [
  'resident',
  'volunteer',
  'worker',
  'pending member',
  'non-member',
  'no identity',
  'other resident',
  'other worker',
];

/** Booking payloads need distinct ranges and request ids per caller. */
const hours: Partial<Record<Who, string>> = {
  resident: '08',
  volunteer: '09',
  worker: '10',
  'other resident': '11',
  'other worker': '12',
};
const bookPayload = (who: Who) => ({
  spotId: DEMO_SPOTS.resident2,
  start: t(TUE, `${hours[who] ?? '13'}:00`),
  end: t(TUE, `${hours[who] ?? '13'}:30`),
  plate: '粤B54321',
  requestId: `auth-${who.replace(/ /g, '-')}-0001`,
});

const ALL_MEMBERS_OK = { resident: 'OK', volunteer: 'OK', worker: 'OK', 'other resident': 'OK', 'other worker': 'OK' } as const;
const PARTIES_ONLY = {
  resident: 'E_FORBIDDEN',
  volunteer: 'E_FORBIDDEN',
  worker: 'E_FORBIDDEN',
  'other resident': 'E_NOT_FOUND',
  'other worker': 'E_NOT_FOUND',
} as const;
/** A booking is seen only by its booker and the spot's owner: to everyone else it does not exist. */
const BOOKING_PARTIES_ONLY = {
  resident: 'E_NOT_FOUND',
  volunteer: 'E_NOT_FOUND',
  worker: 'E_NOT_FOUND',
  'other resident': 'E_NOT_FOUND',
  'other worker': 'E_NOT_FOUND',
} as const;
const WORKER_ONLY = {
  resident: 'E_FORBIDDEN',
  volunteer: 'E_FORBIDDEN',
  worker: 'OK',
  'other resident': 'E_FORBIDDEN',
  'other worker': 'E_NOT_FOUND',
} as const;

const table: [keyof ParkingApi, (who: Who) => unknown, Partial<Record<Who, string>>][] = [
  ['registerSpot', (who) => ({ code: `AUTH-${who.replace(/ /g, '-')}`.slice(0, 20), location: '地下一层' }), ALL_MEMBERS_OK],
  ['mySpots', () => ({}), ALL_MEMBERS_OK],
  ['myBookings', () => ({ scope: 'past' }), ALL_MEMBERS_OK],
  ['search', () => ({ start: t(TUE, '14:00'), end: t(TUE, '15:00') }), ALL_MEMBERS_OK],
  [
    'spotSchedule',
    () => ({ spotId: DEMO_SPOTS.resident2, date: TUE, days: 2 }),
    { ...ALL_MEMBERS_OK, 'other resident': 'E_NOT_FOUND', 'other worker': 'E_NOT_FOUND' },
  ],
  ['listSpots', () => ({ status: 'pending' }), { ...WORKER_ONLY, 'other worker': 'OK' }],
  ['verifySpot', () => ({ spotId: ids.toVerify }), WORKER_ONLY],
  ['rejectSpot', () => ({ spotId: ids.toReject, reason: '材料不全' }), WORKER_ONLY],
  [
    'publishWindow',
    () => ({ spotId: DEMO_SPOTS.resident2, weekdays: [7], from: '22:00', to: '23:00' }),
    { ...PARTIES_ONLY, owner: 'OK' },
  ],
  ['removeWindow', () => ({ spotId: DEMO_SPOTS.resident2, windowId: ids.windowToRemove }), { ...PARTIES_ONLY, owner: 'OK' }],
  ['spotBookings', () => ({ spotId: DEMO_SPOTS.resident4 }), { ...PARTIES_ONLY, booker: 'E_FORBIDDEN' }],
  [
    'book',
    bookPayload,
    { ...ALL_MEMBERS_OK, 'other resident': 'E_NOT_FOUND', 'other worker': 'E_NOT_FOUND', owner: 'E_FORBIDDEN' },
  ],
  ['checkIn', () => ({ bookingId: DEMO_BOOKING_ID }), { ...BOOKING_PARTIES_ONLY }],
  ['checkOut', () => ({ bookingId: DEMO_BOOKING_ID }), { ...BOOKING_PARTIES_ONLY }],
  ['cancelBooking', () => ({ bookingId: DEMO_BOOKING_ID, reason: '临时有事' }), { ...BOOKING_PARTIES_ONLY, booker: 'OK' }],
];

const FIXED: Partial<Record<Who, string>> = {
  'pending member': 'E_NOT_MEMBER',
  'non-member': 'E_NOT_MEMBER',
  'no identity': 'E_UNAUTHENTICATED',
};

// Many orders and bookings by the same callers; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

describe('authorization table', () => {
  /** A refused call writes nothing (every collection, by its data file; helpers/snapshot.ts). */
  const watch = new WriteWatch(() => cloud.dataDir);
  for (const [act, payload, expected] of table) {
    const callers = [...EVERYONE, ...(['owner', 'booker'] as Who[]).filter((w) => expected[w])];
    for (const who of callers) {
      const want = FIXED[who] ?? expected[who];
      it(`${act} as ${who} → ${want}`, async () => {
        expect(want).toBeDefined();
        const before = want === 'OK' ? undefined : await watch.before();
        const res = await cloud.invoke('parking', { action: act, payload: payload(who) }, OPENID[who]);
        expect(errorCode(res)).toBe(want);
        if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/);
        if (before) expect(await watch.written(before)).toEqual([]);
      });
    }
  }

  it('the owner checking in or out for the booker is refused', async () => {
    expect(errorCode(await call('demo-resident-4', 'checkIn', { bookingId: DEMO_BOOKING_ID }))).toBe('E_FORBIDDEN');
  });

  it('an unknown action is answered as such', async () => {
    expect(errorCode(await cloud.invoke('parking', { action: 'dropSpots', payload: {} }, 'demo-worker'))).toBe(
      'E_UNKNOWN_ACTION',
    );
  });
});
