// The community's clock answers the same wall time whatever zone the process runs in: a phone in
// Vancouver, a server in UTC, a zone with daylight saving on the day it changes.
import { execFileSync } from 'child_process';
import path from 'path';
import {
  clockText,
  dateText,
  instantOf,
  isoText,
  longDateTime,
  shortDateTime,
  startOfDay,
  wallTime,
} from '../../miniprogram/shared/clock';

const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'America/Vancouver', 'Europe/London', 'Pacific/Chatham'];
const ROOT = path.resolve(__dirname, '../..');

/** Instants around New York's and London's daylight-saving changes of 2026, and a new year. */
const INSTANTS = [
  '2026-03-08T06:30:00Z', // New York springs forward at 07:00Z
  '2026-03-29T00:59:00Z', // London springs forward at 01:00Z
  '2026-11-01T05:30:00Z', // New York falls back at 06:00Z
  '2026-12-31T16:00:00Z', // midnight of 2027-01-01 in Shanghai
  '2026-12-31T15:59:00Z',
];

/** Every answer of the clock for INSTANTS, computed in a process running in `zone`. */
function answersIn(zone: string): unknown {
  const script = `
    const c = require('./miniprogram/shared/clock.ts');
    const out = ${JSON.stringify(INSTANTS)}.map((t) => ({
      wall: c.wallTime(t), date: c.dateText(t), clock: c.clockText(t), iso: c.isoText(t),
      short: c.shortDateTime(t, '2026-06-01T00:00:00Z'), long: c.longDateTime(t),
      day: c.startOfDay(t).toISOString(), back: c.instantOf(c.dateText(t), c.clockText(t)).toISOString(),
    }));
    console.log(JSON.stringify({ offset: new Date(2026, 0, 1).getTimezoneOffset(), out }));`;
  const text = execFileSync(process.execPath, ['-r', './local/register.js', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TZ: zone },
    encoding: 'utf8',
  });
  return JSON.parse(text);
}

test('the same wall time in every zone a phone or a server may run in', () => {
  const shanghai = answersIn('Asia/Shanghai') as { offset: number; out: unknown };
  expect(shanghai.offset).toBe(-480);
  for (const zone of ZONES.slice(1)) {
    const there = answersIn(zone) as { offset: number; out: unknown };
    expect(there.offset).not.toBe(-480); // the process really ran in another zone
    expect({ zone, out: there.out }).toEqual({ zone, out: shanghai.out });
  }
}, 30000);

test('exact values on the community clock', () => {
  expect(dateText('2026-12-31T16:00:00Z')).toBe('2027-01-01');
  expect(clockText('2026-12-31T15:59:00Z')).toBe('23:59');
  expect(isoText('2026-03-08T06:30:00Z')).toBe('2026-03-08T14:30:00+08:00');
  expect(wallTime('2026-03-08T06:30:00Z').weekday).toBe(7); // a Sunday
  expect(shortDateTime('2026-03-08T06:30:00Z', '2026-06-01T00:00:00Z')).toBe('3月8日 14:30');
  expect(shortDateTime('2026-12-31T16:00:00Z', '2026-06-01T00:00:00Z')).toBe('2027年1月1日 00:00');
  expect(longDateTime('2026-03-08T06:30:00Z')).toBe('2026年3月8日 14:30');
  expect(startOfDay('2026-12-31T16:30:00Z').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  expect(instantOf('2027-01-01', '08:30').toISOString()).toBe('2027-01-01T00:30:00.000Z');
});
