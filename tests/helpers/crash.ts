// Helpers for the crash test: the local cloud as a real child process (the `npm start` entry),
// plain HTTP calls to it, a seeded random source, and a reader of nedb data files that replays
// them the way nedb loads them.
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import path from 'path';
import type { Result } from '../../cloudfunctions/common/envelope';

const REPO = path.resolve(__dirname, '../..');

/** mulberry32: a small seeded generator, so a failing run can be replayed with the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HttpAnswer<B = unknown> {
  status: number;
  /** The parsed JSON answer (not checked: the caller says what it expects). */
  body: B;
}

/** One POST (or GET without a body) on a fresh connection; rejects when the connection dies. */
export function request<B = unknown>(
  url: string,
  method: 'GET' | 'POST',
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 15000,
) {
  return new Promise<HttpAnswer<B>>((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(text);
  });
}

/** The local cloud started the way `npm start` starts it, on `dataDir` and a free port. */
export class CloudProcess {
  /** Known once the banner is printed (the process picks its own port). */
  url = '';
  private readonly child: ChildProcess;
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once main.ts printed its banner (after seeding); rejects if the process exits first. */
  readonly ready: Promise<void>;

  private constructor(dataDir: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', './local/register.js', 'local/main.ts'], {
      cwd: REPO,
      // PORT 0: the process binds a free port itself and prints it. A port picked here and handed
      // over could be taken by another test's server in between on a busy machine.
      env: { ...process.env, ...env, PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    let onBanner: () => void = () => undefined;
    const banner = new Promise<void>((resolve) => (onBanner = resolve));
    const keep = (chunk: Buffer) => {
      // Keep the tail only: the request log grows with every call.
      this.output = (this.output + chunk.toString('utf8')).slice(-8000);
      const bound = /local cloud on (http:\/\/127\.0\.0\.1:\d+)/.exec(this.output);
      if (bound && !this.url) {
        this.url = bound[1];
        onBanner();
      }
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.ready = Promise.race([
      banner,
      this.exited.then(({ code, signal }) => {
        throw new Error(`the local cloud exited before it was ready (code ${code}, signal ${signal}):\n${this.output}`);
      }),
    ]);
    this.ready.catch(() => undefined);
  }

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<CloudProcess> {
    return new CloudProcess(dataDir, env);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the process printed (diagnostics). */
  get log(): string {
    return this.output;
  }

  /** SIGKILL: no handler runs, nothing is flushed or compacted. Answers how the process ended. */
  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM: main.ts closes the cloud (which compacts every collection) and exits. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** POST /functions/<fn> as `openid`: the function's envelope, its data as `T`. */
  call<T = unknown>(fn: string, action: string, payload: unknown, openid: string): Promise<HttpAnswer<Result<T>>> {
    return request(`${this.url}/functions/${fn}`, 'POST', { action, payload }, { 'x-openid': openid });
  }

  /** One data-API call the way @cloudbase/node-sdk sends it (queries as JSON strings). */
  async data<T = unknown>(body: Record<string, unknown>): Promise<T> {
    const res = await request<{ code?: string; message?: string; data: T }>(`${this.url}/tcb`, 'POST', body);
    if (res.body?.code) throw new Error(`${String(body.action)}: ${res.body.code} ${res.body.message}`);
    return res.body.data;
  }
}

export interface CollectionFile {
  /** Documents by `_id` after replaying every line (the last line of an `_id` wins, `$$deleted` removes). */
  docs: Map<string, Record<string, unknown>>;
  /** Lines holding a document (not index definitions). */
  docLines: number;
  /** `_id`s that appear on more than one line. */
  repeatedIds: number;
  /** Complete lines (ending in a newline) that are not JSON. */
  badLines: string[];
  /** Bytes after the last newline: an append the process was killed in the middle of. */
  tornTail: number;
}

/** Reads one nedb data file without nedb, strictly (a bad complete line is reported, not skipped). */
export function readCollectionFile(file: string): CollectionFile {
  const text = fs.readFileSync(file, 'utf8');
  const lastNewline = text.lastIndexOf('\n');
  const complete = text.slice(0, lastNewline + 1);
  const out: CollectionFile = {
    docs: new Map(),
    docLines: 0,
    repeatedIds: 0,
    badLines: [],
    tornTail: Buffer.byteLength(text.slice(lastNewline + 1)),
  };
  const seen = new Set<string>();
  for (const line of complete.split('\n')) {
    if (line === '') continue;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(line);
    } catch {
      out.badLines.push(line.slice(0, 200));
      continue;
    }
    if (doc._id === undefined) continue; // $$indexCreated / $$indexRemoved
    const id = String(doc._id);
    out.docLines += 1;
    if (seen.has(id)) out.repeatedIds += 1;
    seen.add(id);
    if (doc.$$deleted === true) out.docs.delete(id);
    else out.docs.set(id, doc);
  }
  return out;
}

/** Every collection file of a data dir, by collection name (`<name>.db`; temp files `~` excluded). */
export function readDataDir(dataDir: string): Map<string, CollectionFile> {
  const out = new Map<string, CollectionFile>();
  for (const name of fs.readdirSync(dataDir).sort()) {
    const m = /^(.+)\.db$/.exec(name);
    if (m) out.set(m[1], readCollectionFile(path.join(dataDir, name)));
  }
  return out;
}
