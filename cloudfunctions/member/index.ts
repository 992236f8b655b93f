// member: joining by invite, approval, roles and tags, the caller's own membership, and the
// community's audit log for workers.
// The action table; the handlers live by group.
import { createFunction } from '../common/router';
import type { MemberApi } from './api';
import { auditActions } from './audit';
import { joinActions } from './join';
import { meActions } from './me';
import { reviewActions } from './review';

export const main = createFunction<MemberApi>('member', {
  ...meActions,
  ...joinActions,
  ...reviewActions,
  ...auditActions,
});
