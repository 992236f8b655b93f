// The console's login by scan (docs/console.md) against the local cloud's web-SDK endpoints: a
// browser signs in anonymously and asks for a code, the worker sees where and when and confirms,
// the browser picks up a custom-login ticket once and signs in with it; its calls then stand for
// that worker until the session ends. Forgery: identity from the payload or a header is ignored, a
// reused or another browser's session id is refused, expired and ended sessions are refused.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { sdkFor, startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { WebClient } from '../helpers/web';
import type { DeskApi, LoginPoll } from '../../cloudfunctions/desk/api';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import { LOGIN_TTL_MS, SESSION_TTL_MS } from '../../cloudfunctions/desk/login';

let cloud: LocalCloud;
let desk: ReturnType<typeof caller<DeskApi>>;
const WORKER = 'demo-worker';
const CONSOLE_ORIGIN = 'http://127.0.0.1:3999';

beforeAll(async () => {
  cloud = await startTestCloud({ allowedOrigins: [CONSOLE_ORIGIN] });
  await seedIfEmpty(cloud);
  desk = caller<DeskApi>(cloud, 'desk');
});

afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

/** A browser that asked for a code: its client and the session id the code carries. */
async function askForCode(): Promise<{ browser: WebClient; sessionId: string }> {
  const browser = new WebClient(cloud, CONSOLE_ORIGIN);
  expect((await browser.signInAnonymously()).status).toBe(200);
  const start = data(await browser.call('desk', 'startLogin', {}));
  return { browser, sessionId: start.sessionId };
}

/** Scan, confirm, pick up the ticket and sign in: a console signed in as `worker`. */
async function signedInConsole(worker = WORKER) {
  const { browser, sessionId } = await askForCode();
  data(await desk(worker, 'confirmLogin', { sessionId }));
  const poll = data(await browser.call('desk', 'pollLogin', { sessionId }));
  if (poll.status !== 'confirmed') throw new Error(`expected confirmed, got ${poll.status}`);
  const consoleClient = new WebClient(cloud, CONSOLE_ORIGIN);
  expect((await consoleClient.signInWithTicket(poll.ticket)).status).toBe(200);
  return { browser, consoleClient, sessionId, ticket: poll.ticket };
}

describe('login by scan', () => {
  test('code, where and when, confirm, ticket once, then the console acts as the worker', async () => {
    const { browser, sessionId } = await askForCode();
    expect(sessionId.length).toBeLessThanOrEqual(32);
    const start = data(await browser.call('desk', 'startLogin', {}));
    expect(start.code).toMatch(/^data:image\/png;base64,/);
    expect(start.page).toBe('packages/desk/login/index');
    expect(cloud.wechat.calls('wxacode.getUnlimited')).toBeGreaterThan(0);

    expect(data(await browser.call('desk', 'pollLogin', { sessionId })).status).toBe('waiting');
    const view = data(await desk(WORKER, 'viewLogin', { sessionId }));
    expect(view.ip).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(view.askedAt)).toBeLessThanOrEqual(Date.now());
    expect(view.communityName).not.toBe('');

    data(await desk(WORKER, 'confirmLogin', { sessionId }));
    const messages = data(await caller<MessagesApi>(cloud, 'messages')(WORKER, 'list', {}));
    expect(messages.items.some((m) => m.title === '新设备登录')).toBe(true);

    const poll = data(await browser.call('desk', 'pollLogin', { sessionId })) as LoginPoll;
    expect(poll.status).toBe('confirmed');
    if (poll.status !== 'confirmed') return;
    // The ticket is handed over once: the same browser asking again is refused.
    expect(errorCode(await browser.call('desk', 'pollLogin', { sessionId }))).toBe('E_CONFLICT');

    const consoleClient = new WebClient(cloud, CONSOLE_ORIGIN);
    expect((await consoleClient.signInWithTicket(poll.ticket)).status).toBe(200);
    const board = await consoleClient.call('orders', 'listAll', { light: 'red' });
    expect(errorCode(board)).toBe('OK');
    const sessions = data(await consoleClient.call('desk', 'listSessions', {}));
    expect(sessions.items.find((s) => s.sessionId === sessionId)?.current).toBe(true);
    // The token refreshes like CloudBase's: a new refresh token each time, the old one spent.
    const spent = consoleClient.credentials!.refresh_token;
    expect((await consoleClient.refresh()).status).toBe(200);
    expect(consoleClient.credentials!.refresh_token).not.toBe(spent);
    expect(errorCode(await consoleClient.call('orders', 'listAll', {}))).toBe('OK');
  });

  test('only workers confirm; a resident and an anonymous browser cannot', async () => {
    const { sessionId } = await askForCode();
    expect(errorCode(await desk('demo-resident-1', 'confirmLogin', { sessionId }))).toBe('E_FORBIDDEN');
    expect(errorCode(await desk('other-worker', 'viewLogin', { sessionId: 'A'.repeat(22) }))).toBe('E_NOT_FOUND');
    const stranger = new WebClient(cloud, CONSOLE_ORIGIN);
    await stranger.signInAnonymously();
    expect(errorCode(await stranger.call('desk', 'confirmLogin', { sessionId }))).toBe('E_UNAUTHENTICATED');
  });
});

describe('forgery', () => {
  test('identity in the payload or a header is ignored', async () => {
    const browser = new WebClient(cloud, CONSOLE_ORIGIN);
    await browser.signInAnonymously();
    // An anonymous browser naming a worker in the payload or in x-openid is still nobody.
    const viaPayload = await browser.invokeRaw('orders', { action: 'listAll', payload: {}, openid: WORKER, userInfo: { openId: WORKER } });
    const viaHeader = await browser.invokeRaw('orders', { action: 'listAll', payload: {} }, { 'x-openid': WORKER });
    for (const raw of [viaPayload, viaHeader]) {
      const answer = JSON.parse((raw.data as { response_data: string }).response_data);
      expect(answer.error.code).toBe('E_UNAUTHENTICATED');
    }
    // A console's calls stand for its worker whatever the payload says.
    const { consoleClient } = await signedInConsole();
    const raw = await consoleClient.invokeRaw('member', { action: 'me', payload: {}, openid: 'demo-resident-1' });
    const me = JSON.parse((raw.data as { response_data: string }).response_data);
    expect(me.data.roles).toContain('worker');
  });

  test('another browser polling the session id (a photographed code) is refused, before and after the scan', async () => {
    const { browser, sessionId } = await askForCode();
    const thief = new WebClient(cloud, CONSOLE_ORIGIN);
    await thief.signInAnonymously();
    expect(refusal(await thief.call('desk', 'pollLogin', { sessionId })).code).toBe('E_NOT_FOUND');
    data(await desk(WORKER, 'confirmLogin', { sessionId }));
    expect(errorCode(await thief.call('desk', 'pollLogin', { sessionId }))).toBe('E_NOT_FOUND');
    expect(data(await browser.call('desk', 'pollLogin', { sessionId })).status).toBe('confirmed');
  });

  test('a code is confirmed once; a made-up ticket and a session id as a ticket are refused', async () => {
    const { sessionId } = await askForCode();
    data(await desk(WORKER, 'confirmLogin', { sessionId }));
    expect(errorCode(await desk('demo-worker', 'confirmLogin', { sessionId }))).toBe('E_NOT_FOUND');
    const forger = new WebClient(cloud, CONSOLE_ORIGIN);
    expect((await forger.signInWithTicket(sessionId)).status).toBe(400);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ env: 'local', uid: sessionId, exp: Date.now() + 60_000 })).toString('base64url');
    const kid = cloud.webAuth.loginKey.private_key_id;
    expect((await forger.signInWithTicket(`${kid}/@@/${header}.${claims}.`)).status).toBe(400);
  });

  test('a console cannot confirm another login (only the phone can)', async () => {
    const { consoleClient } = await signedInConsole();
    const { sessionId } = await askForCode();
    expect(errorCode(await consoleClient.call('desk', 'confirmLogin', { sessionId }))).toBe('E_FORBIDDEN');
  });
});

describe('ending and expiry', () => {
  test('the worker ends a console session from the phone; its next call is refused', async () => {
    const { consoleClient, sessionId } = await signedInConsole();
    const mine = data(await desk(WORKER, 'listSessions', {}));
    expect(mine.items.map((s) => s.sessionId)).toContain(sessionId);
    expect(errorCode(await desk('other-worker', 'endSession', { sessionId }))).toBe('E_NOT_FOUND');
    data(await desk(WORKER, 'endSession', { sessionId }));
    expect(refusal(await consoleClient.call('orders', 'listAll', {})).code).toBe('E_UNAUTHENTICATED');
    expect(errorCode(await consoleClient.call('desk', 'listSessions', {}))).toBe('E_UNAUTHENTICATED');
    expect(data(await desk(WORKER, 'listSessions', {})).items.map((s) => s.sessionId)).not.toContain(sessionId);
  });

  test('a session past its end is refused even with a valid access token', async () => {
    const { consoleClient, sessionId } = await signedInConsole();
    await sdkFor(cloud).database().collection('desk_sessions').doc(sessionId).update({ expiresAt: new Date(Date.now() - 1000) });
    expect(refusal(await consoleClient.call('orders', 'listAll', {})).code).toBe('E_UNAUTHENTICATED');
  });

  test('a console stops working when its worker is no longer a worker', async () => {
    const { consoleClient } = await signedInConsole('demo-worker');
    const me = data(await caller<import('../../cloudfunctions/member/api').MemberApi>(cloud, 'member')('demo-worker', 'me', {}));
    expect(me?.roles).toContain('worker');
    const db = sdkFor(cloud).database();
    const id = `${me!.communityId}:demo-worker`;
    const before = (await db.collection('members').doc(id).get()).data[0] as { roles: string[] };
    await db.collection('members').doc(id).update({ roles: ['resident'] });
    try {
      expect(errorCode(await consoleClient.call('desk', 'listSessions', {}))).toBe('E_FORBIDDEN');
    } finally {
      await db.collection('members').doc(id).update({ roles: before.roles });
    }
  });

  test('a code expires unscanned; a confirmed login not picked up expires too', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const { browser, sessionId } = await askForCode();
      jest.setSystemTime(Date.now() + LOGIN_TTL_MS + 1000);
      expect(errorCode(await desk(WORKER, 'viewLogin', { sessionId }))).toBe('E_NOT_FOUND');
      expect(errorCode(await desk(WORKER, 'confirmLogin', { sessionId }))).toBe('E_NOT_FOUND');
      expect(data(await browser.call('desk', 'pollLogin', { sessionId })).status).toBe('expired');

      const second = await askForCode();
      data(await desk(WORKER, 'confirmLogin', { sessionId: second.sessionId }));
      jest.setSystemTime(Date.now() + LOGIN_TTL_MS + 1000);
      expect(data(await second.browser.call('desk', 'pollLogin', { sessionId: second.sessionId })).status).toBe('expired');

      // A signed-in console: after its working day neither the token nor its refresh works.
      const { consoleClient } = await signedInConsole();
      jest.setSystemTime(Date.now() + SESSION_TTL_MS + 1000);
      const raw = await consoleClient.invokeRaw('orders', { action: 'listAll', payload: {} });
      expect(raw.code).toBe('INVALID_ACCESS_TOKEN');
      expect((await consoleClient.refresh()).status).toBe(400);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('security domains (CORS)', () => {
  test('an allowed origin gets CORS headers; another origin is refused', async () => {
    const preflight = await fetch(`${cloud.url}/web`, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-seqid' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    const foreign = await fetch(`${cloud.url}/auth/v1/signin/anonymously`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
