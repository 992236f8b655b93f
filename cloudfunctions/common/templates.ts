// Subscribe-message templates (notify.ts sends them): which template each kind of event uses,
// and the deployment's template ids.
import type { MessageType } from './model';

export type TemplateKind = 'order' | 'parking' | 'notice' | 'member';

/**
 * Template ids by kind. Defaults name placeholder templates (the local cloud accepts them);
 * a deployment sets the real ids of its 订阅消息 templates in the function's environment as JSON:
 * `WX_SUBSCRIBE_TEMPLATES={"order":"…","parking":"…","notice":"…","member":"…"}`.
 * The mini-program reads them through `messages.subscribeTemplates`.
 */
const DEFAULT_TEMPLATES: Record<TemplateKind, string> = {
  order: 'local-order-progress',
  parking: 'local-parking-booking',
  notice: 'local-notice-reminder',
  member: 'local-member-review',
};

export function subscribeTemplates(): Record<TemplateKind, string> {
  const raw = process.env.WX_SUBSCRIBE_TEMPLATES;
  if (!raw) return { ...DEFAULT_TEMPLATES };
  try {
    const parsed = JSON.parse(raw) as Partial<Record<TemplateKind, unknown>>;
    const out = { ...DEFAULT_TEMPLATES };
    for (const kind of Object.keys(DEFAULT_TEMPLATES) as TemplateKind[]) {
      const value = parsed[kind];
      if (typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value)) out[kind] = value;
    }
    return out;
  } catch {
    console.error('[notify] WX_SUBSCRIBE_TEMPLATES is not valid JSON; using the defaults');
    return { ...DEFAULT_TEMPLATES };
  }
}

/** Which template an event uses; events not listed stay in the inbox only. */
const KIND_OF: Partial<Record<MessageType, TemplateKind>> = {
  'member.approved': 'member',
  'member.rejected': 'member',
  'member.household': 'member',
  'member.household_disputed': 'member',
  'member.removed': 'member',
  'family.request': 'member',
  'family.answered': 'member',
  'family.ended': 'member',
  'order.dispatched': 'order',
  'order.accepted': 'order',
  'order.completed': 'order',
  'order.cancelled': 'order',
  'order.yellow': 'order',
  'order.red': 'order',
  'order.returned': 'order',
  'order.created': 'order',
  'order.released': 'order',
  'order.declined': 'order',
  'order.rework': 'order',
  'order.followup': 'order',
  'order.closed': 'order',
  'order.rated': 'order',
  'parking.booked': 'parking',
  'parking.cancelled': 'parking',
  'parking.verified': 'parking',
  'parking.rejected': 'parking',
  'parking.no_show': 'parking',
  'parking.overstay': 'parking',
  'parking.blocked': 'parking',
  'notice.reminder': 'notice',
};

export function templateFor(type: MessageType): string | undefined {
  const kind = KIND_OF[type];
  return kind ? subscribeTemplates()[kind] : undefined;
}
