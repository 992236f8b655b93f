// Warnings (a red light on a published grade) and the 约谈 workers record on them with the outcome
// (docs/property.md, "Red light, warning, 约谈"). A warning is never deleted; talks are appended.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { readPage } from '../common/paging';
import { action } from '../common/router';
import { propertySchemas as s } from './api';
import { WARNINGS, type TalkRecord, type WarningDoc } from './model';
import { toWarningView } from './views';

export const WARNING_MISSING = '该预警记录不存在';

export const warningActions = {
  warnings: action({
    schema: s.warnings,
    roles: ['worker'],
    handler: async ({ page: pageNo = 1 }, ctx) => {
      const { docs, hasMore } = await readPage<WarningDoc>(
        collection(WARNINGS).where({ communityId: ctx.communityId }).orderBy('month', 'desc'),
        pageNo,
      );
      return { items: docs.map(toWarningView), page: pageNo, hasMore };
    },
  }),

  recordTalk: action({
    schema: s.recordTalk,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ warningId, talkDate, attendees, summary, outcome }, ctx) => {
      const found = await getAll<WarningDoc>(
        collection(WARNINGS).where({ _id: warningId, communityId: ctx.communityId }).limit(1),
      );
      const warning = found[0];
      if (!warning) throw new AppError('E_NOT_FOUND', WARNING_MISSING);
      const talk: TalkRecord = { talkDate, attendees, summary, outcome, by: ctx.openid, byName: ctx.member.name, at: ctx.now };
      await compareAndSet(
        WARNINGS,
        { _id: warning._id, version: warning.version },
        { status: 'talked', talks: cmd().push(talk), updatedAt: ctx.now },
        '该预警刚被其他工作人员更新，请刷新后重试',
      );
      await audit(ctx, {
        target: `property_warning:${warning._id}`,
        before: { status: warning.status },
        after: { status: 'talked', outcome },
      });
      return toWarningView({ ...warning, status: 'talked', talks: [...warning.talks, talk], version: warning.version + 1 });
    },
  }),
};
