// Pages and texts the affairs subpackage shares.
import type { VoteState } from '../../services/affairs';

export const AFFAIRS_PAGES = {
  hub: '/packages/affairs/index/index',
} as const;

export const VOTE_STATE_TEXT: Record<VoteState, string> = {
  announced: '公告中',
  open: '投票中',
  ended: '待计票',
  closed: '已结束',
};

export const MATTER_TEXT = { ordinary: '一般事项', major: '重大事项' } as const;
