// The typed core every service client goes through. This folder is the only code in the
// mini-program that calls wx.cloud, wx.request or wx.uploadFile (pictures: files.ts).
import type { ApiShape, ErrorCode, Result } from '../../cloudfunctions/common/envelope';
import { appConfig, type LocalCloudConfig } from '../config';

/** The server's closed list of codes plus the one failure only the client can see. */
export type ServiceErrorCode = ErrorCode | 'E_NETWORK';

/** Used when an answer carries no message of its own (the server normally sends one). */
const CLIENT_MESSAGES: Record<ServiceErrorCode, string> = {
  E_NETWORK: '网络连接不上，请检查网络后再试一次',
  E_VALIDATION: '填写的内容有误，请检查后重试',
  E_UNAUTHENTICATED: '无法识别您的微信身份，请重新打开小程序',
  E_NOT_MEMBER: '您还不是本社区成员，请通过社区邀请加入，或等待社区审核',
  E_FORBIDDEN: '您没有权限进行此操作',
  E_NOT_FOUND: '内容不存在或已被删除',
  E_CONFLICT: '状态已变化，请刷新后重试',
  E_RATE_LIMITED: '操作太频繁，请稍后再试',
  E_CONTENT_REJECTED: '内容包含不当信息，请修改后再提交',
  E_UNKNOWN_ACTION: '不支持的操作，请升级小程序后重试',
  E_INTERNAL: '系统繁忙，请稍后再试',
};

/** A failed call: the code from the closed list and a Chinese message a person can act on. */
export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** E_RATE_LIMITED: seconds until the action may be tried again (the message says it too). */
  readonly retryAfterSeconds?: number;

  constructor(code: ServiceErrorCode, message?: string, retryAfterSeconds?: number) {
    super(message || CLIENT_MESSAGES[code] || CLIENT_MESSAGES.E_INTERNAL);
    this.code = code;
    if (typeof retryAfterSeconds === 'number') this.retryAfterSeconds = retryAfterSeconds;
    this.name = 'ServiceError';
    // Keeps `instanceof` working when the build down-levels classes to ES5.
    Object.setPrototypeOf(this, ServiceError.prototype);
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError || (!!err && (err as { name?: unknown }).name === 'ServiceError');
}

/** What travels to a function: the same event shape on both transports. */
export interface CallEventData {
  action: string;
  payload: unknown;
}

type Transport = (fn: string, event: CallEventData) => Promise<unknown>;

let cloudReady = false;

/** Called once from App.onLaunch; calling a service also initialises lazily. */
export function initServices(): void {
  if (cloudReady || localCloud()) return;
  if (wx.cloud) {
    wx.cloud.init(appConfig.cloudEnv ? { env: appConfig.cloudEnv, traceUser: true } : { traceUser: true });
    cloudReady = true;
  }
}

/** The local cloud settings when they apply: configured, and running as the developer version. */
export function localCloud(): LocalCloudConfig | undefined {
  const local = appConfig.localCloud;
  if (!local) return undefined;
  try {
    const env = wx.getAccountInfoSync().miniProgram.envVersion;
    if (env && env !== 'develop') return undefined;
  } catch {
    // Older base libraries: assume development, as only DevTools users set this switch.
  }
  return local;
}

const cloudTransport: Transport = async (fn, event) => {
  initServices();
  const res = await wx.cloud.callFunction({ name: fn, data: event as unknown as WechatMiniprogram.IAnyObject });
  return (res as { result?: unknown }).result;
};

function localTransport(local: LocalCloudConfig): Transport {
  return (fn, event) =>
    new Promise((resolve, reject) => {
      wx.request({
        url: `${local.url.replace(/\/+$/, '')}/functions/${encodeURIComponent(fn)}`,
        method: 'POST',
        header: { 'content-type': 'application/json', 'x-openid': local.openid },
        data: event as unknown as WechatMiniprogram.IAnyObject,
        success: (res) => {
          // The gateway wraps its own failures (unknown function, timeout) in the envelope too;
          // anything else that is not a 2xx is a transport failure.
          if ((res.statusCode >= 200 && res.statusCode < 300) || isResult(res.data)) resolve(res.data);
          else reject(new Error(`HTTP ${res.statusCode}`));
        },
        fail: (err) => reject(err),
      });
    });
}

function isResult(value: unknown): value is Result<unknown> {
  if (!value || typeof value !== 'object') return false;
  const ok = (value as { ok?: unknown }).ok;
  if (ok === true) return 'data' in value;
  if (ok === false) {
    const error = (value as { error?: { code?: unknown } }).error;
    return !!error && typeof error.code === 'string';
  }
  return false;
}

/**
 * Calls `action` of function `fn` and answers its data, or throws a ServiceError.
 * `Api` is the function's contract (action → input, output), imported with `import type`.
 */
export async function call<Api extends ApiShape<Api>, A extends keyof Api & string>(
  fn: string,
  action: A,
  payload: Api[A]['input'],
): Promise<Api[A]['output']> {
  const local = localCloud();
  const transport = local ? localTransport(local) : cloudTransport;
  let raw: unknown;
  try {
    raw = await transport(fn, { action, payload });
  } catch (err) {
    console.warn(`[services] ${fn}.${action} transport failed`, err);
    throw new ServiceError('E_NETWORK');
  }
  if (!isResult(raw)) {
    console.warn(`[services] ${fn}.${action} answered an unexpected shape`);
    throw new ServiceError('E_INTERNAL');
  }
  if (!raw.ok) throw new ServiceError(raw.error.code, raw.error.message, raw.error.retryAfterSeconds);
  return raw.data as Api[A]['output'];
}

/** A caller bound to one function: `const member = client<MemberApi>('member')`. */
export function client<Api extends ApiShape<Api>>(fn: string) {
  return <A extends keyof Api & string>(action: A, payload: Api[A]['input']): Promise<Api[A]['output']> =>
    call<Api, A>(fn, action, payload);
}
