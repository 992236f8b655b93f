// A decision (形成决议) is published as a 议事公示 notice to the whole community — the notices
// function's own documents and counters, so residents read it in 通知 and workers see who has
// read it (read receipts, per-building rates, reminders) exactly as for any notice.
import { insertOnce } from '../common/cas';
import type { MemberCtx } from '../common/router';
import { longDateTime } from '../../miniprogram/shared/clock';
import { TITLE_MAX, BODY_MAX } from '../notices/api';
import { countAudience, insertTally } from '../notices/counts';
import { FAR_FUTURE, WHOLE, type NoticeDoc } from '../notices/model';
import { requireCommunity } from '../notices/store';
import { decisionNoticeId, type TopicDoc } from './topics-model';

const cut = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};

export interface DecisionInput {
  text: string;
  images: string[];
  dueAt: Date;
  /** 「经业主表决通过」 when a vote decided it. */
  basis: string;
}

/** The notice's text: the topic, the decision, how it was reached and by when it is carried out. */
export function decisionBody(t: TopicDoc, d: DecisionInput): string {
  const lines = [
    `议题：${t.title}`,
    t.listYear ? `（${t.listYear}年议事清单${t.listNo ? `第${t.listNo}项` : ''}）` : '',
    '',
    `决议：${d.text}`,
    '',
    d.basis,
    `落实期限：${longDateTime(d.dueAt)}前`,
    '落实进展会在「议事」里的这个议题下持续公布，欢迎监督。',
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
  return cut(lines.join('\n'), BODY_MAX);
}

/**
 * Writes the notice (published now, whole community, its tally counted first as notices.post
 * does) under an _id derived from the topic: a retried decision finds it there and writes nothing.
 */
export async function publishDecision(ctx: MemberCtx, t: TopicDoc, d: DecisionInput): Promise<NoticeDoc> {
  const community = await requireCommunity(ctx);
  const doc: NoticeDoc = {
    _id: decisionNoticeId(t._id),
    communityId: ctx.communityId,
    title: cut(`议事决议：${t.title}`, TITLE_MAX),
    body: decisionBody(t, d),
    category: '议事公示',
    buildings: [],
    audience: [WHOLE],
    pinned: false,
    images: d.images,
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
  const tally = await countAudience(doc, community, ctx.now);
  await insertTally(tally);
  doc.audienceAt = tally.audienceAt;
  await insertOnce('notices', doc);
  return doc;
}
