// The pure rules of parking, edge by edge, and the mini-program's copies of them kept in step.
import {
  blockedUntil,
  coveringWindow,
  isClosing,
  isPlate,
  normalizePlate,
  occurrences,
  plateProblem,
  windowsOverlap,
  type Window,
} from '../../cloudfunctions/parking/rules';
import { isoMinute as isoLocal, rangeLabel, slotKey } from '../../cloudfunctions/parking/time';
import { isIsoWithOffset } from '../../cloudfunctions/common/schema';
import { startOfDay, wallTime as local } from '../../miniprogram/shared/clock';
import { weekdaysLabel, windowLabel } from '../../cloudfunctions/parking/views';
import * as client from '../../miniprogram/packages/parking/utils';

const at = (text: string) => new Date(text);
const sh = (day: string, hm: string) => new Date(`${day}T${hm}:00+08:00`);
const DAY = 86400_000;

describe('plates', () => {
  const good = ['粤B12345', '京A1234学', '沪AD12345', '京AF01234', '粤B12345D', '苏E1234挂', '川A0000A'];
  const bad = ['', '粤B1234', 'AB12345', '粤1B2345', '粤BI2345', '粤BO2345', '粤B123456789', '粤B1234$', 'XX12345', '粤BZ12345'];

  it('accepts ordinary and new-energy plates and refuses the rest', () => {
    for (const p of good) expect([p, isPlate(p)]).toEqual([p, true]);
    for (const p of bad) expect([p, isPlate(normalizePlate(p))]).toEqual([p, false]);
    expect(normalizePlate(' 粤b·12 345 ')).toBe('粤B12345');
  });

  it('the mini-program says exactly what the function says', () => {
    for (const p of [...good, ...bad, ' 粤b·12345', '粤b-d12345']) {
      expect([p, client.plateProblem(p), client.normalizePlate(p)]).toEqual([p, plateProblem(p), normalizePlate(p)]);
    }
  });
});

describe('time on the community clock (+08:00)', () => {
  it('reads instants in Asia/Shanghai whatever their offset', () => {
    const d = at('2030-01-06T16:30:00Z'); // Monday 00:30 in Shanghai, Sunday in UTC
    expect(local(d)).toMatchObject({ weekday: 1, hour: 0, minute: 30, day: 7 });
    expect(isoLocal(d)).toBe('2030-01-07T00:30:00+08:00');
    expect(slotKey(d)).toBe('203001070030');
    expect(startOfDay(d).toISOString()).toBe('2030-01-06T16:00:00.000Z');
  });

  it('needs an offset on every instant', () => {
    expect(isIsoWithOffset('2030-01-07T10:00:00+08:00')).toBe(true);
    expect(isIsoWithOffset('2030-01-07T10:00Z')).toBe(true);
    expect(isIsoWithOffset('2030-01-07T10:00:00')).toBe(false);
    expect(isIsoWithOffset('2030-13-07T10:00:00+08:00')).toBe(false);
    expect(isIsoWithOffset('2030-01-07 10:00:00+08:00')).toBe(false);
  });

  it('labels ranges in plain Chinese', () => {
    expect(rangeLabel(sh('2030-01-07', '10:00'), sh('2030-01-07', '12:00'))).toBe('1月7日 周一 10:00–12:00');
    expect(rangeLabel(sh('2030-01-07', '20:00'), sh('2030-01-08', '00:00'))).toBe('1月7日 周一 20:00–24:00');
    expect(rangeLabel(sh('2030-01-07', '20:00'), sh('2030-01-08', '08:00'))).toBe('1月7日 周一 20:00–1月8日 08:00');
  });
});

describe('windows', () => {
  const weekdayDay: Window = { id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' };
  const overnight: Window = { id: 'w2', kind: 'weekly', weekdays: [7], from: '22:00', to: '06:00' };
  const allDay: Window = { id: 'w3', kind: 'weekly', weekdays: [6], from: '00:00', to: '00:00' };
  const once: Window = { id: 'w4', kind: 'once', start: sh('2030-01-07', '18:00'), end: sh('2030-01-07', '20:00') };
  const now = sh('2030-01-01', '00:00');

  it('weekly occurrences follow the weekday of their start, across midnight', () => {
    const week = occurrences(overnight, sh('2030-01-06', '00:00'), sh('2030-01-08', '00:00'));
    expect(week.map((o) => [isoLocal(o.start), isoLocal(o.end)])).toEqual([
      ['2030-01-06T22:00:00+08:00', '2030-01-07T06:00:00+08:00'],
    ]);
    expect(occurrences(allDay, sh('2030-01-12', '12:00'), sh('2030-01-12', '13:00')).map((o) => isoLocal(o.end))).toEqual([
      '2030-01-13T00:00:00+08:00',
    ]);
  });

  it('a range must lie inside one occurrence; touching windows do not join', () => {
    const all = [weekdayDay, overnight, once];
    expect(coveringWindow(all, sh('2030-01-07', '08:00'), sh('2030-01-07', '18:00'), now)?.windowId).toBe('w1');
    expect(coveringWindow(all, sh('2030-01-07', '18:00'), sh('2030-01-07', '20:00'), now)?.windowId).toBe('w4');
    expect(coveringWindow(all, sh('2030-01-07', '17:30'), sh('2030-01-07', '18:30'), now)).toBeUndefined();
    expect(coveringWindow(all, sh('2030-01-07', '05:00'), sh('2030-01-07', '06:00'), now)?.windowId).toBe('w2');
    expect(coveringWindow(all, sh('2030-01-07', '05:30'), sh('2030-01-07', '06:30'), now)).toBeUndefined();
    expect(coveringWindow(all, sh('2030-01-12', '08:00'), sh('2030-01-12', '09:00'), now)).toBeUndefined(); // Saturday
  });

  it('a window being removed is closed for a minute, then open again if the removal died', () => {
    const marked: Window = { ...weekdayDay, closingSince: sh('2030-01-07', '07:00') };
    const range = [sh('2030-01-07', '09:00'), sh('2030-01-07', '10:00')] as const;
    expect(isClosing(marked, sh('2030-01-07', '07:00'))).toBe(true);
    expect(coveringWindow([marked], ...range, new Date(sh('2030-01-07', '07:00').getTime() + 59_000))).toBeUndefined();
    expect(coveringWindow([marked], ...range, new Date(sh('2030-01-07', '07:00').getTime() + 60_000))?.windowId).toBe('w1');
  });

  it('overlap is time shared, across midnight and between kinds; touching is fine', () => {
    const mondayEarly: Window = { id: 'a', kind: 'weekly', weekdays: [1], from: '05:00', to: '07:00' };
    const mondayMorning: Window = { id: 'b', kind: 'weekly', weekdays: [1], from: '06:00', to: '08:00' };
    expect(windowsOverlap(overnight, mondayEarly)).toBe(true);
    expect(windowsOverlap(overnight, mondayMorning)).toBe(false);
    expect(windowsOverlap(weekdayDay, once)).toBe(false);
    expect(windowsOverlap(weekdayDay, { ...once, start: sh('2030-01-07', '17:30') })).toBe(true);
    expect(windowsOverlap(allDay, { ...once, start: sh('2030-01-12', '23:00'), end: sh('2030-01-13', '01:00') })).toBe(true);
  });

  it('labels windows the way an owner reads them', () => {
    expect(windowLabel(weekdayDay)).toBe('每周一至周五 08:00–18:00');
    expect(windowLabel(overnight)).toBe('每周日 22:00–次日 06:00');
    expect(windowLabel(allDay)).toBe('每周六 全天');
    expect(windowLabel({ ...overnight, to: '00:00' })).toBe('每周日 22:00–24:00');
    expect(weekdaysLabel([1, 3, 5])).toBe('每周一、周三、周五');
    expect(weekdaysLabel([1, 2, 3, 4, 5, 6, 7])).toBe('每天');
    expect(weekdaysLabel([6, 7, 1])).toBe('每周一、周六、周日');
  });
});

describe('blocks', () => {
  const t0 = sh('2030-01-01', '10:00');
  const plus = (days: number) => new Date(t0.getTime() + days * DAY);

  it('three strikes within 30 days block for 14 days from the third', () => {
    expect(blockedUntil([t0, plus(10)], plus(11))).toBeUndefined();
    expect(blockedUntil([t0, plus(10), plus(30)], plus(30))?.toISOString()).toBe(plus(44).toISOString());
    expect(blockedUntil([t0, plus(10), plus(30)], plus(44))).toBeUndefined();
    expect(blockedUntil([t0, plus(10), plus(31)], plus(31))).toBeUndefined();
    expect(blockedUntil([plus(31), t0, plus(10), plus(20)], plus(32))?.toISOString()).toBe(plus(45).toISOString());
  });
});

describe('the mini-program’s time pickers', () => {
  const now = sh('2030-01-07', '07:10').getTime();

  it('offers today’s half hours still ahead, and ends up to the spot’s maximum', () => {
    const starts = client.startOptions('2030-01-07', now);
    expect(starts[0].label).toBe('07:30');
    expect(starts[starts.length - 1].label).toBe('23:30');
    const ends = client.endOptions(sh('2030-01-07', '20:00').getTime());
    expect(ends[0].label).toBe('20:30');
    expect(ends.map((e) => e.label)).toContain('24:00');
    expect(ends[ends.length - 1].label).toBe('次日 08:00');
    expect(client.isoOf(ends[ends.length - 1].at)).toBe('2030-01-08T08:00:00+08:00');
  });

  it('names the next days', () => {
    expect(client.dayOptions(now, 3).map((d) => `${d.name} ${d.day}`)).toEqual(['今天 1月7日', '明天 1月8日', '周三 1月9日']);
    expect(client.rangeText(sh('2030-01-07', '22:00').getTime(), sh('2030-01-08', '02:00').getTime())).toBe(
      '1月7日 周一 22:00–次日 02:00',
    );
  });
});
