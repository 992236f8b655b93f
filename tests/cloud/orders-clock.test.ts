// The pure parts of the order loop: step clocks and lights, and the who-may-do-what table.
import {
  DEFAULT_STEP_LIMITS,
  autoCloseAt,
  effectiveLimits,
  lightAt,
  startClock,
  stepOf,
  usedShare,
} from '../../cloudfunctions/orders/clock';
import { ORDER_STATUSES, type OrderStatus } from '../../cloudfunctions/orders/labels';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import { allowedActions, canSee, ORDER_MISSING, refusal, seesDetails, type Viewer } from '../../cloudfunctions/orders/rules';
import { maskRoom } from '../../cloudfunctions/orders/view';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

describe('step clocks', () => {
  it('maps each status to the step whose clock runs', () => {
    const expected: Record<OrderStatus, string | null> = {
      pending: 'dispatch',
      open: 'dispatch',
      dispatched: 'accept',
      accepted: 'serve',
      in_service: 'serve',
      completed: null,
      rated: 'review',
      closed: null,
      cancelled: null,
    };
    for (const status of ORDER_STATUSES) expect(stepOf(status)).toBe(expected[status]);
  });

  it('takes the item’s limit over the community’s over the product default', () => {
    expect(effectiveLimits(undefined, undefined)).toEqual(DEFAULT_STEP_LIMITS);
    expect(effectiveLimits({ dispatch: 45, accept: 30, serve: 1440, review: 4320 }, { serve: 240 })).toEqual({
      dispatch: 45,
      accept: 30,
      serve: 240,
      review: 4320,
    });
    // Nonsense values never win.
    expect(effectiveLimits({ dispatch: 0 } as never, { accept: -5, serve: Number.NaN } as never)).toEqual(DEFAULT_STEP_LIMITS);
  });

  it('turns yellow at 80 % and red at 100 % of the step', () => {
    const clock = startClock('dispatch', DEFAULT_STEP_LIMITS, T0); // 30 minutes
    expect(clock.yellowAt).toEqual(at(24 * MIN));
    expect(clock.redAt).toEqual(at(30 * MIN));
    expect(lightAt(clock, T0)).toBe('green');
    expect(lightAt(clock, at(0.799 * 30 * MIN))).toBe('green'); // 79.9 %
    expect(lightAt(clock, at(24 * MIN - 1))).toBe('green');
    expect(lightAt(clock, at(0.8 * 30 * MIN))).toBe('yellow'); // 80 %
    expect(lightAt(clock, at(30 * MIN - 1))).toBe('yellow');
    expect(lightAt(clock, at(30 * MIN))).toBe('red'); // 100 %
    expect(lightAt(clock, at(3 * 30 * MIN))).toBe('red'); // long past
    expect(lightAt(null, T0)).toBeNull();
    expect(lightAt({ yellowAt: null, redAt: null }, T0)).toBeNull();
  });

  it('works on the stored instants, also as ISO strings, for every step', () => {
    const limits = { dispatch: 10, accept: 20, serve: 240, review: 4320 };
    for (const step of ['dispatch', 'accept', 'serve', 'review'] as const) {
      const c = startClock(step, limits, T0);
      const total = limits[step] * MIN;
      const stored = { yellowAt: c.yellowAt.toISOString(), redAt: c.redAt.toISOString() };
      expect(lightAt(stored, at(total * 0.799))).toBe('green');
      expect(lightAt(stored, at(total * 0.8))).toBe('yellow');
      expect(lightAt(stored, at(total))).toBe('red');
      expect(usedShare(c, at(total / 2))).toBeCloseTo(0.5);
    }
  });

  it('closes unrated orders 7 days after completion', () => {
    expect(autoCloseAt(T0)).toEqual(at(7 * 24 * 60 * MIN));
  });
});

describe('who may do what', () => {
  const order = (status: OrderStatus, extra: Partial<OrderDoc> = {}): OrderDoc =>
    ({
      _id: 'o1',
      communityId: 'demo',
      status,
      parties: ['res', 'relative'],
      volunteerOpenid: ['dispatched', 'accepted', 'in_service', 'completed', 'rated', 'closed'].includes(status) ? 'vol' : null,
      passedOver: [],
      timeline: [],
      followUpPending: false,
      ...extra,
    }) as unknown as OrderDoc;
  const worker: Viewer = { openid: 'w', isWorker: true, isVolunteer: false, onDuty: false };
  const resident: Viewer = { openid: 'res', isWorker: false, isVolunteer: false, onDuty: false };
  const relative: Viewer = { openid: 'relative', isWorker: false, isVolunteer: false, onDuty: false };
  const assignee: Viewer = { openid: 'vol', isWorker: false, isVolunteer: true, onDuty: true };
  const other: Viewer = { openid: 'vol2', isWorker: false, isVolunteer: true, onDuty: true };
  const offDuty: Viewer = { openid: 'vol3', isWorker: false, isVolunteer: true, onDuty: false };
  const stranger: Viewer = { openid: 'x', isWorker: false, isVolunteer: false, onDuty: false };

  it('offers exactly the buttons of product.md §3 per state and viewer', () => {
    const table: [OrderStatus, Viewer, string[]][] = [
      ['pending', worker, ['dispatch', 'release', 'cancel']],
      ['pending', resident, ['cancel']],
      ['pending', relative, ['cancel']],
      ['pending', other, []],
      ['open', worker, ['dispatch', 'cancel']],
      ['open', other, ['accept']],
      ['open', offDuty, []],
      ['open', resident, ['cancel']],
      ['dispatched', assignee, ['accept', 'decline']],
      ['dispatched', other, []],
      ['dispatched', resident, ['cancel']],
      ['dispatched', worker, ['cancel']],
      ['accepted', assignee, ['decline', 'start']],
      ['accepted', resident, []],
      ['accepted', worker, ['cancel']],
      ['in_service', assignee, ['complete']],
      ['in_service', worker, []],
      ['in_service', resident, []],
      ['completed', resident, ['rate']],
      ['completed', relative, ['rate']],
      ['completed', assignee, []],
      ['rated', worker, ['review']],
      ['rated', resident, []],
      ['closed', worker, []],
      ['cancelled', worker, []],
      ['cancelled', resident, []],
    ];
    for (const [status, viewer, actions] of table) {
      expect({ status, viewer: viewer.openid, actions: allowedActions(order(status), viewer) }).toEqual({
        status,
        viewer: viewer.openid,
        actions,
      });
    }
    expect(allowedActions(order('rated', { followUpPending: true }), worker)).toEqual(['review', 'followUp']);
    expect(allowedActions(order('closed', { followUpPending: true }), worker)).toEqual(['followUp']);
    // A volunteer cannot grab their own order.
    expect(allowedActions(order('open', { parties: ['vol2'] }), other)).toEqual(['cancel']);
  });

  it('refuses with E_NOT_FOUND what the caller may not see, E_FORBIDDEN outside the relation, E_CONFLICT in the wrong state', () => {
    // Not theirs to see: exactly the answer of a missing order.
    expect(refusal('rate', order('completed'), stranger)).toEqual({ code: 'E_NOT_FOUND', message: ORDER_MISSING });
    expect(refusal('start', order('accepted'), other)?.code).toBe('E_NOT_FOUND');
    expect(refusal('start', order('pending'), other)?.code).toBe('E_NOT_FOUND');
    expect(refusal('accept', order('accepted', { volunteerOpenid: 'vol' }), other)?.code).toBe('E_NOT_FOUND');
    // Seen, but not theirs to do.
    expect(refusal('rate', order('completed'), worker)?.code).toBe('E_FORBIDDEN');
    expect(refusal('rate', order('completed'), assignee)?.code).toBe('E_FORBIDDEN');
    expect(refusal('start', order('open'), other)?.code).toBe('E_CONFLICT'); // in the hall: nobody's order yet
    // A volunteer who was on it, or may have seen it in the hall, is told the state moved on.
    expect(refusal('start', order('pending', { passedOver: [{ openid: 'vol' } as never] }), assignee)?.code).toBe('E_CONFLICT');
    const released = { volunteerOpenid: 'vol', timeline: [{ action: 'release' }] } as unknown as Partial<OrderDoc>;
    expect(refusal('accept', order('accepted', released), other)).toMatchObject({
      code: 'E_CONFLICT',
      message: expect.stringContaining('已被其他志愿者接单'),
    });
    expect(refusal('accept', order('open'), offDuty)).toMatchObject({
      code: 'E_CONFLICT',
      message: expect.stringContaining('上岗'),
    });
    expect(refusal('cancel', order('accepted'), resident)).toMatchObject({
      code: 'E_CONFLICT',
      message: expect.stringContaining('联系社区'),
    });
    expect(refusal('cancel', order('accepted'), worker)).toBeNull();
    expect(refusal('cancel', order('pending'), stranger)?.code).toBe('E_NOT_FOUND');
    expect(refusal('review', order('completed'), worker)).toMatchObject({
      code: 'E_CONFLICT',
      message: expect.stringContaining('待评价'),
    });
  });

  it('lets only the people involved see an order and its details', () => {
    expect(canSee(order('pending'), stranger)).toBe(false);
    expect(canSee(order('pending'), other)).toBe(false);
    expect(canSee(order('open'), other)).toBe(true);
    expect(seesDetails(order('open'), other)).toBe(false);
    expect(canSee(order('dispatched'), other)).toBe(false);
    expect(seesDetails(order('dispatched'), assignee)).toBe(true);
    expect(seesDetails(order('pending'), relative)).toBe(true);
    expect(seesDetails(order('pending'), worker)).toBe(true);
  });

  it('masks a room down to its first character', () => {
    expect(maskRoom('402')).toBe('4**');
    expect(maskRoom('1203')).toBe('1***');
    expect(maskRoom('7')).toBe('*');
    expect(maskRoom(undefined)).toBeUndefined();
  });
});
