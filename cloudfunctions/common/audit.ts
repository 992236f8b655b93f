// Append-only audit log of every state change (product.md §7): who, community, what, before,
// after, when. People's changes are written with `audit(ctx, …)`, the timer's with `auditSystem`.
// Every call is one `add` (one data call) however many entries it carries: a step that changes
// many documents writes one batch. Which action writes what is listed in `audit-actions.ts`.
import { collection } from './db';
import type { Ctx, MemberCtx } from './router';

/** The actor of the timer's changes: no openid has a colon (WeChat openids are [A-Za-z0-9_-]). */
export const SYSTEM_ACTOR = 'system:timer';

export interface AuditEntry {
  target: string; // e.g. "member:demo:openid", "order:abc"
  /** Only the fields that changed, as they were; no phones. */
  before?: Record<string, unknown>;
  /** Only the fields that changed, as they are now. */
  after?: Record<string, unknown>;
  note?: string;
}

/** A stored entry. `what` is `fn.action` for people and `timer.<step>` for the timer. */
export interface AuditDoc extends AuditEntry {
  _id?: string;
  communityId: string;
  actor: string;
  what: string;
  at: Date;
}

/** One data call for all of them; none for an empty list. */
async function write(docs: AuditDoc[]): Promise<void> {
  if (docs.length === 0) return;
  await collection('audit').add(docs.length === 1 ? docs[0] : docs);
}

const toDocs = (communityId: string, actor: string, what: string, at: Date, entries: AuditEntry | AuditEntry[]) =>
  (Array.isArray(entries) ? entries : [entries]).map((e): AuditDoc => ({ communityId, actor, what, ...e, at }));

/** Records a change by the caller (anyone: residents, volunteers, workers) in their community. */
export async function audit(ctx: MemberCtx, entry: AuditEntry | AuditEntry[]): Promise<void> {
  await write(toDocs(ctx.communityId, ctx.openid, `${ctx.fn}.${ctx.action}`, ctx.now, entry));
}

/** Records a change by a caller not (yet) active in the community it changed (joining). */
export async function auditIn(ctx: Ctx, communityId: string, entry: AuditEntry | AuditEntry[]): Promise<void> {
  await write(toDocs(communityId, ctx.openid, `${ctx.fn}.${ctx.action}`, ctx.now, entry));
}

/** A change the timer made, in the community of the document it changed. */
export interface SystemEntry extends AuditEntry {
  communityId: string;
}

/**
 * Records the timer's changes of one sweep step (`what`: `timer.<step>`, in audit-actions.ts), all
 * in one data call, whatever communities they belong to.
 */
export async function auditSystem(what: string, now: Date, entries: SystemEntry[]): Promise<void> {
  await write(entries.map(({ communityId, ...e }) => ({ communityId, actor: SYSTEM_ACTOR, what, ...e, at: now })));
}
