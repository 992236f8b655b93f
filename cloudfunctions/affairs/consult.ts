// Residents' consultations (意见征询): one answer per verified household (building + room), final;
// the counts are read by one count per option, so concurrent answers never drift (docs/affairs.md).
import crypto from 'crypto';
import type { z } from 'zod';
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { collection, findById } from '../common/db';
import { AppError } from '../common/errors';
import { isVerifiedHousehold } from '../common/household';
import { readPage } from '../common/paging';
import { assertSameDigest, requestDigest, type RequestBody } from '../common/request';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { DAY_MS } from '../../miniprogram/shared/clock';
import { consultSchemas as s, type ConsultDetail, type ConsultSummary } from './api-consult';
import { requireCommunity, scopeOf } from './vote-store';

export const CONSULTS = 'consults';
export const CONSULT_ANSWERS = 'consult_answers';
const MISSING = '这项意见征询不存在或已被删除';

export interface ConsultDoc {
  _id: string;
  communityId: string;
  title: string;
  body: string;
  options: string[];
  buildings: string[];
  closesAt: Date;
  status: 'open' | 'closed';
  requestDigest: string;
  authorOpenid: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** One per household: its _id makes two members of a home answer once. */
export interface ConsultAnswerDoc {
  _id: string; // `${consultId}:${household hash}`
  consultId: string;
  communityId: string;
  option: number;
  building: string;
  at: Date;
}

const sha = (t: string, n: number) => crypto.createHash('sha256').update(t).digest('hex').slice(0, n);
const answerId = (consultId: string, building: string, room: string) =>
  `${consultId}:${sha(`${building}\u0000${room.trim()}`, 20)}`;

const stateOf = (c: ConsultDoc, now: Date) => (c.status === 'closed' || now >= c.closesAt ? 'closed' : 'open');

async function requireConsult(ctx: MemberCtx, id: string): Promise<ConsultDoc> {
  const c = await findById<ConsultDoc>(CONSULTS, id);
  if (!c || c.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', MISSING);
  return c;
}

function whyNot(ctx: MemberCtx, c: ConsultDoc): string | undefined {
  if (c.buildings.length && !c.buildings.includes(ctx.member.building))
    return '这项意见征询只面向部分楼栋，您所在的楼栋不在范围内';
  if (!isVerifiedHousehold(ctx.member)) return '每户一票：请先请社区工作人员或已核实的家人核实您的房号，再来回答';
  return undefined;
}

async function counts(c: ConsultDoc): Promise<number[]> {
  return Promise.all(
    c.options.map(async (_o, option) => (await collection(CONSULT_ANSWERS).where({ consultId: c._id, option }).count()).total),
  );
}

const summaryOf = (c: ConsultDoc, now: Date, answered: number): ConsultSummary => ({
  _id: c._id,
  title: c.title,
  state: stateOf(c, now),
  closesAt: c.closesAt.toISOString(),
  scopeText: c.buildings.length ? `${c.buildings.join('、')}居民` : '全体居民',
  answered,
});

async function detailOf(ctx: MemberCtx, c: ConsultDoc): Promise<ConsultDetail> {
  const [n, mine] = await Promise.all([
    counts(c),
    findById<ConsultAnswerDoc>(CONSULT_ANSWERS, answerId(c._id, ctx.member.building, ctx.member.room)),
  ]);
  const reason = whyNot(ctx, c);
  const open = stateOf(c, ctx.now) === 'open';
  return {
    ...summaryOf(
      c,
      ctx.now,
      n.reduce((a, b) => a + b, 0),
    ),
    body: c.body,
    options: c.options.map((text, i) => ({ text, count: n[i] })),
    ...(mine && !reason ? { myOption: mine.option } : {}),
    ...(reason ? { reason } : {}),
    canAnswer: open && !reason && !mine,
  };
}

const createBody = (input: z.output<typeof s.createConsult>): RequestBody => ({
  title: input.title,
  body: input.body,
  options: input.options,
  buildings: [...new Set(input.buildings ?? [])].sort(),
  closesAt: new Date(input.closesAt),
});
const OTHER = '这个请求编号已用于另一项内容不同的意见征询。请先在列表里查看上一项是否已发起；确需再发起，请重新提交';

export const consultActions = {
  createConsult: action({
    schema: s.createConsult,
    roles: ['worker'],
    limit: 'notice',
    handler: async (input, ctx) => {
      const id = `c${sha(`${ctx.communityId}\n${ctx.openid}\n${input.requestId}`, 20)}`;
      const first = await findById<ConsultDoc>(CONSULTS, id);
      if (first && first.communityId === ctx.communityId) {
        assertSameDigest(first.requestDigest, createBody(input), OTHER);
        return detailOf(ctx, first);
      }
      const buildings = scopeOf(input.buildings, await requireCommunity(ctx));
      const closesAt = new Date(input.closesAt);
      if (closesAt.getTime() <= ctx.now.getTime() + 3600_000 || closesAt.getTime() > ctx.now.getTime() + 90 * DAY_MS) {
        throw new AppError('E_VALIDATION', '截止时间应在 1 小时之后、90 天之内，请重新选择');
      }
      const options = input.options.map((o) => o.trim());
      if (new Set(options).size !== options.length) throw new AppError('E_VALIDATION', '选项不能重复，请修改后再发起');
      const doc: ConsultDoc = {
        _id: id,
        communityId: ctx.communityId,
        title: input.title,
        body: input.body,
        options,
        buildings,
        closesAt,
        status: 'open',
        requestDigest: requestDigest(createBody(input)),
        authorOpenid: ctx.openid,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        version: 1,
      };
      if (!(await insertOnce(CONSULTS, doc))) {
        const stored = await requireConsult(ctx, id);
        assertSameDigest(stored.requestDigest, createBody(input), OTHER);
        return detailOf(ctx, stored);
      }
      await audit(ctx, { target: `consult:${id}`, after: { title: doc.title, buildings, closesAt } });
      return detailOf(ctx, doc);
    },
  }),

  listConsults: action({
    schema: s.listConsults,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<ConsultDoc>(
        collection(CONSULTS).where({ communityId: ctx.communityId }).orderBy('createdAt', 'desc'),
        page,
      );
      const items = await Promise.all(
        docs.map(async (c) =>
          summaryOf(c, ctx.now, (await collection(CONSULT_ANSWERS).where({ consultId: c._id }).count()).total),
        ),
      );
      return { items, page, hasMore };
    },
  }),

  getConsult: action({
    schema: s.getConsult,
    roles: ANY_MEMBER,
    handler: async ({ consultId }, ctx) => detailOf(ctx, await requireConsult(ctx, consultId)),
  }),

  answerConsult: action({
    schema: s.answerConsult,
    roles: ANY_MEMBER,
    handler: async ({ consultId, option }, ctx) => {
      const c = await requireConsult(ctx, consultId);
      if (stateOf(c, ctx.now) !== 'open') throw new AppError('E_CONFLICT', '这项意见征询已经截止了');
      if (option >= c.options.length) throw new AppError('E_VALIDATION', `选项应为 1–${c.options.length} 中的一项，请重新选择`);
      const reason = whyNot(ctx, c);
      if (reason) throw new AppError('E_FORBIDDEN', reason);
      const id = answerId(c._id, ctx.member.building, ctx.member.room);
      const doc: ConsultAnswerDoc = {
        _id: id,
        consultId: c._id,
        communityId: ctx.communityId,
        option,
        building: ctx.member.building,
        at: ctx.now,
      };
      if (!(await insertOnce(CONSULT_ANSWERS, doc))) {
        const first = await findById<ConsultAnswerDoc>(CONSULT_ANSWERS, id);
        if (first?.option !== option) throw new AppError('E_CONFLICT', '您家已经回答过这项意见征询了，每户只能回答一次');
      } else {
        await audit(ctx, { target: `consult:${c._id}`, after: { answered: true } });
      }
      return detailOf(ctx, c);
    },
  }),

  closeConsult: action({
    schema: s.closeConsult,
    roles: ['worker'],
    handler: async ({ consultId }, ctx) => {
      const c = await requireConsult(ctx, consultId);
      if (c.status === 'closed') throw new AppError('E_CONFLICT', '这项意见征询已经结束了');
      await compareAndSet(
        CONSULTS,
        { _id: c._id, version: c.version, status: 'open' },
        { status: 'closed', updatedAt: ctx.now },
        '意见征询刚被修改，请刷新后重试',
      );
      await audit(ctx, { target: `consult:${c._id}`, before: { status: 'open' }, after: { status: 'closed' } });
      return detailOf(ctx, { ...c, status: 'closed', version: c.version + 1 });
    },
  }),
};
