// Hosts the cloud functions: discovers `<functionsDir>/<name>/index.ts` (not `common`), reads each
// folder's CloudBase-style config.json (timeout, timer triggers), calls `main(event, context)` with
// a context shaped like CloudBase's, and runs timer triggers on their schedule.
import fs from 'fs';
import path from 'path';
import { randomUUID } from 'crypto';
import { parseCron, type Cron } from './cron';

export const LOCAL_APPID = 'local-appid';
export const LOCAL_ENV = 'local';
const DEFAULT_TIMEOUT_S = 3; // CloudBase's default; set `timeout` in config.json.

export interface TimerTrigger {
  name: string;
  config: string;
  cron: Cron;
}

export interface FunctionEntry {
  name: string;
  dir: string;
  entry: string;
  timeoutMs: number;
  memoryMb: number;
  triggers: TimerTrigger[];
}

export class FunctionError extends Error {
  constructor(
    readonly code: 'FUNCTION_NOT_FOUND' | 'FUNCTION_TIMEOUT' | 'FUNCTION_ERROR' | 'FUNCTION_INVALID',
    message: string,
  ) {
    super(message);
  }
}

export type InvokeSource = 'http' | 'sdk' | 'timer' | 'local' | 'web';

/** A web-SDK caller as CloudBase's auth knows it (local/web-auth.ts): its uid, custom user id, IP. */
export interface WebIdentity {
  uid: string;
  customUserId?: string;
  anonymous: boolean;
  ip: string;
}

export interface InvokeOptions {
  openid?: string;
  /** A web-SDK call: TCB_UUID, TCB_CUSTOM_USER_ID, TCB_ISANONYMOUS_USER, TCB_SOURCE_IP in the context. */
  web?: WebIdentity;
  source: InvokeSource;
}

/** One finished invocation, as the `observe` hook of startLocalCloud reports it (benchmarks). */
export interface InvocationRecord {
  fn: string;
  /** The event's `action`, when it has one. */
  action?: string;
  source: InvokeSource;
  /** Time inside the host: JSON round trip of event and answer plus main(). */
  ms: number;
  /** Data-API calls answered while it ran (exact only when invocations do not overlap). */
  dataCalls: number;
  /** False when main threw or timed out. */
  ok: boolean;
}

/** What the host needs to report invocations; set by the local cloud when observed. */
export interface InvocationMeter {
  dataCalls(): number;
  report(record: InvocationRecord): void;
}

/** The second argument CloudBase passes to main; `tcb.getCloudbaseContext(context)` reads it. */
export function makeContext(
  fn: FunctionEntry,
  openid: string | undefined,
  source: InvokeSource,
  web?: WebIdentity,
): Record<string, unknown> {
  const requestId = randomUUID();
  const environment: Record<string, string> = {
    SCF_NAMESPACE: LOCAL_ENV,
    TCB_ENV: LOCAL_ENV,
    TCB_SEQID: requestId,
    TCB_CONTEXT_KEYS: 'TCB_ENV,SCF_NAMESPACE,TCB_SEQID',
    TRIGGER_SRC: source === 'timer' ? 'timer' : 'tcb',
    WX_APPID: LOCAL_APPID,
    WX_CONTEXT_KEYS: openid ? 'WX_OPENID,WX_APPID' : 'WX_APPID',
  };
  if (openid) environment.WX_OPENID = openid;
  if (web) {
    Object.assign(environment, {
      TCB_UUID: web.uid,
      TCB_CUSTOM_USER_ID: web.customUserId ?? '',
      TCB_ISANONYMOUS_USER: String(web.anonymous),
      TCB_SOURCE_IP: web.ip,
      TCB_SOURCE: 'web',
    });
    environment.TCB_CONTEXT_KEYS += ',TCB_UUID,TCB_CUSTOM_USER_ID,TCB_ISANONYMOUS_USER,TCB_SOURCE_IP,TCB_SOURCE';
  }
  return {
    callbackWaitsForEmptyEventLoop: false,
    memory_limit_in_mb: fn.memoryMb,
    time_limit_in_ms: fn.timeoutMs,
    request_id: requestId,
    function_name: fn.name,
    function_version: '$LATEST',
    namespace: LOCAL_ENV,
    tencentcloud_region: 'ap-shanghai',
    environment: JSON.stringify(environment),
  };
}

export class FunctionHost {
  private entries = new Map<string, FunctionEntry>();
  private timerHandle: NodeJS.Timeout | undefined;
  private timersOn = false;
  private lastTick = 0;
  private readonly running = new Set<Promise<unknown>>();
  private readonly busyTriggers = new Set<string>();
  /** Set by the local cloud when an `observe` hook wants invocation records. */
  meter: InvocationMeter | undefined;

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** (Re)reads the functions folder. Throws on a malformed config.json or cron. */
  discover(): FunctionEntry[] {
    const found = new Map<string, FunctionEntry>();
    if (fs.existsSync(this.dir)) {
      for (const dirent of fs.readdirSync(this.dir, { withFileTypes: true })) {
        if (!dirent.isDirectory() || dirent.name === 'common' || dirent.name === 'node_modules' || dirent.name.startsWith('.'))
          continue;
        const dir = path.join(this.dir, dirent.name);
        const entry = path.join(dir, 'index.ts');
        if (!fs.existsSync(entry)) continue;
        found.set(dirent.name, readEntry(dirent.name, dir, entry));
      }
    }
    this.entries = found;
    return [...found.values()];
  }

  list(): FunctionEntry[] {
    return [...this.entries.values()];
  }

  lookup(name: string): FunctionEntry | undefined {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) return undefined;
    let fn = this.entries.get(name);
    if (!fn) {
      // A function added while the cloud runs.
      const dir = path.join(this.dir, name);
      const entry = path.join(dir, 'index.ts');
      if (name !== 'common' && fs.existsSync(entry)) {
        fn = readEntry(name, dir, entry);
        this.entries.set(name, fn);
      }
    }
    return fn;
  }

  /** Calls the function's main; the event and the result travel as JSON, as over the wire. */
  async invoke(name: string, event: unknown, opts: InvokeOptions): Promise<unknown> {
    const fn = this.lookup(name);
    if (!fn) throw new FunctionError('FUNCTION_NOT_FOUND', `function not found: ${name}`);
    const main = loadMain(fn);
    const meter = this.meter;
    const started = meter ? performance.now() : 0;
    const callsBefore = meter ? meter.dataCalls() : 0;
    let ok = false;
    const context = makeContext(fn, opts.openid, opts.source, opts.web);
    const input = event === undefined ? {} : JSON.parse(JSON.stringify(event));
    let timer: NodeJS.Timeout | undefined;
    const run = Promise.resolve().then(() => main(input, context));
    this.track(run);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionError('FUNCTION_TIMEOUT', `function ${name} timed out after ${fn.timeoutMs / 1000}s`)),
        fn.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([run, timeout]);
      const answer = result === undefined ? null : JSON.parse(JSON.stringify(result));
      ok = true;
      return answer;
    } catch (err) {
      if (err instanceof FunctionError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new FunctionError('FUNCTION_ERROR', `function ${name} failed: ${message}`);
    } finally {
      if (timer) clearTimeout(timer);
      if (meter) {
        const action = (input as { action?: unknown } | null)?.action;
        meter.report({
          fn: name,
          action: typeof action === 'string' ? action : undefined,
          source: opts.source,
          ms: performance.now() - started,
          dataCalls: meter.dataCalls() - callsBefore,
          ok,
        });
      }
    }
  }

  /** Runs a timer trigger now, with the event CloudBase sends (`Type: 'Timer'`). */
  async runTimer(name: string, triggerName?: string, at: Date = new Date()): Promise<unknown> {
    const fn = this.lookup(name);
    if (!fn) throw new FunctionError('FUNCTION_NOT_FOUND', `function not found: ${name}`);
    const trigger = triggerName ? fn.triggers.find((t) => t.name === triggerName) : fn.triggers[0];
    if (triggerName && !trigger)
      throw new FunctionError('FUNCTION_NOT_FOUND', `function ${name} has no timer trigger named ${triggerName}`);
    const event = {
      Type: 'Timer',
      TriggerName: trigger?.name ?? triggerName ?? 'manual',
      Time: new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      Message: '',
    };
    return this.invoke(name, event, { source: 'timer' });
  }

  startTimers(): void {
    if (this.timersOn) return;
    this.timersOn = true;
    const schedule = () => {
      const now = Date.now();
      this.timerHandle = setTimeout(tick, 1000 - (now % 1000) + 2);
      this.timerHandle.unref();
    };
    const tick = () => {
      const second = Math.floor(Date.now() / 1000) * 1000;
      if (second > this.lastTick) {
        this.lastTick = second;
        for (const fn of this.entries.values()) {
          for (const trigger of fn.triggers) {
            if (trigger.cron.matches(new Date(second))) this.fire(fn, trigger, new Date(second));
          }
        }
      }
      if (this.timersOn) schedule();
    };
    schedule();
  }

  private fire(fn: FunctionEntry, trigger: TimerTrigger, at: Date): void {
    const key = `${fn.name}/${trigger.name}`;
    if (this.busyTriggers.has(key)) {
      this.log(`TIMER ${key} skipped: previous run still going`);
      return;
    }
    this.busyTriggers.add(key);
    const started = Date.now();
    const run = this.runTimer(fn.name, trigger.name, at)
      .then(
        () => this.log(`TIMER ${key} ok ${Date.now() - started}ms`),
        (err: Error) => this.log(`TIMER ${key} failed ${Date.now() - started}ms: ${err.message}`),
      )
      .finally(() => this.busyTriggers.delete(key));
    this.track(run);
  }

  stopTimers(): void {
    this.timersOn = false;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerHandle = undefined;
  }

  /** Waits (up to `ms`) for invocations still running, so that close() does not cut them off. */
  async drain(ms: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  private track(p: Promise<unknown>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }
}

type Main = (event: unknown, context: unknown) => unknown;

function loadMain(fn: FunctionEntry): Main {
  const mod = require(fn.entry) as { main?: unknown; default?: unknown };
  const candidates = [mod.main, (mod.default as { main?: unknown } | undefined)?.main, mod.default];
  const main = candidates.find((c) => typeof c === 'function') as Main | undefined;
  if (!main) throw new FunctionError('FUNCTION_INVALID', `function ${fn.name}: index.ts exports no main(event, context)`);
  return main;
}

function readEntry(name: string, dir: string, entry: string): FunctionEntry {
  const configFile = path.join(dir, 'config.json');
  let config: { timeout?: unknown; memorySize?: unknown; triggers?: unknown } = {};
  if (fs.existsSync(configFile)) {
    try {
      config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    } catch (err) {
      throw new Error(`${configFile}: not valid JSON (${(err as Error).message})`);
    }
  }
  const timeout = typeof config.timeout === 'number' && config.timeout > 0 ? config.timeout : DEFAULT_TIMEOUT_S;
  const memoryMb = typeof config.memorySize === 'number' ? config.memorySize : 256;
  const triggers: TimerTrigger[] = [];
  if (config.triggers !== undefined) {
    if (!Array.isArray(config.triggers)) throw new Error(`${configFile}: "triggers" must be an array`);
    for (const t of config.triggers as { name?: unknown; type?: unknown; config?: unknown }[]) {
      if (!t || t.type !== 'timer') continue;
      if (typeof t.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(t.name)) {
        throw new Error(`${configFile}: a timer trigger needs a name (letters, digits, - and _, starting with a letter)`);
      }
      if (typeof t.config !== 'string') throw new Error(`${configFile}: trigger ${t.name} needs a cron "config"`);
      if (triggers.some((x) => x.name === t.name)) throw new Error(`${configFile}: two triggers named ${t.name}`);
      triggers.push({ name: t.name, config: t.config, cron: parseCron(t.config) });
    }
  }
  return { name, dir, entry, timeoutMs: Math.round(timeout * 1000), memoryMb, triggers };
}
