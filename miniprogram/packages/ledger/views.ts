// Rows the ledger's pages show: an entry's facts, a question with its light, a project's bar.
import type { EntryView, ProjectView, QuestionView } from '../../services/ledger';
import { pictureSrc, uploadPicture } from '../../services/files';
import { LIGHT_LABELS } from '../../shared/order-labels';
import { shortDateTime } from '../../utils/format';
import { dayText, yuanText } from './format';

export const STATUS_TEXT = { pending: '待复核', approved: '已复核', rejected: '已退回' } as const;

export interface EntryRow {
  id: string;
  summary: string;
  amount: string;
  income: boolean;
  meta: string;
  status: string;
  note: string;
}

export const entryRow = (e: EntryView): EntryRow => ({
  id: e._id,
  summary: e.summary,
  amount: `${e.direction === 'in' ? '+' : '-'}${yuanText(e.amountFen)}`,
  income: e.direction === 'in',
  meta: `${dayText(e.date)} · ${e.accountName}${e.counterparty ? ` · ${e.counterparty}` : ''} · ${e.recordedByName}记`,
  status: STATUS_TEXT[e.status],
  note: e.reverses ? '冲销分录' : e.reversedBy ? '已冲销' : '',
});

export interface QuestionRow {
  id: string;
  question: string;
  meta: string;
  answer: string;
  answerMeta: string;
  open: boolean;
  light: string;
  lightText: string;
  entryId: string;
}

export const questionRow = (q: QuestionView): QuestionRow => ({
  id: q._id,
  question: q.question,
  meta: `${q.mine ? '我' : '居民'}提问 · ${shortDateTime(q.askedAt)}${q.status === 'open' ? ` · 应于 ${shortDateTime(q.dueAt)} 前回复` : ''}`,
  answer: q.answer ?? '',
  answerMeta: q.answeredAt ? `${q.answeredByName ?? ''}回复 · ${shortDateTime(q.answeredAt)}` : '',
  open: q.status === 'open',
  light: q.light ?? '',
  lightText: q.light ? LIGHT_LABELS[q.light] : '',
  entryId: q.entryId,
});

export interface ProjectRow {
  id: string;
  name: string;
  budget: string;
  spent: string;
  percent: number;
  /** The bar's width, at most 100. */
  width: number;
  over: boolean;
}

export const projectRow = (p: ProjectView): ProjectRow => ({
  id: p._id,
  name: p.name,
  budget: yuanText(p.budgetFen),
  spent: yuanText(p.spentFen),
  percent: p.percent,
  width: Math.max(0, Math.min(100, p.percent)),
  over: p.spentFen > p.budgetFen,
});

export const pictures = (ids: string[]): string[] => ids.map(pictureSrc);

/**
 * Lets the person pick pictures and uploads each (kind `ledger`) into `ids`, showing each as it
 * lands in `photos[i]` (as packages/affairs does; a subpackage cannot import another's code).
 * Closing the picker is no error.
 */
export async function addPictures(
  host: WechatMiniprogram.Component.TrivialInstance,
  ids: string[],
  max: number,
  onError: (err: unknown) => void,
  field = 'photos',
): Promise<void> {
  try {
    const picked = await wx.chooseMedia({ count: Math.max(1, max - ids.length), mediaType: ['image'], sizeType: ['compressed'] });
    for (const file of picked.tempFiles) {
      if (ids.length >= max) break;
      const id = await uploadPicture(file.tempFilePath, 'ledger');
      ids.push(id);
      host.setData({ [`${field}[${ids.length - 1}]`]: pictureSrc(id) });
    }
  } catch (err) {
    if (!(err as { errMsg?: string }).errMsg?.includes('cancel')) onError(err);
  }
}
