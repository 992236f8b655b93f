// 亲情代办's scenes (docs/family.md): 赵秀兰's daughter 李娜, in another city, bound to her mother;
// she ordered 代买代办 for her this morning (accepted by a volunteer); 赵秀兰's son asks to bind
// and waits for her answer.
import type { Scene, SceneContext } from './scene-types';

export const FAMILY_DAUGHTER = 'preview-daughter';
const FAMILY_SON = 'preview-son';
const MOTHER = 'demo-resident-1';

export async function prepareFamily(ctx: SceneContext): Promise<void> {
  ctx.at(-3 * 24 * 60);
  const { code } = await ctx.invoke<{ code: string }>('member', 'familyCode', {}, MOTHER);
  const link = await ctx.invoke<{ _id: string }>(
    'member',
    'familyRequest',
    { familyCode: code, name: '李娜', relation: '女儿', phone: '13900000088' },
    FAMILY_DAUGHTER,
  );
  ctx.at(-3 * 24 * 60 + 30);
  await ctx.invoke('member', 'familyAnswer', { linkId: link._id, confirm: true }, MOTHER);
  ctx.ids.familyLink = link._id;
  ctx.at(-90);
  const order = await ctx.invoke<{ _id: string }>(
    'orders',
    'familyCreate',
    {
      linkId: link._id,
      serviceId: 'demo:errand',
      description: '帮妈妈买降压药（硝苯地平缓释片），中午前送到家',
      requestId: 'preview-family-order',
    },
    FAMILY_DAUGHTER,
  );
  ctx.ids.familyOrder = order._id;
  ctx.at(-80);
  await ctx.invoke('orders', 'dispatch', { orderId: order._id, volunteerOpenid: 'demo-volunteer-2' }, 'demo-worker');
  ctx.at(-70);
  await ctx.invoke('orders', 'accept', { orderId: order._id }, 'demo-volunteer-2');
  ctx.at(-20);
  await ctx.invoke('member', 'familyRequest', { familyCode: code, name: '赵大勇', relation: '儿子' }, FAMILY_SON);
}

export const FAMILY_SCENES: Scene[] = [
  { name: 'family-home', caption: '亲情代办 — 外地子女', route: 'packages/family/home/index', openid: FAMILY_DAUGHTER },
  {
    name: 'family-order',
    caption: '亲情代办 · 订单进度',
    route: 'packages/family/order/index',
    openid: FAMILY_DAUGHTER,
    query: (ctx) => ({ id: ctx.ids.familyOrder }),
  },
  {
    name: 'family-create',
    caption: '亲情代办 · 为长辈下单',
    route: 'packages/family/create/index',
    openid: FAMILY_DAUGHTER,
    query: (ctx) => ({ link: ctx.ids.familyLink }),
  },
  {
    name: 'family-bind',
    caption: '亲情代办 · 绑定长辈',
    route: 'packages/family/bind/index',
    openid: 'preview-stranger',
  },
  { name: 'family-confirm', caption: '亲情代办 — 长辈确认家人', route: 'packages/family/confirm/index', openid: MOTHER },
];
