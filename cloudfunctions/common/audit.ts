// Append-only audit log of state changes made by workers and volunteers (product.md §7).
import { collection } from './db';
import type { MemberCtx } from './router';

export interface AuditEntry {
  target: string; // e.g. "member:demo:openid", "order:abc"
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  note?: string;
}

/** Records a change by anyone (workers, volunteers, residents acting on their own records). */
export async function audit(ctx: MemberCtx, entry: AuditEntry): Promise<void> {
  await collection('audit').add({
    communityId: ctx.communityId,
    actor: ctx.openid,
    what: `${ctx.fn}.${ctx.action}`,
    ...entry,
    at: ctx.now,
  });
}

/** Records a change when the caller is a worker or a volunteer (product.md §7: their state changes). */
export async function auditIfStaff(ctx: MemberCtx, entry: AuditEntry): Promise<void> {
  if (ctx.member.roles.includes('worker') || ctx.member.roles.includes('volunteer')) await audit(ctx, entry);
}
