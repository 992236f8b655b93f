// orders: the service menu and the order loop 群众点单、社区派单、党员接单、组织评单 (product.md §2–3).
// The action table; the handlers live by group, the rules of who may do what in rules.ts.
import { createFunction } from '../common/router';
import type { OrdersApi } from './api';
import { createActions } from './create';
import { familyOrderActions } from './family';
import { listActions } from './lists';
import { menuActions } from './menu';
import { transitionActions } from './transitions';
import { volunteerActions } from './volunteers';

export const main = createFunction<OrdersApi>('orders', {
  ...menuActions,
  ...createActions,
  ...listActions,
  ...transitionActions,
  ...volunteerActions,
  ...familyOrderActions,
});
