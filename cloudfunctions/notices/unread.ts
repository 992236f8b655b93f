// The households where nobody has opened a notice, read building by building: a page reads the
// members of the buildings it shows (1000 at a time, index communityId + building + room) and their
// receipts by `_id`, never the whole audience. Buildings whose counters say every household has
// read are not walked.
import { cmd, collection, getAll } from '../common/db';
import type { MemberDoc } from '../common/model';
import { PAGE_SIZE } from '../common/schema';
import type { BuildingTally, NoticeDoc, NoticeReadDoc } from './model';
import { readId } from './model';
import { householdsOf, roomOrder, withAttention, type UnreadRow } from './census';
import { BATCH, inAudience, inBatches } from './store';

/** Receipts looked up per call (`_id in […]`). */
const RECEIPTS_PER_CALL = 500;

/** A building's unread households: someone tagged 独居老人 / 高龄 / 残疾 first, then by room. */
export async function unreadIn(n: NoticeDoc, building: string): Promise<UnreadRow[]> {
  const where = { communityId: n.communityId, building, status: 'active' };
  const members = (
    await inBatches((offset) =>
      getAll<MemberDoc>(collection('members').where(where).orderBy('room', 'asc').skip(offset).limit(BATCH)),
    )
  ).filter(inAudience);
  const ids = members.map((m) => readId(n._id, m.openid));
  const readers = new Set<string>();
  for (let i = 0; i < ids.length; i += RECEIPTS_PER_CALL) {
    const chunk = ids.slice(i, i + RECEIPTS_PER_CALL);
    const receipts = await getAll<NoticeReadDoc>(
      collection('notice_reads')
        .where({ _id: cmd().in(chunk) })
        .limit(chunk.length),
    );
    for (const r of receipts) readers.add(r.openid);
  }
  return householdsOf(members, readers)
    .filter((h) => !h.read)
    .map(withAttention)
    .sort((a, b) => Number(b.attention) - Number(a.attention) || roomOrder(a.room, b.room));
}

/**
 * Page `page` of the unread households, in building order (or of one building). Only the
 * buildings up to the end of the page are read.
 */
export async function unreadPage(
  n: NoticeDoc,
  buildings: BuildingTally[],
  building: string | undefined,
  page: number,
): Promise<{ items: UnreadRow[]; hasMore: boolean }> {
  // Filtered by a building: only one of the audience (another building's members were never asked).
  const walk = building
    ? buildings.filter((b) => b.building === building).map((b) => b.building)
    : buildings.filter((b) => b.readHouseholds < b.households).map((b) => b.building);
  const want = page * PAGE_SIZE + 1;
  const rows: UnreadRow[] = [];
  for (const b of walk) {
    rows.push(...(await unreadIn(n, b)));
    if (rows.length >= want) break;
  }
  return { items: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), hasMore: rows.length > page * PAGE_SIZE };
}
