// The local cloud's web-SDK endpoints beyond the login flow (tests/cloud/desk.test.ts):
// 1. The custom sign-in (`POST /auth/v1/signin/custom`, local/web-auth.ts) takes a
// ticket once: the desk hands a console's ticket over once, and a copy of it (read off the wire, a
// log, the browser's memory) replayed within its 10-minute life is refused — also re-spelled in
// base64url's spare bits, also from another browser. Past its life it is refused as expired.
// 2. Temporary file addresses (storage.getTempFileURL, the console's order photos): only for a
// signed-in console, never for an anonymous browser.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { WebClient } from '../helpers/web';
import type { DeskApi } from '../../cloudfunctions/desk/api';

let cloud: LocalCloud;
let desk: ReturnType<typeof caller<DeskApi>>;
const WORKER = 'demo-worker';
const ORIGIN = 'http://127.0.0.1:3998';

beforeAll(async () => {
  cloud = await startTestCloud({ allowedOrigins: [ORIGIN] });
  await seedIfEmpty(cloud);
  desk = caller<DeskApi>(cloud, 'desk');
});

afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

/** A login confirmed by the worker and picked up: the ticket the browser signs in with. */
async function pickedUpTicket(): Promise<string> {
  const browser = new WebClient(cloud, ORIGIN);
  expect((await browser.signInAnonymously()).status).toBe(200);
  const { sessionId } = data(await browser.call('desk', 'startLogin', {}));
  data(await desk(WORKER, 'confirmLogin', { sessionId }));
  const poll = data(await browser.call('desk', 'pollLogin', { sessionId }));
  if (poll.status !== 'confirmed') throw new Error(`expected confirmed, got ${poll.status}`);
  return poll.ticket;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same ticket with its signature's last base64url character changed in the spare bits only. */
function respelled(ticket: string): string {
  const last = ticket.slice(-1);
  const other = ALPHABET[ALPHABET.indexOf(last) ^ 1];
  const copy = ticket.slice(0, -1) + other;
  const sig = (t: string) => Buffer.from(t.split('.').pop()!, 'base64url').toString('hex');
  expect(copy).not.toBe(ticket);
  expect(sig(copy)).toBe(sig(ticket));
  return copy;
}

test('a ticket signs in once; a replay within its life is refused, whoever sends it', async () => {
  const ticket = await pickedUpTicket();
  const first = new WebClient(cloud, ORIGIN);
  expect((await first.signInWithTicket(ticket)).status).toBe(200);
  expect(errorCode(await first.call('orders', 'listAll', {}))).toBe('OK');

  // The same browser again, another browser, and the ticket re-spelled: all refused, nothing issued.
  for (const replay of [ticket, ticket, respelled(ticket)]) {
    const thief = new WebClient(cloud, ORIGIN);
    const answer = await thief.signInWithTicket(replay);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'invalid_grant', error_description: 'ticket already used' });
    expect(thief.credentials).toBeUndefined();
  }
  // The first sign-in is not disturbed by the refused copies.
  expect(errorCode(await first.call('orders', 'listAll', {}))).toBe('OK');
});

test('a refused forgery does not spend the real ticket; tickets of other logins still work', async () => {
  const ticket = await pickedUpTicket();
  const forged = ticket.slice(0, ticket.lastIndexOf('.') + 1) + 'A'.repeat(342);
  expect((await new WebClient(cloud, ORIGIN).signInWithTicket(forged)).status).toBe(400);
  expect((await new WebClient(cloud, ORIGIN).signInWithTicket(ticket)).status).toBe(200);
  const other = await pickedUpTicket();
  expect((await new WebClient(cloud, ORIGIN).signInWithTicket(other)).status).toBe(200);
});

test('past its 10 minutes a ticket is refused as expired, used or not', async () => {
  const used = await pickedUpTicket();
  const unused = await pickedUpTicket();
  expect((await new WebClient(cloud, ORIGIN).signInWithTicket(used)).status).toBe(200);
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'setInterval',
      'clearTimeout',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  try {
    jest.setSystemTime(Date.now() + 10 * 60_000 + 1000);
    for (const ticket of [used, unused]) {
      const late = await new WebClient(cloud, ORIGIN).signInWithTicket(ticket);
      expect(late.status).toBe(400);
      expect(late.body.error_description).toBe('ticket expired');
    }
  } finally {
    jest.useRealTimers();
  }
});

describe('temporary file addresses (getTempFileURL)', () => {
  async function tempUrls(client: WebClient, fileid: string) {
    const res = await fetch(`${cloud.url}/web?env=local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        action: 'storage.batchGetDownloadUrl',
        dataVersion: '2020-01-10',
        env: 'local',
        access_token: client.credentials?.access_token,
        file_list: [{ fileid, max_age: 3600 }],
      }),
    });
    return (await res.json()) as {
      code?: string;
      data?: { download_list: { fileID: string; tempFileURL: string; code: string }[] };
    };
  }

  /** The gateway route the SDK takes by default: POST /v1/storages/get-objects-download-info. */
  async function downloadInfo(client: WebClient, cloudObjectId: string) {
    const res = await fetch(`${cloud.url}/v1/storages/get-objects-download-info`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: ORIGIN,
        authorization: `Bearer ${client.credentials?.access_token ?? ''}`,
      },
      body: JSON.stringify([{ cloudObjectId }]),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  test('the gateway route: a console gets the address, an anonymous browser is refused', async () => {
    const fileId = await uploadAs(cloud, 'demo-resident-3', 'order');
    const signedIn = new WebClient(cloud, ORIGIN);
    expect((await signedIn.signInWithTicket(await pickedUpTicket())).status).toBe(200);
    const ok = await downloadInfo(signedIn, fileId);
    expect(ok.status).toBe(200);
    const [entry] = ok.body as { cloudObjectId: string; downloadUrl: string; code?: string }[];
    expect(entry).toMatchObject({ cloudObjectId: fileId });
    expect(entry!.code).toBeUndefined();
    expect((await fetch(entry!.downloadUrl)).status).toBe(200);
    const anonymous = new WebClient(cloud, ORIGIN);
    await anonymous.signInAnonymously();
    expect((await downloadInfo(anonymous, fileId)).status).toBe(403);
    expect((await downloadInfo(new WebClient(cloud, ORIGIN), fileId)).status).toBe(401);
  });

  test('a signed-in console reads a photo; an anonymous browser and a made-up token do not', async () => {
    const fileId = await uploadAs(cloud, 'demo-resident-2', 'order');
    const signedIn = new WebClient(cloud, ORIGIN);
    expect((await signedIn.signInWithTicket(await pickedUpTicket())).status).toBe(200);
    const answer = await tempUrls(signedIn, fileId);
    const [entry] = answer.data?.download_list ?? [];
    expect(entry).toMatchObject({ fileID: fileId, code: 'SUCCESS' });
    const picture = await fetch(entry!.tempFileURL);
    expect(picture.status).toBe(200);
    expect((await picture.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect((await tempUrls(signedIn, `${fileId}-gone`)).data?.download_list[0]?.code).toBe('STORAGE_FILE_NONEXIST');

    const anonymous = new WebClient(cloud, ORIGIN);
    await anonymous.signInAnonymously();
    expect(await tempUrls(anonymous, fileId)).toMatchObject({ code: 'STORAGE_EXCEED_AUTHORITY' });
    expect(await tempUrls(new WebClient(cloud, ORIGIN), fileId)).toMatchObject({ code: 'INVALID_ACCESS_TOKEN' });
  });
});
