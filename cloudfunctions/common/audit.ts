// Append-only audit log of every state change (product.md §7): who, community, what, before,
// after, when. People's changes are written with `audit(ctx, …)`, the timer's with `auditSystem`.
// Every call is one `add` (one data call) however many entries it carries: a step that changes
// many documents writes one batch. Which action writes what is listed in `audit-actions.ts`.
import { insertOnce } from './cas';
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

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b);

/** Keeps only the fields that changed when an entry has both sides (an edit may pass whole records). */
function changedOnly(e: AuditEntry): AuditEntry {
  if (!e.before || !e.after) return e;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(e.before), ...Object.keys(e.after)])) {
    if (same(e.before[key], e.after[key])) continue;
    if (key in e.before) before[key] = e.before[key];
    if (key in e.after) after[key] = e.after[key];
  }
  return { ...e, before, after };
}

const toDocs = (communityId: string, actor: string, what: string, at: Date, entries: AuditEntry | AuditEntry[]) =>
  (Array.isArray(entries) ? entries : [entries]).map((e): AuditDoc => ({ communityId, actor, what, ...changedOnly(e), at }));

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

/**
 * A change the timer's rules make that follow-ups may reach more than once (a parking block):
 * written once under a deterministic `_id`; false when it was already there.
 */
export async function auditSystemOnce(id: string, what: string, now: Date, entry: SystemEntry): Promise<boolean> {
  const { communityId, ...e } = entry;
  return insertOnce<AuditDoc & { _id: string }>('audit', { _id: id, communityId, actor: SYSTEM_ACTOR, what, ...e, at: now });
}
