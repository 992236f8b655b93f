// Who has read a notice: per-building read rates by household (from the counters kept on write,
// counts.ts), the households nobody has opened it in (unread.ts), and the one reminder to them.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { collection } from '../common/db';
import { AppError } from '../common/errors';
import { maskPhone } from '../common/mask';
import { action, type MemberCtx } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { noticeSchemas as s, type BuildingStats, type UnreadHousehold } from './api';
import { census, roomOrder, totalsOf, type UnreadRow } from './census';
import { findTally } from './counts';
import type { BuildingTally, NoticeDoc, NoticeTallyDoc } from './model';
import { continueReminder, reminderProgress, REMINDERS, type ReminderDoc } from './reminders';
import { requireCommunity, requireNotice } from './store';
import { unreadPage } from './unread';
import { audienceText, iso, stateOf } from './views';

/**
 * How long remind sends before it answers (the function's timeout is 10 s; reading the audience
 * comes first). The rest of a large reminder goes out with the timer.
 */
const REMIND_BUDGET_MS = 4000;

/** A building's counters as stats show them; later changes (docs/notices.md) never show more read than there are. */
function buildingView(t: BuildingTally): BuildingStats {
  const members = Math.max(t.members ?? 0, t.read ?? 0);
  const households = Math.max(t.households ?? 0, t.readHouseholds ?? 0);
  const readHouseholds = t.readHouseholds ?? 0;
  return {
    building: t.building,
    members,
    read: t.read ?? 0,
    households,
    readHouseholds,
    rate: households ? readHouseholds / households : 0,
  };
}

/** The buildings of a tally in community order; those met only through a later joiner last, by name. */
const byPosition = (tally: NoticeTallyDoc): BuildingTally[] =>
  Object.values(tally.buildings).sort((a, b) => (a.pos ?? Infinity) - (b.pos ?? Infinity) || roomOrder(a.building, b.building));

/** Totals, buildings and a page of unread households: from the tally, else (no tally) the full count. */
async function counted(n: NoticeDoc, ctx: MemberCtx, building: string | undefined, page: number) {
  const tally = n.audienceAt ? await findTally(n._id) : null;
  if (!tally) {
    const { buildings, totals, unread } = await census(n, await requireCommunity(ctx));
    const rows = building ? unread.filter((h) => h.building === building) : unread;
    const items = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return { buildings, totals, unread: { items, hasMore: rows.length > page * PAGE_SIZE } };
  }
  const ordered = byPosition(tally);
  const buildings = ordered.map(buildingView);
  const unread = await unreadPage(n, ordered, building, page);
  return { buildings, totals: totalsOf(buildings), unread };
}

/** A worker's phone sees whole numbers to call; a console (社区工作台, a screen others may see) masked ones. */
const unreadView = (h: UnreadRow, masked: boolean): UnreadHousehold => ({
  building: h.building,
  room: h.room,
  verified: h.verified,
  members: h.members.map((m) => ({ name: m.name, phone: masked ? maskPhone(m.phone) : m.phone, tags: m.tags })),
  attention: h.attention,
});

export const statsActions = {
  stats: action({
    schema: s.stats,
    roles: ['worker'],
    handler: async ({ noticeId, building, page: pageNo }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      const page = pageNo ?? 1;
      const [{ buildings, totals, unread }, reminder] = await Promise.all([
        counted(notice, ctx, building, page),
        notice.remindedAt ? reminderProgress(notice._id) : undefined,
      ]);
      return {
        noticeId: notice._id,
        title: notice.title,
        state: stateOf(notice, ctx.now),
        audienceText: audienceText(notice.buildings),
        totals,
        buildings,
        unread: { items: unread.items.map((h) => unreadView(h, Boolean(ctx.consoleSession))), page, hasMore: unread.hasMore },
        remindedAt: iso(notice.remindedAt),
        remindedCount: notice.remindedCount,
        remindPending: reminder?.pending,
        remindDone: reminder?.done,
      };
    },
  }),

  remind: action({
    schema: s.remind,
    roles: ['worker'],
    limit: 'remind',
    handler: async ({ noticeId }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      if (stateOf(notice, ctx.now) !== 'published') throw new AppError('E_CONFLICT', '只能提醒已发布且未过期的通知');
      if (notice.remindedAt) throw new AppError('E_CONFLICT', '这条通知已经提醒过一次了，每条通知只能提醒一次');
      // Claim the one reminder first: of two workers tapping at once, one sends.
      await compareAndSet(
        'notices',
        { _id: notice._id, version: notice.version, remindedAt: null },
        { remindedAt: ctx.now, updatedAt: ctx.now },
        '这条通知已经提醒过一次了，每条通知只能提醒一次',
      );
      const started = performance.now();
      const community = await requireCommunity(ctx);
      const { unread } = await census(notice, community);
      const to = [...new Set(unread.flatMap((h) => h.members.map((m) => m.openid)))];
      const job: ReminderDoc = {
        _id: notice._id,
        communityId: ctx.communityId,
        noticeId: notice._id,
        message: {
          type: 'notice.reminder',
          title: `请查看社区通知：${notice.title}`,
          body: `${notice.category} · 社区提醒您查看这条通知`,
          link: `/pages/notices/detail/index?id=${notice._id}`,
          key: `notice.reminder:${notice._id}`,
        },
        recipients: to,
        total: to.length,
        cursor: 0,
        sent: 0,
        done: to.length === 0,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      // The claim above makes this the only job of the notice.
      await collection(REMINDERS).add(job);
      const progress = await continueReminder(job, ctx.now, started + REMIND_BUDGET_MS);
      await audit(ctx, {
        target: `notice:${notice._id}`,
        after: { remindedAt: ctx.now, recipients: to.length, remindedCount: progress.sent },
      });
      return progress;
    },
  }),
};
