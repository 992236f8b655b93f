// member: joining by invite, approval, roles and tags, and the caller's own membership.
// The action table; the handlers live by group.
import { createFunction } from '../common/router';
import type { MemberApi } from './api';
import { joinActions } from './join';
import { limitActions } from './limits';
import { meActions } from './me';
import { reviewActions } from './review';

export const main = createFunction<MemberApi>('member', {
  ...meActions,
  ...joinActions,
  ...reviewActions,
  ...limitActions,
});
