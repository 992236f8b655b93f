// Reading notices, their community, their audience and their readers.
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { CommunityDoc, MemberDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import { WHOLE, type NoticeDoc, type NoticeReadDoc } from './model';
import { NOTICE_MISSING } from './views';

/** Largest audience counted by stats and remind (members are read 1000 at a time). */
const MAX_AUDIENCE = 20000;
export const BATCH = 1000;

export async function requireCommunity(ctx: MemberCtx): Promise<CommunityDoc> {
  const community = await findById<CommunityDoc>('communities', ctx.communityId);
  if (!community) throw new AppError('E_NOT_FOUND', '社区不存在');
  return community;
}

export async function requireNotice(ctx: MemberCtx, noticeId: string): Promise<NoticeDoc> {
  const n = await findById<NoticeDoc>('notices', noticeId);
  if (!n || n.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', NOTICE_MISSING);
  return n;
}

/** Reads 1000 at a time until a short batch (or `max`). */
export async function inBatches<T>(query: (offset: number) => Promise<T[]>, max = MAX_AUDIENCE): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < max; offset += BATCH) {
    const batch = await query(offset);
    out.push(...batch);
    if (batch.length < BATCH) break;
  }
  return out;
}

/**
 * Workers are not a notice's audience (docs/notices.md, "Who counts"): they write and send the
 * notices, so they are never counted, listed as unread with a call button, or reminded. Nor are
 * the property company's staff (物业人员, docs/property.md): they work in the community, their
 * membership's room is a duty room, not a household.
 */
export const inAudience = (m: Pick<MemberDoc, 'roles'>): boolean => !m.roles.includes('worker') && !m.roles.includes('property');

/** Active members the notice is addressed to, counted now (members who joined later count too). */
export async function audienceMembers(n: Pick<NoticeDoc, 'communityId' | 'audience' | 'buildings'>): Promise<MemberDoc[]> {
  const base = { communityId: n.communityId, status: 'active' };
  const wheres = n.audience.includes(WHOLE) ? [base] : n.buildings.map((building) => ({ ...base, building }));
  const all: MemberDoc[] = [];
  for (const where of wheres) {
    all.push(
      ...(await inBatches(
        (offset) => getAll<MemberDoc>(collection('members').where(where).orderBy('_id', 'asc').skip(offset).limit(BATCH)),
        MAX_AUDIENCE,
      )),
    );
  }
  return all.filter(inAudience);
}

/** The openids that have read the notice. */
export async function readersOf(n: NoticeDoc): Promise<Set<string>> {
  const reads = await inBatches(
    (offset) =>
      getAll<NoticeReadDoc>(
        collection('notice_reads').where({ noticeId: n._id }).orderBy('_id', 'asc').skip(offset).limit(BATCH),
      ),
    MAX_AUDIENCE,
  );
  return new Set(reads.map((r) => r.openid));
}
