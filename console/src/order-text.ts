// Words and times of an order as the console's detail drawer and printed 派工单 show them: the
// community's clock (miniprogram/shared/clock), the labels the functions answer or share.
import type { OrderDetail, PersonView } from '../../cloudfunctions/orders/api';
import { maskPhone, maskRoom } from '../../cloudfunctions/common/mask';
import { longDateTime } from '../../miniprogram/shared/clock';
import { STEP_LABELS, STEPS, type Light, type Step, type TimelineAction } from '../../miniprogram/shared/order-labels';

export const LIGHT_THEME: Record<Light, 'success' | 'warning' | 'danger'> = {
  green: 'success',
  yellow: 'warning',
  red: 'danger',
};

/** `2026年12月2日 15:40`, or — for no time. */
export const timeText = (iso: string | undefined): string => (iso ? longDateTime(iso) : '—');

/** 30 → 30分钟, 1440 → 24小时, 4320 → 3天. */
export function minutesText(m: number): string {
  if (m % 1440 === 0) return `${m / 1440}天`;
  if (m % 60 === 0) return `${m / 60}小时`;
  return `${m}分钟`;
}

/** 1栋 402 — the address as the answer gives it (masked or not). */
export const addressText = (p: Pick<PersonView, 'building' | 'room'>): string => [p.building, p.room].filter(Boolean).join(' ');

/**
 * The running step's clock: `派单 · 已超时 12 分钟（截止 …）` / `接单 · 剩余 18 分钟（截止 …）`;
 * '' when no clock runs.
 */
export function clockLine(o: Pick<OrderDetail, 'step' | 'redAt' | 'light'>, now = Date.now()): string {
  if (!o.step || !o.redAt || !o.light) return '';
  const left = Math.round((Date.parse(o.redAt) - now) / 60_000);
  const span = left >= 0 ? `剩余 ${minutesText(Math.max(left, 1))}` : `已超时 ${minutesText(-left)}`;
  return `${STEP_LABELS[o.step]} · ${span}（截止 ${timeText(o.redAt)}）`;
}

/** Which timeline entries finish each step (the last one counts: a rework serves again). */
const FINISHES: Record<Step, readonly TimelineAction[]> = {
  dispatch: ['dispatch', 'release', 'grab'],
  accept: ['accept', 'grab'],
  serve: ['complete'],
  review: ['pass', 'autoClose'],
};

export interface StepRow {
  step: Step;
  label: string;
  limit: string;
  /** 截止 of the running step, 完成 of a finished one, — otherwise. */
  state: string;
}

/** The four steps with their limits, the running one's deadline and when the others finished. */
export function stepRows(o: Pick<OrderDetail, 'step' | 'redAt' | 'stepLimits' | 'timeline'>): StepRow[] {
  return STEPS.map((step) => {
    const done = [...o.timeline].reverse().find((t) => FINISHES[step].includes(t.action));
    const state = o.step === step && o.redAt ? `进行中，截止 ${timeText(o.redAt)}` : done ? `已完成 ${timeText(done.at)}` : '—';
    return { step, label: STEP_LABELS[step], limit: minutesText(o.stepLimits[step]), state };
  });
}

/** Whether a printed 派工单 may carry the whole phone and room: it goes to the assigned volunteer. */
export const printableForVolunteer = (o: Pick<OrderDetail, 'volunteer' | 'status'>): boolean =>
  Boolean(o.volunteer) && ['dispatched', 'accepted', 'in_service'].includes(o.status);

/** The resident as a paper shows them: masked unless it goes to the volunteer serving them. */
export function printedPerson(p: PersonView, whole: boolean): { phone: string; room: string } {
  return {
    phone: (whole ? p.phone : maskPhone(p.phone)) ?? '未留电话',
    room: (whole ? p.room : maskRoom(p.room)) ?? '',
  };
}
