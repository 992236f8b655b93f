// The local cloud's public shape: what startLocalCloud (local/cloud.ts) takes and gives back.
import type { Result } from '../cloudfunctions/common/envelope';
import type { DataCallRecord } from './data-api';
import type { InvocationRecord } from './functions';
import type { LocalStorage } from './storage';
import type { WebAuth } from './web-auth';
import type { WechatStandIn } from './wechat';

export interface LocalCloud {
  url: string;
  port: number;
  dataDir: string;
  /**
   * Calls a function in-process, with the same context as the gateway; the result is JSON-round-tripped.
   * Every function of this project answers the envelope (cloudfunctions/common/envelope.ts); tests
   * type the data by the function's api.ts (tests/helpers/call.ts).
   */
  invoke(name: string, event: unknown, openid?: string): Promise<Result<unknown>>;
  /** Fires a timer trigger now (the function's first trigger unless named). */
  runTimer(name: string, triggerName?: string): Promise<Result<unknown>>;
  /** The stand-in WeChat the functions' 云调用 reach (text and image checks, subscribe sends, group ids). */
  wechat: WechatStandIn;
  /** Cloud storage under <dataDir>/storage (what the SDK's storage actions and /storage/… serve). */
  storage: LocalStorage;
  /** The web SDK's sign-in and /web calls (local/web-auth.ts): its custom-login key, its allowed origins. */
  webAuth: WebAuth;
  /** Changes the delay of every SDK call (LocalCloudOptions.latencyMs) from now on. */
  setLatency(ms: number): void;
  /** Stops timers and the server, then flushes and compacts the stores. */
  close(): Promise<void>;
}

export interface LocalCloudOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  dataDir: string;
  /** Default: the repository's cloudfunctions/. */
  functionsDir?: string;
  /** Run timer triggers on their schedule. Default false. */
  timers?: boolean;
  /** Collections and indexes. Default: cloudfunctions/database.json. */
  databaseConfig?: string;
  /** Compact a collection's data file after this many writes to it (crash tests). Default: only at start. */
  compactEvery?: number;
  /** Request log (method, path, status, ms; never payloads). true logs to stdout. Default off. */
  log?: boolean | ((line: string) => void);
  /**
   * GET /healthz answers 503 `{ ok: false, status: 'starting' }` until this settles (`npm start`
   * passes the first-start seed), then `{ ok: true }`; if it rejects, 503 `{ ok: false, status: 'failed' }`.
   * Default: ready once listening.
   */
  ready?: Promise<unknown>;
  /**
   * Milliseconds every SDK call to /tcb waits before it is answered (data API, transactions,
   * function-to-function calls, open API, storage: any action), the way a CloudBase round trip
   * costs tens of ms. Default 0.
   */
  latencyMs?: number;
  /** Timing hooks for benchmarks: every data-API call and every function invocation. Default off. */
  observe?: {
    dataCall?: (record: DataCallRecord) => void;
    invocation?: (record: InvocationRecord) => void;
  };
  /** Keep the observe records for `GET /observe` (local/observe.ts): a benchmark in another process reads them. */
  observeEndpoint?: boolean;
  /** Origins the web SDK may call from (CORS), standing in for CloudBase's security domains. */
  allowedOrigins?: string[];
}
