// CloudBase's 7-field cron (second minute hour day month weekday year), in China time.
import { parseCron } from '../../local/cron';
import { parseDatabaseConfig } from '../../local/database-config';

// 2025-06-02 is a Monday. Times are given in UTC+8 and converted.
const cst = (iso: string) => new Date(`${iso}+08:00`);

describe('cron', () => {
  it('matches * and */n', () => {
    const every5min = parseCron('0 */5 * * * * *');
    expect(every5min.matches(cst('2025-06-02T10:05:00'))).toBe(true);
    expect(every5min.matches(cst('2025-06-02T10:05:01'))).toBe(false);
    expect(every5min.matches(cst('2025-06-02T10:06:00'))).toBe(false);
    expect(parseCron('* * * * * * *').matches(cst('2025-06-02T10:06:17'))).toBe(true);
  });

  it('matches numbers, ranges, lists and stepped ranges', () => {
    const c = parseCron('30 0 8-10,14 * * * *');
    expect(c.matches(cst('2025-06-02T09:00:30'))).toBe(true);
    expect(c.matches(cst('2025-06-02T14:00:30'))).toBe(true);
    expect(c.matches(cst('2025-06-02T11:00:30'))).toBe(false);
    const stepped = parseCron('0 10-30/10 * * * * *');
    expect([10, 20, 30].every((m) => stepped.matches(cst(`2025-06-02T09:${m}:00`)))).toBe(true);
    expect(stepped.matches(cst('2025-06-02T09:40:00'))).toBe(false);
    const from = parseCron('0 5/20 * * * * *');
    expect([5, 25, 45].every((m) => from.matches(cst(`2025-06-02T09:${String(m).padStart(2, '0')}:00`)))).toBe(true);
  });

  it('evaluates in China time (UTC+8)', () => {
    const twoAm = parseCron('0 0 2 * * * *');
    expect(twoAm.matches(new Date('2025-06-01T18:00:00Z'))).toBe(true);
    expect(twoAm.matches(new Date('2025-06-02T02:00:00Z'))).toBe(false);
  });

  it('knows weekdays (0 = Sunday, names), months (names) and years', () => {
    const weekdays = parseCron('0 0 9 * * MON-FRI *');
    expect(weekdays.matches(cst('2025-06-02T09:00:00'))).toBe(true); // Monday
    expect(weekdays.matches(cst('2025-06-01T09:00:00'))).toBe(false); // Sunday
    expect(parseCron('0 0 9 * * 0 *').matches(cst('2025-06-01T09:00:00'))).toBe(true);
    expect(parseCron('0 0 0 1 JAN * 2026').matches(cst('2026-01-01T00:00:00'))).toBe(true);
    expect(parseCron('0 0 0 1 JAN * 2026').matches(cst('2025-01-01T00:00:00'))).toBe(false);
  });

  it('computes the next firing', () => {
    const c = parseCron('0 */15 * * * * *');
    expect(c.next(cst('2025-06-02T10:07:12'))?.getTime()).toBe(cst('2025-06-02T10:15:00').getTime());
    expect(parseCron('0 0 2 * * * *').next(cst('2025-06-02T03:00:00'))?.getTime()).toBe(cst('2025-06-03T02:00:00').getTime());
  });

  it('rejects malformed expressions', () => {
    expect(() => parseCron('0 */5 * * * *')).toThrow(/7 fields/);
    expect(() => parseCron('60 * * * * * *')).toThrow(/out of range/);
    expect(() => parseCron('0 */0 * * * * *')).toThrow(/step/);
    expect(() => parseCron('0 x * * * * *')).toThrow(/not a number/);
  });
});

describe('database.json validation', () => {
  it('accepts the documented format and rejects mistakes', () => {
    const ok = parseDatabaseConfig({
      collections: [{ name: 'a', indexes: [{ name: 'x', keys: { f: 1, g: -1 }, unique: true }] }],
    });
    expect(ok.collections[0].indexes[0]).toEqual({ name: 'x', keys: { f: 1, g: -1 }, unique: true, sparse: false });
    expect(() => parseDatabaseConfig({ collections: [{ name: 'a' }, { name: 'a' }] })).toThrow(/twice/);
    expect(() => parseDatabaseConfig({ collections: [{ name: 'bad name' }] })).toThrow(/invalid/);
    expect(() => parseDatabaseConfig({ collections: [{ name: 'a', indexes: [{ name: 'x', keys: { f: 2 } }] }] })).toThrow(
      /1 or -1/,
    );
  });
});
