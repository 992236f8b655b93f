// The custom-login ticket (CloudBase 自定义登录): node-sdk's auth().createTicket signs it with the
// environment's custom-login private key. The key lives only in this function's settings, as the
// environment variable DESK_LOGIN_KEY holding the key file CloudBase hands out (JSON with
// private_key_id, private_key, env_id); no other function and no client ever sees it. The local
// cloud makes a key pair at start and sets it (local/web-auth.ts).
import tcb from '@cloudbase/node-sdk';
import { AppError } from '../common/errors';

interface LoginKey {
  private_key_id: string;
  private_key: string;
  env_id: string;
}

let cached: { raw: string; app: ReturnType<typeof tcb.init> } | undefined;

function keyedApp(): ReturnType<typeof tcb.init> {
  const raw = process.env.DESK_LOGIN_KEY;
  if (!raw) {
    console.error('[desk] DESK_LOGIN_KEY is not set: no console can sign in');
    throw new AppError('E_INTERNAL', '电脑端登录暂不可用，请联系管理员配置登录密钥');
  }
  if (cached?.raw !== raw) {
    let key: LoginKey;
    try {
      key = JSON.parse(raw) as LoginKey;
    } catch {
      console.error('[desk] DESK_LOGIN_KEY is not the JSON key file');
      throw new AppError('E_INTERNAL', '电脑端登录暂不可用，请联系管理员配置登录密钥');
    }
    const credentials = { private_key_id: key.private_key_id, private_key: key.private_key, env_id: key.env_id };
    cached = {
      raw,
      app: tcb.init({
        // The key file names its environment (the one this function runs in): createTicket insists they match.
        env: key.env_id,
        serviceUrl: process.env.TCB_SERVICE_URL,
        credentials,
      } as Parameters<typeof tcb.init>[0]),
    };
  }
  return cached.app;
}

/** A ticket for the custom user `uid` (the desk session id), good to sign in until `endsAt`. */
export function createTicket(uid: string, now: Date, endsAt: Date): string {
  return keyedApp()
    .auth()
    .createTicket(uid, { refresh: 60 * 60 * 1000, expire: endsAt.getTime() } as { refresh: number; expire: number });
}
