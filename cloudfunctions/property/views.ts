// Stored documents → answers: a grade (published or a preview), a warning with its 约谈.
import { DIMENSION_LABELS, DIMENSIONS, TALK_OUTCOME_LABELS, type GradeView, type WarningView } from './api';
import type { GradeParts, MonthFacts } from './formula';
import type { GradeDoc, WarningDoc } from './model';
import { monthLabel } from './store';

const iso = (d: Date | string): string => new Date(d).toISOString();

export function toGradeView(
  month: string,
  parts: GradeParts,
  facts: Pick<MonthFacts, 'ratingCount' | 'orders' | 'complaints' | 'completed'>,
  published?: Pick<GradeDoc, 'publishedAt' | 'noticeId' | 'warningId'>,
  isWorker = false,
): GradeView {
  return {
    month,
    monthLabel: monthLabel(month),
    stars: parts.stars,
    score: parts.score,
    light: parts.light,
    ratingCount: facts.ratingCount,
    dimensions: DIMENSIONS.map((key) => ({ key, label: DIMENSION_LABELS[key], average: parts.dimensions[key] })),
    ratingScore: parts.ratingScore,
    onTimeRate: parts.onTimeRate,
    complaintRate: parts.complaintRate,
    reworkRate: parts.reworkRate,
    orders: facts.orders,
    complaints: facts.complaints,
    completed: facts.completed,
    published: Boolean(published),
    ...(published ? { publishedAt: iso(published.publishedAt), noticeId: published.noticeId } : {}),
    ...(published?.warningId && isWorker ? { warningId: published.warningId } : {}),
  };
}

export const gradeDocView = (g: GradeDoc, isWorker: boolean): GradeView => toGradeView(g.month, g, g, g, isWorker);

export function toWarningView(w: WarningDoc): WarningView {
  return {
    _id: w._id,
    month: w.month,
    monthLabel: monthLabel(w.month),
    stars: w.stars,
    complaintRate: w.complaintRate,
    reasons: w.reasons,
    status: w.status,
    statusLabel: w.status === 'open' ? '待约谈' : '已约谈',
    talks: w.talks.map((t) => ({
      talkDate: t.talkDate,
      attendees: t.attendees,
      summary: t.summary,
      outcome: t.outcome,
      outcomeLabel: TALK_OUTCOME_LABELS[t.outcome],
      byName: t.byName,
      at: iso(t.at),
    })),
    createdAt: iso(w.createdAt),
  };
}
