// The desk pages in the preview (docs/console.md): the page a console's login code opens, and the
// worker's 电脑登录 list. The logins are written as desk.startLogin and desk.pollLogin leave them
// (a browser on the web SDK asked; the preview has no browser).
import { collection } from '../../cloudfunctions/common/db';
import { LOGIN_TTL_MS, SESSION_TTL_MS, type DeskSessionDoc } from '../../cloudfunctions/desk/login';
import type { Scene, SceneContext } from './scene-types';

const WAITING = 'previewDeskLogin000001';
const ACTIVE = 'previewDeskSession0001';

export async function prepareDesk(ctx: SceneContext): Promise<void> {
  ctx.at(0);
  const now = Date.now();
  const waiting: DeskSessionDoc = {
    _id: WAITING,
    browser: 'anon_preview_browser',
    ip: '203.0.113.9',
    status: 'waiting',
    createdAt: new Date(now - 20_000),
    // Long enough for every scene rendered after it.
    expiresAt: new Date(now + 100 * LOGIN_TTL_MS),
    version: 1,
  };
  const active: DeskSessionDoc = {
    _id: ACTIVE,
    browser: 'anon_preview_browser_2',
    ip: '203.0.113.7',
    status: 'active',
    createdAt: new Date(now - 60 * 60_000),
    expiresAt: new Date(now + SESSION_TTL_MS),
    openid: 'demo-worker',
    communityId: 'demo',
    confirmedAt: new Date(now - 59 * 60_000),
    signedInAt: new Date(now - 59 * 60_000),
    version: 3,
  };
  await collection('desk_sessions').add(waiting);
  await collection('desk_sessions').add(active);
}

export const DESK_SCENES: Scene[] = [
  {
    name: 'desk-login',
    caption: '电脑登录确认 — 扫工作台的码',
    route: 'packages/desk/login/index',
    openid: 'demo-worker',
    query: () => ({ scene: WAITING }),
  },
  { name: 'desk-sessions', caption: '电脑登录 — 社区工作者', route: 'packages/desk/sessions/index', openid: 'demo-worker' },
];
