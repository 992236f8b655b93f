// The local cloud's `observe` hook (used by `npm run bench`): every data-API call and every
// function invocation is reported, with the data-API calls an invocation made.
import path from 'path';
import type { DataCallRecord, InvocationRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { ObserveDrain } from '../../local/observe';
import { startTestCloud } from '../helpers/local';

describe('observe hook', () => {
  let cloud: LocalCloud;
  const calls: DataCallRecord[] = [];
  const invocations: InvocationRecord[] = [];
  beforeAll(async () => {
    cloud = await startTestCloud({
      observe: { dataCall: (r) => calls.push(r), invocation: (r) => invocations.push(r) },
    });
    await seedIfEmpty(cloud);
  });
  afterAll(() => cloud.close());
  beforeEach(() => {
    calls.length = 0;
    invocations.length = 0;
  });

  it('reports an invocation with its time and the data-API calls it made', async () => {
    const res = await cloud.invoke('messages', { action: 'unreadCount' }, 'demo-worker');
    expect(res).toMatchObject({ ok: true });
    // The router reads the user and the membership, the handler counts the unread messages.
    expect(calls.map((c) => `${c.action}:${c.collection}`)).toEqual([
      'database.getDocument:users',
      'database.getDocument:members',
      'database.calculateDocument:messages',
    ]);
    for (const c of calls) expect(c.ms).toBeGreaterThanOrEqual(0);
    expect(invocations).toHaveLength(1);
    const [inv] = invocations;
    expect(inv).toMatchObject({ fn: 'messages', action: 'unreadCount', source: 'local', dataCalls: 3, ok: true });
    // The invocation contains its data calls.
    expect(inv.ms).toBeGreaterThanOrEqual(calls.reduce((sum, c) => sum + c.ms, 0));
  });

  it('counts a refused call too (one read, then E_NOT_MEMBER)', async () => {
    const res = await cloud.invoke('orders', { action: 'listAll', payload: {} }, 'nobody-here');
    expect(res).toMatchObject({ ok: false, error: { code: 'E_NOT_MEMBER' } });
    expect(invocations).toEqual([expect.objectContaining({ fn: 'orders', action: 'listAll', dataCalls: 1, ok: true })]);
  });

  it('reports nothing for an unknown function', async () => {
    await expect(cloud.invoke('nope', { action: 'x' })).rejects.toThrow(/not found/);
    // An unknown function never runs: nothing to report.
    expect(invocations).toHaveLength(0);
  });
});

describe('observe hook on a failing function', () => {
  let cloud: LocalCloud;
  const invocations: InvocationRecord[] = [];
  beforeAll(async () => {
    cloud = await startTestCloud({
      functionsDir: path.join(__dirname, '../fixtures/functions'),
      observe: { invocation: (r) => invocations.push(r) },
    });
  });
  afterAll(() => cloud.close());

  it('marks an invocation whose main threw as not ok', async () => {
    await expect(cloud.invoke('echo', { action: 'throw' })).rejects.toThrow(/fixture failure/);
    await cloud.invoke('echo', { action: 'dbFail' });
    expect(invocations).toEqual([
      expect.objectContaining({ fn: 'echo', action: 'throw', ok: false, dataCalls: 0 }),
      expect.objectContaining({ fn: 'echo', action: 'dbFail', ok: true, dataCalls: 1 }),
    ]);
  });
});

describe('GET /observe (observeEndpoint: a benchmark in another process)', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ observeEndpoint: true });
    await seedIfEmpty(cloud);
    await fetch(`${cloud.url}/observe`); // the seed's records
  });
  afterAll(() => cloud.close());

  const drain = async () => (await (await fetch(`${cloud.url}/observe`)).json()) as ObserveDrain;

  it('hands over the records since the last GET, once', async () => {
    const res = await fetch(`${cloud.url}/functions/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openid': 'demo-worker' },
      body: JSON.stringify({ action: 'unreadCount' }),
    });
    expect(await res.json()).toMatchObject({ ok: true });
    const seen = await drain();
    expect(seen.invocations).toEqual([
      expect.objectContaining({ fn: 'messages', action: 'unreadCount', source: 'http', dataCalls: 3, ok: true }),
    ]);
    expect(seen.dataCalls.map((c) => c.collection)).toEqual(['users', 'members', 'messages']);
    // Reads keep their body (a benchmark replays them) and their plan.
    expect(seen.dataCalls[0]).toMatchObject({ action: 'database.getDocument', read: expect.any(Object) });
    expect(seen.dataCalls[0].body).toMatchObject({ action: 'database.getDocument', collectionName: 'users' });
    expect(seen.memory.heapUsed).toBeGreaterThan(0);
    expect(await drain()).toMatchObject({ invocations: [], dataCalls: [], dropped: 0 });
  });

  it('keeps no body for a write', async () => {
    expect(await cloud.invoke('orders', { action: 'setDuty', payload: { onDuty: false } }, 'demo-volunteer-1')).toMatchObject({
      ok: true,
    });
    const writes = (await drain()).dataCalls.filter((c) => !/getDocument|calculateDocument/.test(c.action));
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(w.body).toBeUndefined();
  });

  it('sets the SDK-call latency for the calls after it, and refuses a bad one', async () => {
    const post = (ms: unknown) =>
      fetch(`${cloud.url}/observe/latency`, { method: 'POST', body: JSON.stringify({ ms }) });
    expect((await post(-1)).status).toBe(400);
    expect((await post('x')).status).toBe(400);
    const time = async () => {
      const t0 = performance.now();
      await cloud.invoke('messages', { action: 'unreadCount' }, 'demo-worker');
      return performance.now() - t0;
    };
    expect(await (await post(60)).json()).toEqual({ ok: true, latencyMs: 60 });
    // unreadCount makes 3 data calls, one after another: at least 3 × 60 ms.
    expect(await time()).toBeGreaterThanOrEqual(170);
    await post(0);
    await drain();
  });

  it('runs a timer trigger on request and reports it', async () => {
    const res = await fetch(`${cloud.url}/observe/timer/timer`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    expect((await drain()).invocations).toEqual([expect.objectContaining({ fn: 'timer', source: 'timer', ok: true })]);
    expect((await fetch(`${cloud.url}/observe/timer/nothing`, { method: 'POST' })).status).toBe(404);
  });

  it('is not there unless asked', async () => {
    const plain = await startTestCloud();
    try {
      expect((await fetch(`${plain.url}/observe`)).status).toBe(404);
      expect((await fetch(`${plain.url}/observe/latency`, { method: 'POST', body: '{"ms":5}' })).status).toBe(404);
      expect((await fetch(`${plain.url}/observe/timer/timer`, { method: 'POST' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
