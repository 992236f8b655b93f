// parking: residents share private spots by the half hour (product.md §4, docs/parking.md).
// The action table; the handlers live by action group, the follow-ups in effects.ts and the
// timer's part in sweep.ts.
import { createFunction } from '../common/router';
import type { ParkingApi } from './api';
import { bookingActions } from './bookings';
import { scheduleActions } from './schedule';
import { searchActions } from './search';
import { spotActions } from './spots';
import { windowActions } from './windows';

export const main = createFunction<ParkingApi>('parking', {
  ...spotActions,
  ...windowActions,
  ...scheduleActions,
  ...searchActions,
  ...bookingActions,
});
