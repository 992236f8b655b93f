// 评星定级's scenes (docs/property.md): the demo's property company served repairs and complaints
// from October to December 2029 and households rated each month; October (good) and November
// (complaints, poor ratings: red, a warning recorded, the 约谈 still to do) were published,
// December waits for the worker. Residents read the grade in January and one more household rates.
import type { Scene, SceneContext } from './scene-types';

const DAY = 24 * 60;
const STAFF = 'demo-property-1';
const all = (n: number) => ({ hygiene: n, order: n, repair: n, attitude: n, fees: n });

async function served(ctx: SceneContext, resident: string, serviceId: string, description: string, n: number) {
  const order = await ctx.invoke<{ _id: string }>(
    'orders',
    'create',
    { serviceId, description, requestId: `preview-property-${n}` },
    resident,
  );
  await ctx.invoke('orders', 'dispatch', { orderId: order._id, volunteerOpenid: STAFF }, 'demo-worker');
  await ctx.invoke('orders', 'accept', { orderId: order._id }, STAFF);
  await ctx.invoke('orders', 'start', { orderId: order._id }, STAFF);
  await ctx.invoke('orders', 'complete', { orderId: order._id, note: '已处理' }, STAFF);
}

export async function prepareProperty(ctx: SceneContext): Promise<void> {
  // October 2029: repairs on time, good ratings; published in November.
  ctx.at(-88 * DAY);
  await served(ctx, 'demo-resident-2', 'demo:property-repair', '2栋楼道灯不亮', 1);
  await served(ctx, 'demo-resident-4', 'demo:property-repair', '4栋单元门禁坏了', 2);
  await ctx.invoke('property', 'rate', { scores: { ...all(5), fees: 4 } }, 'demo-resident-2');
  await ctx.invoke('property', 'rate', { scores: all(4) }, 'demo-resident-3');
  ctx.at(-64 * DAY);
  await ctx.invoke('property', 'publish', { month: '2029-10' }, 'demo-worker');
  // November 2029: complaints about rubbish, poor ratings: red, a warning waits for its 约谈.
  ctx.at(-58 * DAY);
  await served(ctx, 'demo-resident-3', 'demo:property-complaint', '3栋垃圾三天没有清运', 3);
  await served(ctx, 'demo-resident-5', 'demo:property-complaint', '地库积水无人处理', 4);
  await served(ctx, 'demo-resident-2', 'demo:property-repair', '2栋电梯按钮失灵', 5);
  await ctx.invoke('property', 'rate', { scores: { ...all(2), repair: 3 } }, 'demo-resident-2');
  await ctx.invoke('property', 'rate', { scores: all(2) }, 'demo-resident-3');
  await ctx.invoke('property', 'rate', { scores: { ...all(3), hygiene: 1 } }, 'demo-resident-5');
  ctx.at(-34 * DAY);
  await ctx.invoke('property', 'publish', { month: '2029-11' }, 'demo-worker');
  // December 2029: better again, not yet published (the worker's page shows it to publish).
  ctx.at(-28 * DAY);
  await served(ctx, 'demo-resident-4', 'demo:property-repair', '4栋地库照明维修', 6);
  await ctx.invoke('property', 'rate', { scores: all(4) }, 'demo-resident-2');
  await ctx.invoke('property', 'rate', { scores: { ...all(4), attitude: 5 } }, 'demo-resident-4');
  ctx.at(0);
}

export const PROPERTY_SCENES: Scene[] = [
  {
    name: 'property-grade',
    caption: '物业服务评级 · 星级、分项与信用档案',
    route: 'packages/property/grade/index',
    openid: 'demo-resident-4',
  },
  {
    name: 'property-rate',
    caption: '评价物业服务 · 每户每月一次',
    route: 'packages/property/rate/index',
    openid: 'demo-resident-4',
  },
  {
    name: 'property-worker',
    caption: '物业评级管理 · 公示、预警与约谈',
    route: 'packages/property/worker/index',
    openid: 'demo-worker',
  },
];
