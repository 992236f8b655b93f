// The console's login by scan (docs/console.md): the browser asks (startLogin), the worker scans
// and sees where and when (viewLogin), confirms (confirmLogin), the browser that asked picks up a
// custom-login ticket once (pollLogin); the worker lists and ends console sessions.
import { randomBytes } from 'crypto';
import { action, type BrowserCtx, type LeaderCtx, type MemberCtx } from '../common/router';
import { AppError } from '../common/errors';
import { cmd, collection, findById, getAll } from '../common/db';
import { compareAndSet, insertOnce } from '../common/cas';
import { audit, auditIn } from '../common/audit';
import { notify } from '../common/notify';
import { DESK_SESSIONS } from '../common/caller';
import type { CommunityDoc } from '../common/model';
import { longDateTime, MINUTE_MS, HOUR_MS } from '../../miniprogram/shared/clock';
import { deskSchemas as s, type ConsoleSession, type LoginPoll } from './api';
import { createTicket } from './ticket';
import { loginCode } from './code';

/** How long a code waits for a scan, and the confirmed login for its pickup. */
export const LOGIN_TTL_MS = 3 * MINUTE_MS;
/** How long a console stays signed in: one working day. */
export const SESSION_TTL_MS = 8 * HOUR_MS;
export const LOGIN_PAGE = 'packages/desk/login/index';
const MAX_SESSIONS = 20;

export interface DeskSessionDoc {
  _id: string;
  /** The anonymous web-SDK user (TCB_UUID) of the browser that asked: only it may pick up the ticket. */
  browser: string;
  ip: string;
  status: 'waiting' | 'confirmed' | 'active' | 'ended';
  createdAt: Date;
  /** waiting, confirmed: until when the login may go on; active: when the session ends. */
  expiresAt: Date;
  /** Absent: a worker's console; `leader`: a street leader's (docs/street.md), bound to `streetId`. */
  kind?: 'leader';
  openid?: string;
  communityId?: string;
  streetId?: string;
  confirmedAt?: Date;
  signedInAt?: Date;
  endedAt?: Date;
  version: number;
}

const LOGIN_GONE = '登录码已失效，请在电脑上刷新页面后重新扫码';
const SESSION_GONE = '这个电脑端登录已结束或不存在';

/** Where a leader's session changes are audited: the street, which is no community (docs/street.md). */
export const streetAuditId = (streetId: string) => `street:${streetId}`;

const isLeader = (ctx: MemberCtx | LeaderCtx): ctx is LeaderCtx => 'leader' in ctx && !!ctx.leader;

/** Audits a session change where it belongs: the worker's community, or the leader's street. */
async function auditSession(ctx: MemberCtx | LeaderCtx, entry: Parameters<typeof audit>[1]): Promise<void> {
  if (isLeader(ctx)) await auditIn(ctx, streetAuditId(ctx.leader.streetId), entry);
  else await audit(ctx, entry);
}

const iso = (d: Date | string) => new Date(d).toISOString();
const past = (d: Date | string, now: Date) => new Date(d).getTime() <= now.getTime();

async function session(sessionId: string): Promise<DeskSessionDoc | null> {
  return findById<DeskSessionDoc>(DESK_SESSIONS, sessionId);
}

/** A login still waiting for its scan, for the worker who scanned; anything else is missing to them. */
async function waitingLogin(sessionId: string, now: Date): Promise<DeskSessionDoc> {
  const doc = await session(sessionId);
  if (!doc || doc.status !== 'waiting' || past(doc.expiresAt, now)) throw new AppError('E_NOT_FOUND', LOGIN_GONE);
  return doc;
}

export const loginActions = {
  startLogin: action({
    schema: s.startLogin,
    roles: 'browser',
    handler: async (_input, ctx: BrowserCtx) => {
      const id = randomBytes(16).toString('base64url');
      const expiresAt = new Date(ctx.now.getTime() + LOGIN_TTL_MS);
      const doc: DeskSessionDoc = {
        _id: id,
        browser: ctx.browser.id,
        ip: ctx.browser.ip,
        status: 'waiting',
        createdAt: ctx.now,
        expiresAt,
        version: 1,
      };
      await insertOnce(DESK_SESSIONS, doc);
      return { sessionId: id, page: LOGIN_PAGE, code: await loginCode(id, LOGIN_PAGE), expiresAt: iso(expiresAt) };
    },
  }),

  pollLogin: action({
    schema: s.pollLogin,
    roles: 'browser',
    handler: async ({ sessionId }, ctx: BrowserCtx): Promise<LoginPoll> => {
      const doc = await session(sessionId);
      // Another browser's session id (a photographed code) is missing to this one.
      if (!doc || doc.browser !== ctx.browser.id) throw new AppError('E_NOT_FOUND', LOGIN_GONE);
      if (doc.status === 'active' || doc.status === 'ended')
        throw new AppError('E_CONFLICT', '这个登录码已经用过，请刷新页面重新扫码');
      if (past(doc.expiresAt, ctx.now)) return { status: 'expired' };
      if (doc.status === 'waiting') return { status: 'waiting', expiresAt: iso(doc.expiresAt) };
      // confirmed: hand the ticket over once (compare-and-set), then the session runs its day.
      const endsAt = new Date(ctx.now.getTime() + SESSION_TTL_MS);
      await compareAndSet(
        DESK_SESSIONS,
        { _id: doc._id, version: doc.version, status: 'confirmed' },
        { status: 'active', signedInAt: ctx.now, expiresAt: endsAt },
        '这个登录码已经用过，请刷新页面重新扫码',
      );
      const ticket = createTicket(doc._id, ctx.now, endsAt);
      const auditedIn = doc.kind === 'leader' ? streetAuditId(doc.streetId ?? '') : (doc.communityId ?? '');
      await auditIn({ ...ctx, openid: doc.openid ?? '' }, auditedIn, {
        target: `desk:${doc._id}`,
        before: { status: 'confirmed' },
        after: { status: 'active' },
      });
      return { status: 'confirmed', ticket, sessionEndsAt: iso(endsAt) };
    },
  }),

  viewLogin: action({
    schema: s.viewLogin,
    roles: ['worker', 'leader'],
    handler: async ({ sessionId }, ctx) => {
      const doc = await waitingLogin(sessionId, ctx.now);
      const where = isLeader(ctx)
        ? ctx.leader.streetName
        : ((await findById<CommunityDoc>('communities', ctx.communityId))?.name ?? '');
      return {
        sessionId: doc._id,
        ip: doc.ip || '未知',
        askedAt: iso(doc.createdAt),
        expiresAt: iso(doc.expiresAt),
        communityName: where,
        ...(isLeader(ctx) ? { kind: 'leader' as const } : {}),
      };
    },
  }),

  confirmLogin: action({
    schema: s.confirmLogin,
    roles: ['worker', 'leader'],
    handler: async ({ sessionId }, ctx) => {
      if (ctx.consoleSession) throw new AppError('E_FORBIDDEN', '请用手机上的小程序确认电脑端登录');
      const doc = await waitingLogin(sessionId, ctx.now);
      const pickupBy = new Date(ctx.now.getTime() + LOGIN_TTL_MS);
      if (isLeader(ctx)) {
        // A street leader (no worker of the caller's community): a session of kind leader, bound to
        // the street. No 「新设备登录」 message: a leader has no community inbox (docs/street.md).
        await compareAndSet(
          DESK_SESSIONS,
          { _id: doc._id, version: doc.version, status: 'waiting' },
          { status: 'confirmed', kind: 'leader', openid: ctx.openid, streetId: ctx.leader.streetId, confirmedAt: ctx.now, expiresAt: pickupBy },
          LOGIN_GONE,
        );
        await auditSession(ctx, { target: `desk:${doc._id}`, before: { status: 'waiting' }, after: { status: 'confirmed' } });
        return { sessionEndsAt: iso(new Date(ctx.now.getTime() + SESSION_TTL_MS)) };
      }
      await compareAndSet(
        DESK_SESSIONS,
        { _id: doc._id, version: doc.version, status: 'waiting' },
        { status: 'confirmed', openid: ctx.openid, communityId: ctx.communityId, confirmedAt: ctx.now, expiresAt: pickupBy },
        LOGIN_GONE,
      );
      await audit(ctx, { target: `desk:${doc._id}`, before: { status: 'waiting' }, after: { status: 'confirmed' } });
      await notify(
        ctx.communityId,
        [ctx.openid],
        {
          type: 'desk.login',
          title: '新设备登录',
          body: `社区工作台于 ${longDateTime(ctx.now)} 在 ${doc.ip || '未知地址'} 登录。不是您本人操作？请到「我的 › 电脑登录」结束它。`,
          link: '/pages/mine/index',
          key: `desk-login:${doc._id}`,
        },
        ctx.now,
      );
      return { sessionEndsAt: iso(new Date(ctx.now.getTime() + SESSION_TTL_MS)) };
    },
  }),

  listSessions: action({
    schema: s.listSessions,
    roles: ['worker', 'leader'],
    handler: async (_input, ctx) => {
      const docs = await getAll<DeskSessionDoc>(
        collection(DESK_SESSIONS)
          .where({ openid: ctx.openid, status: 'active', expiresAt: cmd().gt(ctx.now) })
          .orderBy('expiresAt', 'desc')
          .limit(MAX_SESSIONS),
      );
      const items: ConsoleSession[] = docs.map((d) => ({
        sessionId: d._id,
        ip: d.ip || '未知',
        signedInAt: iso(d.signedInAt ?? d.createdAt),
        endsAt: iso(d.expiresAt),
        current: d._id === ctx.consoleSession,
      }));
      return { items };
    },
  }),

  endSession: action({
    schema: s.endSession,
    roles: ['worker', 'leader'],
    handler: async ({ sessionId }, ctx) => {
      const doc = await session(sessionId);
      // Another worker's session is missing to this one.
      if (!doc || doc.openid !== ctx.openid || doc.status !== 'active') throw new AppError('E_NOT_FOUND', SESSION_GONE);
      await compareAndSet(
        DESK_SESSIONS,
        { _id: doc._id, version: doc.version, status: 'active' },
        { status: 'ended', endedAt: ctx.now, expiresAt: ctx.now },
        SESSION_GONE,
      );
      await auditSession(ctx, { target: `desk:${doc._id}`, before: { status: 'active' }, after: { status: 'ended' } });
      return { ended: true as const };
    },
  }),
};

