// The action router every function uses: an action table of { schema, roles, handler }.
// Order of checks: known action → identity (context only) → membership and role, or a street
// leader's appointment for actions open to `leader` (deny by default) → payload schema → rate limit (the action's `limit`, common/limits.ts) → content check
// of its texts → handler. Expected failures are AppErrors; anything else is answered as
// E_INTERNAL and logged without the payload (it may hold personal data).
import { z } from 'zod';
import type { Role } from './roles';
import type { ApiShape, Result } from './envelope';
import { AppError } from './errors';
import { callerFromContext, type Caller } from './caller';
import { leaderAccess, type LeaderAccess } from './street';
import { findById } from './db';
import { takeLimit, type LimitKind } from './limits';
import { memberId, type MemberDoc, type UserDoc } from './model';
import { assertCleanText } from './content';
import { textsOf } from './fields';
import { fieldLabel, zodMessage } from './validation';

export interface Ctx {
  fn: string;
  action: string;
  openid: string;
  /** The caller's membership in their current community, whatever its status; null if none. */
  member: MemberDoc | null;
  now: Date;
  /** Set when the caller is a console (社区工作台) session: its id (common/caller.ts). */
  consoleSession?: string;
}

/** Context of an action restricted to active members: the membership is known. */
export interface MemberCtx extends Ctx {
  member: MemberDoc;
  communityId: string;
}

/** A street leader (docs/street.md): by phone, or from a leader's console session; no membership needed. */
export interface LeaderCtx extends Ctx {
  member: null;
  leader: LeaderAccess;
}

/** A browser signed in anonymously, before its console login (desk.startLogin, desk.pollLogin). */
export interface BrowserCtx extends Ctx {
  browser: { id: string; ip: string };
}

/** `leader`: a street leader (common/street.ts), no member role: the operator appoints them. */
export type AccessRole = Role | 'leader';

/**
 * `'identified'`: any caller with an openid; a role list: an active member holding one of them, or,
 * when it lists `leader`, an appointed street leader (an active member holding another listed role
 * passes as that member first); `'browser'`: only an anonymous web-SDK caller (the console before its
 * login), nobody else. A worker's console session passes any of the first two only for an active
 * worker of the session's community; a leader's console session passes only lists with `leader`.
 */
export type Access = 'identified' | 'browser' | readonly AccessRole[];

export interface ActionDef<O = unknown> {
  schema: z.ZodType;
  roles: Access;
  /** The rate limit this action counts against (common/limits.ts); none: not limited (reads). */
  limit?: LimitKind;
  /** Called with the schema's output, and a MemberCtx when `roles` is a role list: the router sees to both. */
  handler: (input: unknown, ctx: Ctx) => Promise<O>;
}

export function action<S extends z.ZodType, O>(def: {
  schema: S;
  roles: readonly ['leader'];
  limit?: LimitKind;
  handler: (input: z.output<S>, ctx: LeaderCtx) => Promise<O>;
}): ActionDef<O>;
export function action<S extends z.ZodType, O>(def: {
  schema: S;
  roles: readonly Role[];
  limit?: LimitKind;
  handler: (input: z.output<S>, ctx: MemberCtx) => Promise<O>;
}): ActionDef<O>;
export function action<S extends z.ZodType, O>(def: {
  schema: S;
  roles: readonly AccessRole[];
  limit?: LimitKind;
  handler: (input: z.output<S>, ctx: MemberCtx | LeaderCtx) => Promise<O>;
}): ActionDef<O>;
export function action<S extends z.ZodType, O>(def: {
  schema: S;
  roles: 'identified';
  limit?: LimitKind;
  handler: (input: z.output<S>, ctx: Ctx) => Promise<O>;
}): ActionDef<O>;
export function action<S extends z.ZodType, O>(def: {
  schema: S;
  roles: 'browser';
  limit?: LimitKind;
  handler: (input: z.output<S>, ctx: BrowserCtx) => Promise<O>;
}): ActionDef<O>;
export function action(def: {
  schema: z.ZodType;
  roles: Access;
  limit?: LimitKind;
  handler: (input: never, ctx: never) => Promise<unknown>;
}): ActionDef {
  return def as ActionDef;
}

export type ActionTable<Api extends ApiShape<Api>> = { [K in keyof Api]: ActionDef<Api[K]['output']> };

export const ANY_MEMBER: readonly Role[] = ['resident', 'volunteer', 'worker'];

export async function loadMembership(openid: string): Promise<MemberDoc | null> {
  const user = await findById<UserDoc>('users', openid);
  if (!user) return null;
  return findById<MemberDoc>('members', memberId(user.currentCommunityId, openid));
}

function authorize(access: Access, member: MemberDoc | null): void {
  if (access === 'identified' || access === 'browser') return;
  if (!member || member.status !== 'active') throw new AppError('E_NOT_MEMBER');
  if (!access.some((role) => (member.roles as readonly AccessRole[]).includes(role))) throw new AppError('E_FORBIDDEN');
}

const opensToLeaders = (access: Access): boolean => Array.isArray(access) && access.includes('leader');

/** Passes a member holding one of the listed (member) roles. */
const passesAsMember = (access: Access, member: MemberDoc | null): boolean =>
  Array.isArray(access) && !!member && member.status === 'active' && access.some((role) => (member.roles as readonly AccessRole[]).includes(role));

export const LEADER_CONSOLE_ONLY = '街道工作台只能查看街道各社区的汇总数据，不能办理社区事务';
export const NOT_A_LEADER = '您已不是这个街道的负责人，请联系平台运营方';

/**
 * The street leader a call stands for, or null when the call is not a leader's: a leader's console
 * session (only for actions open to `leader`, and only while the person still leads that street),
 * or a mini-program caller appointed to a street who does not pass as a member first.
 */
async function leaderOf(caller: Caller, access: Access, member: () => Promise<MemberDoc | null>): Promise<LeaderAccess | null> {
  if (caller.kind === 'leaderConsole') {
    if (!opensToLeaders(access)) throw new AppError('E_FORBIDDEN', LEADER_CONSOLE_ONLY);
    const leader = await leaderAccess(caller.openid);
    if (!leader || leader.streetId !== caller.streetId) throw new AppError('E_FORBIDDEN', NOT_A_LEADER);
    return leader;
  }
  if (caller.kind !== 'wechat' || !opensToLeaders(access) || passesAsMember(access, await member())) return null;
  return leaderAccess(caller.openid);
}

const has = (obj: object, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

export function createFunction<Api extends ApiShape<Api>>(fn: string, table: ActionTable<Api>) {
  return async function main(event: unknown, context: unknown): Promise<Result<unknown>> {
    try {
      const name = event && typeof event === 'object' ? (event as { action?: unknown }).action : undefined;
      if (typeof name !== 'string' || !has(table, name)) throw new AppError('E_UNKNOWN_ACTION');
      const def: ActionDef = table[name as keyof Api];

      const now = new Date();
      const caller = await callerFromContext(context, now);
      if (def.roles === 'browser') {
        if (caller?.kind !== 'browser') throw new AppError('E_UNAUTHENTICATED', '请在电脑浏览器的社区工作台里扫码登录');
        const parsed = def.schema.safeParse((event as { payload?: unknown }).payload ?? {}, { reportInput: true });
        if (!parsed.success) throw new AppError('E_VALIDATION', zodMessage(parsed.error, def.schema));
        const ctx: BrowserCtx = { fn, action: name, openid: '', member: null, now, browser: { id: caller.browserId, ip: caller.ip } };
        const data = await def.handler(parsed.data, ctx);
        return { ok: true, data: data ?? null };
      }
      if (!caller || caller.kind === 'browser') throw new AppError('E_UNAUTHENTICATED');
      const openid = caller.openid;
      let loaded: Promise<MemberDoc | null> | undefined;
      const membership = () => (loaded ??= loadMembership(openid));
      const leader = await leaderOf(caller, def.roles, membership);
      if (leader) {
        const parsed = def.schema.safeParse((event as { payload?: unknown }).payload ?? {}, { reportInput: true });
        if (!parsed.success) throw new AppError('E_VALIDATION', zodMessage(parsed.error, def.schema));
        const ctx: LeaderCtx = { fn, action: name, openid, member: null, now, leader };
        if (caller.kind === 'leaderConsole') ctx.consoleSession = caller.sessionId;
        if (def.limit) await takeLimit(def.limit, ctx);
        const texts = textsOf(def.schema, parsed.data, fieldLabel);
        if (texts.length) await assertCleanText(texts, openid);
        const data = await def.handler(parsed.data, ctx);
        return { ok: true, data: data ?? null };
      }
      if (caller.kind === 'leaderConsole') throw new AppError('E_FORBIDDEN', LEADER_CONSOLE_ONLY);
      const member = await membership();
      // A console stands for a worker of the community the session was confirmed in, and only that.
      if (caller.kind === 'console' && !(member?.status === 'active' && member.roles.includes('worker') && member.communityId === caller.communityId))
        throw new AppError('E_FORBIDDEN', '社区工作台只对本社区的工作人员开放，请用工作人员的微信扫码登录');
      authorize(def.roles, member);

      // reportInput: a message can tell a missing field (请填写…) from a wrong one (…应为…).
      const parsed = def.schema.safeParse((event as { payload?: unknown }).payload ?? {}, { reportInput: true });
      if (!parsed.success) throw new AppError('E_VALIDATION', zodMessage(parsed.error, def.schema));

      const ctx: Ctx | MemberCtx = { fn, action: name, openid, member, now };
      if (caller.kind === 'console') ctx.consoleSession = caller.sessionId;
      if (member && def.roles !== 'identified') (ctx as MemberCtx).communityId = member.communityId;
      // Counted before the content check: a flood never reaches WeChat's check quota.
      if (def.limit) await takeLimit(def.limit, ctx);

      // Every person-written text of the payload passes WeChat's content check before any handler
      // can store it (schema.ts marks them; fields.ts finds them).
      const texts = textsOf(def.schema, parsed.data, fieldLabel);
      if (texts.length) await assertCleanText(texts, openid);

      const data = await def.handler(parsed.data, ctx);
      return { ok: true, data: data ?? null };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.body() };
      console.error(`[${fn}] internal error:`, err instanceof Error ? err.stack : String(err));
      return { ok: false, error: { code: 'E_INTERNAL', message: new AppError('E_INTERNAL').message } };
    }
  };
}
