// Stored documents of shared parking and their deterministic ids.
import { createHash, randomBytes } from 'crypto';
import type { BookingStatus, SpotStatus } from './api';
import type { Window } from './rules';
import { slotKey } from './time';

export const SPOTS = 'parking_spots';
export const BOOKINGS = 'parking_bookings';
/** One document per spot and half hour held by a booking: `_id = spotId:YYYYMMDDHHmm`. */
export const SLOTS = 'parking_slots';
/** No-shows and overstays: `_id = bookingId:kind`. */
export const STRIKES = 'parking_strikes';
/** Points of every kind; parking writes `_id = parking:bookingId`. */
export const LEDGER = 'points_ledger';

export const DEFAULT_MAX_MINUTES = 12 * 60;
export const POINTS_PER_BOOKING = 10;

export interface SpotDoc {
  _id: string;
  communityId: string;
  /** The owner's openid. */
  owner: string;
  ownerName: string;
  ownerBuilding: string;
  code: string;
  location: string;
  photo?: string;
  status: SpotStatus;
  /** '' when none. */
  rejectReason: string;
  maxMinutes: number;
  windows: Window[];
  /** Counter for window ids (`w1`, `w2`, …). */
  windowSeq: number;
  verifiedBy?: string;
  verifiedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface BookingDoc {
  _id: string;
  communityId: string;
  spotId: string;
  spotCode: string;
  spotLocation: string;
  /** The spot owner's openid. */
  owner: string;
  booker: string;
  bookerName: string;
  bookerBuilding: string;
  plate: string;
  start: Date;
  end: Date;
  /** The window the booking lies in; the window cannot be removed while the booking is open. */
  windowId: string;
  requestId: string;
  /** Token of the attempt that claimed the slots; only that attempt's claims belong to the booking. */
  attempt: string;
  status: BookingStatus;
  cancelledBy?: 'booker' | 'owner';
  cancelReason?: string;
  checkedInAt?: Date;
  checkedOutAt?: Date;
  overstay?: boolean;
  /** Closed by the timer because the car was not checked out. */
  autoClosed?: boolean;
  /** Slots from here on were given back when the booker left early. */
  releasedFrom?: Date;
  /**
   * True from a state change until its follow-ups (release slots, strike, points, messages) are
   * done; each follow-up is idempotent and the timer finishes any that a crash interrupted.
   */
  effectsPending: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface SlotDoc {
  _id: string;
  communityId: string;
  spotId: string;
  start: Date;
  bookingId: string;
  attempt: string;
  createdAt: Date;
}

/**
 * A half hour held by a person or a car, in the same collection as the spot's slots (so every
 * release by booking and attempt frees them too): one resident and one plate hold one spot at a
 * time. No spotId, so queries by spot see only the spot's own claims; the id carries a hash, not
 * the openid or the plate.
 */
export interface HoldDoc {
  _id: string;
  communityId: string;
  kind: 'booker' | 'plate';
  start: Date;
  bookingId: string;
  attempt: string;
  createdAt: Date;
}

export interface StrikeDoc {
  _id: string;
  communityId: string;
  openid: string;
  bookingId: string;
  kind: 'no_show' | 'overstay';
  at: Date;
}

export interface LedgerDoc {
  _id: string;
  communityId: string;
  openid: string;
  points: number;
  source: 'parking';
  reason: string;
  refId: string;
  at: Date;
}

const digest = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** One spot per code and community: registering the same code again finds the same document. */
export const spotIdFor = (communityId: string, code: string): string => `ps${digest(`${communityId}|${code}`, 22)}`;

/** One booking per caller and request id: repeating a request finds the same document. */
export const bookingIdFor = (communityId: string, openid: string, requestId: string): string =>
  `pb${digest(`${communityId}|${openid}|${requestId}`, 22)}`;

export const slotIdFor = (spotId: string, start: Date): string => `${spotId}:${slotKey(start)}`;

/** The booker's hold of a half hour in a community, whatever the spot. */
export const bookerHoldIdFor = (communityId: string, openid: string, start: Date): string =>
  `hb${digest(`${communityId}|${openid}`, 22)}:${slotKey(start)}`;

/** The plate's hold of a half hour in a community, whoever books it. */
export const plateHoldIdFor = (communityId: string, plate: string, start: Date): string =>
  `hp${digest(`${communityId}|${plate}`, 22)}:${slotKey(start)}`;

export const newAttempt = (): string => randomBytes(8).toString('hex');
