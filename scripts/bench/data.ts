// A realistic community for the benchmark, built in memory with the documents' real types and
// written straight into the local cloud's data files (one nedb file per collection) before the
// cloud opens them: loading 100 000+ documents through the SDK one by one would take minutes.
//
// The bench community: 24 buildings in 6 grids, 3 000 members (3 workers, 60 party-member
// volunteers, the rest residents), the default menu, N orders in every state with their timelines,
// clocks, ratings, points and the in-app messages they caused, 200 verified parking spots (plus a
// few pending) with windows and a month of bookings with their slot claims, and 500 notices with
// read receipts. Around it, 50 smaller communities of noise. Orders that are still running are a
// fixed set (their number depends on throughput, not on the length of the history); the history
// grows with N.
import fs from 'fs';
import path from 'path';
import { catalogueService, DEFAULT_CATALOGUE, type CatalogueItem } from '../../cloudfunctions/orders/catalogue';
import { effectiveLimits, stepOf } from '../../cloudfunctions/orders/clock';
import type { OrderStatus, TimelineAction } from '../../cloudfunctions/orders/labels';
import { clockPatch, newOrderDoc, orderLink, pointsFor, statsId, timelineEntry } from '../../cloudfunctions/orders/lifecycle';
import type { OrderDoc, PointsEntryDoc, ServiceDoc, TimelineEntry, VolunteerStatsDoc } from '../../cloudfunctions/orders/model';
import { memberId, type CommunityDoc, type MemberDoc, type UserDoc } from '../../cloudfunctions/common/model';
import type { MessageDoc } from '../../cloudfunctions/common/model';
import type { NoticeDoc, NoticeReadDoc } from '../../cloudfunctions/notices/model';
import { NOTICE_CATEGORIES } from '../../cloudfunctions/notices/api';
import {
  bookingIdFor,
  DEFAULT_MAX_MINUTES,
  POINTS_PER_BOOKING,
  slotIdFor,
  spotIdFor,
  type BookingDoc,
  type LedgerDoc,
  type SlotDoc,
  type SpotDoc,
  type StrikeDoc,
} from '../../cloudfunctions/parking/model';
import type { Window } from '../../cloudfunctions/parking/rules';
import { slotsOf } from '../../cloudfunctions/parking/time';
import { DAY_MS, HOUR_MS, MINUTE_MS, startOfDay } from '../../miniprogram/shared/clock';
import type { BookingStatus } from '../../cloudfunctions/parking/api';
import { DEFAULT_STEP_LIMITS } from '../../local/seed/community';
import { generateId } from '../../local/store';

export const BENCH_COMMUNITY = 'bench';
export const WORKERS = ['bw-1', 'bw-2', 'bw-3'];
export const VOLUNTEER_COUNT = 60;
export const volunteerId = (i: number) => `bv-${i + 1}`;
export const residentId = (i: number) => `br-${i + 1}`;

type AnyDoc = { _id: string } & object;
export type Collections = Map<string, AnyDoc[]>;

export interface Shape {
  /** Orders of the bench community. */
  orders: number;
  members: number;
  spots: number;
  notices: number;
  /** Noise communities, each with a tenth of everything (at most 300 members). */
  noise: number;
}

export const DEFAULT_SHAPE: Shape = { orders: 20_000, members: 3_000, spots: 200, notices: 500, noise: 50 };

/** Small deterministic PRNG (mulberry32): the same data on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The running orders of a community: the same however long its history is. */
const RUNNING: [OrderStatus, number][] = [
  ['pending', 25],
  ['open', 30],
  ['dispatched', 40],
  ['accepted', 50],
  ['in_service', 50],
  ['completed', 120],
  ['rated', 60],
];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';
const CATEGORIES = NOTICE_CATEGORIES;

interface Person {
  openid: string;
  name: string;
  building: string;
  room: string;
  phone?: string;
  gridId: string;
}

export interface Community {
  doc: CommunityDoc;
  buildings: string[];
  workers: Person[];
  volunteers: Person[];
  residents: Person[];
}

export class Builder {
  readonly out: Collections = new Map();
  private readonly rand: () => number;

  constructor(
    readonly now: Date,
    seed = 20261130,
  ) {
    this.rand = rng(seed);
  }

  private add(collection: string, doc: AnyDoc): void {
    let list = this.out.get(collection);
    if (!list) this.out.set(collection, (list = []));
    list.push(doc);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)];
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private ago(ms: number): Date {
    return new Date(this.now.getTime() - ms);
  }

  private name(): string {
    return this.pick([...SURNAMES]) + this.pick([...GIVEN]) + (this.rand() < 0.5 ? this.pick([...GIVEN]) : '');
  }

  // -------------------------------------------------------------------------------------------
  // Communities and members

  community(id: string, label: string, buildingCount: number, members: number, volunteers: number, workers: number): Community {
    const buildings = Array.from({ length: buildingCount }, (_, i) => `${i + 1}栋`);
    const grids = [];
    for (let g = 0; g * 4 < buildings.length; g++) {
      grids.push({ id: `g${g + 1}`, name: `第${g + 1}网格`, buildings: buildings.slice(g * 4, g * 4 + 4) });
    }
    const doc: CommunityDoc = {
      _id: id,
      name: label,
      grids,
      stepLimits: DEFAULT_STEP_LIMITS,
      createdAt: this.ago(3 * 365 * DAY_MS),
    };
    this.add('communities', doc);
    const prefix = id === BENCH_COMMUNITY ? '' : `${id}-`;
    const c: Community = { doc, buildings, workers: [], volunteers: [], residents: [] };
    for (let i = 0; i < members; i++) {
      const building = buildings[i % buildings.length];
      const openid =
        i < workers
          ? `${prefix}${WORKERS[i] ?? `bw-${i + 1}`}`
          : i < workers + volunteers
            ? `${prefix}${volunteerId(i - workers)}`
            : `${prefix}${residentId(i - workers - volunteers)}`;
      const person: Person = {
        openid,
        name: this.name(),
        building,
        room: `${this.int(1, 30)}0${this.int(1, 4)}`,
        phone: this.rand() < 0.8 ? `138${String(10_000_000 + i).padStart(8, '0')}` : undefined,
        gridId: grids[Math.floor((i % buildings.length) / 4)].id,
      };
      const isWorker = i < workers;
      const isVolunteer = !isWorker && i < workers + volunteers;
      (isWorker ? c.workers : isVolunteer ? c.volunteers : c.residents).push(person);
      const tags: MemberDoc['tags'] = [];
      if (!isWorker && !isVolunteer) {
        if (this.rand() < 0.05) tags.push('独居老人');
        if (this.rand() < 0.1) tags.push('高龄');
      }
      const member: MemberDoc = {
        _id: memberId(id, openid),
        communityId: id,
        openid,
        name: person.name,
        building,
        room: person.room,
        phone: person.phone,
        status: 'active',
        roles: isWorker ? ['resident', 'worker'] : isVolunteer ? ['resident', 'volunteer'] : ['resident'],
        tags,
        skills: isVolunteer ? [this.pick(['代买代办', '水电小修', '陪同就医', '上门理发', '家电清洗'])] : [],
        onDuty: isVolunteer && (i - workers) % 3 !== 2,
        gridId: person.gridId,
        joinedAt: this.ago(this.int(30, 900) * DAY_MS),
        updatedAt: this.ago(this.int(1, 30) * DAY_MS),
        version: 1,
      };
      this.add('members', member);
      const user: UserDoc = { _id: openid, currentCommunityId: id, updatedAt: member.joinedAt };
      this.add('users', user);
    }
    for (const item of DEFAULT_CATALOGUE) this.add('services', catalogueService(id, item, doc.createdAt) as ServiceDoc);
    return c;
  }

  // -------------------------------------------------------------------------------------------
  // Orders, their messages, points and volunteer totals

  /** Per community: the next order number and how far back (ms before now) its history reaches. */
  private readonly cursor = new Map<string, { seq: number; reachedMs: number }>();
  private readonly stats = new Map<string, VolunteerStatsDoc>();

  /** `total` orders: the running set, then closed and cancelled history going back in time. */
  orders(c: Community, total: number): void {
    const running = RUNNING.map(([s, n]) => [s, Math.min(n, Math.ceil(total / 50))] as const);
    let count = 0;
    for (const [status, n] of running) {
      for (let i = 0; i < n; i++, count++) {
        const minutes = this.int(5, status === 'completed' || status === 'rated' ? 5 * 24 * 60 : 3 * 24 * 60);
        this.addOrder(c, status, this.ago(minutes * MINUTE_MS));
      }
    }
    this.history(c, Math.max(0, total - count));
  }

  /** `count` more closed or cancelled orders, older than every order so far (~60 a day). */
  history(c: Community, count: number): void {
    const cur = this.cursorOf(c);
    const spanMs = (count / 60) * DAY_MS;
    for (let i = 0; i < count; i++) {
      const createdAt = this.ago(cur.reachedMs + this.rand() * spanMs);
      this.addOrder(c, this.rand() < 0.92 ? 'closed' : 'cancelled', createdAt);
    }
    cur.reachedMs += spanMs;
  }

  /** Documents generated by `fn` alone (to bulk-insert into a running cloud). */
  collect(fn: () => void): Collections {
    const saved = new Map(this.out);
    this.out.clear();
    try {
      fn();
      return new Map(this.out);
    } finally {
      this.out.clear();
      for (const [k, v] of saved) this.out.set(k, v);
    }
  }

  private cursorOf(c: Community): { seq: number; reachedMs: number } {
    let cur = this.cursor.get(c.doc._id);
    if (!cur) this.cursor.set(c.doc._id, (cur = { seq: 0, reachedMs: 3 * DAY_MS }));
    return cur;
  }

  private addOrder(c: Community, status: OrderStatus, createdAt: Date): void {
    const order = this.order(c, status, createdAt, this.cursorOf(c).seq++);
    this.add('orders', order);
    this.orderMessages(c, order);
    if (status !== 'closed' || !order.volunteerOpenid) return;
    const points = pointsFor(order);
    const entry: PointsEntryDoc = {
      _id: `order:${order._id}`,
      communityId: c.doc._id,
      openid: order.volunteerOpenid,
      source: 'orders',
      refId: order._id,
      points,
      reason: `完成「${order.serviceName}」`,
      stars: order.rating?.stars,
      at: order.closedAt!,
    };
    this.add('points_ledger', entry);
    const id = statsId(c.doc._id, order.volunteerOpenid);
    const s = this.stats.get(id) ?? {
      _id: id,
      communityId: c.doc._id,
      openid: order.volunteerOpenid,
      served: 0,
      ratedCount: 0,
      starsSum: 0,
      points: 0,
      updatedAt: order.closedAt!,
    };
    s.served += 1;
    if (order.rating) {
      s.ratedCount += 1;
      s.starsSum += order.rating.stars;
    }
    s.points += points;
    if (order.closedAt! > s.updatedAt) s.updatedAt = order.closedAt!;
    this.stats.set(id, s);
  }

  private order(c: Community, status: OrderStatus, createdAt: Date, seq: number): OrderDoc {
    const item: CatalogueItem = this.pick(DEFAULT_CATALOGUE.filter((x) => x.tier !== 'discounted' || this.rand() < 0.3));
    const forP = this.pick(c.residents);
    const byWorker = this.rand() < 0.1;
    const byP = byWorker ? this.pick(c.workers) : forP;
    const worker = this.pick(c.workers);
    const vol = this.pick(c.volunteers);
    const limits = effectiveLimits(c.doc.stepLimits, item.stepLimits);
    const t = (minutesAfter: number) => new Date(createdAt.getTime() + minutesAfter * MINUTE_MS);
    const timeline: TimelineEntry[] = [
      timelineEntry(byP.openid, byP.name, 'create', createdAt, byWorker ? `为${forP.name}代下单` : undefined),
    ];
    const push = (action: TimelineAction, who: Person, at: Date, note?: string) =>
      timeline.push(timelineEntry(who.openid, who.name, action, at, note));
    const hasVolunteer = !['pending', 'open', 'cancelled'].includes(status);
    const grabbed = hasVolunteer && status !== 'dispatched' && this.rand() < 0.3;
    let at = createdAt;
    if (status === 'open' || grabbed) push('release', worker, (at = t(this.int(2, 20))));
    if (hasVolunteer) {
      if (grabbed) push('grab', vol, (at = t(this.int(25, 60))));
      else {
        push('dispatch', worker, (at = t(this.int(2, 25))), `派给${vol.name}`);
        if (status !== 'dispatched') push('accept', vol, (at = t(this.int(26, 55))));
      }
    }
    const served = ['in_service', 'completed', 'rated', 'closed'].includes(status);
    if (served) push('start', vol, (at = t(this.int(60, 180))));
    const completedAt = t(this.int(200, 600));
    const done = ['completed', 'rated', 'closed'].includes(status);
    if (done) push('complete', vol, (at = completedAt), '已完成');
    const stars = this.rand() < 0.7 ? 5 : this.int(3, 4);
    const rated = status === 'rated' || (status === 'closed' && this.rand() < 0.85);
    const ratedAt = t(this.int(700, 2000));
    if (rated) push('rate', forP, (at = ratedAt), `${stars} 星`);
    if (status === 'closed') push(rated ? 'pass' : 'autoClose', rated ? worker : forP, (at = t(this.int(2100, 4000))));
    if (status === 'cancelled') push('cancel', forP, (at = t(this.int(5, 60))), '不需要了');
    const order: OrderDoc = {
      ...newOrderDoc({
        _id: `bo_${c.doc._id}_${seq}`,
        communityId: c.doc._id,
        service: { ...item, _id: `${c.doc._id}:${item.code}` },
        description: `${item.name}：${forP.building}${forP.room}，请尽快联系`,
        photos: [],
        orderedBy: byP,
        beneficiary: forP,
        limits,
        timeline,
        now: createdAt,
      }),
      status,
      version: timeline.length,
      volunteerOpenid: hasVolunteer ? vol.openid : null,
      volunteerName: hasVolunteer ? vol.name : null,
      volunteerPhone: hasVolunteer ? (vol.phone ?? null) : null,
      stepSeq: 0,
      updatedAt: at,
    };
    const step = stepOf(status);
    // One clock per step so far.
    if (step) order.stepSeq = timeline.length - 1;
    Object.assign(order, clockPatch(order, step, at));
    if (done) order.completion = { note: '已完成', photos: [], at: completedAt };
    if (status === 'completed') order.autoCloseAt = new Date(completedAt.getTime() + 7 * DAY_MS);
    if (rated) order.rating = { stars, comment: stars === 5 ? '很好' : undefined, by: forP.openid, at: ratedAt };
    if (status === 'closed') {
      if (rated) order.review = { result: 'pass', by: worker.openid, at };
      order.closedAt = at;
    }
    if (status === 'cancelled') order.cancellation = { reason: '不需要了', by: forP.openid, byName: forP.name, at };
    return order;
  }

  private message(
    communityId: string,
    openid: string,
    msg: Omit<MessageDoc, 'communityId' | 'openid' | 'read' | 'createdAt'>,
    at: Date,
  ): void {
    const read = this.now.getTime() - at.getTime() > 2 * DAY_MS || this.rand() < 0.3;
    const doc = {
      _id: generateId(),
      ...msg,
      communityId,
      openid,
      read,
      createdAt: at,
      ...(read ? { readAt: new Date(at.getTime() + HOUR_MS) } : {}),
    };
    this.add('messages', doc);
  }

  /** What the order loop wrote to inboxes: every worker hears of a new order, the volunteer of a dispatch, the resident of a completion. */
  private orderMessages(c: Community, o: OrderDoc): void {
    const link = orderLink(o._id);
    for (const w of c.workers) {
      this.message(
        c.doc._id,
        w.openid,
        {
          type: 'order.created',
          title: `新订单待派单：${o.serviceName}`,
          body: `${o.building} ${o.beneficiary.name}，请在 30 分钟内派单`,
          link,
        },
        o.createdAt,
      );
    }
    const dispatch = o.timeline.find((e) => e.action === 'dispatch');
    if (dispatch && o.volunteerOpenid) {
      this.message(
        c.doc._id,
        o.volunteerOpenid,
        { type: 'order.dispatched', title: `社区派单：${o.serviceName}`, body: `${o.building} ${o.beneficiary.name}`, link },
        dispatch.at,
      );
    }
    if (o.completion) {
      this.message(
        c.doc._id,
        o.forOpenid,
        { type: 'order.completed', title: `服务已完成：${o.serviceName}`, body: '请为本次服务评价', link },
        o.completion.at,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Parking

  parking(c: Community, spots: number): { allDay: string[] } {
    const allDay: string[] = [];
    const today = startOfDay(this.now).getTime();
    const owners = c.residents.slice(0, spots + Math.ceil(spots / 20));
    owners.forEach((owner, i) => {
      const code = `B${1 + (i % 3)}-${String(100 + i).padStart(3, '0')}`;
      const verified = i < spots;
      const kind = i % 3;
      const windows: Window[] = !verified
        ? []
        : kind === 0
          ? [{ id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }]
          : kind === 1
            ? [
                { id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
                { id: 'w2', kind: 'weekly', weekdays: [6, 7], from: '09:00', to: '21:00' },
              ]
            : [{ id: 'w1', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], from: '19:00', to: '07:00' }];
      const spot: SpotDoc = {
        _id: spotIdFor(c.doc._id, code),
        communityId: c.doc._id,
        owner: owner.openid,
        ownerName: owner.name,
        ownerBuilding: owner.building,
        code,
        location: `地下${1 + (i % 3)}层 ${String.fromCharCode(65 + (i % 6))} 区 ${i + 1} 号`,
        status: verified ? 'verified' : 'pending',
        rejectReason: '',
        maxMinutes: DEFAULT_MAX_MINUTES,
        windows,
        windowSeq: windows.length,
        ...(verified ? { verifiedBy: c.workers[0].openid, verifiedAt: this.ago(60 * DAY_MS) } : {}),
        createdAt: this.ago((90 - (i % 60)) * DAY_MS),
        updatedAt: this.ago(60 * DAY_MS),
        version: verified ? 2 : 1,
      };
      this.add('parking_spots', spot);
      if (!verified) return;
      if (kind === 0) allDay.push(spot._id);
      // A month back and a week ahead, about one booking a day, 1–3 hours, never overlapping.
      for (let d = -30; d <= 7; d++) {
        if (this.rand() < 0.15) continue;
        const hour = kind === 2 ? 19 + this.int(0, 2) : kind === 1 ? 9 + this.int(0, 5) : 8 + this.int(0, 10);
        const start = new Date(today + d * DAY_MS + hour * HOUR_MS + (this.rand() < 0.5 ? 30 * MINUTE_MS : 0));
        const end = new Date(start.getTime() + this.int(2, 6) * 30 * MINUTE_MS);
        const booker = this.pick(c.residents.filter((r) => r.openid !== owner.openid).slice(0, 1200));
        const future = start.getTime() > this.now.getTime();
        const r = this.rand();
        const status: BookingStatus = future
          ? r < 0.9
            ? 'booked'
            : 'cancelled'
          : r < 0.85
            ? 'completed'
            : r < 0.93
              ? 'cancelled'
              : 'no_show';
        this.booking(c, spot, booker, start, end, status);
      }
    });
    return { allDay };
  }

  private booking(c: Community, spot: SpotDoc, booker: Person, start: Date, end: Date, status: BookingStatus): void {
    const requestId = `bench-${spot._id}-${start.getTime()}`;
    const created = new Date(start.getTime() - this.int(1, 72) * HOUR_MS);
    const b: BookingDoc = {
      _id: bookingIdFor(c.doc._id, booker.openid, requestId),
      communityId: c.doc._id,
      spotId: spot._id,
      spotCode: spot.code,
      spotLocation: spot.location,
      owner: spot.owner,
      booker: booker.openid,
      bookerName: booker.name,
      bookerBuilding: booker.building,
      plate: `粤B${String(10000 + Math.floor(this.rand() * 89999))}`,
      start,
      end,
      windowId: 'w1',
      requestId,
      attempt: `a${Math.floor(this.rand() * 1e12).toString(16)}`,
      status,
      effectsPending: false,
      createdAt: created,
      updatedAt: status === 'booked' ? created : end,
      version: status === 'booked' ? 2 : 3,
    };
    if (status === 'cancelled') {
      b.cancelledBy = 'booker';
      b.updatedAt = new Date(start.getTime() - HOUR_MS);
    }
    if (status === 'completed') {
      b.checkedInAt = start;
      b.checkedOutAt = end;
      b.version = 4;
    }
    this.add('parking_bookings', b);
    if (status === 'booked' || status === 'completed') {
      for (const s of slotsOf(start, end)) {
        const slot: SlotDoc = {
          _id: slotIdFor(spot._id, s),
          communityId: c.doc._id,
          spotId: spot._id,
          start: s,
          bookingId: b._id,
          attempt: b.attempt,
          createdAt: created,
        };
        this.add('parking_slots', slot);
      }
    }
    if (status === 'completed') {
      const entry: LedgerDoc = {
        _id: `parking:${b._id}`,
        communityId: c.doc._id,
        openid: spot.owner,
        points: POINTS_PER_BOOKING,
        source: 'parking',
        reason: `车位 ${spot.code} 共享`,
        refId: b._id,
        at: end,
      };
      this.add('points_ledger', entry);
    }
    if (status === 'no_show') {
      const strike: StrikeDoc = {
        _id: `${b._id}:no_show`,
        communityId: c.doc._id,
        openid: booker.openid,
        bookingId: b._id,
        kind: 'no_show',
        at: new Date(start.getTime() + 30 * MINUTE_MS),
      };
      this.add('parking_strikes', strike);
    }
    if (status === 'booked') {
      this.message(
        c.doc._id,
        spot.owner,
        {
          type: 'parking.booked',
          title: `您的车位 ${spot.code} 有新预约`,
          body: `车牌 ${b.plate}`,
          key: `parking-booked:${b._id}`,
        },
        created,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Notices and read receipts

  notices(c: Community, count: number, members: Person[]): void {
    const byBuilding = new Map<string, Person[]>();
    for (const m of members) byBuilding.set(m.building, [...(byBuilding.get(m.building) ?? []), m]);
    const author = c.workers[0];
    for (let i = 0; i < count; i++) {
      // Newest first in i; one every ~2 days, a few scheduled or drafts.
      const publishAt = this.ago(i * 2 * DAY_MS - (i < 3 ? 3 * DAY_MS : 0) + this.int(0, 12) * HOUR_MS);
      const draft = i % 97 === 5;
      const withdrawn = i % 89 === 7;
      const whole = this.rand() < 0.3;
      const buildings = whole
        ? []
        : [...new Set([this.pick(c.buildings), this.pick(c.buildings)])].sort(
            (a, b) => c.buildings.indexOf(a) - c.buildings.indexOf(b),
          );
      const expiresAt = this.rand() < 0.4 ? new Date(publishAt.getTime() + this.int(3, 30) * DAY_MS) : null;
      const doc: NoticeDoc = {
        _id: `bn_${c.doc._id}_${i}`,
        communityId: c.doc._id,
        title: `${buildings.length ? buildings.join('、') : '全体居民'}：社区通知 ${i + 1}`,
        body: '各位居民：根据街道安排，近期将开展相关工作，请大家相互转告，积极配合。如有疑问请联系社区工作人员。',
        category: this.pick(CATEGORIES),
        buildings,
        audience: whole ? ['*'] : buildings,
        pinned: i < 40 && i % 13 === 0,
        images: [],
        status: draft ? 'draft' : withdrawn ? 'withdrawn' : 'published',
        publishAt: draft ? null : publishAt,
        expiresAt,
        visibleUntil: expiresAt ?? new Date('9999-12-31T00:00:00.000Z'),
        readCount: 0,
        remindedAt: null,
        authorOpenid: author.openid,
        authorName: author.name,
        createdAt: publishAt,
        updatedAt: publishAt,
        version: 1,
      };
      if (doc.status === 'published' && publishAt <= this.now) {
        const audience = whole ? members : buildings.flatMap((b) => byBuilding.get(b) ?? []);
        // Not everyone reads, and fewer receipts on older notices: ~5–30 %.
        const share = Math.max(0.05, 0.3 - i * 0.001);
        for (const m of audience) {
          if (this.rand() >= share) continue;
          const read: NoticeReadDoc = {
            _id: `${doc._id}:${m.openid}`,
            communityId: c.doc._id,
            noticeId: doc._id,
            openid: m.openid,
            building: m.building,
            room: m.room,
            readAt: new Date(publishAt.getTime() + this.int(5, 3000) * MINUTE_MS),
          };
          this.add('notice_reads', read);
          doc.readCount += 1;
        }
      }
      this.add('notices', doc);
    }
  }

  /** The whole data set: the bench community and `shape.noise` smaller ones (a tenth of its people, a hundredth of its orders). */
  build(shape: Shape): { bench: Community; allDaySpots: string[] } {
    const bench = this.community(BENCH_COMMUNITY, '幸福里社区（压测）', 24, shape.members, VOLUNTEER_COUNT, WORKERS.length);
    this.orders(bench, shape.orders);
    const { allDay } = this.parking(bench, shape.spots);
    this.notices(bench, shape.notices, [...bench.workers, ...bench.volunteers, ...bench.residents]);
    for (let n = 0; n < shape.noise; n++) {
      const id = `noise${n + 1}`;
      const c = this.community(id, `噪声社区 ${n + 1}`, 4, Math.ceil(shape.members / 10), 6, 1);
      this.orders(c, Math.ceil(DEFAULT_SHAPE.orders / 100));
      this.parking(c, Math.ceil(shape.spots / 40));
      this.notices(c, Math.ceil(shape.notices / 50), [...c.workers, ...c.volunteers, ...c.residents]);
    }
    // Volunteer totals as of now (orders added later with `history` do not move them).
    for (const s of this.stats.values()) this.add('volunteer_stats', s);
    return { bench, allDaySpots: allDay };
  }
}

/** nedb's on-disk form: one JSON document a line, dates as `{"$$date": ms}` (Date#toJSON is swapped while writing: much faster than a replacer). */
function serializeAll(docs: object[]): string {
  const toJSON = Object.getOwnPropertyDescriptor(Date.prototype, 'toJSON')!;
  Object.defineProperty(Date.prototype, 'toJSON', {
    configurable: true,
    writable: true,
    value(this: Date) {
      return { $$date: this.getTime() };
    },
  });
  try {
    return docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
  } finally {
    Object.defineProperty(Date.prototype, 'toJSON', toJSON);
  }
}

/** Writes every collection as `<dataDir>/<name>.db`; the local cloud loads them and builds its indexes on start. */
export function writeDataFiles(dataDir: string, collections: Collections): number {
  fs.mkdirSync(dataDir, { recursive: true });
  let count = 0;
  for (const [name, docs] of collections) {
    const fd = fs.openSync(path.join(dataDir, `${name}.db`), 'w');
    try {
      const CHUNK = 5000;
      for (let i = 0; i < docs.length; i += CHUNK) {
        fs.writeSync(fd, serializeAll(docs.slice(i, i + CHUNK)));
      }
    } finally {
      fs.closeSync(fd);
    }
    count += docs.length;
  }
  return count;
}
