// One spot's time: its open windows and bookings day by day, and its owner's list of bookings.
import { cmd, collection, getAll } from '../common/db';
import { ANY_MEMBER, action } from '../common/router';
import { DAY_MS, dateText, instantOf } from '../../miniprogram/shared/clock';
import { parkingSchemas as s, type ScheduleDay } from './api';
import { BOOKINGS, type BookingDoc } from './model';
import { isClosing, isExpired, occurrences } from './rules';
import { OPEN_STATUSES, bookingPage, loadSpot, ownSpot } from './store';
import { clipToDay, dayTitle, isoMinute } from './time';
import { bookingView, spotView, viewerOf } from './views';

export const scheduleActions = {
  spotSchedule: action({
    schema: s.spotSchedule,
    roles: ANY_MEMBER,
    handler: async ({ spotId, date, days = 7 }, ctx) => {
      const spot = await loadSpot(ctx, spotId);
      const viewer = viewerOf(ctx);
      const mine = spot.owner === ctx.openid;
      const from = instantOf(date);
      const to = new Date(from.getTime() + days * DAY_MS);
      const bookings = await getAll<BookingDoc>(
        collection(BOOKINGS)
          .where({
            communityId: ctx.communityId,
            spotId,
            status: cmd().in(mine ? [...OPEN_STATUSES, 'completed'] : OPEN_STATUSES),
            start: cmd().lt(to),
            end: cmd().gt(from),
          })
          .orderBy('start', 'asc')
          .limit(500),
      );
      const windows = spot.windows.filter((w) => !isExpired(w, ctx.now) && !isClosing(w, ctx.now));
      const out: ScheduleDay[] = [];
      for (let i = 0; i < days; i++) {
        const day = new Date(from.getTime() + i * DAY_MS);
        const dayEnd = new Date(day.getTime() + DAY_MS);
        out.push({
          date: dateText(day),
          label: dayTitle(day),
          windows: windows
            .flatMap((w) => occurrences(w, day, dayEnd))
            .sort((a, b) => a.start.getTime() - b.start.getTime())
            .map((o) => {
              const c = clipToDay(o.start, o.end, day);
              return { windowId: o.windowId, start: isoMinute(c.start), end: isoMinute(c.end), label: c.label };
            }),
          bookings: bookings
            .filter((b) => new Date(b.start) < dayEnd && new Date(b.end) > day)
            .map((b) => {
              const c = clipToDay(new Date(b.start), new Date(b.end), day);
              const base = { start: isoMinute(c.start), end: isoMinute(c.end), label: c.label };
              // Only the owner sees whole plates and names; a worker sees the booking, plate masked.
              if (!mine && !viewer.isWorker) return base;
              const view = bookingView(b, viewer, ctx.now);
              return mine
                ? { ...base, bookingId: b._id, status: view.status, plate: b.plate, bookerName: b.bookerName }
                : { ...base, bookingId: b._id, status: view.status, plate: view.plate };
            }),
        });
      }
      return { spot: spotView(spot, viewer, ctx.now, mine ? ctx.member : undefined), days: out };
    },
  }),

  spotBookings: action({
    schema: s.spotBookings,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const spot = await ownSpot(ctx, input.spotId);
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await bookingPage(ctx, { spotId: spot._id }, input.scope ?? 'upcoming', pageNo);
      const viewer = viewerOf(ctx);
      return { items: docs.map((b) => bookingView(b, viewer, ctx.now)), page: pageNo, hasMore };
    },
  }),
};
