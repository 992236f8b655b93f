// Helpers of the property tests: the demo's people, a full rating, and a property order walked
// through the loop by the company's staff.
import type { LocalCloud } from '../../local/cloud';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { PropertyApi } from '../../cloudfunctions/property/api';
import type { Dimension } from '../../cloudfunctions/property/formula';
import { caller, data } from './call';

export const WORKER = 'demo-worker';
export const STAFF = 'demo-property-1';
export const RESIDENT = 'demo-resident-2';
export const OTHER_WORKER = 'other-worker';
export const OTHER_RESIDENT = 'other-resident';
export const REPAIR = 'demo:property-repair';
export const COMPLAINT = 'demo:property-complaint';

export const all = (n: number): Record<Dimension, number> => ({ hygiene: n, order: n, repair: n, attitude: n, fees: n });

let seq = 0;
export const rid = (): string => `prop-test-${Date.now()}-${++seq}`;

export function propertyOf(cloud: LocalCloud) {
  const P = caller<PropertyApi>(cloud, 'property');
  const O = caller<OrdersApi>(cloud, 'orders');
  /** A property order by `resident`, dispatched to the staff, accepted, started and completed. */
  async function served(resident: string, serviceId = REPAIR): Promise<string> {
    const order = data(await O(resident, 'create', { serviceId, description: '楼道灯不亮了', requestId: rid() }));
    data(await O(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: STAFF }));
    data(await O(STAFF, 'accept', { orderId: order._id }));
    data(await O(STAFF, 'start', { orderId: order._id }));
    data(await O(STAFF, 'complete', { orderId: order._id, note: '已更换灯泡' }));
    return order._id;
  }
  return { P, O, served };
}
