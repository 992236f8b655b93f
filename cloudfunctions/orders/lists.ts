// Reading orders: one order, and the three lists (the member's own, the volunteers' hall, the
// worker's board), each a page of 20 as the viewer may see it.
import { AppError } from '../common/errors';
import { action, ANY_MEMBER } from '../common/router';
import { ordersSchemas as s } from './api';
import { canSee, ORDER_MISSING, viewerOf } from './rules';
import { boardQuery, hallQuery, loadOrder, mineQuery, readOrders } from './store';
import { toDetail, toPage } from './view';

export const listActions = {
  get: action({
    schema: s.get,
    roles: ANY_MEMBER,
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      const viewer = viewerOf(ctx);
      // Not "forbidden": an order the caller may not see does not exist for them.
      if (!canSee(order, viewer)) throw new AppError('E_NOT_FOUND', ORDER_MISSING);
      return toDetail(order, viewer, ctx.now);
    },
  }),

  listMine: action({
    schema: s.listMine,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await readOrders(mineQuery(ctx.communityId, ctx.openid, input), pageNo);
      return toPage(docs, viewerOf(ctx), ctx.now, pageNo, hasMore);
    },
  }),

  listHall: action({
    schema: s.listHall,
    roles: ['volunteer', 'property'],
    handler: async (input, ctx) => {
      const viewer = viewerOf(ctx);
      // Off duty: only what was already dispatched to them; the open hall needs being on duty.
      // The property company's staff are always on duty for its orders (docs/property.md).
      const pageNo = input.page ?? 1;
      const open = { volunteer: viewer.onDuty, property: viewer.isStaff === true };
      const { docs, hasMore } = await readOrders(hallQuery(ctx.communityId, ctx.openid, open), pageNo);
      return {
        ...toPage(docs, viewer, ctx.now, pageNo, hasMore),
        onDuty: viewer.onDuty || viewer.isStaff === true,
        staff: viewer.isStaff === true,
      };
    },
  }),

  listAll: action({
    schema: s.listAll,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await readOrders(boardQuery(ctx.communityId, input, ctx.now), pageNo);
      return toPage(docs, viewerOf(ctx), ctx.now, pageNo, hasMore);
    },
  }),
};
