// Notices (to the whole community or to some buildings; a few scheduled, drafts or withdrawn)
// and their read receipts.
import type { NoticeDoc, NoticeReadDoc } from '../../../cloudfunctions/notices/model';
import { NOTICE_CATEGORIES } from '../../../cloudfunctions/notices/api';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../miniprogram/shared/clock';
import type { Gen } from './gen';
import type { Community, Person } from './members';

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
    if (doc.status === 'published' && publishAt <= g.now) {
      const audience = whole ? members : buildings.flatMap((b) => byBuilding.get(b) ?? []);
      // Not everyone reads, and fewer receipts on older notices: ~5–30 %.
      const share = Math.max(0.05, 0.3 - i * 0.001);
      for (const m of audience) {
        if (g.rand() >= share) continue;
        const read: NoticeReadDoc = {
          _id: `${doc._id}:${m.openid}`,
          communityId: c.doc._id,
          noticeId: doc._id,
          openid: m.openid,
          building: m.building,
          room: m.room,
          readAt: new Date(publishAt.getTime() + g.int(5, 3000) * MINUTE_MS),
        };
        g.add('notice_reads', read);
        doc.readCount += 1;
      }
    }
    g.add('notices', doc);
  }
}
