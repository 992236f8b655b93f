// member: joining by invite, approval, roles and tags, households, and the caller's own membership.
// The action table; the handlers live by group.
import { createFunction } from '../common/router';
import type { MemberApi } from './api';
import { householdActions } from './household';
import { joinActions } from './join';
import { meActions } from './me';
import { reviewActions } from './review';

export const main = createFunction<MemberApi>('member', {
  ...meActions,
  ...joinActions,
  ...reviewActions,
  ...householdActions,
});
