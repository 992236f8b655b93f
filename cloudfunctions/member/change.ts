// One change of a membership: compare-and-set, audit, the new view.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd } from '../common/db';
import type { MemberDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import type { MemberView } from './api';
import { toMemberView, viewerOf } from './views';

/**
 * Objects and arrays are written whole (`cmd().set`): an update with a plain object merges it
 * field by field, which would keep, say, an old proof's note under a new proof.
 */
function whole(patch: Partial<MemberDoc>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) out[k] = v && typeof v === 'object' && !(v instanceof Date) ? cmd().set(v) : v;
  return out;
}

/** Changes `target` as read (its version), audits before → after, and answers the new view for the caller. */
export async function changeMember(
  ctx: MemberCtx,
  target: MemberDoc,
  patch: Partial<MemberDoc>,
  conflictMessage: string,
): Promise<MemberView> {
  await compareAndSet(
    'members',
    { _id: target._id, version: target.version },
    { ...whole(patch), updatedAt: ctx.now },
    conflictMessage,
  );
  const before: Record<string, unknown> = {};
  for (const key of Object.keys(patch)) before[key] = target[key as keyof MemberDoc];
  await audit(ctx, { target: `member:${target._id}`, before, after: patch });
  return toMemberView({ ...target, ...patch, version: target.version + 1 }, viewerOf(ctx));
}
