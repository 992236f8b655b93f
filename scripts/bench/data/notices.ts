// Notices (to the whole community or to some buildings; a few scheduled, drafts or withdrawn),
// their read receipts and the tally `notices.post` would have kept (counts.ts): every bench
// member's room is only claimed, so each is a household of their own.
import {
  tallyKey,
  type BuildingTally,
  type NoticeDoc,
  type NoticeReadDoc,
  type NoticeTallyDoc,
} from '../../../cloudfunctions/notices/model';
import { NOTICE_CATEGORIES } from '../../../cloudfunctions/notices/api';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../miniprogram/shared/clock';
import type { Gen } from './gen';
import type { Community, Person } from './members';

/** `BENCH_NOTICE_TALLIES=off`: no tallies, so notices.stats falls back to the full count (the cost before them). */
const TALLIES = process.env.BENCH_NOTICE_TALLIES !== 'off';

export function addNotices(g: Gen, c: Community, count: number, members: Person[]): void {
  const byBuilding = new Map<string, Person[]>();
  for (const m of members) byBuilding.set(m.building, [...(byBuilding.get(m.building) ?? []), m]);
  const author = c.workers[0];
  for (let i = 0; i < count; i++) {
    // Newest first in i; one every ~2 days, a few scheduled or drafts.
    const publishAt = g.ago(i * 2 * DAY_MS - (i < 3 ? 3 * DAY_MS : 0) + g.int(0, 12) * HOUR_MS);
    const draft = i % 97 === 5;
    const withdrawn = i % 89 === 7;
    const whole = g.rand() < 0.3;
    const buildings = whole
      ? []
      : [...new Set([g.pick(c.buildings), g.pick(c.buildings)])].sort((a, b) => c.buildings.indexOf(a) - c.buildings.indexOf(b));
    const expiresAt = g.rand() < 0.4 ? new Date(publishAt.getTime() + g.int(3, 30) * DAY_MS) : null;
    const doc: NoticeDoc = {
      _id: `bn_${c.doc._id}_${i}`,
      communityId: c.doc._id,
      title: `${buildings.length ? buildings.join('、') : '全体居民'}：社区通知 ${i + 1}`,
      body: '各位居民：根据街道安排，近期将开展相关工作，请大家相互转告，积极配合。如有疑问请联系社区工作人员。',
      category: g.pick(NOTICE_CATEGORIES),
      buildings,
      audience: whole ? ['*'] : buildings,
      pinned: i < 40 && i % 13 === 0,
      images: [],
      status: draft ? 'draft' : withdrawn ? 'withdrawn' : 'published',
      publishAt: draft ? null : publishAt,
      expiresAt,
      visibleUntil: expiresAt ?? new Date('9999-12-31T00:00:00.000Z'),
      readCount: 0,
      remindedAt: null,
      authorOpenid: author.openid,
      authorName: author.name,
      createdAt: publishAt,
      updatedAt: publishAt,
      version: 1,
    };
    if (doc.status !== 'draft') {
      const audience = whole ? members : buildings.flatMap((b) => byBuilding.get(b) ?? []);
      const tallies: Record<string, BuildingTally> = {};
      (whole ? c.buildings : buildings).forEach((building, pos) => {
        const n = byBuilding.get(building)?.length ?? 0;
        tallies[tallyKey(building)] = { building, pos, members: n, households: n, read: 0, readHouseholds: 0 };
      });
      const tally: NoticeTallyDoc = {
        _id: doc._id,
        communityId: c.doc._id,
        noticeId: doc._id,
        audienceAt: publishAt,
        buildings: tallies,
      };
      if (TALLIES) {
        doc.audienceAt = publishAt;
        g.add('notice_tallies', tally);
      }
      if (doc.status === 'published' && publishAt <= g.now) addReceipts(g, doc, audience, i, tally);
    }
    g.add('notices', doc);
  }
}

function addReceipts(g: Gen, doc: NoticeDoc, audience: Person[], i: number, tally: NoticeTallyDoc): void {
  const publishAt = doc.publishAt!;
  // Not everyone reads, and fewer receipts on older notices: ~5–30 %.
  const share = Math.max(0.05, 0.3 - i * 0.001);
  for (const m of audience) {
    if (g.rand() >= share) continue;
    const read: NoticeReadDoc = {
      _id: `${doc._id}:${m.openid}`,
      communityId: doc.communityId,
      noticeId: doc._id,
      openid: m.openid,
      building: m.building,
      room: m.room,
      readAt: new Date(publishAt.getTime() + g.int(5, 3000) * MINUTE_MS),
    };
    g.add('notice_reads', read);
    doc.readCount += 1;
    const t = tally.buildings[tallyKey(m.building)];
    t.read += 1;
    t.readHouseholds += 1;
  }
}
