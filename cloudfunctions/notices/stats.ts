// Who has read a notice: per-building read rates by household, the households nobody has opened
// it in (those with someone who needs attention first), and the one reminder to them.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { collection } from '../common/db';
import { AppError } from '../common/errors';
import { isVerifiedHousehold } from '../common/household';
import { buildingsOf, type CommunityDoc, type MemberDoc } from '../common/model';
import { action } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { noticeSchemas as s, type BuildingStats, type UnreadHousehold } from './api';
import type { NoticeDoc } from './model';
import { continueReminder, reminderProgress, REMINDERS, type ReminderDoc } from './reminders';
import { audienceMembers, readersOf, requireCommunity, requireNotice } from './store';
import { audienceText, iso, stateOf } from './views';

const ATTENTION_TAGS = ['独居老人', '高龄', '残疾'];
/**
 * How long remind sends before it answers (the function's timeout is 10 s; reading the audience
 * comes first). The rest of a large reminder goes out with the timer.
 */
const REMIND_BUDGET_MS = 4000;

interface Household {
  building: string;
  room: string;
  verified: boolean;
  members: MemberDoc[];
  read: boolean;
}

/**
 * A household is a verified building + room (docs/members.md). A member whose room is only claimed
 * counts as a household of their own: someone who typed in an elder's room and opened the notice
 * must not make the elder's home read, nor take it off the list to call.
 */
const householdKey = (m: MemberDoc) => `${m.building}\u0000${m.room.trim()}${isVerifiedHousehold(m) ? '' : `\u0000${m.openid}`}`;
const roomOrder = (a: string, b: string) => a.localeCompare(b, 'zh-Hans-CN', { numeric: true });

async function tally(n: NoticeDoc, community: CommunityDoc) {
  const [members, readers] = await Promise.all([audienceMembers(n), readersOf(n)]);
  const households = new Map<string, Household>();
  for (const m of members) {
    const key = householdKey(m);
    const h = households.get(key) ?? {
      building: m.building,
      room: m.room.trim(),
      verified: isVerifiedHousehold(m),
      members: [],
      read: false,
    };
    h.members.push(m);
    if (readers.has(m.openid)) h.read = true;
    households.set(key, h);
  }
  const order = n.buildings.length ? n.buildings : buildingsOf(community);
  const extra = [...new Set(members.map((m) => m.building))].filter((b) => !order.includes(b));
  const buildings: BuildingStats[] = [...order, ...extra].map((building) => {
    const inB = members.filter((m) => m.building === building);
    const hs = [...households.values()].filter((h) => h.building === building);
    const readHouseholds = hs.filter((h) => h.read).length;
    return {
      building,
      members: inB.length,
      read: inB.filter((m) => readers.has(m.openid)).length,
      households: hs.length,
      readHouseholds,
      rate: hs.length ? readHouseholds / hs.length : 0,
    };
  });
  const sum = (k: 'members' | 'read' | 'households' | 'readHouseholds') => buildings.reduce((acc, b) => acc + b[k], 0);
  const totals = {
    members: sum('members'),
    read: sum('read'),
    households: sum('households'),
    readHouseholds: sum('readHouseholds'),
    rate: 0,
  };
  totals.rate = totals.households ? totals.readHouseholds / totals.households : 0;
  const position = new Map([...order, ...extra].map((b, i) => [b, i]));
  const unread = [...households.values()]
    .filter((h) => !h.read)
    .map((h) => ({ ...h, attention: h.members.some((m) => m.tags.some((t) => ATTENTION_TAGS.includes(t))) }))
    .sort(
      (a, b) =>
        Number(b.attention) - Number(a.attention) ||
        (position.get(a.building) ?? 0) - (position.get(b.building) ?? 0) ||
        roomOrder(a.room, b.room),
    );
  return { buildings, totals, unread };
}

const unreadView = (h: Household & { attention: boolean }): UnreadHousehold => ({
  building: h.building,
  room: h.room,
  verified: h.verified,
  members: h.members.map((m) => ({ name: m.name, phone: m.phone, tags: m.tags })),
  attention: h.attention,
});

export const statsActions = {
  stats: action({
    schema: s.stats,
    roles: ['worker'],
    handler: async ({ noticeId, building, page: pageNo }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      const community = await requireCommunity(ctx);
      const [{ buildings, totals, unread }, reminder] = await Promise.all([
        tally(notice, community),
        notice.remindedAt ? reminderProgress(notice._id) : undefined,
      ]);
      const rows = building ? unread.filter((h) => h.building === building) : unread;
      const page = pageNo ?? 1;
      const slice = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      return {
        noticeId: notice._id,
        title: notice.title,
        state: stateOf(notice, ctx.now),
        audienceText: audienceText(notice.buildings),
        totals,
        buildings,
        unread: { items: slice.map(unreadView), page, hasMore: rows.length > page * PAGE_SIZE },
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
      const { unread } = await tally(notice, community);
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
