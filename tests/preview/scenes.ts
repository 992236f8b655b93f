// The pages the preview renders, each as a person of the demo community reaches it. Order states
// are made through the real functions first (a resident orders, the worker dispatches, a volunteer
// accepts, starts, completes; the resident rates), on a fixed clock, so every run looks the same.
import { DEMO_NOTICES } from '../../local/seed/notices';
import { DEMO_SPOTS } from '../../local/seed/parking';
import { VOTE_SCENES } from './vote-scenes';
import { TOPIC_SCENES } from './topic-scenes';
import { LEDGER_SCENES } from './ledger-scenes';
import { DESK_SCENES } from './desk-scenes';
import { PROPERTY_SCENES } from './property-scenes';
import { FAMILY_SCENES } from './family-scenes';

/** The preview's clock: a Monday morning in the community's time zone. */
export const PREVIEW_NOW = '2030-01-07T09:41:00+08:00';

import type { Scene, SceneContext } from './scene-types';

export type { Scene, SceneContext };

const ORDER = {
  pending: 'preview-order-pending',
  inService: 'preview-order-in-service',
  accepted: 'preview-order-accepted',
  completed: 'preview-order-completed',
};

/**
 * Makes the orders of the order scenes through the real functions, on the preview's clock:
 * 赵秀兰 (demo-resident-1) has a haircut done and rated, a repair being served, and an escort
 * waiting for dispatch past its step limit; 孙伟 (demo-resident-2) has an errand accepted.
 */
export async function prepareOrders(ctx: SceneContext): Promise<void> {
  const resident = 'demo-resident-1';
  const worker = 'demo-worker';
  const volunteer = 'demo-volunteer-1';
  const create = async (key: string, openid: string, code: string, description: string) => {
    const order = await ctx.invoke<{ _id: string }>(
      'orders',
      'create',
      { serviceId: `demo:${code}`, description, requestId: `${key}-request` },
      openid,
    );
    ctx.ids[key] = order._id;
    return order._id;
  };
  const step = (action: string, payload: Record<string, unknown>, openid: string) =>
    ctx.invoke('orders', action, payload, openid);

  // Completed and rated: yesterday afternoon.
  ctx.at(-18 * 60);
  const done = await create(ORDER.completed, resident, 'haircut', '想请人上门理个发，剪短一点，我腿脚不方便下楼');
  ctx.at(-18 * 60 + 10);
  await step('dispatch', { orderId: done, volunteerOpenid: volunteer }, worker);
  ctx.at(-18 * 60 + 15);
  await step('accept', { orderId: done }, volunteer);
  ctx.at(-17 * 60);
  await step('start', { orderId: done }, volunteer);
  ctx.at(-16 * 60 - 20);
  await step('complete', { orderId: done, note: '已上门理发，老人很满意，顺便帮忙倒了垃圾' }, volunteer);
  ctx.at(-16 * 60);
  await step('rate', { orderId: done, stars: 5, comment: '张师傅手艺好，人也热心，谢谢！' }, resident);

  // In service: a repair this morning.
  ctx.at(-75);
  const serving = await create(ORDER.inService, resident, 'repair', '卫生间灯泡坏了，换一个，灯泡家里有');
  ctx.at(-70);
  await step('dispatch', { orderId: serving, volunteerOpenid: volunteer }, worker);
  ctx.at(-62);
  await step('accept', { orderId: serving }, volunteer);
  ctx.at(-20);
  await step('start', { orderId: serving }, volunteer);

  // Accepted, not started: 孙伟's errand.
  ctx.at(-40);
  const accepted = await create(ORDER.accepted, 'demo-resident-2', 'errand', '帮忙去药店买一盒降压药，钱当面给');
  ctx.at(-35);
  await step('dispatch', { orderId: accepted, volunteerOpenid: 'demo-volunteer-2' }, worker);
  ctx.at(-30);
  await step('accept', { orderId: accepted }, 'demo-volunteer-2');

  // Waiting for the community to dispatch for 52 minutes: past 80 % of the hour it has, a yellow light.
  ctx.at(-52);
  await create(ORDER.pending, resident, 'escort-medical', '周三上午去社区医院复查血压，想有人陪着去');

  ctx.at(0);
}

export const orderId = (ctx: SceneContext, key: keyof typeof ORDER) => ctx.ids[ORDER[key]];

/** Every scene, in the order of the README's grid. */
export const SCENES: Scene[] = [
  { name: 'home', caption: '首页 — 赵秀兰', route: 'pages/home/index', openid: 'demo-resident-1' },
  {
    name: 'order-create',
    caption: '预约服务',
    route: 'packages/orders/create/index',
    openid: 'demo-resident-1',
    query: () => ({ serviceId: 'demo:haircut' }),
  },
  {
    name: 'order-pending',
    caption: '订单详情 · 待派单',
    route: 'packages/orders/detail/index',
    openid: 'demo-resident-1',
    query: (ctx) => ({ id: orderId(ctx, 'pending') }),
  },
  {
    name: 'order-accepted',
    caption: '订单详情 · 已接单',
    route: 'packages/orders/detail/index',
    openid: 'demo-resident-2',
    query: (ctx) => ({ id: orderId(ctx, 'accepted') }),
  },
  {
    name: 'order-in-service',
    caption: '订单详情 · 服务中',
    route: 'packages/orders/detail/index',
    openid: 'demo-resident-1',
    query: (ctx) => ({ id: orderId(ctx, 'inService') }),
  },
  {
    name: 'order-completed',
    caption: '订单详情 · 已完成',
    route: 'packages/orders/detail/index',
    openid: 'demo-resident-1',
    query: (ctx) => ({ id: orderId(ctx, 'completed') }),
  },
  { name: 'orders', caption: '订单 — 我的订单', route: 'pages/orders/index', openid: 'demo-resident-1' },
  {
    name: 'orders-served',
    caption: '订单 — 我服务的（还没有服务过）',
    route: 'pages/orders/index',
    openid: 'demo-volunteer-3',
    // 陈志强 has served nothing yet: the served list's empty state.
    interact: (page) => page.tap('#mode-volunteer'),
  },
  { name: 'hall', caption: '志愿者接单大厅', route: 'packages/orders/hall/index', openid: 'demo-volunteer-2' },
  {
    name: 'board',
    caption: '派单工作台 · 待派单',
    route: 'packages/worker/board/index',
    openid: 'demo-worker',
    // The worker narrows the board to the orders waiting for dispatch.
    interact: (page) => page.tap('.status-filter', 1),
  },
  { name: 'parking-find', caption: '共享车位 · 找车位', route: 'packages/parking/find/index', openid: 'demo-volunteer-2' },
  { name: 'parking-bookings', caption: '我的预约', route: 'packages/parking/bookings/index', openid: 'demo-resident-3' },
  { name: 'notices', caption: '通知', route: 'pages/notices/index', openid: 'demo-resident-1' },
  {
    name: 'notice-detail',
    caption: '通知详情',
    route: 'pages/notices/detail/index',
    openid: 'demo-resident-1',
    query: () => ({ id: DEMO_NOTICES.water }),
  },
  {
    name: 'notice-stats',
    caption: '阅读情况 — 社区工作者',
    route: 'packages/notices/stats/index',
    openid: 'demo-worker',
    query: () => ({ id: DEMO_NOTICES.water }),
  },
  { name: 'mine', caption: '我的 — 居民', route: 'pages/mine/index', openid: 'demo-resident-1' },
  { name: 'mine-worker', caption: '我的 — 社区工作者', route: 'pages/mine/index', openid: 'demo-worker' },
  { name: 'inbox', caption: '我的消息', route: 'packages/notices/inbox/index', openid: 'demo-resident-1' },
  {
    name: 'join',
    caption: '加入社区 — 邀请卡片打开',
    route: 'pages/join/index',
    openid: 'preview-stranger',
    query: () => ({ code: 'DEMOJOIN' }),
  },
  {
    name: 'household-confirm',
    caption: '家人确认',
    route: 'packages/household/confirm/index',
    openid: 'demo-resident-2',
    query: () => ({ openid: NEWCOMER }),
  },
  {
    name: 'order-rate',
    caption: '评价服务',
    route: 'packages/orders/rate/index',
    openid: 'demo-resident-1',
    query: () => ({ id: 'demo-order-completed' }),
  },
  {
    name: 'dispatch',
    caption: '派单 · 推荐志愿者',
    route: 'packages/worker/dispatch/index',
    openid: 'demo-worker',
    query: (ctx) => ({ id: orderId(ctx, 'pending') }),
  },
  {
    name: 'review',
    caption: '评单与回访',
    route: 'packages/worker/review/index',
    openid: 'demo-worker',
    query: (ctx) => ({ id: orderId(ctx, 'completed') }),
  },
  { name: 'members', caption: '成员审核', route: 'packages/worker/members/index', openid: 'demo-worker' },
  { name: 'invite', caption: '邀请居民加入', route: 'packages/worker/invite/index', openid: 'demo-worker' },
  { name: 'services', caption: '服务菜单管理', route: 'packages/worker/services/index', openid: 'demo-worker' },
  { name: 'audit', caption: '操作记录', route: 'packages/worker/audit/index', openid: 'demo-worker' },
  { name: 'limits', caption: '操作过频记录', route: 'packages/worker/limits/index', openid: 'demo-worker' },
  { name: 'notice-compose', caption: '发布通知', route: 'packages/notices/compose/index', openid: 'demo-worker' },
  { name: 'notice-manage', caption: '通知管理', route: 'packages/notices/manage/index', openid: 'demo-worker' },
  { name: 'notice-groups', caption: '楼栋群', route: 'packages/notices/groups/index', openid: 'demo-worker' },
  { name: 'parking-spots', caption: '我的车位', route: 'packages/parking/spots/index', openid: 'demo-resident-4' },
  {
    name: 'parking-spot',
    caption: '车位管理 — 车主',
    route: 'packages/parking/spot/index',
    openid: 'demo-resident-4',
    query: () => ({ id: DEMO_SPOTS.resident4 }),
  },
  { name: 'parking-verify', caption: '车位核实 — 社区工作者', route: 'packages/parking/verify/index', openid: 'demo-worker' },
  ...VOTE_SCENES,
  ...TOPIC_SCENES,
  ...LEDGER_SCENES,
  ...DESK_SCENES,
  ...PROPERTY_SCENES,
  ...FAMILY_SCENES,
];

/** Joins 孙伟's verified home (2栋 301) through the auto-approving invite: the 家人确认 scene's newcomer. */
const NEWCOMER = 'preview-newcomer';

/**
 * Readers of the water notice before the stats page is shown (so it has read and unread
 * households), and a parking booking for the bookings page.
 */
export async function prepareOthers(ctx: SceneContext): Promise<void> {
  for (const openid of ['demo-resident-2', 'demo-volunteer-1']) {
    await ctx.invoke('notices', 'get', { noticeId: DEMO_NOTICES.water }, openid);
  }
  // 孙伟's daughter claims his room (家人确认), and an application waits for the worker (成员审核).
  ctx.at(-25);
  await ctx.invoke('member', 'join', { inviteCode: 'DEMOAUTO', name: '孙小雨', room: '301', phone: '13800000031' }, NEWCOMER);
  ctx.at(-15);
  await ctx.invoke(
    'member',
    'join',
    { inviteCode: 'DEMOJOIN', name: '王秀英', building: '3栋', room: '502' },
    'preview-applicant',
  );
  ctx.at(0);
}
