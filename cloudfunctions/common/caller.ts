// Who is calling, from the invocation context only (never from the payload). Three kinds:
// - a mini-program user: WX_OPENID, which WeChat puts there;
// - a console (社区工作台) signed in by scan: TCB_CUSTOM_USER_ID, the custom-login user id the
//   platform put there after checking a ticket signed with the environment's custom-login key. The
//   id names a desk session (cloudfunctions/desk); the session must be active and not past its end,
//   and it stands for the worker who confirmed it (docs/console.md) — or, for a session of kind
//   `leader`, for the street leader who confirmed it (docs/street.md);
// - a browser signed in anonymously (TCB_UUID with TCB_ISANONYMOUS_USER): it may only ask for a
//   login code and poll for it (`roles: 'browser'`).
import tcb from '@cloudbase/node-sdk';
import { AppError } from './errors';
import { findById } from './db';

/** A console session as the router needs it (the desk function keeps the rest of the document). */
export interface ConsoleSessionDoc {
  _id: string;
  status: 'waiting' | 'confirmed' | 'active' | 'ended';
  /** Absent: a worker's console; `leader`: a street leader's (bound to `streetId`, no community). */
  kind?: 'leader';
  openid?: string;
  communityId?: string;
  streetId?: string;
  expiresAt: Date;
}

export const DESK_SESSIONS = 'desk_sessions';

export type Caller =
  | { kind: 'wechat'; openid: string }
  | { kind: 'console'; openid: string; sessionId: string; communityId: string }
  | { kind: 'leaderConsole'; openid: string; sessionId: string; streetId: string }
  | { kind: 'browser'; browserId: string; ip: string };

export const CONSOLE_ENDED = '电脑端登录已结束或已过期，请在电脑上重新扫码登录';

type ContextEnv = Record<string, string | undefined>;

function contextEnv(context: unknown): ContextEnv | undefined {
  if (!context || typeof context !== 'object') return undefined;
  try {
    return tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]) as unknown as ContextEnv;
  } catch {
    return undefined;
  }
}

const present = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The caller, or undefined when the context names nobody. Throws E_UNAUTHENTICATED for an ended console session. */
export async function callerFromContext(context: unknown, now: Date): Promise<Caller | undefined> {
  const env = contextEnv(context);
  if (!env) return undefined;
  if (present(env.WX_OPENID)) return { kind: 'wechat', openid: env.WX_OPENID };
  if (present(env.TCB_CUSTOM_USER_ID)) {
    const session = await findById<ConsoleSessionDoc>(DESK_SESSIONS, env.TCB_CUSTOM_USER_ID);
    if (
      !session ||
      session.status !== 'active' ||
      !session.openid ||
      !(session.kind === 'leader' ? session.streetId : session.communityId) ||
      new Date(session.expiresAt).getTime() <= now.getTime()
    )
      throw new AppError('E_UNAUTHENTICATED', CONSOLE_ENDED);
    if (session.kind === 'leader')
      return { kind: 'leaderConsole', openid: session.openid, sessionId: session._id, streetId: session.streetId! };
    return { kind: 'console', openid: session.openid, sessionId: session._id, communityId: session.communityId! };
  }
  if (present(env.TCB_UUID) && env.TCB_ISANONYMOUS_USER === 'true')
    return { kind: 'browser', browserId: env.TCB_UUID, ip: present(env.TCB_SOURCE_IP) ? env.TCB_SOURCE_IP : '' };
  return undefined;
}
