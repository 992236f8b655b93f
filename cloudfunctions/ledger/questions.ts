// Residents question any entry they can see; a worker answers within ANSWER_LIMIT_MS (3 days),
// and while a question is open it carries the same green / yellow / red light as an order's step.
// Questions and answers are public to the community; the asker is never named to others.
import { createHash, randomBytes } from 'crypto';
import { audit } from '../common/audit';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { notify } from '../common/notify';
import { readPage } from '../common/paging';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import type { MemberDoc } from '../common/model';
import { ledgerSchemas as s } from './api';
import { ANSWER_LIMIT_MS, QUESTIONS, YELLOW_AT, type QuestionDoc } from './model';
import { requireEntry } from './store';
import { toQuestionView } from './views';

/** The entry's page (packages/ledger/entry), where its questions and their answers are. */
export const questionLink = (entryId: string) => `/packages/ledger/entry/index?id=${entryId}`;

/** Active workers of the community: whom a new question tells (as orders tell them of a new order). */
export async function workersOf(communityId: string): Promise<string[]> {
  const docs = await getAll<MemberDoc>(
    collection('members').where({ communityId, status: 'active', roles: 'worker' }).field({ openid: true }).limit(50),
  );
  return docs.map((m) => m.openid);
}

async function requireQuestion(ctx: MemberCtx, questionId: string): Promise<QuestionDoc> {
  const q = await findById<QuestionDoc>(QUESTIONS, questionId);
  if (!q || q.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', '这个问题不存在或已被删除');
  return q;
}

export const questionActions = {
  ask: action({
    schema: s.ask,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async ({ entryId, question }, ctx) => {
      const entry = await requireEntry(ctx, entryId);
      if (entry.status !== 'approved') throw new AppError('E_CONFLICT', '这笔账目还未复核公开，公开后才能提问');
      const _id = `lq_${createHash('sha256')
        .update(`${ctx.communityId}\n${randomBytes(12).toString('hex')}`)
        .digest('hex')
        .slice(0, 24)}`;
      const doc: QuestionDoc = {
        _id,
        communityId: ctx.communityId,
        entryId,
        askedBy: ctx.openid,
        question,
        status: 'open',
        askedAt: ctx.now,
        dueAt: new Date(ctx.now.getTime() + ANSWER_LIMIT_MS),
        yellowDue: new Date(ctx.now.getTime() + ANSWER_LIMIT_MS * YELLOW_AT),
        redDue: new Date(ctx.now.getTime() + ANSWER_LIMIT_MS),
        version: 1,
      };
      await collection(QUESTIONS).add(doc);
      await audit(ctx, { target: `ledger_question:${_id}`, after: { status: 'open', entryId } });
      const workers = (await workersOf(ctx.communityId)).filter((o) => o !== ctx.openid);
      if (workers.length)
        await notify(
          ctx.communityId,
          workers,
          {
            type: 'ledger.question',
            title: `居民对账目「${entry.summary}」提问`,
            body: '请在 3 天内回复',
            link: questionLink(entryId),
          },
          ctx.now,
        );
      return toQuestionView(doc, ctx.openid, ctx.now);
    },
  }),

  answer: action({
    schema: s.answer,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ questionId, answer }, ctx) => {
      const q = await requireQuestion(ctx, questionId);
      if (q.status !== 'open') throw new AppError('E_CONFLICT', '这个问题已经回复过了，请刷新');
      const patch = {
        status: 'answered' as const,
        answer,
        answeredBy: ctx.openid,
        answeredByName: ctx.member.name,
        answeredAt: ctx.now,
      };
      const res = await collection(QUESTIONS)
        .where({ _id: questionId, status: 'open', version: q.version })
        .update({ ...patch, yellowDue: null, redDue: null, version: q.version + 1 });
      if (res.updated !== 1) throw new AppError('E_CONFLICT', '这个问题已经回复过了，请刷新');
      await audit(ctx, { target: `ledger_question:${questionId}`, before: { status: 'open' }, after: { status: 'answered' } });
      await notify(
        ctx.communityId,
        [q.askedBy],
        { type: 'ledger.answered', title: '您对账目的提问有了回复', body: answer, link: questionLink(q.entryId) },
        ctx.now,
      );
      return toQuestionView({ ...q, ...patch, version: q.version + 1 }, ctx.openid, ctx.now);
    },
  }),

  questions: action({
    schema: s.questions,
    roles: ANY_MEMBER,
    handler: async ({ entryId, open, page = 1 }, ctx) => {
      if (entryId) await requireEntry(ctx, entryId);
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (entryId) where.entryId = entryId;
      if (open) where.status = 'open';
      // Open ones: the oldest (closest to its limit) first; otherwise the newest first.
      const { docs, hasMore } = await readPage<QuestionDoc>(
        collection(QUESTIONS)
          .where(where)
          .orderBy('askedAt', open ? 'asc' : 'desc'),
        page,
      );
      return { items: docs.map((q) => toQuestionView(q, ctx.openid, ctx.now)), page, hasMore };
    },
  }),
};
