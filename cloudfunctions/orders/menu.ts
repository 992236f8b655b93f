// The service menu (product.md §2): what a member may order, and the worker's edits of it.
import { randomBytes } from 'crypto';
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { cmd } from '../common/db';
import { AppError } from '../common/errors';
import { verifiedHousehold } from '../common/household';
import type { MemberDoc } from '../common/model';
import type { Tag } from '../common/roles';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { ordersSchemas as s } from './api';
import { catalogueService, DEFAULT_CATALOGUE } from './catalogue';
import { TIER_LABELS, TIERS } from './labels';
import { SERVICES, type ServiceDoc } from './model';
import { findMember, findService, readMenu, requireCommunity } from './store';
import { toServiceView } from './view';

/** The community's menu; a community without one gets the default catalogue (idempotently). */
export async function loadMenu(communityId: string, now: Date): Promise<ServiceDoc[]> {
  const found = await readMenu(communityId);
  if (found.length > 0) return found;
  for (const item of DEFAULT_CATALOGUE) await insertOnce(SERVICES, catalogueService(communityId, item, now));
  return readMenu(communityId);
}

/**
 * The person an order is for. Oneself; or, ordering for someone else (代点单): a worker for any
 * active member of the community, anyone else only for a member of their own *verified* household
 * (both verified, same building and room: common/household.ts). Anyone else is "not found", whether
 * they exist or not: a room typed in at joining must not reveal who lives there.
 */
export async function beneficiaryFor(ctx: MemberCtx, forOpenid: string | undefined): Promise<MemberDoc> {
  if (!forOpenid || forOpenid === ctx.openid) return ctx.member;
  const m = await findMember(ctx.communityId, forOpenid);
  if (ctx.member.roles.includes('worker')) {
    if (!m || m.status !== 'active') throw new AppError('E_NOT_FOUND', '服务对象不是本社区的成员，请确认后再下单');
    return m;
  }
  if (!m || !verifiedHousehold(ctx.member, m)) {
    throw new AppError('E_NOT_FOUND', '只能为已核实的同户家人代下单；房号核实后再试，为其他居民下单请联系社区工作人员');
  }
  return m;
}

export const menuActions = {
  menu: action({
    schema: s.menu,
    roles: ANY_MEMBER,
    handler: async ({ forOpenid }, ctx) => {
      const beneficiary = await beneficiaryFor(ctx, forOpenid);
      const forSomeoneElse = beneficiary.openid !== ctx.openid;
      const community = await requireCommunity(ctx.communityId);
      const services = await loadMenu(ctx.communityId, ctx.now);
      // Workers see paused items too: they are the ones who switch them back on.
      const visible = services.filter((x) => x.enabled || ctx.member.roles.includes('worker'));
      return {
        tiers: TIERS.map((tier) => ({
          tier,
          label: TIER_LABELS[tier],
          items: visible.filter((x) => x.tier === tier).map((x) => toServiceView(x, community, beneficiary, forSomeoneElse)),
        })),
      };
    },
  }),

  saveService: action({
    schema: s.saveService,
    roles: ['worker'],
    limit: 'text',
    handler: async (input, ctx) => {
      if (input.tier === 'basic' && input.price !== 0) throw new AppError('E_VALIDATION', '基础服务对居民免费，价格请填 0');
      const eligibleTags: Tag[] = input.tier === 'discounted' ? [...new Set(input.eligibleTags ?? [])] : [];
      if (input.tier === 'discounted' && eligibleTags.length === 0) {
        throw new AppError('E_VALIDATION', '特惠服务请至少选择一个适用人群标签');
      }
      if (input.tier !== 'discounted' && (input.eligibleTags ?? []).length > 0) {
        throw new AppError('E_VALIDATION', '只有特惠服务需要选择适用人群');
      }
      const community = await requireCommunity(ctx.communityId);
      const fields = {
        name: input.serviceName,
        tier: input.tier,
        description: input.description,
        price: input.price,
        eligibleTags,
        skills: [...new Set(input.skills ?? [])],
        enabled: input.enabled,
        stepLimits: { ...(input.stepLimits ?? {}) },
        servedBy: input.servedBy ?? 'volunteer',
        complaint: input.complaint === true,
        updatedAt: ctx.now,
      };
      let saved: ServiceDoc;
      if (input.serviceId) {
        const current = await findService(input.serviceId);
        if (!current || current.communityId !== ctx.communityId)
          throw new AppError('E_NOT_FOUND', '服务项目不存在，请刷新服务菜单');
        const sort = input.sort ?? current.sort;
        await compareAndSet(
          SERVICES,
          { _id: current._id, version: current.version },
          { ...fields, stepLimits: cmd().set(fields.stepLimits), sort },
          '服务项目刚被其他人修改，请刷新后重试',
        );
        saved = { ...current, ...fields, sort, version: current.version + 1 };
        await audit(ctx, {
          target: `service:${current._id}`,
          before: { name: current.name, tier: current.tier, price: current.price, enabled: current.enabled },
          after: { name: saved.name, tier: saved.tier, price: saved.price, enabled: saved.enabled },
        });
      } else {
        await loadMenu(ctx.communityId, ctx.now); // a brand-new community gets the catalogue first
        saved = {
          _id: `${ctx.communityId}:s${randomBytes(6).toString('hex')}`,
          communityId: ctx.communityId,
          ...fields,
          sort: input.sort ?? 900,
          createdAt: ctx.now,
          version: 1,
        };
        if (!(await insertOnce(SERVICES, saved))) throw new AppError('E_CONFLICT');
        await audit(ctx, { target: `service:${saved._id}`, after: { name: saved.name, tier: saved.tier, price: saved.price } });
      }
      return toServiceView(saved, community, ctx.member, false);
    },
  }),
};
