// The month's grade (docs/property.md, "The grade"): workers preview it while the month runs and
// publish it once the month has ended — a notice to every household, the grade into the company's
// credit file, and on a red light a warning for the workers, who then record a 约谈. Publishing is
// a worker's act (not the timer's): a person reads the figures before they go public.
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { notify } from '../common/notify';
import { readPage } from '../common/paging';
import { action, ANY_MEMBER } from '../common/router';
import { publishPublicNotice } from '../notices/publish';
import { workersOf } from '../orders/store';
import { propertySchemas as s } from './api';
import { gradeOf, percent, redReasons, type GradeParts, type MonthFacts } from './formula';
import { GRADES, gradeId, gradeNoticeId, WARNINGS, warningId, type GradeDoc, type WarningDoc } from './model';
import { findCompany, monthFacts, monthLabel, monthOf, requireCompany } from './store';
import { gradeDocView, toGradeView } from './views';

export const warningsLink = '/packages/property/worker/index';
export const gradeLink = (month: string): string => `/packages/property/grade/index?month=${month}`;

const pct = (rate: number | null): string => (rate === null ? '无' : percent(rate));

/** The notice residents read: the stars, then every part of the grade. */
function noticeBody(company: string, month: string, parts: GradeParts, facts: MonthFacts): string {
  const dims = parts.dimensions;
  return [
    `${company} ${monthLabel(month)}物业服务评级：${parts.stars} 星（综合 ${parts.score} 分）。`,
    facts.ratingCount > 0
      ? `居民评价（${facts.ratingCount} 户）：环境卫生 ${dims.hygiene}、秩序维护 ${dims.order}、设施维修 ${dims.repair}、服务态度 ${dims.attitude}、收费透明 ${dims.fees}。`
      : '本月没有住户评价。',
    `物业订单 ${facts.orders} 单：按时完成率 ${pct(parts.onTimeRate)}，投诉率 ${pct(parts.complaintRate)}，返工率 ${pct(parts.reworkRate)}。`,
    '评级办法见「物业评级」页；欢迎每户每月评价一次。',
  ].join('\n');
}

export const gradeActions = {
  grade: action({
    schema: s.grade,
    roles: ANY_MEMBER,
    handler: async ({ month }, ctx) => {
      const isWorker = ctx.member.roles.includes('worker');
      if (month) {
        const doc = await findById<GradeDoc>(GRADES, gradeId(ctx.communityId, month));
        return { grade: doc && doc.communityId === ctx.communityId ? gradeDocView(doc, isWorker) : null };
      }
      const latest = await getAll<GradeDoc>(
        collection(GRADES).where({ communityId: ctx.communityId }).orderBy('month', 'desc').limit(1),
      );
      return { grade: latest[0] ? gradeDocView(latest[0], isWorker) : null };
    },
  }),

  preview: action({
    schema: s.preview,
    roles: ['worker'],
    handler: async ({ month }, ctx) => {
      await requireCompany(ctx.communityId);
      const published = await findById<GradeDoc>(GRADES, gradeId(ctx.communityId, month));
      if (published) return gradeDocView(published, true);
      const facts = await monthFacts(ctx.communityId, month);
      return toGradeView(month, gradeOf(facts), facts, undefined, true);
    },
  }),

  publish: action({
    schema: s.publish,
    roles: ['worker'],
    limit: 'notice',
    handler: async ({ month }, ctx) => {
      const company = await requireCompany(ctx.communityId);
      if (month >= monthOf(ctx.now)) {
        throw new AppError('E_CONFLICT', `${monthLabel(month)}还没有结束，月末之后才能公示当月评级`);
      }
      const id = gradeId(ctx.communityId, month);
      if (await findById<GradeDoc>(GRADES, id)) throw new AppError('E_CONFLICT', `${monthLabel(month)}的评级已经公示过了`);
      const facts = await monthFacts(ctx.communityId, month);
      const parts = gradeOf(facts);
      if (parts.stars === null) {
        throw new AppError('E_CONFLICT', `${monthLabel(month)}既没有住户评价也没有物业订单，无法评级`);
      }
      const noticeId = gradeNoticeId(ctx.communityId, month);
      const red = parts.light === 'red';
      const wid = red ? warningId(ctx.communityId, month) : undefined;
      const doc: GradeDoc = {
        _id: id,
        communityId: ctx.communityId,
        month,
        ...parts,
        ...facts,
        noticeId,
        ...(wid ? { warningId: wid } : {}),
        publishedBy: ctx.openid,
        publishedAt: ctx.now,
      };
      // The grade is the claim: of two workers publishing at once, one wins and the other is told.
      if (!(await insertOnce(GRADES, doc))) throw new AppError('E_CONFLICT', `${monthLabel(month)}的评级已经公示过了`);
      await publishPublicNotice(ctx, {
        _id: noticeId,
        title: `${monthLabel(month)}物业服务评级：${parts.stars} 星`,
        body: noticeBody(company.name, month, parts, facts),
        buildings: [],
      });
      const entries = [{ target: `property_grade:${id}`, after: { stars: parts.stars, score: parts.score, light: parts.light } }];
      if (wid) {
        const reasons = redReasons(parts);
        const warning: WarningDoc = {
          _id: wid,
          communityId: ctx.communityId,
          month,
          stars: parts.stars,
          complaintRate: parts.complaintRate,
          reasons,
          status: 'open',
          talks: [],
          createdAt: ctx.now,
          updatedAt: ctx.now,
          version: 1,
        };
        await insertOnce(WARNINGS, warning);
        entries.push({ target: `property_warning:${wid}`, after: { stars: parts.stars, score: parts.score, light: 'red' } });
        await notify(
          ctx.communityId,
          await workersOf(ctx.communityId),
          {
            type: 'property.red',
            title: `物业评级亮红灯：${monthLabel(month)}`,
            body: `${reasons.join('；')}。请约谈${company.name}并记录结果`,
            link: warningsLink,
            key: `property:${wid}:red`,
          },
          ctx.now,
        );
      }
      await audit(ctx, entries);
      return gradeDocView(doc, true);
    },
  }),

  credit: action({
    schema: s.credit,
    roles: ANY_MEMBER,
    handler: async ({ page: pageNo = 1 }, ctx) => {
      const isWorker = ctx.member.roles.includes('worker');
      if (!(await findCompany(ctx.communityId))) return { items: [], page: pageNo, hasMore: false };
      const { docs, hasMore } = await readPage<GradeDoc>(
        collection(GRADES).where({ communityId: ctx.communityId }).orderBy('month', 'desc'),
        pageNo,
      );
      return { items: docs.map((d) => gradeDocView(d, isWorker)), page: pageNo, hasMore };
    },
  }),
};
