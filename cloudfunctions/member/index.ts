// member: joining by invite, approval, roles and tags, households, the caller's own membership,
// leaving, removal and erasure, and the community's audit log for workers. The action table; the
// handlers live by group.
import { createFunction } from '../common/router';
import type { MemberApi } from './api';
import { auditActions } from './audit';
import { batchActions } from './batch';
import { elderActions } from './elder';
import { eraseActions } from './erase';
import { familyActions } from './family';
import { householdActions } from './household';
import { joinActions } from './join';
import { leaveActions } from './leave';
import { limitActions } from './limits';
import { meActions } from './me';
import { reviewActions } from './review';

export const main = createFunction<MemberApi>('member', {
  ...meActions,
  ...joinActions,
  ...reviewActions,
  ...batchActions,
  ...householdActions,
  ...familyActions,
  ...leaveActions,
  ...eraseActions,
  ...auditActions,
  ...limitActions,
  ...elderActions,
});
