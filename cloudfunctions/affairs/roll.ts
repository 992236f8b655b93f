// Freezing the register of a vote's scope when the vote opens: one document per owner (group of
// parts) and one per verified owner, ids carrying the snapshot's fingerprint, so a retried open
// writes the same documents and a changed register a new set (docs/affairs.md, "The frozen roll").
import crypto from 'crypto';
import { isDuplicateKey, insertOnce } from '../common/cas';
import { cmd, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import {
  PARTS,
  VOTE_GROUPS,
  VOTE_VOTERS,
  groupDocId,
  voterDocId,
  voterKey,
  type PartDoc,
  type VoteGroupDoc,
  type VoteVoterDoc,
} from './model-votes';
import { groupOwners, type Count } from './tally';

const READ = 1000;
const WRITE = 500;
/** The largest register one vote freezes. */
export const MAX_PARTS = 20000;

export const houseOf = (p: Pick<PartDoc, 'building' | 'room'>): string => `${p.building} ${p.room}`;

/** The parts of the scope (every building when empty), read a thousand at a time. */
export async function partsInScope(communityId: string, buildings: string[]): Promise<PartDoc[]> {
  const where: Record<string, unknown> = { communityId };
  if (buildings.length) where.building = cmd().in(buildings);
  const out: PartDoc[] = [];
  for (let skip = 0; skip < MAX_PARTS; skip += READ) {
    const docs = await getAll<PartDoc>(
      collection(PARTS).where(where).orderBy('building', 'asc').orderBy('room', 'asc').skip(skip).limit(READ),
    );
    out.push(...docs);
    if (docs.length < READ) break;
  }
  return out;
}

export interface Frozen {
  snap: string;
  eligible: Count;
  parts: number;
  groups: Omit<VoteGroupDoc, '_id' | 'voteId'>[];
}

/** The owners of the scope as §278 counts them; refuses an empty scope. */
export function freeze(communityId: string, parts: PartDoc[]): Frozen {
  if (parts.length === 0) throw new AppError('E_CONFLICT', '表决范围内还没有登记房屋，请先在“专有部分登记”里导入登记表');
  const houses = new Map(parts.map((p) => [p._id, houseOf(p)]));
  const keyed = parts.map((p) => ({ ...p, owners: p.owners.map((o) => voterKey(communityId, o)) }));
  const groups = groupOwners(keyed).map((g) => ({
    communityId,
    key: g.key,
    partIds: g.partIds,
    houses: g.partIds.map((id) => houses.get(id)!).sort(),
    area: g.area,
    developer: g.developer,
    voters: [...g.owners].sort(),
  }));
  const snap = crypto
    .createHash('sha256')
    .update(JSON.stringify(groups.map((g) => [g.key, g.area, g.partIds, g.voters, g.developer])))
    .digest('hex')
    .slice(0, 12);
  const eligible = { owners: groups.length, area: groups.reduce((sum, g) => sum + g.area, 0) };
  return { snap, eligible, parts: parts.length, groups };
}

/** Writes many documents with few calls; a retry meets its own documents and skips them. */
async function addAll<T extends { _id: string }>(name: string, docs: T[]): Promise<void> {
  for (let i = 0; i < docs.length; i += WRITE) {
    const batch = docs.slice(i, i + WRITE);
    try {
      await collection(name).add(batch.length === 1 ? batch[0] : batch);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      for (const doc of batch) await insertOnce(name, doc);
    }
  }
}

/** The roll's documents, written before the vote itself so that no cast can find it missing. */
export async function writeRoll(vote: { _id: string; snap: string }, frozen: Frozen): Promise<void> {
  const groups: VoteGroupDoc[] = frozen.groups.map((g) => ({ _id: groupDocId(vote, g.key), voteId: vote._id, ...g }));
  const voters: VoteVoterDoc[] = frozen.groups.flatMap((g) =>
    g.voters.map((v) => ({ _id: voterDocId(vote, v), voteId: vote._id, communityId: g.communityId, group: g.key })),
  );
  await addAll(VOTE_GROUPS, groups);
  await addAll(VOTE_VOTERS, voters);
}
