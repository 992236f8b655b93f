// The action router every function uses: an action table of { schema, roles, handler }.
// Order of checks: known action → identity (context only) → membership and role (deny by
// default) → payload schema → rate limit (the action's `limit`, common/limits.ts) → content check
// of its texts → handler. Expected failures are AppErrors; anything else is answered as
// E_INTERNAL and logged without the payload (it may hold personal data).
import { z } from 'zod';
import type { Role } from './roles';
import type { ApiShape, Result } from './envelope';
import { AppError } from './errors';
import { callerFromContext } from './caller';
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

/** A browser signed in anonymously, before its console login (desk.startLogin, desk.pollLogin). */
export interface BrowserCtx extends Ctx {
  browser: { id: string; ip: string };
}

/**
 * `'identified'`: any caller with an openid; a role list: an active member holding one of them;
 * `'browser'`: only an anonymous web-SDK caller (the console before its login), nobody else.
 * A console session passes any of the first two only for an active worker of the session's community.
 */
export type Access = 'identified' | 'browser' | readonly Role[];

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
  roles: readonly Role[];
  limit?: LimitKind;
  handler: (input: z.output<S>, ctx: MemberCtx) => Promise<O>;
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
  if (!access.some((role) => member.roles.includes(role))) throw new AppError('E_FORBIDDEN');
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
      const member = await loadMembership(openid);
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
