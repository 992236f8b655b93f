// The desk function's contract: the console's (社区工作台) login by scan and the worker's console
// sessions (docs/console.md). The console imports these types with `import type` only.
import { z } from 'zod';
import { pattern } from '../common/schema';

/** A login's session id: 22 characters of base64url, what the mini-program code's scene carries (≤ 32). */
export const sessionId = pattern(/^[A-Za-z0-9_-]{22}$/, '电脑端登录码里的 22 位编号');

export const deskSchemas = {
  /** The browser (signed in anonymously) asks for a login code. */
  startLogin: z.strictObject({}),
  /** The same browser asks whether the worker confirmed; answers the custom-login ticket once. */
  pollLogin: z.strictObject({ sessionId }),
  /** The worker who scanned sees where and when the console asks. */
  viewLogin: z.strictObject({ sessionId }),
  confirmLogin: z.strictObject({ sessionId }),
  /** The caller's console sessions still signed in. */
  listSessions: z.strictObject({}),
  endSession: z.strictObject({ sessionId }),
};

export type LoginStatus = 'waiting' | 'confirmed' | 'expired';

export interface LoginStart {
  sessionId: string;
  /** The mini-program page the code opens, with the session id as its scene. */
  page: string;
  /** The mini-program code (wxacode.getUnlimited), a PNG as a data: URL. */
  code: string | null;
  expiresAt: string;
}

export type LoginPoll =
  | { status: 'waiting'; expiresAt: string }
  | { status: 'expired' }
  /** The worker confirmed: sign in with this ticket (auth.signInWithCustomTicket); it is handed over once. */
  | { status: 'confirmed'; ticket: string; sessionEndsAt: string };

export interface LoginView {
  sessionId: string;
  /** Where the console asks from (its IP address as the platform saw it). */
  ip: string;
  askedAt: string;
  expiresAt: string;
  /** The community the console will act in (the worker's current one), or a leader's street. */
  communityName: string;
  /** Present when the scanner confirms as a street leader: the console will show the street's figures. */
  kind?: 'leader';
}

export interface ConsoleSession {
  sessionId: string;
  ip: string;
  signedInAt: string;
  endsAt: string;
  /** The console this call comes from. */
  current: boolean;
}

type In<K extends keyof typeof deskSchemas> = z.input<(typeof deskSchemas)[K]>;

export interface DeskApi {
  startLogin: { input: In<'startLogin'>; output: LoginStart };
  pollLogin: { input: In<'pollLogin'>; output: LoginPoll };
  viewLogin: { input: In<'viewLogin'>; output: LoginView };
  confirmLogin: { input: In<'confirmLogin'>; output: { sessionEndsAt: string } };
  listSessions: { input: In<'listSessions'>; output: { items: ConsoleSession[] } };
  endSession: { input: In<'endSession'>; output: { ended: true } };
}
