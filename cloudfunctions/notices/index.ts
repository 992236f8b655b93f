// notices: workers post notices to the whole community or chosen buildings; residents read the
// ones for their building, and each opening records one read receipt per member; workers see
// per-building read rates and the households nobody has opened it in, and can remind them once.
// The action table; the handlers live by action group, the reminder's batches in reminders.ts.
import { createFunction } from '../common/router';
import type { NoticesApi } from './api';
import { composeActions } from './compose';
import { feedActions } from './feed';
import { groupActions } from './groups';
import { statsActions } from './stats';

export const main = createFunction<NoticesApi>('notices', {
  ...composeActions,
  ...feedActions,
  ...statsActions,
  ...groupActions,
});
