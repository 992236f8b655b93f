// What callers see of spots, windows and bookings. A plate is whole only for the booker and the
// spot's owner; an owner's name, room and phone only for workers.
import { maskPhone, maskPlate } from '../common/mask';
import type { MemberDoc } from '../common/model';
import type { BookingView, SpotView, WindowView } from './api';
import type { BookingDoc, SpotDoc } from './model';
import { isExpired, normalizeSpotCode, weeklyMinutes, type Window } from './rules';
import { MINUTE_MS } from '../../miniprogram/shared/clock';
import { ceilSlot, isoMinute, rangeLabel, weekdayText } from './time';

/** Cancelling by the booker closes this long before the start. */
export const BOOKER_CANCEL_BEFORE_MIN = 30;
/** Checking in opens this long before the start … */
export const CHECK_IN_EARLY_MIN = 15;
/** … and a booking not checked in this long after its start is a no-show. */
export const NO_SHOW_AFTER_MIN = 30;
/** Leaving later than this after the end is an overstay. */
export const OVERSTAY_GRACE_MIN = 15;

/** `每天`, `每周一至周五`, `每周六、周日`, `每周一、三、五`. */
export function weekdaysLabel(weekdays: readonly number[]): string {
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  if (days.length === 7) return '每天';
  const runs: number[][] = [];
  for (const d of days) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === d - 1) last.push(d);
    else runs.push([d]);
  }
  const parts = runs.flatMap((r) =>
    r.length >= 3 ? [`${weekdayText(r[0])}至${weekdayText(r[r.length - 1])}`] : r.map((d) => weekdayText(d)),
  );
  return `每${parts.join('、')}`;
}

export function windowLabel(w: Window): string {
  if (w.kind === 'once') return rangeLabel(new Date(w.start), new Date(w.end));
  let hours: string;
  if (weeklyMinutes(w) === 1440 && w.from === '00:00') hours = '全天';
  else if (w.to > w.from) hours = `${w.from}–${w.to}`;
  else if (w.to === '00:00') hours = `${w.from}–24:00`;
  else hours = `${w.from}–次日 ${w.to}`;
  return `${weekdaysLabel(w.weekdays)} ${hours}`;
}

export function windowView(w: Window): WindowView {
  const label = windowLabel(w);
  if (w.kind === 'once')
    return { id: w.id, kind: 'once', start: isoMinute(new Date(w.start)), end: isoMinute(new Date(w.end)), label };
  return { id: w.id, kind: 'weekly', weekdays: w.weekdays, from: w.from, to: w.to, label };
}

export interface Viewer {
  openid: string;
  isWorker: boolean;
}

export const viewerOf = (ctx: { openid: string; member: MemberDoc }): Viewer => ({
  openid: ctx.openid,
  isWorker: ctx.member.roles.includes('worker'),
});

export function spotView(s: SpotDoc, viewer: Viewer, now: Date, owner?: MemberDoc | null): SpotView {
  const view: SpotView = {
    _id: s._id,
    // Stored codes are normalised; a spot registered before the rule is shown the same way.
    code: normalizeSpotCode(s.code),
    location: s.location,
    photo: s.photo || undefined,
    status: s.status,
    rejectReason: s.rejectReason || undefined,
    maxHours: s.maxMinutes / 60,
    windows: s.windows.filter((w) => !isExpired(w, now)).map(windowView),
    isMine: s.owner === viewer.openid,
    ownerBuilding: s.ownerBuilding,
    createdAt: isoMinute(new Date(s.createdAt)),
    verifiedAt: s.verifiedAt ? isoMinute(new Date(s.verifiedAt)) : undefined,
  };
  if (viewer.isWorker) {
    view.owner = {
      openid: s.owner,
      name: owner?.name ?? s.ownerName,
      building: owner?.building ?? s.ownerBuilding,
      room: owner?.room ?? '',
      phone: owner?.phone,
    };
  } else if (view.isMine && owner) {
    view.owner = { openid: s.owner, name: owner.name, building: owner.building, room: owner.room, phone: maskPhone(owner.phone) };
  }
  return view;
}

export function bookingView(b: BookingDoc, viewer: Viewer, now: Date): BookingView {
  const as: BookingView['as'] = b.booker === viewer.openid ? 'booker' : b.owner === viewer.openid ? 'owner' : 'other';
  const start = new Date(b.start);
  const end = new Date(b.end);
  const t = now.getTime();
  const status = b.status === 'pending' ? 'booked' : b.status;
  const view: BookingView = {
    _id: b._id,
    spotId: b.spotId,
    spotCode: normalizeSpotCode(b.spotCode),
    spotLocation: b.spotLocation,
    start: isoMinute(start),
    end: isoMinute(end),
    label: rangeLabel(start, end),
    status,
    plate: as === 'other' ? (maskPlate(b.plate) ?? '') : b.plate,
    as,
    cancelledBy: b.cancelledBy,
    cancelReason: b.cancelReason,
    checkedInAt: b.checkedInAt ? isoMinute(new Date(b.checkedInAt)) : undefined,
    checkedOutAt: b.checkedOutAt ? isoMinute(new Date(b.checkedOutAt)) : undefined,
    overstay: b.overstay || undefined,
    canCancel:
      b.status === 'booked' &&
      (as === 'owner' || (as === 'booker' && t <= start.getTime() - BOOKER_CANCEL_BEFORE_MIN * MINUTE_MS)),
    canCheckIn:
      as === 'booker' &&
      b.status === 'booked' &&
      t >= start.getTime() - CHECK_IN_EARLY_MIN * MINUTE_MS &&
      t < start.getTime() + NO_SHOW_AFTER_MIN * MINUTE_MS,
    canCheckOut: as === 'booker' && b.status === 'checked_in',
    createdAt: isoMinute(new Date(b.createdAt)),
  };
  if (as === 'owner') {
    view.bookerName = b.bookerName;
    view.bookerBuilding = b.bookerBuilding;
  }
  return view;
}

/** Where slots are given back when the booker leaves early: the next half hour, if before the end. */
export function releaseFromOnLeave(b: Pick<BookingDoc, 'end'>, now: Date): Date | undefined {
  const next = ceilSlot(now);
  return next < new Date(b.end) ? next : undefined;
}
