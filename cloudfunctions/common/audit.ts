// Append-only audit log of state changes made by workers and volunteers (product.md §7).
import { collection } from './db';
import type { MemberCtx } from './router';

export interface AuditEntry {
  target: string; // e.g. "member:demo:openid", "order:abc"
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  note?: string;
}

export async function audit(ctx: MemberCtx, entry: AuditEntry): Promise<void> {
  await collection('audit').add({
    communityId: ctx.communityId,
    actor: ctx.openid,
    what: `${ctx.fn}.${ctx.action}`,
    ...entry,
    at: ctx.now,
  });
}
