// Owners' votes: open, list, get, close, extend (民法典 第278条; docs/affairs.md).
import { readPage } from '../common/paging';
import { collection } from '../common/db';
import { action } from '../common/router';
import { ANY_MEMBER } from '../common/router';
import { voteSchemas as s, type VoteSummary } from './api-votes';

export const voteActions = {
  listVotes: action({
    schema: s.listVotes,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<VoteSummary>(
        collection('votes').where({ communityId: ctx.communityId }).orderBy('opensAt', 'desc'),
        page,
      );
      return { items: docs, page, hasMore };
    },
  }),
};
