// The local cloud as a host: HTTP gateway, caller identity in the context, function-to-function
// calls, timer triggers, and persistence across restarts.
import { spawn, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { startLocalCloud } from '../../local/cloud';
import { sdkFor, startTestCloud, tempDataDir } from '../helpers/local';

const FIXTURES = path.join(__dirname, '../fixtures/functions');

describe('gateway over HTTP', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ functionsDir: FIXTURES });
  });
  afterAll(() => cloud.close());

  const post = (fn: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${cloud.url}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers /healthz', async () => {
    const res = await fetch(`${cloud.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('passes x-openid to the function through the CloudBase context', async () => {
    const res = await post('echo', { action: 'whoami', payload: { n: 1 } }, { 'x-openid': 'user-42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      ok: true,
      data: { openid: 'user-42', appid: 'local-appid', env: 'local', payload: { n: 1 } },
    });
  });

  it('gives no openid without the header', async () => {
    const res = await post('echo', { action: 'whoami' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { openid: unknown } }).data.openid).toBeNull();
  });

  it('answers 404 JSON for an unknown function or route', async () => {
    const res = await post('nope', { action: 'x' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'E_NOT_FOUND', message: '没有名为「nope」的云函数，请检查函数名' },
    });
    // `common` holds shared code, not a function.
    expect((await post('common', { action: 'x' })).status).toBe(404);
    expect((await fetch(`${cloud.url}/elsewhere`)).status).toBe(404);
  });

  it('refuses a body that is not JSON, and a malformed openid', async () => {
    const res = await post('echo', '{not json');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'E_VALIDATION', message: '请求内容不是有效的 JSON，请检查后重试' },
    });
    expect((await post('echo', { action: 'whoami' }, { 'x-openid': 'bad id!' })).status).toBe(400);
  });

  it("answers every refusal in Chinese, in the functions' envelope", async () => {
    const answers = [
      await fetch(`${cloud.url}/functions/echo`),
      await fetch(`${cloud.url}/elsewhere`),
      await post('echo', 'x'.repeat(1024 * 1024 + 1)),
      await post('echo', '[1, 2]'),
      await post('echo', { action: 'whoami' }, { 'x-openid': 'bad id!' }),
      await fetch(`${cloud.url}/healthz`, { method: 'POST' }),
    ];
    for (const res of answers) {
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(body.ok).toBe(false);
      expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('refuses an event nested deeper than 1000 levels instead of overflowing the stack', async () => {
    const nested = (depth: number) => `{"action":"whoami","payload":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const deep = await post('echo', nested(20_000));
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ ok: false, error: { code: 'E_VALIDATION' } });
    expect((await post('echo', nested(50))).status).toBe(200);
  });

  it('answers 500 when the function throws, 504 when it runs past its timeout', async () => {
    const thrown = await post('echo', { action: 'throw' });
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toMatchObject({
      ok: false,
      error: { code: 'E_INTERNAL', message: '云函数运行出错，请稍后再试' },
    });
    const slow = await post('echo', { action: 'sleep', payload: { ms: 2500 } });
    expect(slow.status).toBe(504);
    expect(await slow.json()).toMatchObject({ ok: false, error: { code: 'E_INTERNAL', message: '云函数运行超时，请稍后再试' } });
  });

  it('invoke() runs in-process with the same context, JSON-round-tripped', async () => {
    expect(await cloud.invoke('echo', { action: 'whoami' }, 'in-proc')).toMatchObject({ data: { openid: 'in-proc' } });
    expect(await cloud.invoke('echo', { action: 'whoami' })).toMatchObject({ data: { openid: null } });
    // A Date in the answer arrives as its JSON string, as it would over the wire.
    expect(await cloud.invoke('echo', { action: 'date' })).toEqual({ ok: true, data: { when: '1970-01-01T00:00:00.000Z' } });
    await expect(cloud.invoke('missing', {})).rejects.toThrow(/not found/);
  });

  it('a database error inside a function is an error there, not a hang', async () => {
    const started = Date.now();
    expect(await cloud.invoke('echo', { action: 'dbFail' })).toEqual({
      ok: true,
      data: { failed: true, code: 'DATABASE_COLLECTION_NOT_EXIST' },
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('serves function-to-function calls through the SDK (callFunction)', async () => {
    // From a function: echo calls echo; the callee runs without the caller's openid, as in CloudBase.
    const res = await cloud.invoke(
      'echo',
      { action: 'call', payload: { data: { action: 'whoami', payload: { hop: 2 } } } },
      'caller',
    );
    expect(res).toEqual({
      ok: true,
      data: { result: { ok: true, data: { openid: null, appid: 'local-appid', env: 'local', payload: { hop: 2 } } } },
    });
    // From the SDK directly, and its error for an unknown function.
    const app = sdkFor(cloud);
    const direct = await app.callFunction({ name: 'echo', data: { action: 'whoami' } });
    expect(direct.result).toMatchObject({ ok: true, data: { env: 'local' } });
    await expect(app.callFunction({ name: 'nope', data: {} })).rejects.toMatchObject({ code: 'FUNCTIONS_NOT_FOUND' });
    await expect(app.callFunction({ name: 'echo', data: { action: 'throw' } })).rejects.toMatchObject({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: expect.stringContaining('fixture failure'),
    });
  });

  it('runTimer() calls main with a Timer event and no openid', async () => {
    await sdkFor(cloud).database().createCollection('fixture_timer');
    expect(await cloud.runTimer('echo')).toEqual({ ok: true, data: { timer: 'everySecond' } });
    const runs = await sdkFor(cloud).database().collection('fixture_timer').get();
    expect(runs.data).toHaveLength(1);
    expect(runs.data[0]).toMatchObject({
      trigger: 'everySecond',
      openid: null,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect((runs.data[0] as { at: unknown }).at).toBeInstanceOf(Date);
    await expect(cloud.runTimer('echo', 'noSuchTrigger')).rejects.toThrow(/no timer trigger/);
  });
});

describe('timer triggers', () => {
  it('fire on their schedule when timers are on', async () => {
    const cloud = await startTestCloud({ functionsDir: FIXTURES, timers: true });
    try {
      const db = sdkFor(cloud).database();
      await db.createCollection('fixture_timer');
      const deadline = Date.now() + 5000;
      let count = 0;
      while (Date.now() < deadline && count < 2) {
        await new Promise((r) => setTimeout(r, 200));
        count = (await db.collection('fixture_timer').count()).total;
      }
      expect(count).toBeGreaterThanOrEqual(2);
      const runs = (await db.collection('fixture_timer').orderBy('time', 'asc').get()).data as {
        trigger: string;
        time: string;
      }[];
      expect(runs[0].trigger).toBe('everySecond');
      expect(new Set(runs.map((r) => r.time)).size).toBe(runs.length); // once per second, no doubles
    } finally {
      await cloud.close();
    }
  });

  it('do not fire when timers are off (the default)', async () => {
    const cloud = await startTestCloud({ functionsDir: FIXTURES });
    try {
      const db = sdkFor(cloud).database();
      await db.createCollection('fixture_timer');
      await new Promise((r) => setTimeout(r, 1500));
      expect((await db.collection('fixture_timer').count()).total).toBe(0);
    } finally {
      await cloud.close();
    }
  });
});

describe('persistence and the project database.json', () => {
  it('keeps data, Dates, runtime collections and unique indexes across close and restart', async () => {
    const dataDir = tempDataDir();
    const uniqueConfig = path.join(dataDir, '..', `${path.basename(dataDir)}-database.json`);
    fs.writeFileSync(
      uniqueConfig,
      JSON.stringify({
        collections: [{ name: 'members' }, { name: 'codes', indexes: [{ name: 'code', keys: { code: 1 }, unique: true }] }],
      }),
    );
    try {
      const first = await startLocalCloud({ dataDir, databaseConfig: uniqueConfig, functionsDir: FIXTURES });
      const db1 = sdkFor(first).database();
      await db1.collection('members').add({ _id: 'm1', name: 'A', joinedAt: new Date('2024-03-03T03:03:03Z') });
      await db1
        .collection('members')
        .doc('m1')
        .update({ name: 'B', n: db1.command.inc(1) });
      await db1.collection('members').add({ _id: 'm2' });
      await db1.collection('members').doc('m2').remove();
      await db1.collection('codes').add({ code: 'X' });
      await db1.createCollection('runtime_made');
      await db1.collection('runtime_made').add({ _id: 'r1' });
      await first.close();

      // Compacted on close: one line per live document, no update/remove history.
      const lines = fs.readFileSync(path.join(dataDir, 'members.db'), 'utf8').trim().split('\n');
      expect(lines.filter((l) => l.includes('"_id"'))).toHaveLength(1);

      const second = await startLocalCloud({ dataDir, databaseConfig: uniqueConfig, functionsDir: FIXTURES });
      try {
        const db2 = sdkFor(second).database();
        const m1 = (await db2.collection('members').doc('m1').get()).data[0] as { name: string; n: number; joinedAt: Date };
        expect(m1).toMatchObject({ name: 'B', n: 1 });
        expect(m1.joinedAt).toBeInstanceOf(Date);
        expect(m1.joinedAt.toISOString()).toBe('2024-03-03T03:03:03.000Z');
        expect((await db2.collection('members').doc('m2').get()).data).toEqual([]);
        expect((await db2.collection('runtime_made').doc('r1').get()).data).toHaveLength(1);
        await expect(db2.collection('codes').add({ code: 'X' })).rejects.toMatchObject({
          message: expect.stringMatching(/duplicate key/),
        });
        // The functions' SDK follows the restarted cloud through TCB_SERVICE_URL.
        expect(process.env.TCB_SERVICE_URL).toBe(`${second.url}/tcb`);
        expect(await second.invoke('echo', { action: 'whoami' }, 'again')).toMatchObject({ data: { openid: 'again' } });
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(uniqueConfig, { force: true });
    }
  });

  it('starts with every collection of cloudfunctions/database.json and its indexes', async () => {
    const spec = JSON.parse(fs.readFileSync(path.join(__dirname, '../../cloudfunctions/database.json'), 'utf8')) as {
      collections: { name: string; indexes?: { keys: Record<string, number> }[] }[];
      securityRule: unknown;
    };
    expect(spec.securityRule).toEqual({ read: false, write: false });
    const names = spec.collections.map((c) => c.name);
    for (const name of [
      'communities',
      'users',
      'members',
      'invites',
      'audit',
      'messages',
      'orders',
      'services',
      'parking_spots',
      'parking_bookings',
      'notices',
      'notice_reads',
      'counters',
    ]) {
      expect(names).toContain(name);
    }
    const reads: DataCallRecord[] = [];
    const cloud = await startTestCloud({ functionsDir: FIXTURES, observe: { dataCall: (r) => reads.push(r) } });
    try {
      const db = sdkFor(cloud).database();
      for (const name of names) expect((await db.collection(name).count()).total).toBe(0);
      await expect(db.collection('undeclared_collection').count()).rejects.toMatchObject({
        code: 'DATABASE_COLLECTION_NOT_EXIST',
      });
      // The declared indexes exist in the store: a read of each one's fields walks it.
      const members = db.collection('members');
      const walked = async (where: object) => {
        reads.length = 0;
        await members.where(where).orderBy('_id', 'asc').limit(5).get();
        return reads.find((r) => r.action === 'database.getDocument')?.read;
      };
      expect(await walked({ communityId: 'c', status: 'active' })).toMatchObject({ plan: 'walk', indexes: ['community_status'] });
      expect(await walked({ communityId: 'c', building: '1', room: '101' })).toMatchObject({
        plan: 'walk',
        indexes: ['community_building_room'],
      });
      expect(await walked({ openid: 'o' })).toMatchObject({ plan: 'walk', indexes: ['openid'] });
    } finally {
      await cloud.close();
    }
  });
});

describe('one local cloud per data dir', () => {
  const lockFile = (dataDir: string) => path.join(dataDir, '.lock');

  it('refuses a second cloud on a data dir in use, and starts again after close()', async () => {
    const dataDir = tempDataDir();
    try {
      const first = await startLocalCloud({ dataDir, functionsDir: FIXTURES });
      expect(fs.readFileSync(lockFile(dataDir), 'utf8').trim()).toBe(String(process.pid));
      await expect(startLocalCloud({ dataDir, functionsDir: FIXTURES })).rejects.toThrow(/in use by another local cloud/);
      await first.close();
      expect(fs.existsSync(lockFile(dataDir))).toBe(false);
      const second = await startLocalCloud({ dataDir, functionsDir: FIXTURES });
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a data dir whose lock names another running process', async () => {
    const dataDir = tempDataDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(lockFile(dataDir), `${other.pid}\n`);
      await expect(startLocalCloud({ dataDir, functionsDir: FIXTURES })).rejects.toThrow(
        new RegExp(`in use by another local cloud \\(pid ${other.pid}\\)`),
      );
      // The refused start leaves the other process's lock alone.
      expect(fs.readFileSync(lockFile(dataDir), 'utf8').trim()).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes over a stale lock (its process is gone)', async () => {
    const dataDir = tempDataDir();
    try {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      fs.writeFileSync(lockFile(dataDir), `${dead}\n`);
      const cloud = await startLocalCloud({ dataDir, functionsDir: FIXTURES });
      expect(fs.readFileSync(lockFile(dataDir), 'utf8').trim()).toBe(String(process.pid));
      await cloud.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('readiness and latency', () => {
  it('answers /healthz 503 until `ready` resolves', async () => {
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const cloud = await startTestCloud({ functionsDir: FIXTURES, ready });
    try {
      const before = await fetch(`${cloud.url}/healthz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({ ok: false, status: 'starting', error: { code: 'E_INTERNAL' } });
      markReady();
      await ready;
      const after = await fetch(`${cloud.url}/healthz`);
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ ok: true });
    } finally {
      await cloud.close();
    }
  });

  it('answers /healthz 503 for good when `ready` rejects', async () => {
    const ready = Promise.reject(new Error('seed failed'));
    const cloud = await startTestCloud({ functionsDir: FIXTURES, ready });
    try {
      await ready.catch(() => undefined);
      const res = await fetch(`${cloud.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        ok: false,
        status: 'failed',
        error: { message: '本地云启动失败，请查看运行 npm start 的终端里的报错' },
      });
    } finally {
      await cloud.close();
    }
  });

  it('delays every SDK call by latencyMs', async () => {
    const cloud = await startTestCloud({ functionsDir: FIXTURES, latencyMs: 40 });
    try {
      const db = sdkFor(cloud).database();
      await db.createCollection('fixture_latency');
      const t0 = performance.now();
      await db.collection('fixture_latency').count();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(38);
      // Not the gateway's own routes: only /tcb answers the SDK.
      const h0 = performance.now();
      await fetch(`${cloud.url}/healthz`);
      expect(performance.now() - h0).toBeLessThan(1000);
    } finally {
      await cloud.close();
    }
  });
});
