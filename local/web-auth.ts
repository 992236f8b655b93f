// What the web SDK (@cloudbase/js-sdk 3.x) talks to, answered like CloudBase answers it, so the
// console (社区工作台) runs unchanged against the local cloud (`app.registerHost(<cloud>, 'http')`):
// - sign-in under /auth/v1: anonymous (`signin/anonymously`), custom login (`signin/custom`, the
//   ticket node-sdk's createTicket signs, checked against the key pair made at start), token
//   refresh (`token`), `user/me`, `user/signout`. Answers are the SDK's Credentials; failures
//   `{ error, error_description }` as the SDK's oauth client reads them;
// - functions: `POST /v1/functions/<name>` (the SDK's default, its gateway: the event as the body,
//   `Authorization: Bearer <access token>`, the function's answer as the body; 401
//   `ACCESS_TOKEN_EXPIRED` makes the SDK refresh and retry) and `POST /web` (`endPointMode:
//   'CLOUD_API'`: `functions.invokeFunction`); the caller's identity from the access token goes into
//   the function's context (TCB_UUID, TCB_CUSTOM_USER_ID, TCB_ISANONYMOUS_USER, TCB_SOURCE_IP);
// - storage.getTempFileURL (gateway `POST /v1/storages/get-objects-download-info`, or `/web`
//   `storage.batchGetDownloadUrl`): temporary addresses of files, for a signed-in console only;
// - CORS for an allow-list of origins, standing in for CloudBase's security domains (安全域名).
// Shapes read from the SDK's sources (auth: oauth2client.ts, apis.ts, consts.ts; app: request.ts;
// functions: callFunction). Sessions live in memory: a restart signs every browser out.
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual, verify } from 'crypto';
import http from 'http';
import { readBody, safeJson } from './http';
import type { WebIdentity } from './functions';

/** The custom-login key file, as CloudBase's console hands it out (and the desk function reads it). */
export interface LoginKeyFile {
  private_key_id: string;
  private_key: string;
  env_id: string;
}

interface RefreshGrant {
  identity: Omit<WebIdentity, 'ip'>;
  /** ms since the epoch; a custom login's ticket says until when it may be refreshed. */
  until: number;
}

type Invoke = (name: string, event: unknown, web: WebIdentity) => Promise<unknown>;
/** The storage's own `/tcb` action (local/storage.ts), for the temporary file addresses. */
type StorageAction = (body: Record<string, unknown>) => Promise<Record<string, unknown>>;

const ACCESS_TTL_S = 2 * 60 * 60;
const ANONYMOUS_DAYS = 30;
const MAX_BODY = 1024 * 1024;
const CUSTOM_USER_ID = /^[a-zA-Z0-9_\-#@~=*(){}[\]:.,<>+]{4,32}$/;

/** The gateway route of storage.getTempFileURL (the SDK's default endpoint mode). */
const DOWNLOAD_INFO = '/v1/storages/get-objects-download-info';

const b64 = (v: Buffer | string) => Buffer.from(v).toString('base64url');

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const authError = (error: string, description: string) => ({ error, error_description: description });

export class WebAuth {
  /** The key pair of the environment's custom login: the desk function signs with the private half. */
  readonly loginKey: LoginKeyFile;
  private readonly publicKey: string;
  private readonly secret = randomBytes(32);
  private readonly refresh = new Map<string, RefreshGrant>();
  /**
   * Custom-login tickets already exchanged, by their signature, until their own `exp` (10 minutes
   * after signing): a ticket signs in once; a copy replayed within its life is refused.
   */
  private readonly usedTickets = new Map<string, number>();
  private readonly origins: Set<string>;

  constructor(
    private readonly env: string,
    allowedOrigins: string[],
    private readonly invoke: Invoke,
    private readonly storage?: StorageAction,
  ) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.loginKey = {
      private_key_id: `local-${randomBytes(4).toString('hex')}`,
      private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      env_id: env,
    };
    this.origins = new Set(allowedOrigins);
  }

  /** Adds a security domain (the console's origin once its server listens). */
  allowOrigin(origin: string): void {
    this.origins.add(origin);
  }

  /** Answers the request if it is the web SDK's; false otherwise. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> {
    if (pathname !== '/web' && !pathname.startsWith('/auth/') && !pathname.startsWith('/v1/functions/') && pathname !== DOWNLOAD_INFO)
      return false;
    const origin = req.headers.origin;
    const cors: Record<string, string> = {};
    if (origin !== undefined) {
      if (!this.origins.has(origin)) {
        req.resume();
        send(res, 403, authError('permission_denied', `${origin} 不在安全域名列表里`));
        return true;
      }
      Object.assign(cors, { 'access-control-allow-origin': origin, vary: 'Origin' });
    }
    if (req.method === 'OPTIONS') {
      const asked = req.headers['access-control-request-headers'];
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        ...(asked ? { 'access-control-allow-headers': String(asked) } : {}),
        'access-control-max-age': '600',
      });
      res.end();
      return true;
    }
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const raw = req.method === 'POST' ? await readBody(req, MAX_BODY) : '';
    if (raw === undefined) {
      send(res, 413, authError('invalid_argument', 'request body too large'), cors);
      return true;
    }
    const body = (raw ? safeJson(raw) : {}) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') {
      send(res, 400, authError('invalid_argument', 'request body is not JSON'), cors);
      return true;
    }
    const [status, answer] = await this.route(req, pathname, body, ip);
    send(res, status, answer, cors);
    return true;
  }

  private async route(req: http.IncomingMessage, pathname: string, body: Record<string, unknown>, ip: string) {
    const post = req.method === 'POST';
    const route = `${req.method} ${pathname}`;
    if (pathname === '/web' && post) return [200, await this.web(body, ip)] as const;
    const fn = /^\/v1\/functions\/([A-Za-z0-9_-]{1,64})$/.exec(pathname)?.[1];
    if (fn && post) return this.gateway(fn, String(req.headers.authorization ?? ''), body, ip);
    if (pathname === DOWNLOAD_INFO && post) return this.downloadInfo(String(req.headers.authorization ?? ''), body);
    if (route === 'POST /auth/v1/signin/anonymously')
      return [200, this.issue({ uid: `anon_${randomUUID().replace(/-/g, '')}`, anonymous: true }, Date.now() + ANONYMOUS_DAYS * 86_400_000)] as const;
    if (route === 'POST /auth/v1/signin/custom') return this.custom(body);
    if (route === 'POST /auth/v1/token') return this.refreshToken(body);
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const who = bearer ? this.verifyAccess(bearer) : undefined;
    if (route === 'GET /auth/v1/user/me') {
      if (!who) return [401, authError('unauthenticated', 'access token missing or expired')] as const;
      // The SDK calls a user named `anonymous` anonymous (is_anonymous).
      return [200, { sub: who.uid, uid: who.uid, name: who.anonymous ? 'anonymous' : (who.customUserId ?? '') }] as const;
    }
    if (route === 'POST /auth/v1/user/signout' || route === 'POST /auth/v1/revoke') {
      for (const [token, grant] of this.refresh) if (who && grant.identity.uid === who.uid) this.refresh.delete(token);
      return [200, {}] as const;
    }
    return [404, authError('not_found', `本地云没有这个登录接口：${route.slice(0, 80)}`)] as const;
  }

  /** Credentials as the SDK stores them; the access token is a JWT the SDK may decode. */
  private issue(identity: RefreshGrant['identity'], until: number, accessTtlS = ACCESS_TTL_S) {
    const nowS = Math.floor(Date.now() / 1000);
    const payload = {
      iss: `local-cloud/${this.env}`,
      sub: identity.uid,
      user_type: identity.anonymous ? 'anonymous' : 'custom',
      ...(identity.customUserId ? { custom_user_id: identity.customUserId } : {}),
      iat: nowS,
      exp: nowS + accessTtlS,
    };
    const head = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(payload))}`;
    const accessToken = `${head}.${b64(createHmac('sha256', this.secret).update(head).digest())}`;
    const refreshToken = randomBytes(24).toString('base64url');
    this.refresh.set(refreshToken, { identity, until });
    return {
      token_type: 'Bearer',
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: accessTtlS,
      scope: identity.anonymous ? 'anonymous' : 'user',
      sub: identity.uid,
    };
  }

  private verifyAccess(token: string): RefreshGrant['identity'] | undefined {
    const checked = this.checkAccess(token);
    return checked === 'expired' ? undefined : checked;
  }

  private checkAccess(token: string): RefreshGrant['identity'] | 'expired' | undefined {
    const [h, p, sig] = token.split('.');
    if (!h || !p || !sig) return undefined;
    const expected = createHmac('sha256', this.secret).update(`${h}.${p}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = safeJson(Buffer.from(p, 'base64url').toString('utf8')) as
      | { sub?: string; user_type?: string; custom_user_id?: string; exp?: number }
      | undefined;
    if (!claims?.sub || typeof claims.exp !== 'number') return undefined;
    if (claims.exp * 1000 <= Date.now()) return 'expired';
    return { uid: claims.sub, customUserId: claims.custom_user_id, anonymous: claims.user_type === 'anonymous' };
  }

  /** node-sdk's ticket: `<private_key_id>/@@/<RS256 JWT>` with iat/exp/expire in ms, uid, env. */
  private custom(body: Record<string, unknown>) {
    const refused = (why: string) => [400, authError('invalid_grant', why)] as const;
    const ticket = typeof body.ticket === 'string' ? body.ticket : '';
    const [kid, jwt] = ticket.split('/@@/');
    if (body.provider_id !== 'custom' || !jwt) return refused('ticket missing or malformed');
    if (kid !== this.loginKey.private_key_id) return refused('ticket signed with another key');
    const [h, p, sig] = jwt.split('.');
    const header = safeJson(Buffer.from(h ?? '', 'base64url').toString('utf8')) as { alg?: string } | undefined;
    if (!p || !sig || header?.alg !== 'RS256') return refused('ticket malformed');
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(sig, 'base64url')))
      return refused('ticket signature invalid');
    const claims = safeJson(Buffer.from(p, 'base64url').toString('utf8')) as
      | { env?: string; uid?: string; exp?: number; expire?: number; refresh?: number }
      | undefined;
    if (!claims || claims.env !== this.env) return refused('ticket of another environment');
    if (typeof claims.exp !== 'number' || claims.exp <= Date.now()) return refused('ticket expired');
    if (typeof claims.uid !== 'string' || !CUSTOM_USER_ID.test(claims.uid)) return refused('ticket uid invalid');
    // By the signature's bytes: base64url's spare bits would let a re-spelled copy pass as new.
    if (!this.spendTicket(Buffer.from(sig, 'base64url').toString('hex'), claims.exp)) return refused('ticket already used');
    const until = typeof claims.expire === 'number' ? claims.expire : Date.now() + 7 * 86_400_000;
    const accessTtl = Math.max(60, Math.min(ACCESS_TTL_S, Math.floor((claims.refresh ?? ACCESS_TTL_S * 1000) / 1000)));
    const uid = `custom_${createHmac('sha256', this.secret).update(claims.uid).digest('hex').slice(0, 24)}`;
    return [200, this.issue({ uid, customUserId: claims.uid, anonymous: false }, until, accessTtl)] as const;
  }

  /** Records a ticket as used; false when it was already. Forgets tickets past their expiry. */
  private spendTicket(signature: string, exp: number): boolean {
    const now = Date.now();
    for (const [used, until] of this.usedTickets) if (until <= now) this.usedTickets.delete(used);
    if (this.usedTickets.has(signature)) return false;
    this.usedTickets.set(signature, exp);
    return true;
  }

  /** A refresh token is used once: the answer carries a new one. */
  private refreshToken(body: Record<string, unknown>) {
    const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    const grant = this.refresh.get(token);
    this.refresh.delete(token);
    if (body.grant_type !== 'refresh_token' || !grant || grant.until <= Date.now())
      return [400, authError('invalid_grant', 'refresh token invalid or expired')] as const;
    return [200, this.issue(grant.identity, grant.until)] as const;
  }

  /** The gateway's `POST /v1/functions/<name>`: the event is the body, the answer the function's. */
  private async gateway(name: string, authorization: string, event: Record<string, unknown>, ip: string) {
    const requestId = randomUUID();
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    const who = bearer ? this.checkAccess(bearer) : undefined;
    if (who === 'expired') return [401, { requestId, code: 'ACCESS_TOKEN_EXPIRED', message: 'access token expired' }] as const;
    if (!who) return [401, { requestId, code: 'INVALID_ACCESS_TOKEN', message: 'access token missing or invalid, sign in again' }] as const;
    try {
      return [200, (await this.invoke(name, event, { ...who, ip })) ?? null] as const;
    } catch (err) {
      const missing = (err as { code?: string }).code === 'FUNCTION_NOT_FOUND';
      return [missing ? 404 : 500, { requestId, code: missing ? 'FUNCTIONS_NOT_FOUND' : 'FUNCTIONS_EXECUTE_FAIL', message: 'function failed' }] as const;
    }
  }

  /**
   * storage.getTempFileURL (`storage.batchGetDownloadUrl` `{ file_list: [{ fileid, max_age }] }`),
   * which the console uses to show an order's photos. Only for a signed-in console (a custom
   * login): CloudBase decides by the bucket's rules (docs/console.md, "Photos"); an anonymous
   * browser before its login reads no file here.
   */
  private async tempUrls(requestId: string, who: RefreshGrant['identity'], body: Record<string, unknown>): Promise<unknown> {
    if (who.anonymous || !who.customUserId || !this.storage)
      return { requestId, code: 'STORAGE_EXCEED_AUTHORITY', message: 'sign in to the console to read files' };
    try {
      return { requestId, ...(await this.storage({ action: 'storage.batchGetDownloadUrl', file_list: body.file_list })) };
    } catch (err) {
      const { code = 'STORAGE_REQUEST_FAIL', message = 'storage failed' } = err as { code?: string; message?: string };
      return { requestId, code, message };
    }
  }

  /**
   * The gateway's `POST /v1/storages/get-objects-download-info`: `[{ cloudObjectId }]` →
   * `[{ cloudObjectId, downloadUrl, code? }]`; the same rule as tempUrls.
   */
  private async downloadInfo(authorization: string, body: unknown) {
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    const who = bearer ? this.checkAccess(bearer) : undefined;
    if (who === 'expired') return [401, { code: 'ACCESS_TOKEN_EXPIRED', message: 'access token expired' }] as const;
    if (!who) return [401, { code: 'INVALID_ACCESS_TOKEN', message: 'access token missing or invalid, sign in again' }] as const;
    const asked = Array.isArray(body) ? body.map((o) => ({ fileid: String((o as { cloudObjectId?: unknown })?.cloudObjectId ?? '') })) : [];
    const answer = (await this.tempUrls('', who, { file_list: asked })) as {
      code?: string;
      message?: string;
      data?: { download_list: { fileID: string; tempFileURL: string; code: string }[] };
    };
    if (!answer.data) return [403, { code: answer.code, message: answer.message }] as const;
    const list = answer.data.download_list.map((f) => ({
      cloudObjectId: f.fileID,
      downloadUrl: f.tempFileURL,
      ...(f.code === 'SUCCESS' ? {} : { code: f.code, message: 'file not readable' }),
    }));
    return [200, list] as const;
  }

  /** The app layer's `POST /web`: `{ action, access_token, function_name, request_data }`. */
  private async web(body: Record<string, unknown>, ip: string): Promise<unknown> {
    const requestId = randomUUID();
    const who = typeof body.access_token === 'string' ? this.verifyAccess(body.access_token) : undefined;
    if (!who) return { requestId, code: 'INVALID_ACCESS_TOKEN', message: 'access token missing or expired, sign in again' };
    if (body.action === 'storage.batchGetDownloadUrl') return this.tempUrls(requestId, who, body);
    if (body.action !== 'functions.invokeFunction')
      return { requestId, code: 'INVALID_PARAM', message: `the local cloud does not answer ${String(body.action).slice(0, 60)} for the web SDK` };
    const name = typeof body.function_name === 'string' ? body.function_name : '';
    let event: unknown = {};
    if (typeof body.request_data === 'string' && body.request_data !== '') {
      event = safeJson(body.request_data);
      if (event === undefined) return { requestId, code: 'INVALID_PARAM', message: 'request_data is not JSON' };
    }
    try {
      const result = await this.invoke(name, event, { ...who, ip });
      return { requestId, data: { response_data: JSON.stringify(result ?? null) } };
    } catch (err) {
      const code = (err as { code?: string }).code === 'FUNCTION_NOT_FOUND' ? 'FUNCTIONS_NOT_FOUND' : 'FUNCTIONS_EXECUTE_FAIL';
      return { requestId, code, message: code === 'FUNCTIONS_NOT_FOUND' ? `no function ${name.slice(0, 40)}` : 'function failed' };
    }
  }
}
