// Typed client of the `orders` cloud function. Types come from the function's contract.
import type { FollowUpResult, OrderSummary, OrdersApi } from '../../cloudfunctions/orders/api';
import { client } from './core';

export type {
  FollowUpResult,
  HallPage,
  Light,
  MenuView,
  OrderAction,
  OrderDetail,
  OrderStatus,
  OrderSummary,
  PersonView,
  ServiceView,
  Step,
  Suggestion,
  Tier,
  TimelineEntryView,
  VolunteerRecord,
} from '../../cloudfunctions/orders/api';
export type CreateOrderInput = OrdersApi['create']['input'];
export type ListAllFilter = Omit<OrdersApi['listAll']['input'], 'page'>;
export type SaveServiceInput = OrdersApi['saveService']['input'];

const orders = client<OrdersApi>('orders');

export const ordersService = {
  /** The three-tier menu; with `forOpenid`, whether that member may order each item. */
  menu: (forOpenid?: string) => orders('menu', forOpenid ? { forOpenid } : {}),
  /** Places an order; repeating the same `requestId` answers the first order. */
  create: (input: CreateOrderInput) => orders('create', input),
  get: (orderId: string) => orders('get', { orderId }),
  /** Orders placed by or for me; `as: 'volunteer'` the ones I serve. 20 a page. */
  listMine: (filter: { status?: OrderSummary['status']; as?: 'resident' | 'volunteer' } = {}, page = 1) =>
    orders('listMine', { ...filter, page }),
  /** Volunteers on duty: open orders plus those dispatched to me. */
  listHall: (page = 1) => orders('listHall', { page }),
  /** Workers: every order of the community, filtered. */
  listAll: (filter: ListAllFilter = {}, page = 1) => orders('listAll', { ...filter, page }),
  suggestVolunteers: (orderId: string) => orders('suggestVolunteers', { orderId }),

  dispatch: (orderId: string, volunteerOpenid: string) => orders('dispatch', { orderId, volunteerOpenid }),
  release: (orderId: string) => orders('release', { orderId }),
  /** Accepts an order dispatched to me, or grabs an open one. */
  accept: (orderId: string) => orders('accept', { orderId }),
  decline: (orderId: string, reason: string) => orders('decline', { orderId, reason }),
  start: (orderId: string) => orders('start', { orderId }),
  complete: (orderId: string, note: string, photos?: string[]) =>
    orders('complete', photos && photos.length ? { orderId, note, photos } : { orderId, note }),
  rate: (orderId: string, stars: number, comment?: string) =>
    orders('rate', comment ? { orderId, stars, comment } : { orderId, stars }),
  review: (orderId: string, result: 'pass' | 'rework', note?: string) =>
    orders('review', note ? { orderId, result, note } : { orderId, result }),
  followUp: (orderId: string, result: FollowUpResult, note?: string) =>
    orders('followUp', note ? { orderId, result, note } : { orderId, result }),
  cancel: (orderId: string, reason: string) => orders('cancel', { orderId, reason }),

  saveService: (input: SaveServiceInput) => orders('saveService', input),
  setDuty: (onDuty: boolean) => orders('setDuty', { onDuty }),
  volunteerRecord: (openid: string) => orders('volunteerRecord', { openid }),
};

/** 亲情代办 (docs/family.md): a linked relative acts for the elder only. */
export const familyOrdersService = {
  menu: (linkId: string) => orders('familyMenu', { linkId }),
  /** Repeating the same `requestId` answers the first order. */
  create: (input: OrdersApi['familyCreate']['input']) => orders('familyCreate', input),
  list: (linkId: string, page = 1) => orders('familyOrders', { linkId, page }),
  get: (orderId: string) => orders('familyGet', { orderId }),
  cancel: (orderId: string, reason: string) => orders('familyCancel', { orderId, reason }),
  rate: (orderId: string, stars: number, comment?: string) =>
    orders('familyRate', comment ? { orderId, stars, comment } : { orderId, stars }),
};
