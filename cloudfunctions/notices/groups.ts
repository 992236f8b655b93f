// Group chats bound to buildings. WeChat tells a group's opengid only to someone who opened a card
// inside it, as a cloudID (wx.getGroupEnterInfo); the open-API client exchanges it for the id
// (common/wxopen.ts). Only a short hash of it is ever answered.
import crypto from 'crypto';
import { audit } from '../common/audit';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { buildingsOf } from '../common/model';
import { action } from '../common/router';
import { groupIdOf } from '../common/wxopen';
import { noticeSchemas as s, type GroupBinding } from './api';
import type { GroupBindingDoc } from './model';
import { requireCommunity } from './store';

const groupKeyOf = (openGId: string) => crypto.createHash('sha1').update(openGId).digest('hex').slice(0, 24);

export const groupActions = {
  bindGroup: action({
    schema: s.bindGroup,
    roles: ['worker'],
    handler: async ({ building, cloudId }, ctx) => {
      const community = await requireCommunity(ctx);
      if (!buildingsOf(community).includes(building)) throw new AppError('E_VALIDATION', '所选楼栋不在本社区');
      const openGId = await groupIdOf(cloudId);
      if (!openGId) throw new AppError('E_VALIDATION', '没能识别这个群，请在楼栋群里点开卡片后重试');
      const groupKey = groupKeyOf(openGId);
      const doc: GroupBindingDoc = {
        _id: `${ctx.communityId}:${groupKey}`,
        communityId: ctx.communityId,
        groupKey,
        openGId,
        building,
        boundBy: ctx.openid,
        boundAt: ctx.now,
      };
      const { _id, ...data } = doc;
      const before = await findById<GroupBindingDoc>('group_bindings', _id);
      await collection('group_bindings').doc(_id).set(data);
      await audit(ctx, {
        target: `group:${groupKey}`,
        before: before ? { building: before.building } : undefined,
        after: { building },
      });
      return { groupKey, building, boundAt: ctx.now.toISOString() } satisfies GroupBinding;
    },
  }),

  groups: action({
    schema: s.groups,
    roles: ['worker'],
    handler: async (_input, ctx) => {
      const docs = await getAll<GroupBindingDoc>(
        collection('group_bindings').where({ communityId: ctx.communityId }).orderBy('boundAt', 'desc').limit(100),
      );
      return {
        items: docs.map((d) => ({ groupKey: d.groupKey, building: d.building, boundAt: new Date(d.boundAt).toISOString() })),
      };
    },
  }),
};
