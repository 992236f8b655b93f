// What the topic pages (topics, topic, topic-new, topic-act) share: their paths and the rows and
// texts they show. Labels come with the answers or from miniprogram/shared/topic-labels.ts.
import type { TopicSummary } from '../../services/affairs';
import { LIGHT_LABELS } from '../../shared/order-labels';
import { FIVE_STEPS } from '../../shared/topic-labels';
import { shortDateTime } from '../../utils/format';

export const TOPIC_PAGES = {
  list: '/packages/affairs/topics/index',
  detail: '/packages/affairs/topic/index',
  propose: '/packages/affairs/topic-new/index',
  act: '/packages/affairs/topic-act/index',
} as const;

export const topicUrl = (id: string): string => `${TOPIC_PAGES.detail}?id=${encodeURIComponent(id)}`;

export interface TopicRow {
  title: string;
  status: string;
  statusLabel: string;
  /** 第 3 步 · 协商讨论 */
  stepText: string;
  meta: string;
  listText: string;
  light: string;
  lightText: string;
}

/** The step a topic is at (the first not done), or the last one when all are. */
export function stepText(stepsDone: number, status: string): string {
  if (status === 'declined') return '未采纳';
  const at = Math.min(stepsDone, FIVE_STEPS.length - 1);
  return stepsDone >= FIVE_STEPS.length ? '五步已完成' : `第 ${at + 1} 步 · ${FIVE_STEPS[at]}`;
}

export const topicRow = (t: TopicSummary): TopicRow => ({
  title: t.title,
  status: t.status,
  statusLabel: t.statusLabel,
  stepText: stepText(t.stepsDone, t.status),
  meta: `${t.proposerName} · ${t.secondCount} 人附议 · ${t.commentCount} 条意见 · ${shortDateTime(t.updatedAt)}`,
  listText: t.listText ?? '',
  light: t.light ?? '',
  lightText: t.light ? LIGHT_LABELS[t.light] : '',
});

/**
 * Lets the person pick pictures and uploads each (kind `topic`) into `ids`, showing each as it
 * lands in `photos[i]`; closing the picker is no error. Answers whether any was added.
 */
export async function addPictures(
  host: WechatMiniprogram.Component.TrivialInstance,
  ids: string[],
  max: number,
  upload: (path: string) => Promise<string>,
  src: (id: string) => string,
  onError: (err: unknown) => void,
): Promise<boolean> {
  try {
    const picked = await wx.chooseMedia({ count: Math.max(1, max - ids.length), mediaType: ['image'], sizeType: ['compressed'] });
    let added = false;
    for (const file of picked.tempFiles) {
      if (ids.length >= max) break;
      const id = await upload(file.tempFilePath);
      ids.push(id);
      host.setData({ [`photos[${ids.length - 1}]`]: src(id) });
      added = true;
    }
    return added;
  } catch (err) {
    if (!(err as { errMsg?: string }).errMsg?.includes('cancel')) onError(err);
    return false;
  }
}
