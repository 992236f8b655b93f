// The bench's HTTP client. Stale keep-alive sockets, fixed at the root:
// - measured calls go through one keep-alive agent that never reuses a socket idle for more than
//   IDLE_MS (2 s, far below the local cloud's 30 s keepAliveTimeout). The age is checked by the clock
//   when a request is queued, not by a timer: a timer cannot fire while the bench's event loop is
//   busy building data, which is how an old socket used to be reused after the server had closed it;
// - bulk inserts and the observe reads use a fresh connection each (no agent): a 500-document
//   insert costs far more than a TCP connect on loopback, and a fresh socket cannot be stale;
// - nothing is retried: an ECONNRESET now means a real fault and fails the run.
import http from 'http';
import type { Socket } from 'net';

const IDLE_MS = 2000;

class ExpiringAgent extends http.Agent {
  private readonly freedAt = new WeakMap<Socket, number>();

  // keepSocketAlive answers whether the socket stays (typed `void` in @types/node).
  override keepSocketAlive(socket: Socket): void {
    this.freedAt.set(socket, Date.now());
    return super.keepSocketAlive(socket);
  }

  // addRequest is public in node's Agent but missing from @types/node.
  addRequest(req: http.ClientRequest, options: unknown): void {
    const now = Date.now();
    for (const sockets of Object.values(this.freeSockets)) {
      for (const s of [...(sockets ?? [])]) {
        if (now - (this.freedAt.get(s as Socket) ?? now) > IDLE_MS) s.destroy();
      }
    }
    (http.Agent.prototype as unknown as { addRequest: (r: unknown, o: unknown) => void }).addRequest.call(this, req, options);
  }
}

/** Keep-alive for the measured calls (up to 64 sockets: the largest concurrency is 32). */
export const agent = new ExpiringAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });

export interface Answer {
  status: number;
  text: string;
}

/** One request; `fresh` opens its own connection and closes it after the answer. */
export function request(
  url: string,
  method: 'GET' | 'POST',
  body?: string,
  headers: Record<string, string> = {},
  fresh = false,
  timeoutMs = 120_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: fresh ? false : agent,
        headers: {
          ...(body !== undefined
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
            : {}),
          ...(fresh ? { connection: 'close' } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
