// Windows: when an owner opens a verified spot to neighbours, once or every week.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { ANY_MEMBER, action, type MemberCtx } from '../common/router';
import { DAY_MS } from '../../miniprogram/shared/clock';
import { parkingSchemas as s } from './api';
import { BOOKINGS, SPOTS, type BookingDoc, type SpotDoc } from './model';
import { invalid, isClosing, isExpired, windowsOverlap, type Window } from './rules';
import { OPEN_STATUSES, ownSpot } from './store';
import { isOnHalfHour, rangeLabel } from './time';
import { spotView, viewerOf, windowLabel } from './views';

/** One-off windows: at most this long, ending at most this far ahead. */
const ONCE_WINDOW_MAX_DAYS = 7;
const WINDOW_HORIZON_DAYS = 60;
const MAX_WINDOWS = 20;

/** The window a publish request describes, validated; its id is given by the caller. */
function windowFromInput(
  input: { start?: Date; end?: Date; weekdays?: number[]; from?: string; to?: string },
  id: string,
  now: Date,
): Window {
  const once = input.start !== undefined || input.end !== undefined;
  const weekly = input.weekdays !== undefined || input.from !== undefined || input.to !== undefined;
  if (once === weekly) {
    throw invalid('请选择一种开放方式：单次（填开始和结束时间），或每周重复（选星期和起止时刻）');
  }
  if (once) {
    const { start, end } = input;
    if (!start) throw invalid('请填写开始时间');
    if (!end) throw invalid('请填写结束时间');
    if (!isOnHalfHour(start) || !isOnHalfHour(end)) throw invalid('时间需按半小时选择，例如 08:00 或 08:30');
    if (end <= start) throw invalid('结束时间需晚于开始时间');
    if (end <= now) throw invalid('这个时段已经过去，请选择之后的时间');
    if (end.getTime() - start.getTime() > ONCE_WINDOW_MAX_DAYS * DAY_MS) {
      throw invalid(`单次开放最长 ${ONCE_WINDOW_MAX_DAYS} 天；长期开放请用“每周重复”`);
    }
    if (end.getTime() > now.getTime() + WINDOW_HORIZON_DAYS * DAY_MS)
      throw invalid(`只能发布 ${WINDOW_HORIZON_DAYS} 天以内的时段`);
    return { id, kind: 'once', start, end };
  }
  if (!input.weekdays || input.weekdays.length === 0) throw invalid('请选择每周哪几天开放');
  if (!input.from) throw invalid('请选择每天开始开放的时刻');
  if (!input.to) throw invalid('请选择每天结束开放的时刻');
  return { id, kind: 'weekly', weekdays: [...new Set(input.weekdays)].sort((a, b) => a - b), from: input.from, to: input.to };
}

/** Changes a spot's windows under compare-and-set. */
async function saveWindows(ctx: MemberCtx, spot: SpotDoc, windows: Window[], extra: Partial<SpotDoc> = {}): Promise<SpotDoc> {
  await compareAndSet(
    SPOTS,
    { _id: spot._id, version: spot.version },
    { windows, ...extra, updatedAt: ctx.now },
    '车位的开放时段刚被修改过，请刷新后重试',
  );
  return { ...spot, windows, ...extra, updatedAt: ctx.now, version: spot.version + 1 };
}

export const windowActions = {
  publishWindow: action({
    schema: s.publishWindow,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const spot = await ownSpot(ctx, input.spotId);
      if (spot.status !== 'verified') throw new AppError('E_CONFLICT', '车位通过社区核实后才能发布开放时段');
      const window = windowFromInput(input, `w${spot.windowSeq + 1}`, ctx.now);
      const kept = spot.windows.filter((w) => !isExpired(w, ctx.now));
      const clash = kept.find((w) => windowsOverlap(w, window));
      if (clash) throw new AppError('E_CONFLICT', `与已发布的时段重叠，请调整时间：${windowLabel(clash)}`);
      if (kept.length >= MAX_WINDOWS)
        throw new AppError('E_CONFLICT', `每个车位最多 ${MAX_WINDOWS} 个开放时段，请先删除不用的时段`);
      const next = await saveWindows(ctx, spot, [...kept, window], { windowSeq: spot.windowSeq + 1 });
      await audit(ctx, { target: `parking_spot:${spot._id}`, after: { window: windowLabel(window) } });
      return spotView(next, viewerOf(ctx), ctx.now, ctx.member);
    },
  }),

  removeWindow: action({
    schema: s.removeWindow,
    roles: ANY_MEMBER,
    handler: async ({ spotId, windowId }, ctx) => {
      let spot = await ownSpot(ctx, spotId);
      const target = spot.windows.find((w) => w.id === windowId);
      if (!target) throw new AppError('E_NOT_FOUND', '该开放时段不存在或已删除，请刷新后重试');
      if (isClosing(target, ctx.now)) throw new AppError('E_CONFLICT', '这个时段正在删除，请稍后刷新');
      // 1. Mark the window closing: from now on no booking can start to rely on it.
      spot = await saveWindows(
        ctx,
        spot,
        spot.windows.map((w) => (w.id === windowId ? { ...w, closingSince: ctx.now } : w)),
      );
      // 2. Every booking that relied on it is visible by now (a booking re-reads the window after
      //    its document exists), so an empty answer means none can appear any more.
      const open = await getAll<BookingDoc>(
        collection(BOOKINGS)
          .where({ communityId: ctx.communityId, spotId, windowId, status: cmd().in(['pending', ...OPEN_STATUSES]) })
          .orderBy('start', 'asc')
          .limit(20),
      );
      if (open.length > 0) {
        // 3a. Reopen it and say why.
        for (let attempt = 0; attempt < 3; attempt++) {
          const fresh = (await findById<SpotDoc>(SPOTS, spotId))!;
          const reopened = fresh.windows.map((w) => {
            if (w.id !== windowId) return w;
            const { closingSince: _closing, ...rest } = w;
            return rest as Window;
          });
          try {
            await saveWindows(ctx, fresh, reopened);
            break;
          } catch (err) {
            if (!(err instanceof AppError) || err.code !== 'E_CONFLICT' || attempt === 2) throw err;
          }
        }
        const first = open.find((b) => b.status !== 'pending') ?? open[0];
        const more = open.length >= 20 ? '20 个以上' : `${open.length} 个`;
        throw new AppError(
          'E_CONFLICT',
          `这个时段还有 ${more}预约未结束（最近一个：${rangeLabel(new Date(first.start), new Date(first.end))}，车牌 ${first.plate}），请等预约结束，或先取消这些预约后再删除`,
        );
      }
      // 3b. Remove it.
      const next = await saveWindows(
        ctx,
        spot,
        spot.windows.filter((w) => w.id !== windowId),
      );
      await audit(ctx, { target: `parking_spot:${spot._id}`, before: { window: windowLabel(target) } });
      return spotView(next, viewerOf(ctx), ctx.now, ctx.member);
    },
  }),
};
