// Rate limits per caller and kind of action (docs/limits.md): set where a resident never meets
// them and a script does. The router takes one unit before the handler runs for every action
// that declares a `limit`; the numbers live only in LIMITS below.
//
// Counters are documents, so they hold across function instances: one per caller, kind and
// fixed window, with a deterministic `_id`. One data call in the usual case:
//   - the caller's first action of the kind in the window: insertOnce({ count: 1 }) — allowed;
//   - any later one: where({ _id }).updateAndReturn({ count: inc(1) }) — the answer carries the
//     document after the increment (node-sdk Query.updateAndReturn, `database.modifyAndReturnDoc`),
//     so each concurrent caller gets its own count and exactly `max` of them pass;
//   - the first refusal of the window writes one more update (`limited`, `limitedAt`): what the
//     workers' list (`member.rateLimited`) reads. The counter keeps counting refused attempts.
// A refused call is an attempt too: the counter is the one write a refused call makes.
import { AppError } from './errors';
import { cmd, collection } from './db';
import { insertOnce } from './cas';

export const RATE_LIMITS = 'rate_limits';

export interface LimitRule {
  /** Most actions of the kind per window and caller. */
  max: number;
  windowMinutes: number;
  /** Chinese name of the kind, for the message and the workers' list. */
  label: string;
}

/** Every kind and its numbers; docs/limits.md gives the reasons. Change a number here only. */
export const LIMITS = {
  order: { max: 20, windowMinutes: 60, label: '下单' },
  booking: { max: 20, windowMinutes: 60, label: '预约或取消车位' },
  notice: { max: 30, windowMinutes: 60, label: '发布或修改通知' },
  remind: { max: 10, windowMinutes: 60, label: '发送通知提醒' },
  join: { max: 10, windowMinutes: 60, label: '申请加入社区' },
  text: { max: 30, windowMinutes: 10, label: '提交内容' },
  ledger: { max: 120, windowMinutes: 60, label: '记账或冲销' },
  help: { max: 5, windowMinutes: 30, label: '一键求助' },
  register: { max: 120, windowMinutes: 60, label: '导入房屋登记' },
} as const satisfies Record<string, LimitRule>;

export type LimitKind = keyof typeof LIMITS;
export const LIMIT_KINDS = Object.keys(LIMITS) as LimitKind[];

export interface RateLimitDoc {
  _id: string; // `${kind}:${openid}:${window number}`
  kind: LimitKind;
  openid: string;
  /** The caller's current community when the window began (null for a caller with none). */
  communityId: string | null;
  windowStart: Date;
  windowEnd: Date;
  /** Attempts in the window; those past `max` were refused. */
  count: number;
  max: number;
  limited: boolean;
  limitedAt: Date | null;
}

/** What the router knows of the caller when it takes a unit. */
export interface LimitCaller {
  openid: string;
  member: { communityId: string } | null;
  now: Date;
}

/** `请 3 分钟后再试` / `请 40 秒后再试`. */
export function waitText(seconds: number): string {
  return seconds >= 60 ? `请 ${Math.ceil(seconds / 60)} 分钟后再试` : `请 ${Math.max(1, seconds)} 秒后再试`;
}

function windowText(minutes: number): string {
  return minutes % 60 === 0 ? (minutes === 60 ? '每小时' : `每 ${minutes / 60} 小时`) : `每 ${minutes} 分钟`;
}

/** Takes one unit of `kind` for the caller, or refuses with E_RATE_LIMITED and how long to wait. */
export async function takeLimit(kind: LimitKind, caller: LimitCaller): Promise<void> {
  const rule: LimitRule = LIMITS[kind];
  const windowMs = rule.windowMinutes * 60_000;
  const n = Math.floor(caller.now.getTime() / windowMs);
  const _id = `${kind}:${caller.openid}:${n}`;
  const windowEnd = new Date((n + 1) * windowMs);
  const doc: RateLimitDoc = {
    _id,
    kind,
    openid: caller.openid,
    communityId: caller.member?.communityId ?? null,
    windowStart: new Date(n * windowMs),
    windowEnd,
    count: 1,
    max: rule.max,
    limited: false,
    limitedAt: null,
  };
  if (await insertOnce(RATE_LIMITS, doc)) return;
  const res = await collection(RATE_LIMITS)
    .where({ _id })
    .updateAndReturn({ count: cmd().inc(1) });
  const count = (res.doc as RateLimitDoc | null | undefined)?.count;
  if (typeof count !== 'number') throw new Error(`rate limit counter ${kind} did not answer its count`);
  if (count <= rule.max) return;
  if (count === rule.max + 1) {
    await collection(RATE_LIMITS).where({ _id }).update({ limited: true, limitedAt: caller.now });
  }
  const seconds = Math.max(1, Math.ceil((windowEnd.getTime() - caller.now.getTime()) / 1000));
  throw new AppError(
    'E_RATE_LIMITED',
    `操作太频繁：${rule.label}${windowText(rule.windowMinutes)}最多 ${rule.max} 次，${waitText(seconds)}`,
    seconds,
  );
}

/** Counters are kept this long after their window (the workers' list shows refusals of the last 30 days). */
export const KEEP_DAYS = 30;

/** The timer's part: removes counters whose window ended more than KEEP_DAYS ago (one call). */
export async function sweepLimits(now: Date): Promise<{ removed: number }> {
  const cutoff = new Date(now.getTime() - KEEP_DAYS * 24 * 3_600_000);
  const res = await collection(RATE_LIMITS)
    .where({ windowEnd: cmd().lt(cutoff) })
    .remove();
  return { removed: typeof res.deleted === 'number' ? res.deleted : 0 };
}
