// The orders part of the timer (product.md §3, 亮灯预警): escalations and automatic transitions.
// Run every 5 minutes by `timer`; idempotent: a second run right after sends and changes nothing.
// - yellow (80 % of a step used) → a message to whoever owns the step;
// - red (the step's time used up) → a message to the community's workers;
// - dispatched and not accepted in time → back to `pending`, the volunteer recorded as timed out;
// - completed and unrated for 7 days → closed without a rating (the volunteer still gets points).
// Work per run is bounded: pages of 100 from indexed queries on the stored instants, a few pages
// per kind, and no new order after the run's deadline; what is left waits for the next run.
import { MINUTE_MS } from '../../miniprogram/shared/clock';
import { auditSystem, type SystemEntry } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection } from '../common/db';
import { AppError } from '../common/errors';
import { notifyMany, type Notice } from '../common/notify';
import { STEP_LABELS } from './labels';
import { countOrder } from './counters';
import { clockPatch, creditVolunteer, orderLink, SYSTEM, SYSTEM_NAME, timelineEntry } from './lifecycle';
import { ORDERS, type OrderDoc } from './model';
import { dueOrders, workersOf } from './store';

export const SWEEP_PAGE = 100;
export const SWEEP_MAX_PAGES = 5;
/** Orders of one page handled at once: each is its own document and its own compare-and-set. */
export const SWEEP_CONCURRENCY = 10;

export interface OrdersSweepReport {
  returned: number;
  red: number;
  yellow: number;
  closed: number;
  messages: number;
  /** True when a kind hit the page cap: the next run continues. */
  more: boolean;
}

const minutesText = (ms: number): string => {
  const m = Math.max(1, Math.round(ms / MINUTE_MS));
  return m >= 1440 && m % 1440 === 0 ? `${m / 1440} 天` : m >= 120 ? `${Math.round(m / 60)} 小时` : `${m} 分钟`;
};

/** True when this caller's compare-and-set won; false when the order moved on meanwhile. */
async function won(p: Promise<void>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === 'E_CONFLICT') return false;
    throw err;
  }
}

/** Clears escalation bookkeeping of the step that is still running (no version bump: not a transition). */
async function clearDue(order: OrderDoc, fields: { yellowDue?: null; redDue?: null }): Promise<boolean> {
  const res = await collection(ORDERS).where({ _id: order._id, stepSeq: order.stepSeq, status: order.status }).update(fields);
  return res.updated === 1;
}

/** One run: its clock, its report, the workers of each community (read once per run), audit entries to write. */
interface Run {
  now: Date;
  report: OrdersSweepReport;
  workers(communityId: string): Promise<string[]>;
  /** The page's audit entries by `what`, written together when the page is done (one data call each). */
  audits: Map<string, SystemEntry[]>;
  /** The page's messages, sent together when the page is done (notifyMany: a constant number of calls). */
  notices: Notice[];
}

function tellLater(run: Run, communityId: string, to: string[], msg: Notice['msg']): void {
  run.notices.push({ communityId, to, msg });
}

function record(run: Run, what: string, order: OrderDoc, entry: Omit<SystemEntry, 'communityId' | 'target'>): void {
  const list = run.audits.get(what) ?? [];
  list.push({ communityId: order.communityId, target: `order:${order._id}`, ...entry });
  run.audits.set(what, list);
}

async function flushAudits(run: Run): Promise<void> {
  const batches = [...run.audits];
  run.audits.clear();
  for (const [what, entries] of batches) await auditSystem(what, run.now, entries);
}

async function flushNotices(run: Run): Promise<void> {
  const notices = run.notices.splice(0);
  if (notices.length > 0) run.report.messages += await notifyMany(notices, run.now);
}

async function returnTimedOut(order: OrderDoc, run: Run): Promise<boolean> {
  const { now, report, workers } = run;
  const volunteer = order.volunteerOpenid;
  const entry = timelineEntry(
    SYSTEM,
    SYSTEM_NAME,
    'timeout',
    now,
    order.volunteerName ? `${order.volunteerName}超时未接单` : undefined,
  );
  const clock = clockPatch(order, 'dispatch', now);
  const ok = await won(
    compareAndSet(
      ORDERS,
      { _id: order._id, version: order.version, status: 'dispatched' },
      {
        ...clock,
        status: 'pending',
        volunteerOpenid: null,
        volunteerName: null,
        volunteerPhone: null,
        updatedAt: now,
        timeline: cmd().push([entry]),
        passedOver: cmd().push([
          { openid: volunteer ?? '', name: order.volunteerName ?? '', reason: '超时未接单', timedOut: true, at: now },
        ]),
      },
    ),
  );
  if (!ok) return false;
  report.returned++;
  record(run, 'timer.returnOrder', order, {
    before: { status: 'dispatched', volunteerOpenid: volunteer ?? null },
    after: { status: 'pending', volunteerOpenid: null },
    note: '接单超时，退回待派单',
  });
  const key = `order:${order._id}:${order.stepSeq}:returned`;
  const link = orderLink(order._id);
  tellLater(run, order.communityId, await workers(order.communityId), {
    type: 'order.returned',
    title: `接单超时已退回，请重新派单：${order.serviceName}`,
    body: `${order.volunteerName ?? '志愿者'}未在时限内接单`,
    link,
    key,
  });
  if (volunteer) {
    tellLater(run, order.communityId, [volunteer], {
      type: 'order.returned',
      title: `订单因超时未接已收回：${order.serviceName}`,
      body: '如有困难请及时拒单，方便社区另行安排',
      link,
      key,
    });
  }
  return true;
}

/** The people who own the running step: workers dispatch and review, the volunteer accepts and serves. */
async function stepOwners(order: OrderDoc, run: Run): Promise<string[]> {
  if ((order.step === 'accept' || order.step === 'serve') && order.volunteerOpenid) return [order.volunteerOpenid];
  return run.workers(order.communityId);
}

/** The red escalation's message; an order out of time to accept is returned instead (returnTimedOut tells). */
async function redNotice(order: OrderDoc, run: Run): Promise<void> {
  if (order.status === 'dispatched' && order.step === 'accept') return;
  const step = order.step ? STEP_LABELS[order.step] : '';
  tellLater(run, order.communityId, await run.workers(order.communityId), {
    type: 'order.red',
    title: `【超时】${order.serviceName}：${step}环节已超时`,
    body: `${order.beneficiary.building} ${order.beneficiary.name}，当前${step}环节已用完时限，请尽快处理`,
    link: orderLink(order._id),
    key: `order:${order._id}:${order.stepSeq}:red`,
  });
}

/** Clears the red marker once redNotice's message is out (drain sends a page's messages first). */
async function escalateRed(order: OrderDoc, run: Run): Promise<boolean> {
  if (order.status === 'dispatched' && order.step === 'accept') return returnTimedOut(order, run);
  const cleared = await clearDue(order, { redDue: null, yellowDue: null });
  if (cleared) run.report.red++;
  return cleared;
}

// Already past red: the red escalation (next run at the latest) says it all.
const pastRed = (order: OrderDoc, now: Date) => Boolean(order.redDue && new Date(order.redDue).getTime() <= now.getTime());

async function yellowNotice(order: OrderDoc, run: Run): Promise<void> {
  const { now } = run;
  if (pastRed(order, now)) return redNotice(order, run);
  const step = order.step ? STEP_LABELS[order.step] : '';
  const left = order.redAt ? new Date(order.redAt).getTime() - now.getTime() : 0;
  tellLater(run, order.communityId, await stepOwners(order, run), {
    type: 'order.yellow',
    title: `【即将超时】${order.serviceName}：${step}环节`,
    body: `还剩约 ${minutesText(left)}，请尽快${step}`,
    link: orderLink(order._id),
    key: `order:${order._id}:${order.stepSeq}:yellow`,
  });
}

async function escalateYellow(order: OrderDoc, run: Run): Promise<boolean> {
  if (pastRed(order, run.now)) return escalateRed(order, run);
  const cleared = await clearDue(order, { yellowDue: null });
  if (cleared) run.report.yellow++;
  return cleared;
}

async function autoClose(order: OrderDoc, run: Run): Promise<boolean> {
  const { now, report } = run;
  if (order.status !== 'completed' || order.rating) {
    // Not a candidate any more (it moved on); just drop the marker.
    const res = await collection(ORDERS).where({ _id: order._id, status: order.status }).update({ autoCloseAt: null });
    return res.updated === 1;
  }
  const entry = timelineEntry(SYSTEM, SYSTEM_NAME, 'autoClose', now);
  const ok = await won(
    compareAndSet(
      ORDERS,
      { _id: order._id, version: order.version, status: 'completed' },
      {
        ...clockPatch(order, null, now),
        status: 'closed',
        closedAt: now,
        autoCloseAt: null,
        updatedAt: now,
        timeline: cmd().push([entry]),
      },
    ),
  );
  if (!ok) return false;
  report.closed++;
  record(run, 'timer.autoClose', order, {
    before: { status: 'completed' },
    after: { status: 'closed' },
    note: '超过 7 天未评价，自动办结',
  });
  const closed: OrderDoc = { ...order, status: 'closed', closedAt: now, autoCloseAt: null };
  await countOrder('closed', closed, now);
  const points = await creditVolunteer(closed, now);
  if (order.volunteerOpenid) {
    tellLater(run, order.communityId, [order.volunteerOpenid], {
      type: 'order.closed',
      title: `订单已办结：${order.serviceName}`,
      body: points > 0 ? `居民未评价，订单已自动办结，积分 +${points}` : '居民未评价，订单已自动办结',
      link: orderLink(order._id),
      key: `order:${order._id}:closed`,
    });
  }
  return true;
}

type Handler = (order: OrderDoc, run: Run) => Promise<boolean>;
/** A message that must be out before the handler clears what would send it again (idempotent by key). */
type Warner = (order: OrderDoc, run: Run) => Promise<void>;

/**
 * Pages through one indexed query; stops when a page is short, made no progress, or at the cap.
 * The orders of a page are handled SWEEP_CONCURRENCY at a time.
 */
async function drain(
  field: 'redDue' | 'yellowDue' | 'autoCloseAt',
  handle: Handler,
  run: Run,
  limits: SweepLimits,
  deadline: number,
  warn?: Warner,
): Promise<void> {
  for (let pageNo = 0; pageNo < limits.maxPages; pageNo++) {
    if (performance.now() >= deadline) {
      run.report.more = true;
      return;
    }
    const batch = await dueOrders(field, run.now, limits.pageSize);
    let progress = 0;
    try {
      if (warn) {
        // The page's escalation messages in one batch, before any marker is cleared: a run that
        // stops half-way leaves the markers, and the next run sends again (the same keys: once).
        for (let i = 0; i < batch.length; i += SWEEP_CONCURRENCY)
          await Promise.all(batch.slice(i, i + SWEEP_CONCURRENCY).map((order) => warn(order, run)));
        await flushNotices(run);
      }
      for (let i = 0; i < batch.length; i += SWEEP_CONCURRENCY) {
        if (performance.now() >= deadline) {
          run.report.more = true;
          return;
        }
        const done = await Promise.all(batch.slice(i, i + SWEEP_CONCURRENCY).map((order) => handle(order, run)));
        progress += done.filter(Boolean).length;
      }
    } finally {
      // The page's changes are in the log before the next page is read (or the run stops), and
      // the people they concern are told.
      await flushAudits(run);
      await flushNotices(run);
    }
    if (batch.length < limits.pageSize || progress === 0) return;
  }
  // The cap was reached with a full last page: there may be more; the next run goes on.
  run.report.more = true;
}

export interface SweepLimits {
  pageSize: number;
  maxPages: number;
}

/** `deadline`: performance.now() after which no new order is taken (the timer's time budget). */
export async function sweepOrders(
  now: Date,
  limits: SweepLimits = { pageSize: SWEEP_PAGE, maxPages: SWEEP_MAX_PAGES },
  deadline = Infinity,
): Promise<OrdersSweepReport> {
  const report: OrdersSweepReport = { returned: 0, red: 0, yellow: 0, closed: 0, messages: 0, more: false };
  const workers = new Map<string, Promise<string[]>>();
  const run: Run = {
    now,
    report,
    audits: new Map(),
    notices: [],
    workers(communityId) {
      if (!workers.has(communityId)) workers.set(communityId, workersOf(communityId));
      return workers.get(communityId)!;
    },
  };
  await drain('redDue', escalateRed, run, limits, deadline, redNotice);
  await drain('yellowDue', escalateYellow, run, limits, deadline, yellowNotice);
  await drain('autoCloseAt', autoClose, run, limits, deadline);
  return report;
}
