// Who was refused by a rate limit (docs/limits.md): the workers' list, newest first, 20 a page.
// The counters hold only the openid and the community; names come from the member documents.
import { cmd, collection, getAll } from '../common/db';
import { LIMITS, RATE_LIMITS, type RateLimitDoc } from '../common/limits';
import { memberId, type MemberDoc } from '../common/model';
import { readPage } from '../common/paging';
import { action } from '../common/router';
import { memberSchemas as s, type RateLimitedView } from './api';

const iso = (d: Date | string | null): string => (d ? new Date(d).toISOString() : '');

export const limitActions = {
  rateLimited: action({
    schema: s.rateLimited,
    roles: ['worker'],
    handler: async ({ page = 1 }, ctx) => {
      const { docs, hasMore } = await readPage<RateLimitDoc>(
        collection(RATE_LIMITS).where({ communityId: ctx.communityId, limited: true }).orderBy('limitedAt', 'desc'),
        page,
      );
      const ids = [...new Set(docs.map((d) => memberId(ctx.communityId, d.openid)))];
      const members =
        ids.length === 0
          ? []
          : await getAll<MemberDoc>(
              collection('members')
                .where({ _id: cmd().in(ids) })
                .limit(ids.length),
            );
      const names = new Map(members.map((m) => [m._id, m.name]));
      const items: RateLimitedView[] = docs.map((d) => {
        const id = memberId(ctx.communityId, d.openid);
        const rule = LIMITS[d.kind];
        return {
          _id: d._id,
          memberId: id,
          name: names.get(id) ?? '',
          kind: d.kind,
          kindLabel: rule?.label ?? d.kind,
          max: d.max,
          refused: Math.max(0, d.count - d.max),
          windowMinutes: rule?.windowMinutes ?? 0,
          limitedAt: iso(d.limitedAt),
          windowEnd: iso(d.windowEnd),
        };
      });
      return { items, page, hasMore };
    },
  }),
};
