// The console's only way to the cloud: @cloudbase/js-sdk's modular build (app + auth + functions),
// signed in first anonymously (to ask for a login code) and then with the custom-login ticket the
// worker's confirmation released (docs/console.md). Every call goes to a cloud function; the
// function takes who is calling from the platform's context, never from what is sent here.
import cloudbase from '@cloudbase/js-sdk/app';
import { registerAuth } from '@cloudbase/js-sdk/auth';
import { registerFunctions } from '@cloudbase/js-sdk/functions';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { registerStorage } from '@cloudbase/js-sdk/storage';
import type { Result } from '../../cloudfunctions/common/envelope';
import type { DeskApi } from '../../cloudfunctions/desk/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { StatsApi } from '../../cloudfunctions/stats/api';
import type { StreetApi } from '../../cloudfunctions/street/api';
import { consoleConfig } from './config';

// The modules register themselves with the app when it is already loaded; registering twice only warns.
const registered = cloudbase as unknown as Record<string, unknown>;
if (typeof registered.auth !== 'function') registerAuth(cloudbase);
if (typeof registered.callFunction !== 'function') registerFunctions(cloudbase);
if (typeof registered.getTempFileURL !== 'function') registerStorage(cloudbase);

export interface Apis {
  affairs: AffairsApi;
  desk: DeskApi;
  member: MemberApi;
  notices: NoticesApi;
  orders: OrdersApi;
  stats: StatsApi;
  street: StreetApi;
}

type Input<Api, A extends keyof Api> = Api[A] extends { input: infer I } ? I : never;
type Output<Api, A extends keyof Api> = Api[A] extends { output: infer O } ? O : never;

/** A refusal of a function, with its code and the Chinese sentence to show. */
export class CloudError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface AppLike {
  auth(opts?: { persistence?: string }): AuthLike;
  callFunction(opts: { name: string; data: unknown }): Promise<{ result: unknown }>;
  getTempFileURL(opts: {
    fileList: { fileID: string; maxAge: number }[];
  }): Promise<{ fileList?: { fileID: string; tempFileURL: string; code: string }[] }>;
  registerHost?(host: string, protocol?: string): void;
}

interface AuthLike {
  signInAnonymously(): Promise<{ error?: unknown }>;
  signInWithCustomTicket(getTicket: () => Promise<string>): Promise<{ error?: unknown }>;
  getLoginState(): Promise<unknown>;
  signOut(): Promise<unknown>;
}

let app: AppLike | undefined;

function theApp(): AppLike {
  if (!app) {
    const config = consoleConfig();
    app = (cloudbase as unknown as { init(c: object): AppLike }).init({ env: config.env, region: config.region });
    if (config.apiHost) app.registerHost?.(config.apiHost, 'http');
  }
  return app;
}

const auth = () => theApp().auth({ persistence: 'local' });

export async function call<F extends keyof Apis, A extends keyof Apis[F] & string>(
  fn: F,
  action: A,
  payload?: Input<Apis[F], A>,
): Promise<Output<Apis[F], A>> {
  let res: { result: unknown };
  try {
    res = await theApp().callFunction({ name: fn, data: { action, payload: payload ?? {} } });
  } catch {
    throw new CloudError('E_NETWORK', '网络不通或云端暂时不可用，请稍后再试');
  }
  const result = res.result as Result<Output<Apis[F], A>>;
  if (!result?.ok) throw new CloudError(result?.error?.code ?? 'E_INTERNAL', result?.error?.message ?? '系统繁忙，请稍后再试');
  return result.data;
}

/** Whether the browser holds a sign-in (anonymous or a console's); the desk says whether it is a console. */
export async function hasLoginState(): Promise<boolean> {
  return Boolean(await auth().getLoginState());
}

export async function signInAnonymously(): Promise<void> {
  const res = await auth().signInAnonymously();
  if (res?.error) throw new CloudError('E_UNAUTHENTICATED', '无法连接云端登录服务，请刷新页面重试');
}

export async function signInWithTicket(ticket: string): Promise<void> {
  const res = await auth().signInWithCustomTicket(() => Promise.resolve(ticket));
  if (res?.error) throw new CloudError('E_UNAUTHENTICATED', '登录凭证无效或已过期，请重新扫码');
}

export async function signOut(): Promise<void> {
  await auth().signOut();
}

/**
 * Temporary addresses (valid an hour) of cloud files — an order's photos — by file id; a file
 * storage refuses or no longer has is left out.
 */
export async function tempUrls(fileIds: string[]): Promise<Record<string, string>> {
  if (fileIds.length === 0) return {};
  const res = await theApp().getTempFileURL({ fileList: fileIds.map((fileID) => ({ fileID, maxAge: 3600 })) });
  const out: Record<string, string> = {};
  for (const f of res.fileList ?? []) if (f.code === 'SUCCESS' && f.tempFileURL) out[f.fileID] = f.tempFileURL;
  return out;
}
