// Shared parking through the real function on a fresh local cloud, with a controlled clock.
// The week of 2030-01-07 (a Monday) in Asia/Shanghai is the stage.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_BOOKING_ID, DEMO_SPOTS } from '../../local/seed/parking';
import type { ParkingApi, PublishWindowInput } from '../../cloudfunctions/parking/api';
import { sweepParking } from '../../cloudfunctions/parking/sweep';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, runTimer } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

/** Only Date moves under test control; timers and I/O run for real. */
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
const at = (text: string) => jest.setSystemTime(new Date(text));
/** `t('2030-01-07', '10:00')` → an ISO instant in +08:00. */
const t = (day: string, hm: string) => `${day}T${hm}:00+08:00`;
const MON = '2030-01-07';
const TUE = '2030-01-08';
const WED = '2030-01-09';
const THU = '2030-01-10';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<ParkingApi>>;
let seq = 0;
const rid = () => `req-${Date.now()}-${++seq}`;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(t(MON, '07:00'));
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<ParkingApi>(cloud, 'parking');
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

type WindowInput = { start: string; end: string } | { weekdays: number[]; from: string; to: string };

/** A verified spot of `owner` with the given windows. */
async function spotWith(owner: string, code: string, windows: WindowInput[]): Promise<string> {
  const spot = data(await call(owner, 'registerSpot', { code, location: '地下一层' }));
  data(await call('demo-worker', 'verifySpot', { spotId: spot._id }));
  for (const w of windows) data(await call(owner, 'publishWindow', { spotId: spot._id, ...w } as PublishWindowInput));
  return spot._id;
}

/** Each booker's own car: one plate holds one spot at a time (docs/parking.md). */
const PLATES: Record<string, string> = {
  'demo-resident-1': '粤B12345',
  'demo-resident-2': '粤B20002',
  'demo-resident-3': '粤B20003',
  'demo-resident-4': '粤B20004',
  'demo-resident-5': '粤B20005',
  'demo-volunteer-1': '粤B30001',
  'demo-volunteer-2': '粤B30002',
  'demo-worker': '粤B40001',
};
const book = (openid: string, spotId: string, start: string, end: string, plate = PLATES[openid], requestId = rid()) =>
  call(openid, 'book', { spotId, start, end, plate, requestId });

async function docs(name: string, where: Record<string, unknown>) {
  return (await collection(name).where(where).limit(1000).get()).data as ({ _id: string } & Record<string, unknown>)[];
}

async function searchIds(openid: string, start: string, end: string): Promise<string[]> {
  return data(await call(openid, 'search', { start, end })).items.map((s) => s.spotId);
}

// These tests play many callers' worth of actions; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

describe('registering and verifying spots', () => {
  it('a resident registers, workers are told, a worker verifies, the owner is told', async () => {
    at(t(MON, '07:00'));
    const spot = data(await call('demo-resident-3', 'registerSpot', { code: ' b3-001 ', location: '地下一层 3栋电梯旁' }));
    expect(spot).toMatchObject({ code: 'B3-001', status: 'pending', isMine: true, windows: [], maxHours: 12 });
    expect(await docs('messages', { openid: 'demo-worker', key: `parking-register:${spot._id}:1` })).toHaveLength(1);

    const queue = data(await call('demo-worker', 'listSpots', { status: 'pending' }));
    const row = queue.items.find((s) => s._id === spot._id);
    expect(row?.owner).toMatchObject({ name: '周敏', building: '3栋', room: '402' });
    expect(queue.items.map((s) => s._id)).toContain(DEMO_SPOTS.pending);

    const verified = data(await call('demo-worker', 'verifySpot', { spotId: spot._id }));
    expect(verified.status).toBe('verified');
    expect(errorCode(await call('demo-worker', 'verifySpot', { spotId: spot._id }))).toBe('E_CONFLICT');
    const log = await docs('audit', { target: `parking_spot:${spot._id}`, what: 'parking.verifySpot' });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      actor: 'demo-worker',
      what: 'parking.verifySpot',
      before: { status: 'pending' },
      after: { status: 'verified' },
    });
    expect(await docs('messages', { openid: 'demo-resident-3', type: 'parking.verified' })).toHaveLength(1);

    // Registering the same code again is the same spot, unchanged.
    const again = data(await call('demo-resident-3', 'registerSpot', { code: 'B3-001', location: '地下一层 3栋电梯旁' }));
    expect(again).toMatchObject({ _id: spot._id, status: 'verified' });
  });

  it('nobody else can claim a spot someone registered; a rejected claim can be made again', async () => {
    const mine = data(await call('demo-resident-4', 'registerSpot', { code: 'B4-404', location: '地面车位' }));
    const before = await snapshot();
    const res = await call('demo-resident-5', 'registerSpot', { code: 'b4-404', location: '地面车位' });
    expect(errorCode(res)).toBe('E_CONFLICT');
    expect(!res.ok && res.error.message).toContain('B4-404');
    expect(await snapshot()).toEqual(before);

    expect(errorCode(await call('demo-worker', 'rejectSpot', { spotId: mine._id, reason: '' }))).toBe('E_VALIDATION');
    const rejected = data(await call('demo-worker', 'rejectSpot', { spotId: mine._id, reason: '产权证明与车位号不符' }));
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '产权证明与车位号不符' });
    expect(await docs('messages', { openid: 'demo-resident-4', type: 'parking.rejected' })).toHaveLength(1);
    expect(errorCode(await call('demo-worker', 'verifySpot', { spotId: mine._id }))).toBe('E_CONFLICT');

    // The real owner claims it after the rejection.
    const claimed = data(await call('demo-resident-5', 'registerSpot', { code: 'B4-404', location: '地面车位 4号' }));
    expect(claimed).toMatchObject({ _id: mine._id, status: 'pending', isMine: true });
    expect(claimed.rejectReason).toBeUndefined();
    const theirs = data(await call('demo-resident-4', 'mySpots', {}));
    expect(theirs.items.map((s) => s._id)).not.toContain(mine._id);
  });

  it('windows wait for verification; a location with blocked words is refused', async () => {
    const spot = data(await call('demo-resident-5', 'registerSpot', { code: 'B5-500', location: '五栋门口' }));
    expect(
      errorCode(await call('demo-resident-5', 'publishWindow', { spotId: spot._id, weekdays: [1], from: '08:00', to: '10:00' })),
    ).toBe('E_CONFLICT');
    expect(errorCode(await call('demo-resident-5', 'registerSpot', { code: 'B5-501', location: '赌博场所旁' }))).toBe(
      'E_CONTENT_REJECTED',
    );
    expect(await docs('parking_spots', { code: 'B5-501' })).toHaveLength(0);
  });
});

describe('windows', () => {
  let spotId: string;
  beforeAll(async () => {
    at(t(MON, '07:00'));
    spotId = await spotWith('demo-resident-1', 'W-001', [{ weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' }]);
  });

  it('refuses overlapping windows and accepts touching ones', async () => {
    const clash = await call('demo-resident-1', 'publishWindow', { spotId, start: t(TUE, '11:00'), end: t(TUE, '13:00') });
    expect(errorCode(clash)).toBe('E_CONFLICT');
    expect(!clash.ok && clash.error.message).toContain('重叠');
    expect(errorCode(await call('demo-resident-1', 'publishWindow', { spotId, weekdays: [3], from: '20:00', to: '09:00' }))).toBe(
      'E_CONFLICT',
    );
    const touching = data(
      await call('demo-resident-1', 'publishWindow', { spotId, start: t(TUE, '12:00'), end: t(TUE, '14:00') }),
    );
    expect(touching.windows.map((w) => w.label)).toEqual(['每周一至周五 08:00–12:00', '1月8日 周二 12:00–14:00']);
    const overnight = data(
      await call('demo-resident-1', 'publishWindow', { spotId, weekdays: [6, 7], from: '20:00', to: '08:00' }),
    );
    expect(overnight.windows[2]).toMatchObject({
      kind: 'weekly',
      weekdays: [6, 7],
      from: '20:00',
      to: '08:00',
      label: '每周六、周日 20:00–次日 08:00',
    });
  });

  it('refuses malformed windows and someone else’s spot, writing nothing', async () => {
    const bad: [string, unknown, string][] = [
      [
        'both kinds',
        { spotId, start: t(WED, '13:00'), end: t(WED, '14:00'), weekdays: [1], from: '13:00', to: '14:00' },
        'E_VALIDATION',
      ],
      ['neither kind', { spotId }, 'E_VALIDATION'],
      ['off the half hour', { spotId, start: t(WED, '13:10'), end: t(WED, '14:00') }, 'E_VALIDATION'],
      ['clock off the half hour', { spotId, weekdays: [6], from: '13:15', to: '14:00' }, 'E_VALIDATION'],
      ['end before start', { spotId, start: t(WED, '14:00'), end: t(WED, '13:00') }, 'E_VALIDATION'],
      ['in the past', { spotId, start: '2030-01-06T13:00:00+08:00', end: '2030-01-06T14:00:00+08:00' }, 'E_VALIDATION'],
      ['weekday 8', { spotId, weekdays: [8], from: '13:00', to: '14:00' }, 'E_VALIDATION'],
      ['no offset', { spotId, start: '2030-01-09T13:00:00', end: '2030-01-09T14:00:00' }, 'E_VALIDATION'],
      ['someone else’s spot', { spotId, weekdays: [6], from: '13:00', to: '14:00' }, 'E_FORBIDDEN'],
    ];
    for (const [label, payload, code] of bad) {
      const before = await snapshot();
      const who = label === 'someone else’s spot' ? 'demo-resident-2' : 'demo-resident-1';
      const res = await cloud.invoke('parking', { action: 'publishWindow', payload }, who);
      expect([label, errorCode(res)]).toEqual([label, code]);
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await snapshot()).toEqual(before);
    }
  });

  it('removing a window with a future booking is refused with the reason, and allowed once it is cancelled', async () => {
    at(t(MON, '07:00'));
    const spot = data(await call('demo-resident-1', 'mySpots', {})).items.find((s) => s._id === spotId)!;
    const weekly = spot.windows.find((w) => w.kind === 'weekly' && w.from === '08:00')!;
    const b = data(await book('demo-resident-2', spotId, t(THU, '09:00'), t(THU, '10:00'), '粤B88888'));
    const before = await snapshot();
    const res = await call('demo-resident-1', 'removeWindow', { spotId, windowId: weekly.id });
    expect(errorCode(res)).toBe('E_CONFLICT');
    expect(!res.ok && res.error.message).toContain('1 个预约未结束');
    expect(!res.ok && res.error.message).toContain('1月10日 周四 09:00–10:00');
    // Marking and reopening the window bumped the spot's version, nothing else changed.
    const after = await snapshot();
    const strip = (s: Record<string, unknown[]>) => ({
      ...s,
      parking_spots: (s.parking_spots as { _id: string }[]).filter((x) => x._id !== spotId),
    });
    expect(strip(after)).toEqual(strip(before));
    expect(data(await book('demo-resident-3', spotId, t(THU, '10:00'), t(THU, '11:00'), '粤B77777')).status).toBe('booked');

    data(await call('demo-resident-2', 'cancelBooking', { bookingId: b._id }));
    const third = data(await call('demo-resident-3', 'myBookings', {})).items.find((x) => x.spotId === spotId)!;
    data(await call('demo-resident-3', 'cancelBooking', { bookingId: third._id }));
    const removed = data(await call('demo-resident-1', 'removeWindow', { spotId, windowId: weekly.id }));
    expect(removed.windows.map((w) => w.id)).not.toContain(weekly.id);
    expect(errorCode(await call('demo-resident-1', 'removeWindow', { spotId, windowId: weekly.id }))).toBe('E_NOT_FOUND');
    expect(errorCode(await book('demo-resident-2', spotId, t(THU, '09:00'), t(THU, '10:00')))).toBe('E_VALIDATION');
  });
});

describe('availability at the edges', () => {
  let spotId: string;
  beforeAll(async () => {
    at(t(MON, '07:00'));
    spotId = await spotWith('demo-volunteer-2', 'E-001', [
      { weekdays: [1], from: '08:00', to: '12:00' },
      { start: t(MON, '12:00'), end: t(MON, '14:00') },
      { weekdays: [3], from: '20:00', to: '08:00' },
    ]);
  });

  it('a range inside either of two touching windows is free; one across their seam is not', async () => {
    at(t(MON, '07:00'));
    expect(await searchIds('demo-resident-1', t(MON, '08:00'), t(MON, '12:00'))).toContain(spotId);
    expect(await searchIds('demo-resident-1', t(MON, '12:00'), t(MON, '14:00'))).toContain(spotId);
    expect(await searchIds('demo-resident-1', t(MON, '11:00'), t(MON, '13:00'))).not.toContain(spotId);
    expect(await searchIds('demo-resident-1', t(MON, '13:00'), t(MON, '14:30'))).not.toContain(spotId);
    const before = await snapshot();
    const res = await book('demo-resident-1', spotId, t(MON, '11:30'), t(MON, '12:30'));
    expect(errorCode(res)).toBe('E_VALIDATION');
    expect(!res.ok && res.error.message).toContain('开放的同一个时段');
    expect(await snapshot()).toEqual(before);
    // The owner's own spot is not offered to them.
    expect(await searchIds('demo-volunteer-2', t(MON, '08:00'), t(MON, '09:00'))).not.toContain(spotId);
  });

  it('bookings that abut are both fine; overlapping ones are not; availability follows', async () => {
    at(t(MON, '07:00'));
    const first = data(await book('demo-resident-1', spotId, t(MON, '10:00'), t(MON, '11:00')));
    const second = data(await book('demo-resident-2', spotId, t(MON, '11:00'), t(MON, '12:00')));
    expect([first.status, second.status]).toEqual(['booked', 'booked']);
    expect(errorCode(await book('demo-resident-3', spotId, t(MON, '10:30'), t(MON, '11:30')))).toBe('E_CONFLICT');
    expect(errorCode(await book('demo-resident-3', spotId, t(MON, '09:30'), t(MON, '10:30')))).toBe('E_CONFLICT');
    expect(await searchIds('demo-resident-3', t(MON, '09:00'), t(MON, '10:00'))).toContain(spotId);
    expect(await searchIds('demo-resident-3', t(MON, '09:30'), t(MON, '10:30'))).not.toContain(spotId);
    expect(await searchIds('demo-resident-3', t(MON, '11:30'), t(MON, '12:00'))).not.toContain(spotId);
    expect(data(await book('demo-resident-3', spotId, t(MON, '08:00'), t(MON, '10:00'))).status).toBe('booked');
    const claims = await docs('parking_slots', { spotId });
    expect(claims).toHaveLength(8);
    expect(new Set(claims.map((c) => c._id)).size).toBe(8);
  });

  it('a weekly window across midnight belongs to its starting weekday', async () => {
    at(t(MON, '07:00'));
    // Wednesday 20:00 → Thursday 08:00.
    expect(await searchIds('demo-resident-4', t(WED, '22:00'), t(THU, '02:00'))).toContain(spotId);
    expect(await searchIds('demo-resident-4', t(THU, '06:00'), t(THU, '08:00'))).toContain(spotId);
    expect(await searchIds('demo-resident-4', t(THU, '07:00'), t(THU, '09:00'))).not.toContain(spotId);
    expect(await searchIds('demo-resident-4', t(THU, '20:00'), t(THU, '22:00'))).not.toContain(spotId);
    expect(await searchIds('demo-resident-4', t(TUE, '22:00'), t(WED, '02:00'))).not.toContain(spotId);
    expect(data(await book('demo-resident-4', spotId, t(WED, '23:00'), t(THU, '07:00'))).label).toBe(
      '1月9日 周三 23:00–1月10日 07:00',
    );
    expect(errorCode(await book('demo-resident-5', spotId, t(WED, '19:30'), t(WED, '21:00')))).toBe('E_VALIDATION');
    expect(errorCode(await book('demo-resident-5', spotId, t(THU, '06:30'), t(THU, '08:00')))).toBe('E_CONFLICT');
    expect(data(await book('demo-resident-5', spotId, t(THU, '07:00'), t(THU, '08:00'))).status).toBe('booked');
  });

  it('the week view shows windows and bookings per day, plates only to the owner', async () => {
    at(t(MON, '07:00'));
    const owner = data(await call('demo-volunteer-2', 'spotSchedule', { spotId, date: MON, days: 7 }));
    expect(owner.days).toHaveLength(7);
    expect(owner.days[0].label).toBe('1月7日 周一');
    expect(owner.days[0].windows.map((w) => w.label)).toEqual(['08:00–12:00', '12:00–14:00']);
    expect(owner.days[0].bookings.map((b) => [b.label, b.plate])).toEqual([
      ['08:00–10:00', '粤B20003'],
      ['10:00–11:00', '粤B12345'],
      ['11:00–12:00', '粤B20002'],
    ]);
    expect(owner.days[2].windows.map((w) => w.label)).toEqual(['20:00–24:00']);
    expect(owner.days[3].windows.map((w) => w.label)).toEqual(['00:00–08:00']);
    expect(owner.days[3].bookings.map((b) => b.label)).toEqual(['00:00–07:00', '07:00–08:00']);
    expect(owner.days[0].bookings[0].bookerName).toBeDefined();

    const neighbour = data(await call('demo-resident-1', 'spotSchedule', { spotId, date: MON, days: 7 }));
    expect(neighbour.days[0].bookings).toHaveLength(3);
    expect(JSON.stringify(neighbour)).not.toContain('粤B');
    expect(neighbour.days[0].bookings[0]).toEqual({ start: t(MON, '08:00'), end: t(MON, '10:00'), label: '08:00–10:00' });
    const worker = data(await call('demo-worker', 'spotSchedule', { spotId, date: MON, days: 1 }));
    expect(worker.days[0].bookings[0].plate).toBe('粤B***03');
  });
});

describe('bad booking input changes nothing', () => {
  let spotId: string;
  beforeAll(async () => {
    at(t(MON, '07:00'));
    spotId = await spotWith('demo-resident-5', 'V-001', [{ weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }]);
  });
  const ok = () => ({ spotId, start: t(TUE, '10:00'), end: t(TUE, '12:00'), plate: '粤B12345', requestId: rid() });
  const cases: [string, (p: ReturnType<typeof ok>) => unknown, string, string?][] = [
    ['plate too short', (p) => ({ ...p, plate: '粤B1234' }), 'E_VALIDATION', '位数不够'],
    ['plate without a province', (p) => ({ ...p, plate: 'AB12345' }), 'E_VALIDATION', '省份简称'],
    ['plate with the letter I', (p) => ({ ...p, plate: '粤BI2345' }), 'E_VALIDATION', '车牌号格式不对'],
    ['plate too long', (p) => ({ ...p, plate: '粤B123456789' }), 'E_VALIDATION', '位数太多'],
    ['empty plate', (p) => ({ ...p, plate: '' }), 'E_VALIDATION', '请填写车牌号'],
    ['start off the half hour', (p) => ({ ...p, start: t(TUE, '10:15') }), 'E_VALIDATION', '半小时'],
    ['end off the half hour', (p) => ({ ...p, end: t(TUE, '11:59') }), 'E_VALIDATION', '半小时'],
    ['end before start', (p) => ({ ...p, end: t(TUE, '09:00') }), 'E_VALIDATION', '结束时间需晚于开始时间'],
    ['empty range', (p) => ({ ...p, end: p.start }), 'E_VALIDATION', '结束时间需晚于开始时间'],
    ['in the past', (p) => ({ ...p, start: t(MON, '06:00'), end: t(MON, '08:00') }), 'E_VALIDATION', '已经过去'],
    ['too long', (p) => ({ ...p, start: t(TUE, '08:00'), end: t(TUE, '20:30') }), 'E_VALIDATION', '最多预约 12 小时'],
    [
      'too far ahead',
      (p) => ({ ...p, start: '2030-03-01T10:00:00+08:00', end: '2030-03-01T11:00:00+08:00' }),
      'E_VALIDATION',
      '30 天',
    ],
    ['time without an offset', (p) => ({ ...p, start: '2030-01-08T10:00:00' }), 'E_VALIDATION', '时区'],
    ['not a time', (p) => ({ ...p, end: 'tomorrow' }), 'E_VALIDATION', '结束时间'],
    ['short request id', (p) => ({ ...p, requestId: 'x' }), 'E_VALIDATION'],
    ['unknown field', (p) => ({ ...p, price: 0 }), 'E_VALIDATION', 'price'],
    ['operator in spot id', (p) => ({ ...p, spotId: { $ne: '' } }), 'E_VALIDATION'],
    ['unknown spot', (p) => ({ ...p, spotId: 'ps0000000000000000000000' }), 'E_NOT_FOUND'],
    ['another community’s spot', (p) => ({ ...p, spotId: DEMO_SPOTS.other }), 'E_NOT_FOUND'],
    // Another resident's spot not yet verified does not exist for the caller (docs/conventions.md).
    ['an unverified spot', (p) => ({ ...p, spotId: DEMO_SPOTS.pending }), 'E_NOT_FOUND', '车位不存在'],
    ['one’s own spot', (p) => p, 'E_FORBIDDEN', '自己的车位'],
  ];
  for (const [label, make, code, text] of cases) {
    it(`${label} → ${code}`, async () => {
      at(t(MON, '07:00'));
      const before = await snapshot();
      const who = label === 'one’s own spot' ? 'demo-resident-5' : 'demo-resident-1';
      const res = await cloud.invoke('parking', { action: 'book', payload: make(ok()) }, who);
      expect(errorCode(res)).toBe(code);
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      if (text) expect(!res.ok && res.error.message).toContain(text);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('accepts every mainland plate form, normalised', async () => {
    at(t(MON, '07:00'));
    const plates: [string, string][] = [
      ['粤b·12345', '粤B12345'],
      ['京AF01234', '京AF01234'],
      ['沪AD12345', '沪AD12345'],
      ['粤B12345D', '粤B12345D'],
      ['苏E1234学', '苏E1234学'],
    ];
    for (let i = 0; i < plates.length; i++) {
      const b = data(await book('demo-resident-1', spotId, t(WED, `1${i}:00`), t(WED, `1${i}:30`), plates[i][0]));
      expect(b.plate).toBe(plates[i][1]);
    }
  });
});

describe('a repeated request id books once', () => {
  it('sequentially and at once', async () => {
    at(t(MON, '07:00'));
    const spotId = await spotWith('demo-resident-2', 'R-001', [{ weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' }]);
    const requestId = 'repeat-0000000001';
    const first = data(await book('demo-resident-1', spotId, t(TUE, '08:00'), t(TUE, '10:00'), '粤B12345', requestId));
    const again = data(await book('demo-resident-1', spotId, t(TUE, '08:00'), t(TUE, '10:00'), '粤B12345', requestId));
    expect(again._id).toBe(first._id);
    expect(errorCode(await book('demo-resident-1', spotId, t(TUE, '12:00'), t(TUE, '13:00'), '粤B12345', requestId))).toBe(
      'E_CONFLICT',
    );

    const burst = await Promise.all(
      Array.from({ length: 10 }, () =>
        book('demo-resident-3', spotId, t(WED, '08:00'), t(WED, '12:00'), '粤B54321', 'burst-000000001'),
      ),
    );
    expect(burst.every((r) => r.ok)).toBe(true);
    expect(new Set(burst.map((r) => data(r)._id)).size).toBe(1);
    expect(await docs('parking_bookings', { spotId, booker: 'demo-resident-3' })).toHaveLength(1);
    expect(await docs('parking_slots', { spotId })).toHaveLength(4 + 8);
    expect(await docs('messages', { openid: 'demo-resident-2', type: 'parking.booked' })).toHaveLength(2);
  });
});

describe('cancel, check in, check out', () => {
  let spotId: string;
  beforeAll(async () => {
    at(t(MON, '07:00'));
    spotId = await spotWith('demo-resident-4', 'C-001', [{ weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' }]);
  });

  it('the booker cancels up to 30 minutes before the start; the slot can then be booked again', async () => {
    at(t(MON, '09:00'));
    const b = data(await book('demo-resident-5', spotId, t(MON, '10:00'), t(MON, '12:00')));
    expect(b.canCancel).toBe(true);
    at(t(MON, '09:31'));
    const late = await call('demo-resident-5', 'cancelBooking', { bookingId: b._id });
    expect(errorCode(late)).toBe('E_CONFLICT');
    expect(!late.ok && late.error.message).toContain('30 分钟');
    at(t(MON, '09:30'));
    const cancelled = data(await call('demo-resident-5', 'cancelBooking', { bookingId: b._id }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'booker', canCancel: false });
    expect(await docs('parking_slots', { bookingId: b._id })).toHaveLength(0);
    const note = await docs('messages', { openid: 'demo-resident-4', type: 'parking.cancelled' });
    expect(note).toHaveLength(1);
    expect(errorCode(await call('demo-resident-5', 'cancelBooking', { bookingId: b._id }))).toBe('E_CONFLICT');
    expect(data(await book('demo-volunteer-2', spotId, t(MON, '10:00'), t(MON, '12:00'))).status).toBe('booked');
  });

  it('the owner cancels with a reason, and the booker is told it', async () => {
    at(t(MON, '09:00'));
    const b = data(await book('demo-resident-3', spotId, t(TUE, '08:00'), t(TUE, '09:00'), '粤A99999'));
    expect(errorCode(await call('demo-resident-4', 'cancelBooking', { bookingId: b._id }))).toBe('E_VALIDATION');
    // Neither booker nor owner: the booking does not exist for them.
    expect(errorCode(await call('demo-resident-5', 'cancelBooking', { bookingId: b._id, reason: '我想取消' }))).toBe(
      'E_NOT_FOUND',
    );
    at(t(TUE, '07:50'));
    const cancelled = data(await call('demo-resident-4', 'cancelBooking', { bookingId: b._id, reason: '家里来客人要用车位' }));
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'owner',
      cancelReason: '家里来客人要用车位',
      as: 'owner',
    });
    const note = await docs('messages', { openid: 'demo-resident-3', type: 'parking.cancelled' });
    expect(note).toHaveLength(1);
    expect(note[0].body).toContain('家里来客人要用车位');
  });

  it('check in from 15 minutes before the start, leave early, and the rest of the range frees up; the owner earns points', async () => {
    at(t(MON, '09:00'));
    const b = data(await book('demo-resident-5', spotId, t(WED, '13:00'), t(WED, '17:00'), '粤BD12345'));
    at(t(WED, '12:44'));
    expect(errorCode(await call('demo-resident-5', 'checkIn', { bookingId: b._id }))).toBe('E_CONFLICT');
    expect(errorCode(await call('demo-resident-5', 'checkOut', { bookingId: b._id }))).toBe('E_CONFLICT');
    at(t(WED, '12:45'));
    expect(errorCode(await call('demo-resident-4', 'checkIn', { bookingId: b._id }))).toBe('E_FORBIDDEN');
    const inside = data(await call('demo-resident-5', 'checkIn', { bookingId: b._id }));
    expect(inside).toMatchObject({ status: 'checked_in', canCheckOut: true, canCancel: false, checkedInAt: t(WED, '12:45') });
    expect(errorCode(await call('demo-resident-5', 'cancelBooking', { bookingId: b._id }))).toBe('E_CONFLICT');
    expect(errorCode(await call('demo-resident-4', 'cancelBooking', { bookingId: b._id, reason: '有事' }))).toBe('E_CONFLICT');
    at(t(WED, '14:10'));
    const left = data(await call('demo-resident-5', 'checkOut', { bookingId: b._id }));
    expect(left).toMatchObject({ status: 'completed', checkedOutAt: t(WED, '14:10') });
    expect(left.overstay).toBeUndefined();
    // 14:30 on is free again; the claims up to 14:30 stay with the finished booking.
    expect((await docs('parking_slots', { bookingId: b._id, spotId })).map((c) => c._id.split(':')[1]).sort()).toEqual([
      '203001091300',
      '203001091330',
      '203001091400',
    ]);
    expect(data(await book('demo-resident-1', spotId, t(WED, '14:30'), t(WED, '17:00'))).status).toBe('booked');
    const ledger = await docs('points_ledger', { _id: `parking:${b._id}` });
    expect(ledger).toEqual([expect.objectContaining({ openid: 'demo-resident-4', points: 10, source: 'parking' })]);
    expect(data(await call('demo-resident-4', 'mySpots', {})).points).toBe(10);
    expect(errorCode(await call('demo-resident-5', 'checkOut', { bookingId: b._id }))).toBe('E_CONFLICT');
  });

  it('the owner sees plates and bookers; nobody else sees a plate', async () => {
    at(t(MON, '09:00'));
    const b = data(await book('demo-resident-1', spotId, t(THU, '10:00'), t(THU, '11:00'), '川A12345'));
    const owner = data(await call('demo-resident-4', 'spotBookings', { spotId }));
    const row = owner.items.find((x) => x._id === b._id)!;
    expect(row).toMatchObject({ plate: '川A12345', bookerName: '赵秀兰', bookerBuilding: '1栋', as: 'owner', canCancel: true });
    expect(errorCode(await call('demo-resident-2', 'spotBookings', { spotId }))).toBe('E_FORBIDDEN');
    expect(errorCode(await call('demo-worker', 'spotBookings', { spotId }))).toBe('E_FORBIDDEN');
    expect(data(await call('demo-resident-1', 'myBookings', {})).items.find((x) => x._id === b._id)?.plate).toBe('川A12345');
    const past = data(await call('demo-resident-4', 'spotBookings', { spotId, scope: 'past' }));
    expect(past.items.map((x) => x.status)).toEqual(expect.arrayContaining(['cancelled', 'completed']));
  });
});

describe('the timer sweep', () => {
  let spotId: string;
  beforeAll(async () => {
    at(t(MON, '07:00'));
    spotId = await spotWith('demo-volunteer-3', 'S-001', [{ weekdays: [1, 2, 3, 4, 5, 6, 7], from: '06:00', to: '22:00' }]);
  });
  const strikesOf = (openid: string) => docs('parking_strikes', { openid });

  const bookingDoc = async (id: string) => (await docs('parking_bookings', { _id: id }))[0];
  /** A second sweep at the same moment finds nothing to do and writes nothing. */
  async function sweepAgainChangesNothing() {
    const before = await snapshot();
    expect(await sweepParking(new Date())).toEqual({ noShows: 0, overstays: 0, abandoned: 0, followUps: 0 });
    expect(await snapshot()).toEqual(before);
  }

  it('marks a no-show 30 minutes after the start, once, and frees the slot', async () => {
    at(t(MON, '07:00'));
    const b = data(await book('demo-volunteer-1', spotId, t(MON, '10:00'), t(MON, '11:00')));
    at(t(MON, '10:29'));
    await sweepParking(new Date());
    expect(await bookingDoc(b._id)).toMatchObject({ status: 'booked' });
    at(t(MON, '10:30'));
    expect(errorCode(await call('demo-volunteer-1', 'checkIn', { bookingId: b._id }))).toBe('E_CONFLICT');
    expect((await sweepParking(new Date())).noShows).toBeGreaterThanOrEqual(1);
    await sweepAgainChangesNothing();
    expect(await bookingDoc(b._id)).toMatchObject({ status: 'no_show', effectsPending: false });
    expect(await strikesOf('demo-volunteer-1')).toEqual([expect.objectContaining({ _id: `${b._id}:no_show`, kind: 'no_show' })]);
    const told = await docs('messages', { type: 'parking.no_show', key: `parking-no-show:${b._id}` });
    expect(told.map((m) => m.openid).sort()).toEqual(['demo-volunteer-1', 'demo-volunteer-3']);
    expect(await docs('parking_slots', { bookingId: b._id })).toHaveLength(0);
    expect(data(await book('demo-resident-5', spotId, t(MON, '10:30'), t(MON, '11:00'))).status).toBe('booked');
    const mine = data(await call('demo-volunteer-1', 'myBookings', { scope: 'past' }));
    expect(mine.items.find((x) => x._id === b._id)?.status).toBe('no_show');
    expect(mine.recentStrikes).toBe(1);
  });

  it('closes an overstay left checked in, counts it against the booker, and credits the owner', async () => {
    at(t(MON, '07:00'));
    const b = data(await book('demo-volunteer-1', spotId, t(MON, '12:00'), t(MON, '13:00')));
    at(t(MON, '12:05'));
    data(await call('demo-volunteer-1', 'checkIn', { bookingId: b._id }));
    at(t(MON, '13:14'));
    await sweepParking(new Date());
    expect(await bookingDoc(b._id)).toMatchObject({ status: 'checked_in' });
    at(t(MON, '13:15'));
    expect((await sweepParking(new Date())).overstays).toBe(1);
    await sweepAgainChangesNothing();
    expect(await bookingDoc(b._id)).toMatchObject({ status: 'completed', overstay: true, autoClosed: true });
    expect(await strikesOf('demo-volunteer-1')).toHaveLength(2);
    expect(await docs('points_ledger', { _id: `parking:${b._id}` })).toHaveLength(1);
    expect(await docs('messages', { openid: 'demo-volunteer-1', type: 'parking.overstay' })).toHaveLength(1);
    // Leaving late by hand is an overstay too.
    at(t(MON, '13:20'));
    const c = data(await book('demo-volunteer-1', spotId, t(MON, '14:00'), t(MON, '15:00')));
    at(t(MON, '14:00'));
    data(await call('demo-volunteer-1', 'checkIn', { bookingId: c._id }));
    at(t(MON, '15:16'));
    expect(data(await call('demo-volunteer-1', 'checkOut', { bookingId: c._id })).overstay).toBe(true);
  });

  it('three strikes in 30 days block booking for 14 days, with a message; then booking works again', async () => {
    at(t(MON, '15:20'));
    expect(await strikesOf('demo-volunteer-1')).toHaveLength(3);
    const before = await snapshot();
    const blocked = await book('demo-volunteer-1', spotId, t(TUE, '10:00'), t(TUE, '11:00'));
    expect(errorCode(blocked)).toBe('E_FORBIDDEN');
    expect(!blocked.ok && blocked.error.message).toContain('2030年1月21日');
    expect(await snapshot()).toEqual(before);
    expect(await docs('messages', { openid: 'demo-volunteer-1', type: 'parking.blocked' })).toHaveLength(1);
    expect(data(await call('demo-volunteer-1', 'myBookings', {})).blockedUntil).toBe('2030-01-21T15:16:00+08:00');
    expect(data(await call('demo-volunteer-1', 'search', { start: t(TUE, '10:00'), end: t(TUE, '11:00') })).blockedUntil).toBe(
      '2030-01-21T15:16:00+08:00',
    );
    at('2030-01-21T15:16:00+08:00');
    expect(data(await book('demo-volunteer-1', spotId, '2030-01-22T10:00:00+08:00', '2030-01-22T11:00:00+08:00')).status).toBe(
      'booked',
    );
  });

  it('cleans up an attempt that died half way and finishes interrupted follow-ups', async () => {
    at(t(TUE, '07:00'));
    const dead = 'pbdead00000000000000000000';
    const start = new Date(t(TUE, '18:00'));
    await collection('parking_bookings').add({
      _id: dead,
      communityId: 'demo',
      spotId,
      status: 'pending',
      attempt: 'dead',
      start,
      end: new Date(t(TUE, '19:00')),
      // Begun half a minute ago: longer than any function runs, so it died.
      createdAt: new Date(Date.now() - 30_000),
      updatedAt: new Date(),
      effectsPending: false,
      version: 1,
    });
    await collection('parking_slots').add({
      _id: `${spotId}:203001081800`,
      communityId: 'demo',
      spotId,
      start,
      bookingId: dead,
      attempt: 'dead',
      createdAt: new Date(),
    });
    expect(errorCode(await book('demo-resident-2', spotId, t(TUE, '18:00'), t(TUE, '19:00')))).toBe('E_CONFLICT');

    const b = data(await book('demo-resident-2', spotId, t(TUE, '20:00'), t(TUE, '21:00')));
    // As if the function died right after cancelling: claims still held, follow-ups pending.
    await collection('parking_bookings').doc(b._id).update({ status: 'cancelled', cancelledBy: 'booker', effectsPending: true });

    at('2030-01-08T07:00:30+08:00');
    await sweepParking(new Date());
    expect(await bookingDoc(dead)).toBeDefined();
    // Each half hour held for the spot, the booker and the plate.
    expect(await docs('parking_slots', { bookingId: b._id })).toHaveLength(2 * 3);
    at(t(TUE, '07:02'));
    expect(await sweepParking(new Date())).toMatchObject({ abandoned: 1, followUps: 1 });
    await sweepAgainChangesNothing();
    expect(await bookingDoc(dead)).toBeUndefined();
    expect(await docs('parking_slots', { bookingId: b._id })).toHaveLength(0);
    expect(await bookingDoc(b._id)).toMatchObject({ effectsPending: false });
    expect(await docs('messages', { key: `parking-cancelled:${b._id}` })).toHaveLength(1);
    expect(data(await book('demo-resident-3', spotId, t(TUE, '18:00'), t(TUE, '21:00'))).status).toBe('booked');
  });

  it('runs in the scheduled timer function', async () => {
    at(t(WED, '07:00'));
    const b = data(await book('demo-resident-4', spotId, t(WED, '09:00'), t(WED, '10:00')));
    at(t(WED, '09:30'));
    const report = await runTimer(cloud);
    expect(report.parking.noShows).toBeGreaterThanOrEqual(1);
    expect(await bookingDoc(b._id)).toMatchObject({ status: 'no_show' });
    expect((await runTimer(cloud)).parking).toEqual({ noShows: 0, overstays: 0, abandoned: 0, followUps: 0 });
  });
});

describe('lists page by 20', () => {
  it('my bookings and the owner’s list', async () => {
    at(t(MON, '07:00'));
    const spotId = await spotWith('demo-resident-2', 'L-001', [{ weekdays: [6], from: '00:00', to: '00:00' }]);
    for (let i = 0; i < 21; i++) {
      const start = new Date(new Date(t('2030-01-12', '00:00')).getTime() + i * 1800_000).toISOString();
      const end = new Date(new Date(t('2030-01-12', '00:00')).getTime() + (i + 1) * 1800_000).toISOString();
      if (i === 20) await forgetLimits(); // 21 bookings by one caller: past an hour's limit
      data(await book('demo-worker', spotId, start, end, '粤B12345'));
    }
    const first = data(await call('demo-worker', 'myBookings', {}));
    const second = data(await call('demo-worker', 'myBookings', { page: 2 }));
    expect([first.items.length, first.hasMore, second.items.length, second.hasMore]).toEqual([20, true, 1, false]);
    expect(second.items[0].label).toBe('1月12日 周六 10:00–10:30');
    const owner = data(await call('demo-resident-2', 'spotBookings', { spotId, page: 2 }));
    expect([owner.items.length, owner.hasMore, owner.page]).toEqual([1, false, 2]);
    const log = await docs('audit', { actor: 'demo-worker', what: 'parking.book' });
    expect(log).toHaveLength(21);
  });
});

describe('demo seed', () => {
  it('has verified spots with windows, a pending spot, and an upcoming booking whose owner sees the plate', async () => {
    at(t(MON, '07:00'));
    const spots = data(await call('demo-resident-2', 'mySpots', {}));
    expect(spots.items.find((s) => s._id === DEMO_SPOTS.resident2)).toMatchObject({ status: 'verified', code: 'B2-103' });
    expect(data(await call('demo-volunteer-1', 'mySpots', {})).items[0].windows.map((w) => w.kind)).toEqual(['weekly', 'once']);
    expect(data(await call('demo-resident-5', 'mySpots', {})).items.find((s) => s._id === DEMO_SPOTS.pending)?.status).toBe(
      'pending',
    );
    const owner = await call('demo-resident-4', 'spotBookings', { spotId: DEMO_SPOTS.resident4, scope: 'past' });
    const upcoming = await call('demo-resident-4', 'spotBookings', { spotId: DEMO_SPOTS.resident4 });
    const all = [...data(owner).items, ...data(upcoming).items];
    expect(all.find((x) => x._id === DEMO_BOOKING_ID)?.plate).toBe('粤B12345');
  });
});
