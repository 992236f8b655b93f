// What a viewer sees of an entry and a question. Residents and volunteers never see a private
// payer: a person's name shows as 个人, and their receipts and contracts (which may carry names,
// phones or ID numbers) stay with the workers; the count of pictures shows that they exist.
import { ANSWER_LIMIT_MS, YELLOW_AT, type EntryDoc, type QuestionDoc } from './model';
import type { EntryView, Light, QuestionView } from './api';

export const PERSON_SHOWN_AS = '个人';

export function toEntryView(e: EntryDoc, accountName: string, worker: boolean): EntryView {
  const open = worker || e.counterpartyKind === 'org';
  return {
    _id: e._id,
    account: e.accountId,
    accountName,
    direction: e.direction,
    amountFen: e.amountFen,
    date: e.date,
    summary: e.summary,
    ...(e.counterparty ? { counterparty: open ? e.counterparty : PERSON_SHOWN_AS } : {}),
    ...(e.counterparty ? { counterpartyKind: e.counterpartyKind ?? 'person' } : {}),
    receipts: open ? e.receipts : [],
    contracts: open ? e.contracts : [],
    pictureCount: e.receipts.length + e.contracts.length,
    ...(e.basis ? { basis: e.basis } : {}),
    status: e.status,
    recordedByName: e.recordedByName,
    ...(e.approvedByName ? { approvedByName: e.approvedByName } : {}),
    ...(e.reverses ? { reverses: e.reverses } : {}),
    ...(e.reversedBy ? { reversedBy: e.reversedBy } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.projectId ? { project: e.projectId } : {}),
    createdAt: new Date(e.createdAt).toISOString(),
  };
}

/** Green while under 80 % of the time to answer is used, yellow from 80 %, red past it (as orders). */
export function lightOf(askedAt: Date, dueAt: Date, now: Date): Light {
  const span = new Date(dueAt).getTime() - new Date(askedAt).getTime() || ANSWER_LIMIT_MS;
  const used = (now.getTime() - new Date(askedAt).getTime()) / span;
  return used >= 1 ? 'red' : used >= YELLOW_AT ? 'yellow' : 'green';
}

export function toQuestionView(q: QuestionDoc, viewer: string, now: Date): QuestionView {
  return {
    _id: q._id,
    entryId: q.entryId,
    question: q.question,
    mine: q.askedBy === viewer,
    status: q.status,
    ...(q.answer ? { answer: q.answer, answeredByName: q.answeredByName } : {}),
    askedAt: new Date(q.askedAt).toISOString(),
    dueAt: new Date(q.dueAt).toISOString(),
    ...(q.answeredAt ? { answeredAt: new Date(q.answeredAt).toISOString() } : {}),
    ...(q.status === 'open' ? { light: lightOf(q.askedAt, q.dueAt, now) } : {}),
  };
}
