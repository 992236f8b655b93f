// Demo parking: three verified spots with windows (one owned by demo-resident-2, one by
// demo-volunteer-1, one by demo-resident-4), one spot waiting for a worker's verification, one
// upcoming booking with its slot claims, and a spot in the other community. Written by fixed
// `_id`s with put(), so an interrupted seed can run again.
import {
  BOOKINGS,
  DEFAULT_MAX_MINUTES,
  SLOTS,
  SPOTS,
  bookingIdFor,
  spotIdFor,
  type BookingDoc,
  type SpotDoc,
} from '../../cloudfunctions/parking/model';
import { claimsFor } from '../../cloudfunctions/parking/claims';
import type { Window } from '../../cloudfunctions/parking/rules';
import { DAY_MS, HOUR_MS, startOfDay } from '../../miniprogram/shared/clock';
import { DEMO_COMMUNITY_ID, OTHER_COMMUNITY_ID, put } from './community';

export const DEMO_SPOTS = {
  resident2: spotIdFor(DEMO_COMMUNITY_ID, 'B2-103'),
  volunteer1: spotIdFor(DEMO_COMMUNITY_ID, 'B1-021'),
  resident4: spotIdFor(DEMO_COMMUNITY_ID, 'B2-218'),
  pending: spotIdFor(DEMO_COMMUNITY_ID, 'B1-009'),
  other: spotIdFor(OTHER_COMMUNITY_ID, 'A-01'),
};

export const DEMO_BOOKING_ID = bookingIdFor(DEMO_COMMUNITY_ID, 'demo-resident-3', 'seed-booking-0001');

interface SpotSeed {
  _id: string;
  communityId: string;
  owner: string;
  ownerName: string;
  ownerBuilding: string;
  code: string;
  location: string;
  status: SpotDoc['status'];
  windows: Window[];
}

export function demoSpots(now: Date): SpotDoc[] {
  const tomorrow = new Date(startOfDay(now).getTime() + DAY_MS);
  const seeds: SpotSeed[] = [
    {
      _id: DEMO_SPOTS.resident2,
      communityId: DEMO_COMMUNITY_ID,
      owner: 'demo-resident-2',
      ownerName: '孙伟',
      ownerBuilding: '2栋',
      code: 'B2-103',
      location: '地下二层 B 区，电梯口右转第三个',
      status: 'verified',
      windows: [
        { id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
        { id: 'w2', kind: 'weekly', weekdays: [6, 7], from: '09:00', to: '21:00' },
      ],
    },
    {
      _id: DEMO_SPOTS.volunteer1,
      communityId: DEMO_COMMUNITY_ID,
      owner: 'demo-volunteer-1',
      ownerName: '张建国',
      ownerBuilding: '1栋',
      code: 'B1-021',
      location: '地下一层，1栋电梯厅正对面',
      status: 'verified',
      windows: [
        { id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '19:00', to: '07:00' },
        {
          id: 'w2',
          kind: 'once',
          start: new Date(tomorrow.getTime() + 9 * HOUR_MS),
          end: new Date(tomorrow.getTime() + 17 * HOUR_MS),
        },
      ],
    },
    {
      _id: DEMO_SPOTS.resident4,
      communityId: DEMO_COMMUNITY_ID,
      owner: 'demo-resident-4',
      ownerName: '吴强',
      ownerBuilding: '4栋',
      code: 'B2-218',
      location: '地下二层 C 区，靠近 4栋出口',
      status: 'verified',
      windows: [{ id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }],
    },
    {
      _id: DEMO_SPOTS.pending,
      communityId: DEMO_COMMUNITY_ID,
      owner: 'demo-resident-5',
      ownerName: '郑丽',
      ownerBuilding: '5栋',
      code: 'B1-009',
      location: '地下一层 A 区，消防通道旁',
      status: 'pending',
      windows: [],
    },
    {
      _id: DEMO_SPOTS.other,
      communityId: OTHER_COMMUNITY_ID,
      owner: 'other-resident',
      ownerName: '马丽',
      ownerBuilding: 'A座',
      code: 'A-01',
      location: 'A座地面停车场 1 号',
      status: 'verified',
      windows: [{ id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }],
    },
  ];
  return seeds.map((x) => ({
    ...x,
    rejectReason: '',
    maxMinutes: DEFAULT_MAX_MINUTES,
    windowSeq: x.windows.length,
    ...(x.status === 'verified'
      ? { verifiedBy: x.communityId === DEMO_COMMUNITY_ID ? 'demo-worker' : 'other-worker', verifiedAt: now }
      : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  }));
}

/** demo-resident-3 has booked B2-218 for tomorrow 10:00–12:00. */
export function demoBooking(now: Date): BookingDoc {
  const start = new Date(startOfDay(now).getTime() + DAY_MS + 10 * HOUR_MS);
  return {
    _id: DEMO_BOOKING_ID,
    communityId: DEMO_COMMUNITY_ID,
    spotId: DEMO_SPOTS.resident4,
    spotCode: 'B2-218',
    spotLocation: '地下二层 C 区，靠近 4栋出口',
    owner: 'demo-resident-4',
    booker: 'demo-resident-3',
    bookerName: '周敏',
    bookerBuilding: '3栋',
    plate: '粤B12345',
    start,
    end: new Date(start.getTime() + 2 * HOUR_MS),
    windowId: 'w1',
    requestId: 'seed-booking-0001',
    attempt: 'seed',
    status: 'booked',
    effectsPending: false,
    createdAt: now,
    updatedAt: now,
    version: 2,
  };
}

export async function seedParking(now: Date): Promise<void> {
  for (const spot of demoSpots(now)) await put(SPOTS, spot);
  const booking = demoBooking(now);
  // Its claims: each half hour of the spot, the booker and the plate.
  for (const claim of claimsFor(booking, now)) await put(SLOTS, claim);
  await put(BOOKINGS, booking);
}
