// Search: the verified spots free for a whole range. Computed from windows and open bookings, so
// the page is cut from the computed list (docs/parking.md: at most SEARCH_SPOT_LIMIT spots).
import { cmd, collection, getAll } from '../common/db';
import { ANY_MEMBER, action } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { MINUTE_MS } from '../../miniprogram/shared/clock';
import { parkingSchemas as s, type FreeSpot } from './api';
import { strikeTimes } from './effects';
import { BOOKINGS, SPOTS, type BookingDoc, type SpotDoc } from './model';
import { blockedUntil, checkRange, coveringWindow, normalizeSpotCode } from './rules';
import { OPEN_STATUSES } from './store';
import { isoMinute } from './time';
import { windowLabel } from './views';

/** Verified spots a search looks at; see docs/parking.md. */
const SEARCH_SPOT_LIMIT = 200;

export const searchActions = {
  search: action({
    schema: s.search,
    roles: ANY_MEMBER,
    handler: async ({ start, end, page: pageArg }, ctx) => {
      checkRange(start, end, ctx.now, 24 * 60);
      const minutes = (end.getTime() - start.getTime()) / MINUTE_MS;
      const spots = await getAll<SpotDoc>(
        collection(SPOTS)
          .where({ communityId: ctx.communityId, status: 'verified' })
          .orderBy('code', 'asc')
          .limit(SEARCH_SPOT_LIMIT),
      );
      const candidates: { spot: SpotDoc; windowId: string }[] = [];
      for (const spot of spots) {
        if (spot.owner === ctx.openid || minutes > spot.maxMinutes) continue;
        const hit = coveringWindow(spot.windows, start, end, ctx.now);
        if (hit) candidates.push({ spot, windowId: hit.windowId });
      }
      const busy = new Set<string>();
      if (candidates.length > 0) {
        const taken = await getAll<BookingDoc>(
          collection(BOOKINGS)
            .where({
              communityId: ctx.communityId,
              spotId: cmd().in(candidates.map((c) => c.spot._id)),
              status: cmd().in(OPEN_STATUSES),
              start: cmd().lt(end),
              end: cmd().gt(start),
            })
            .limit(1000),
        );
        for (const b of taken) busy.add(b.spotId);
      }
      const free: FreeSpot[] = candidates
        .filter((c) => !busy.has(c.spot._id))
        .map(({ spot, windowId }) => ({
          spotId: spot._id,
          code: normalizeSpotCode(spot.code),
          location: spot.location,
          photo: spot.photo || undefined,
          ownerBuilding: spot.ownerBuilding,
          maxHours: spot.maxMinutes / 60,
          windowLabel: windowLabel(spot.windows.find((w) => w.id === windowId)!),
        }));
      const pageNo = pageArg ?? 1;
      const until = blockedUntil(await strikeTimes(ctx.communityId, ctx.openid, ctx.now), ctx.now);
      return {
        items: free.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE),
        page: pageNo,
        hasMore: free.length > pageNo * PAGE_SIZE,
        start: isoMinute(start),
        end: isoMinute(end),
        blockedUntil: until ? isoMinute(until) : undefined,
      };
    },
  }),
};
