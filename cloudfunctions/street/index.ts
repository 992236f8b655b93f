// street: a street leader's read-only comparison of the communities of their street (docs/street.md).
// Every action is open to `leader` only: a worker, a resident or a worker's console is refused, and a
// leader's console may call nothing else (common/router.ts).
import { action, createFunction } from '../common/router';
import { streetSchemas as s, type StreetApi } from './api';
import { overview } from './overview';

export const main = createFunction<StreetApi>('street', {
  me: action({
    schema: s.me,
    roles: ['leader'],
    handler: async (_input, ctx) => ({
      streetId: ctx.leader.streetId,
      streetName: ctx.leader.streetName,
      name: ctx.leader.name,
      communityCount: ctx.leader.communityIds.length,
    }),
  }),
  overview: action({
    schema: s.overview,
    roles: ['leader'],
    handler: async ({ month }, ctx) => overview(ctx.leader, month, ctx.now),
  }),
});
