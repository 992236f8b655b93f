// CloudBase timer triggers: 7-field cron, `second minute hour day month weekday year`, evaluated in
// China time (UTC+8, where CloudBase runs the schedule). Each field takes `*`, `*/n`, `a/n`,
// numbers, ranges `a-b` (with `/n`), and comma lists; months take JAN…DEC, weekdays SUN…SAT
// (0 = Sunday, as Tencent SCF documents it; 7 is accepted as Sunday too).

export const CRON_TZ_OFFSET_MINUTES = 8 * 60;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'weekday', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2099 },
];

export interface Cron {
  readonly source: string;
  /** True when the schedule fires at this second. */
  matches(date: Date): boolean;
  /** The first firing strictly after `from` (within ~5 years), or undefined. */
  next(from: Date): Date | undefined;
}

export class CronError extends Error {}

export function parseCron(source: string, tzOffsetMinutes = CRON_TZ_OFFSET_MINUTES): Cron {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 7)
    throw new CronError(`cron "${source}": expected 7 fields (second minute hour day month weekday year), got ${parts.length}`);
  const sets = parts.map((part, i) => parseField(part, FIELDS[i], source));
  // 7 means Sunday as well.
  if (sets[5].has(7)) sets[5].add(0);
  const dayAny = parts[3] === '*' || parts[3] === '?';
  const weekdayAny = parts[5] === '*' || parts[5] === '?';

  const fieldsOf = (date: Date) => {
    const d = new Date(date.getTime() + tzOffsetMinutes * 60000);
    return {
      second: d.getUTCSeconds(),
      minute: d.getUTCMinutes(),
      hour: d.getUTCHours(),
      day: d.getUTCDate(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
      year: d.getUTCFullYear(),
    };
  };

  const matches = (date: Date): boolean => {
    const f = fieldsOf(date);
    if (!sets[0].has(f.second) || !sets[1].has(f.minute) || !sets[2].has(f.hour)) return false;
    if (!sets[4].has(f.month) || !sets[6].has(f.year)) return false;
    // Classic cron: when both day and weekday are restricted, either may match.
    const dayOk = sets[3].has(f.day);
    const weekdayOk = sets[5].has(f.weekday);
    if (dayAny && weekdayAny) return true;
    if (dayAny) return weekdayOk;
    if (weekdayAny) return dayOk;
    return dayOk || weekdayOk;
  };

  const next = (from: Date): Date | undefined => {
    // Walk minute by minute, checking each allowed second; cheap for the schedules functions use.
    let t = Math.floor(from.getTime() / 1000) * 1000 + 1000;
    const limit = from.getTime() + 5 * 366 * 24 * 3600 * 1000;
    const seconds = [...sets[0]].sort((a, b) => a - b);
    while (t <= limit) {
      const f = fieldsOf(new Date(t));
      const minuteStart = t - f.second * 1000;
      if (sets[1].has(f.minute) && sets[2].has(f.hour)) {
        for (const s of seconds) {
          const candidate = minuteStart + s * 1000;
          if (candidate >= t && matches(new Date(candidate))) return new Date(candidate);
        }
      }
      t = minuteStart + 60000;
    }
    return undefined;
  };

  return { source, matches, next };
}

function parseField(part: string, spec: FieldSpec, source: string): Set<number> {
  const out = new Set<number>();
  const bad = (why: string): never => {
    throw new CronError(`cron "${source}": ${spec.name} field "${part}": ${why}`);
  };
  for (const item of part.split(',')) {
    if (!item) bad('empty list item');
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined) bad('too many "/"');
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart)) bad('step must be a positive integer');
      step = Number(stepPart);
      if (step < 1) bad('step must be a positive integer');
    }
    let lo: number;
    let hi: number;
    if (rangePart === '*' || rangePart === '?') {
      lo = spec.min;
      hi = spec.name === 'weekday' ? 6 : spec.max;
    } else if (rangePart.includes('-')) {
      const [a, b] = rangePart.split('-');
      lo = value(a, spec, bad);
      hi = value(b, spec, bad);
      if (hi < lo) bad('range end before start');
    } else {
      lo = value(rangePart, spec, bad);
      // `a/n` means from a to the end in steps of n.
      hi = stepPart !== undefined ? (spec.name === 'weekday' ? 6 : spec.max) : lo;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, spec: FieldSpec, bad: (why: string) => never): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return spec.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) bad(`"${text}" is not a number`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) bad(`${n} is out of range ${spec.min}-${spec.max}`);
  return n;
}
