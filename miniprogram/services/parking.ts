// Typed client of the `parking` cloud function. Types come from the function's contract.
import type { ParkingApi, PublishWindowInput } from '../../cloudfunctions/parking/api';
import { client } from './core';

export type {
  BookingStatus,
  BookingView,
  FreeSpot,
  MyBookings,
  MySpots,
  PublishWindowInput,
  ScheduleDay,
  SearchResult,
  SpotSchedule,
  SpotStatus,
  SpotView,
  WindowView,
} from '../../cloudfunctions/parking/api';
export type RegisterSpotInput = ParkingApi['registerSpot']['input'];
export type BookInput = ParkingApi['book']['input'];
export type BookingScope = 'upcoming' | 'past';

const parking = client<ParkingApi>('parking');

export const parkingService = {
  /** Verified spots free for the whole range (ISO 8601 with offset), 20 a page. */
  search: (start: string, end: string, page = 1) => parking('search', { start, end, page }),
  /** Books a range; repeating the same `requestId` books at most once. */
  book: (input: BookInput) => parking('book', input),
  myBookings: (scope: BookingScope = 'upcoming', page = 1) => parking('myBookings', { scope, page }),
  /** The booker up to 30 minutes before the start; the owner any time before check-in, with a reason. */
  cancelBooking: (bookingId: string, reason?: string) => parking('cancelBooking', reason ? { bookingId, reason } : { bookingId }),
  checkIn: (bookingId: string) => parking('checkIn', { bookingId }),
  checkOut: (bookingId: string) => parking('checkOut', { bookingId }),

  registerSpot: (input: RegisterSpotInput) => parking('registerSpot', input),
  mySpots: (page = 1) => parking('mySpots', { page }),
  publishWindow: (input: PublishWindowInput) => parking('publishWindow', input),
  removeWindow: (spotId: string, windowId: string) => parking('removeWindow', { spotId, windowId }),
  /** Windows and bookings per day from `date` (`YYYY-MM-DD`, +08:00). */
  spotSchedule: (spotId: string, date: string, days = 7) => parking('spotSchedule', { spotId, date, days }),
  /** The owner's view of their spot's bookings, with plates. */
  spotBookings: (spotId: string, scope: BookingScope = 'upcoming', page = 1) => parking('spotBookings', { spotId, scope, page }),

  /** Workers: the verification queue and other lists. */
  listSpots: (status?: 'pending' | 'verified' | 'rejected', page = 1) =>
    parking('listSpots', status ? { status, page } : { page }),
  verifySpot: (spotId: string) => parking('verifySpot', { spotId }),
  rejectSpot: (spotId: string, reason: string) => parking('rejectSpot', { spotId, reason }),
};
