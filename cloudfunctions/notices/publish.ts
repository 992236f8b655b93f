// Notices that other functions publish on the community's behalf (议事公示: a vote's announcement
// and result, a topic's decision, a month's accounts). They are the notices function's own
// documents and counters, so residents read them in 通知 and workers see who has read them, as for
// any notice. The _id is the caller's deterministic one, so a retried step publishes once.
import { insertOnce } from '../common/cas';
import type { CommunityDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import { countAudience, insertTally } from './counts';
import { FAR_FUTURE, WHOLE, type NoticeDoc } from './model';
import { requireCommunity } from './store';

export interface PublicNotice {
  _id: string;
  title: string;
  body: string;
  /** The buildings it is for; none means the whole community. */
  buildings: string[];
  images?: string[];
}

/** Publishes now, in category 议事公示, by the caller; answers the stored notice. `community`: when the caller has read it already. */
export async function publishPublicNotice(ctx: MemberCtx, n: PublicNotice, community?: CommunityDoc): Promise<NoticeDoc> {
  community ??= await requireCommunity(ctx);
  const doc: NoticeDoc = {
    _id: n._id,
    communityId: ctx.communityId,
    title: n.title,
    body: n.body,
    category: '议事公示',
    buildings: n.buildings,
    audience: n.buildings.length ? n.buildings : [WHOLE],
    pinned: false,
    images: n.images ?? [],
    status: 'published',
    publishAt: ctx.now,
    expiresAt: null,
    visibleUntil: FAR_FUTURE,
    readCount: 0,
    remindedAt: null,
    authorOpenid: ctx.openid,
    authorName: ctx.member.name,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  };
  // The tally first, as notices.post does: no first open can miss it.
  const tally = await countAudience(doc, community, ctx.now);
  await insertTally(tally);
  doc.audienceAt = tally.audienceAt;
  await insertOnce('notices', doc);
  return doc;
}
