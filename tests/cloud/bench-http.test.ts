// The bench's HTTP client (scripts/bench/http.ts) never reuses a keep-alive socket that sat idle
// longer than its limit, even when the event loop was too busy for any timer to fire: the case
// that reset `grow()`'s bulk inserts on a busy machine.
import http from 'http';
import type { AddressInfo } from 'net';
import { agent, request } from '../../scripts/bench/http';

describe('bench HTTP client', () => {
  let server: http.Server;
  let url = '';
  let connections = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('{}'));
    server.keepAliveTimeout = 60_000;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (connections = 0));

  it('reuses a socket idle for a moment', async () => {
    await request(url, 'POST', '{}');
    await request(url, 'POST', '{}');
    expect(connections).toBe(1);
  });

  it('opens a new socket after a busy stretch longer than the idle limit', async () => {
    await request(url, 'POST', '{}');
    const before = connections;
    const until = Date.now() + 2100; // blocks the loop: no timer of the agent can run meanwhile
    while (Date.now() < until);
    await request(url, 'POST', '{}');
    expect(connections).toBe(before + 1);
  });

  it('sends a fresh request on its own connection and closes it', async () => {
    await request(url, 'POST', '{}', {}, true);
    await request(url, 'POST', '{}', {}, true);
    expect(connections).toBe(2);
  });
});
