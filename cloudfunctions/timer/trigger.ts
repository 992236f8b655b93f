// Who may run the timer: only CloudBase's timer trigger (docs/orders.md, "The timer").
import { openidFromContext, triggerSourceFromContext } from '../common/identity';

/** The name of the timer trigger in config.json (tests/cloud/timer-trigger.test.ts keeps them equal). */
export const TRIGGER_NAME = 'sweep';

const EVENT_KEYS = new Set(['Type', 'TriggerName', 'Time', 'Message']);

/**
 * Whether this is CloudBase's timer trigger: the context says the invocation came from a timer
 * (`TRIGGER_SRC: 'timer'`, set by the platform, never by a caller) and carries no openid, and the
 * event is exactly the timer event SCF documents (「触发器事件消息结构」, Timer):
 * `{ Type: 'Timer', TriggerName, Time: '2019-02-21T11:49:00Z', Message }`, for our trigger.
 */
export function isTimerTrigger(event: unknown, context: unknown): boolean {
  if (openidFromContext(context) || triggerSourceFromContext(context) !== 'timer') return false;
  if (!event || typeof event !== 'object' || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  return (
    Object.keys(e).every((k) => EVENT_KEYS.has(k)) &&
    e.Type === 'Timer' &&
    e.TriggerName === TRIGGER_NAME &&
    typeof e.Time === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(e.Time) &&
    (e.Message === undefined || typeof e.Message === 'string')
  );
}
