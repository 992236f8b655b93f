// A decision (形成决议) is published as a 议事公示 notice to the whole community — the notices
// function's own documents and counters, so residents read it in 通知 and workers see who has
// read it (read receipts, per-building rates, reminders) exactly as for any notice.
import type { MemberCtx } from '../common/router';
import { longDateTime } from '../../miniprogram/shared/clock';
import { TITLE_MAX, BODY_MAX } from '../notices/api';
import type { NoticeDoc } from '../notices/model';
import { publishPublicNotice } from '../notices/publish';
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

/** Publishes the decision to the whole community under an _id derived from the topic: a retried decision writes nothing. */
export async function publishDecision(ctx: MemberCtx, t: TopicDoc, d: DecisionInput): Promise<NoticeDoc> {
  return publishPublicNotice(ctx, {
    _id: decisionNoticeId(t._id),
    title: cut(`议事决议：${t.title}`, TITLE_MAX),
    body: decisionBody(t, d),
    buildings: [],
    images: d.images,
  });
}
