// orders: the service menu and the order loop 群众点单、社区派单、党员接单、组织评单 (product.md §2–3).
// The action table; the handlers live by group, the rules of who may do what in rules.ts.
// Voice orders and 一键求助: voice.ts, help.ts.
import { createFunction } from '../common/router';
import type { OrdersApi } from './api';
import { createActions } from './create';
import { familyOrderActions } from './family';
import { helpActions } from './help';
import { listActions } from './lists';
import { menuActions } from './menu';
import { transitionActions } from './transitions';
import { volunteerActions } from './volunteers';
import { withMediaCheckPush, withVoiceUrls } from './voice';

// Answers carrying an order's voice get its playable address (voice.ts); WeChat's audio-check
// verdicts (a `wxa_media_check` push, not an action) are taken before the router.
export const main = withMediaCheckPush(
  createFunction<OrdersApi>(
    'orders',
    withVoiceUrls({
      ...menuActions,
      ...createActions,
      ...helpActions,
      ...listActions,
      ...transitionActions,
      ...volunteerActions,
      ...familyOrderActions,
    }),
  ),
);
