// Development switches. Everything is off by default: a build uploaded from this file talks to
// CloudBase through wx.cloud, in the environment `npm run config` wrote to env.ts from .env.
import { CLOUD_ENV } from './env';

export interface LocalCloudConfig {
  /** Base URL of the local cloud on a laptop, for example `http://192.168.1.20:3000`. */
  url: string;
  /** The identity the local cloud should treat the caller as, for example `demo-resident-1`. */
  openid: string;
}

export interface AppConfig {
  /** CloudBase environment id (ENV_ID in .env, through env.ts); undefined uses the AppID's default environment. */
  cloudEnv?: string;
  /**
   * Send every service call to the local cloud over wx.request instead of wx.cloud. Honoured only
   * in the developer version (DevTools / 开发版), never in trial or release builds. Tick
   * "不校验合法域名" in DevTools when you use it.
   */
  localCloud?: LocalCloudConfig;
}

export const appConfig: AppConfig = {
  cloudEnv: CLOUD_ENV || undefined,
  // localCloud: { url: 'http://127.0.0.1:3000', openid: 'demo-resident-1' },
};
