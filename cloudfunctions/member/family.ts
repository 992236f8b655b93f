// 亲情代办 links (docs/family.md): an elder (or a worker for them) makes a family code; a relative
// who lives elsewhere asks with it; the elder or a worker confirms; the elder, the relative or a
// worker ends it. Links have deterministic ids (one per elder and relative), so any number of
// repeated asks or concurrent answers leave one link in one state.
import { randomInt } from 'crypto';
import { audit, auditIn } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import {
  FAMILY_CAP,
  FAMILY_CODE_DAYS,
  FAMILY_CODES,
  FAMILY_INBOX,
  FAMILY_LINKS,
  FAMILY_MISSING,
  familyLinkId,
  type FamilyCodeDoc,
  type FamilyLinkDoc,
} from '../common/family';
import { maskPhone } from '../common/mask';
import { memberId, type CommunityDoc, type MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { readPage } from '../common/paging';
import { action, ANY_MEMBER, type Ctx, type MemberCtx } from '../common/router';
import { memberSchemas as s } from './api';
import { FAMILY_STATUS_LABELS, type FamilyLinkView } from './family-api';

export const FAMILY_CONFIRM_PAGE = '/packages/family/confirm/index';
export const FAMILY_HOME_PAGE = '/packages/family/home/index';
const CODE_MISSING = '亲情码无效或已过期，请让家人在「亲情代办」里重新生成';
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : undefined);
const maskName = (name: string) => `${Array.from(name)[0] ?? ''}**`;
const isWorkerOf = (ctx: Ctx, communityId: string) =>
  ctx.member?.status === 'active' && ctx.member.communityId === communityId && ctx.member.roles.includes('worker');
const isElderOf = (ctx: Ctx, link: FamilyLinkDoc) =>
  ctx.member?.status === 'active' && ctx.member.communityId === link.communityId && ctx.openid === link.elderOpenid;

function toView(link: FamilyLinkDoc, ctx: Ctx, communityName: string): FamilyLinkView {
  const elderSide = isElderOf(ctx, link) || isWorkerOf(ctx, link.communityId);
  const open = link.status === 'requested' || link.status === 'active';
  return {
    _id: link._id,
    communityId: link.communityId,
    communityName,
    elderName: elderSide || link.status === 'active' ? link.elderName : maskName(link.elderName),
    relativeName: link.relativeName,
    relation: link.relation,
    relativePhone:
      (elderSide || ctx.openid === link.relativeOpenid ? link.relativePhone : maskPhone(link.relativePhone ?? undefined)) ??
      undefined,
    status: link.status,
    statusLabel: FAMILY_STATUS_LABELS[link.status],
    requestedAt: iso(link.requestedAt)!,
    answeredByName: link.answeredByName ?? undefined,
    answeredAt: iso(link.answeredAt),
    endedAt: iso(link.endedAt),
    mayAnswer: elderSide && link.status === 'requested',
    mayEnd: open && (elderSide || ctx.openid === link.relativeOpenid),
  };
}

async function communityNames(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const docs = await getAll<CommunityDoc>(
    collection('communities')
      .where({ _id: cmd().in(unique) })
      .limit(unique.length),
  );
  return new Map(docs.map((c) => [c._id, c.name]));
}

async function viewOf(link: FamilyLinkDoc, ctx: Ctx): Promise<FamilyLinkView> {
  const names = await communityNames([link.communityId]);
  return toView(link, ctx, names.get(link.communityId) ?? '');
}

async function requireCode(code: string, now: Date): Promise<{ code: FamilyCodeDoc; elder: MemberDoc }> {
  const doc = await findById<FamilyCodeDoc>(FAMILY_CODES, code);
  if (!doc || new Date(doc.expiresAt) <= now) throw new AppError('E_NOT_FOUND', CODE_MISSING);
  const elder = await findById<MemberDoc>('members', memberId(doc.communityId, doc.elderOpenid));
  if (!elder || elder.status !== 'active') throw new AppError('E_NOT_FOUND', CODE_MISSING);
  return { code: doc, elder };
}

/** The link as the elder's side (the elder, a worker of that community) may act on it; else not found. */
async function linkForElderSide(ctx: MemberCtx, linkId: string): Promise<FamilyLinkDoc> {
  const link = await findById<FamilyLinkDoc>(FAMILY_LINKS, linkId);
  if (!link || link.communityId !== ctx.communityId || !(isElderOf(ctx, link) || isWorkerOf(ctx, link.communityId))) {
    throw new AppError('E_NOT_FOUND', FAMILY_MISSING);
  }
  return link;
}

async function openLinks(communityId: string, elderOpenid: string): Promise<number> {
  const res = await collection(FAMILY_LINKS)
    .where({ communityId, elderOpenid, status: cmd().in(['requested', 'active']) })
    .count();
  return res.total;
}

const FULL = `每位长辈最多绑定 ${FAMILY_CAP} 位家人（含待确认的申请），请先解除不再需要的绑定`;

export const familyActions = {
  familyCode: action({
    schema: s.familyCode,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async ({ elderOpenid }, ctx) => {
      let elder = ctx.member;
      if (elderOpenid && elderOpenid !== ctx.openid) {
        if (!ctx.member.roles.includes('worker')) throw new AppError('E_FORBIDDEN', '只有社区工作人员可以为其他居民生成亲情码');
        const m = await findById<MemberDoc>('members', memberId(ctx.communityId, elderOpenid));
        if (!m || m.status !== 'active') throw new AppError('E_NOT_FOUND', '该成员不存在');
        elder = m;
      }
      const expiresAt = new Date(ctx.now.getTime() + FAMILY_CODE_DAYS * 86_400_000);
      for (let attempt = 0; attempt < 5; attempt++) {
        const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
        const doc: FamilyCodeDoc = {
          _id: code,
          communityId: ctx.communityId,
          elderOpenid: elder.openid,
          createdBy: ctx.openid,
          createdAt: ctx.now,
          expiresAt,
        };
        if (await insertOnce(FAMILY_CODES, doc)) {
          await audit(ctx, { target: `member:${elder._id}`, after: { familyCode: 'created' } });
          return { code, expiresAt: expiresAt.toISOString() };
        }
      }
      throw new AppError('E_CONFLICT', '亲情码生成失败，请重试');
    },
  }),

  familyCodeInfo: action({
    schema: s.familyCodeInfo,
    roles: 'identified',
    handler: async ({ familyCode }, ctx) => {
      const found = await requireCode(familyCode, ctx.now);
      const names = await communityNames([found.code.communityId]);
      return {
        communityName: names.get(found.code.communityId) ?? '',
        elderName: maskName(found.elder.name),
        expiresAt: new Date(found.code.expiresAt).toISOString(),
      };
    },
  }),

  familyRequest: action({
    schema: s.familyRequest,
    roles: 'identified',
    limit: 'join',
    handler: async ({ familyCode, name, relation, phone }, ctx) => {
      const { code: c, elder } = await requireCode(familyCode, ctx.now);
      if (elder.openid === ctx.openid) throw new AppError('E_CONFLICT', '这是您自己的亲情码，请发给住在外地的家人');
      const _id = familyLinkId(c.communityId, elder.openid, ctx.openid);
      const asked = { relativeName: name, relation, relativePhone: phone ?? null, requestedAt: ctx.now };
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await findById<FamilyLinkDoc>(FAMILY_LINKS, _id);
        // Asked before and still open: the same link answers (a repeated tap asks nobody twice).
        if (existing && (existing.status === 'requested' || existing.status === 'active')) return viewOf(existing, ctx);
        if ((await openLinks(c.communityId, elder.openid)) >= FAMILY_CAP) throw new AppError('E_CONFLICT', FULL);
        let link: FamilyLinkDoc;
        if (existing) {
          // Declined or ended before: asking again reopens the same link.
          const patch = {
            ...asked,
            status: 'requested' as const,
            answeredBy: null,
            answeredByName: null,
            answeredAt: null,
            endedBy: null,
            endedAt: null,
          };
          try {
            await compareAndSet(FAMILY_LINKS, { _id, version: existing.version, status: existing.status }, patch);
          } catch (err) {
            if (err instanceof AppError && err.code === 'E_CONFLICT') continue;
            throw err;
          }
          link = { ...existing, ...patch, version: existing.version + 1 };
        } else {
          link = {
            _id,
            communityId: c.communityId,
            elderOpenid: elder.openid,
            elderName: elder.name,
            relativeOpenid: ctx.openid,
            relativeName: name,
            relation,
            ...(phone ? { relativePhone: phone } : {}),
            status: 'requested',
            requestedAt: ctx.now,
            version: 1,
          };
          if (!(await insertOnce(FAMILY_LINKS, link))) continue; // a concurrent ask won: answer it
        }
        await auditIn(ctx, c.communityId, {
          target: `family:${_id}`,
          before: existing ? { status: existing.status } : undefined,
          after: { status: 'requested', relation },
        });
        await notify(
          c.communityId,
          [elder.openid],
          {
            type: 'family.request',
            title: `${name}（${relation}）申请绑定亲情代办`,
            body: '同意后，TA 可以为您下单、查看为您下的订单进度并评价',
            link: FAMILY_CONFIRM_PAGE,
          },
          ctx.now,
        );
        return viewOf(link, ctx);
      }
      throw new AppError('E_CONFLICT', '申请正在处理，请稍后刷新');
    },
  }),

  familyAnswer: action({
    schema: s.familyAnswer,
    roles: ANY_MEMBER,
    handler: async ({ linkId, confirm }, ctx) => {
      const link = await linkForElderSide(ctx, linkId);
      if (link.status !== 'requested') throw new AppError('E_CONFLICT', '这条申请已经处理过了，请刷新');
      const patch = {
        status: confirm ? ('active' as const) : ('declined' as const),
        answeredBy: ctx.openid,
        answeredByName: ctx.member.name,
        answeredAt: ctx.now,
      };
      await compareAndSet(
        FAMILY_LINKS,
        { _id: link._id, version: link.version, status: 'requested' },
        patch,
        '这条申请刚被处理，请刷新',
      );
      const next: FamilyLinkDoc = { ...link, ...patch, version: link.version + 1 };
      await audit(ctx, { target: `family:${link._id}`, before: { status: link.status }, after: { status: next.status } });
      await notify(
        FAMILY_INBOX,
        [link.relativeOpenid],
        {
          type: 'family.answered',
          title: confirm ? `${link.elderName}已同意您的亲情代办绑定` : '您的亲情代办绑定申请未获同意',
          body: confirm ? '现在可以为长辈下单，并查看订单进度' : '如有疑问，请直接联系长辈或社区工作人员',
          link: FAMILY_HOME_PAGE,
        },
        ctx.now,
      );
      return viewOf(next, ctx);
    },
  }),

  familyEnd: action({
    schema: s.familyEnd,
    roles: 'identified',
    handler: async ({ linkId }, ctx) => {
      const link = await findById<FamilyLinkDoc>(FAMILY_LINKS, linkId);
      const relative = link?.relativeOpenid === ctx.openid;
      if (!link || !(relative || isElderOf(ctx, link) || isWorkerOf(ctx, link.communityId))) {
        throw new AppError('E_NOT_FOUND', FAMILY_MISSING);
      }
      if (link.status !== 'requested' && link.status !== 'active') throw new AppError('E_CONFLICT', '这条绑定已经解除，请刷新');
      const patch = { status: 'ended' as const, endedBy: ctx.openid, endedAt: ctx.now };
      await compareAndSet(
        FAMILY_LINKS,
        { _id: link._id, version: link.version, status: link.status },
        patch,
        '这条绑定刚被处理，请刷新',
      );
      const next: FamilyLinkDoc = { ...link, ...patch, version: link.version + 1 };
      await auditIn(ctx, link.communityId, {
        target: `family:${link._id}`,
        before: { status: link.status },
        after: { status: 'ended' },
      });
      const msg = { type: 'family.ended' as const, title: `亲情代办绑定已解除：${link.relativeName}（${link.relation}）` };
      if (!relative)
        await notify(
          FAMILY_INBOX,
          [link.relativeOpenid],
          { ...msg, title: `与${link.elderName}的亲情代办绑定已解除`, link: FAMILY_HOME_PAGE },
          ctx.now,
        );
      if (ctx.openid !== link.elderOpenid && link.status === 'active') {
        await notify(link.communityId, [link.elderOpenid], { ...msg, link: FAMILY_CONFIRM_PAGE }, ctx.now);
      }
      return viewOf(next, ctx);
    },
  }),

  familyLinks: action({
    schema: s.familyLinks,
    roles: ANY_MEMBER,
    handler: async ({ elderOpenid, status, page }, ctx) => {
      const isWorker = ctx.member.roles.includes('worker');
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (!isWorker && elderOpenid && elderOpenid !== ctx.openid)
        throw new AppError('E_FORBIDDEN', '只有社区工作人员可以查看其他居民的亲情绑定');
      if (elderOpenid || !isWorker) where.elderOpenid = elderOpenid ?? ctx.openid;
      if (status) where.status = status;
      const pageNo = page ?? 1;
      const { docs, hasMore } = await readPage<FamilyLinkDoc>(
        collection(FAMILY_LINKS).where(where).orderBy('requestedAt', 'desc'),
        pageNo,
      );
      const names = await communityNames([ctx.communityId]);
      return { items: docs.map((l) => toView(l, ctx, names.get(l.communityId) ?? '')), page: pageNo, hasMore };
    },
  }),

  familyMine: action({
    schema: s.familyMine,
    roles: 'identified',
    handler: async ({ page }, ctx) => {
      const pageNo = page ?? 1;
      const { docs, hasMore } = await readPage<FamilyLinkDoc>(
        collection(FAMILY_LINKS).where({ relativeOpenid: ctx.openid }).orderBy('requestedAt', 'desc'),
        pageNo,
      );
      const names = await communityNames(docs.map((l) => l.communityId));
      return { items: docs.map((l) => toView(l, ctx, names.get(l.communityId) ?? '')), page: pageNo, hasMore };
    },
  }),
};
