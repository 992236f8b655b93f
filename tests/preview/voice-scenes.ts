// Preview scenes of voice orders and 一键求助 (docs/elder-mode.md): the elder's voice form with a
// service picked, the volunteer's view of a voice order (playable), and the help confirm on the
// elder's home. The voice order is 吴强's (demo-resident-4), already accepted by 张建国, so the
// board, hall and served-list scenes stay as they were; made an hour before the preview's now, so
// the workers' audit log still opens on the joins and the newest changes of the other scenes.
import fs from 'fs';
import path from 'path';
import { uploadPrefix } from '../../cloudfunctions/common/files';
import type { Scene, SceneContext } from './scene-types';

const VOICE_ORDER = 'preview-order-voice';

export async function prepareVoice(ctx: SceneContext): Promise<void> {
  const resident = 'demo-resident-4';
  const volunteer = 'demo-volunteer-1';
  const bytes = fs.readFileSync(path.join(__dirname, '../fixtures/audio/voice.mp3'));
  const { fileID } = await ctx.cloud.storage.put(`${uploadPrefix(resident)}voice/previewvoice01.mp3`, bytes, resident);
  ctx.at(-70);
  const order = await ctx.invoke<{ _id: string }>(
    'orders',
    'create',
    { serviceId: 'demo:errand', requestId: `${VOICE_ORDER}-request`, voice: { fileId: fileID, seconds: 14 } },
    resident,
  );
  ctx.ids[VOICE_ORDER] = order._id;
  await ctx.cloud.wechat.settled();
  ctx.at(-66);
  await ctx.invoke('orders', 'dispatch', { orderId: order._id, volunteerOpenid: volunteer }, 'demo-worker');
  ctx.at(-63);
  await ctx.invoke('orders', 'accept', { orderId: order._id }, volunteer);
  ctx.at(0);
}

export const VOICE_SCENES: Scene[] = [
  {
    name: 'order-voice',
    caption: '语音点单（长辈）',
    route: 'packages/orders/voice/index',
    openid: 'demo-resident-1',
    query: () => ({ serviceId: 'demo:errand' }),
  },
  {
    name: 'order-voice-detail',
    caption: '订单详情 · 语音留言（志愿者）',
    route: 'packages/orders/detail/index',
    openid: 'demo-volunteer-1',
    query: (ctx) => ({ id: ctx.ids[VOICE_ORDER] }),
  },
  {
    name: 'home-help',
    caption: '首页 · 一键求助（长辈）',
    route: 'pages/home/index',
    openid: 'demo-resident-1',
    interact: (page) => page.tap('#help'),
  },
];
