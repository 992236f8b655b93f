// What the platform operator does to streets (docs/street.md): create or rename a street, add and
// remove its communities, appoint and remove its leaders. A function never does any of it. Each
// operation takes the database it writes (node-sdk's, with the environment's credentials, from
// scripts/street.ts; the local cloud's in the demo seed and the tests) and checks what it names.
import { MAX_STREET_COMMUNITIES, STREET_LEADERS, STREETS, type StreetDoc, type StreetLeaderDoc } from '../../cloudfunctions/common/street';

/** The part of node-sdk's database these operations use. */
export interface DbLike {
  collection(name: string): {
    doc(id: string): { get(): Promise<{ data: unknown[] }>; set(data: object): Promise<unknown>; remove(): Promise<unknown> };
  };
}

const STREET_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;

async function read<T>(db: DbLike, name: string, id: string): Promise<T | null> {
  const res = await db.collection(name).doc(id).get();
  return ((res.data as T[])[0] ?? null) as T | null;
}

async function write(db: DbLike, name: string, doc: { _id: string }): Promise<void> {
  const { _id, ...data } = doc;
  await db.collection(name).doc(_id).set(data);
}

async function streetOf(db: DbLike, streetId: string): Promise<StreetDoc> {
  const street = await read<StreetDoc>(db, STREETS, streetId);
  if (!street) throw new Error(`no street ${streetId}: create it first (npm run street -- create ${streetId} <name>)`);
  return street;
}

export async function createStreet(db: DbLike, streetId: string, name: string, now = new Date()): Promise<StreetDoc> {
  if (!STREET_ID.test(streetId)) throw new Error(`street id ${streetId}: 2–40 of a-z, 0-9 and -`);
  if (!name.trim() || name.length > 40) throw new Error('street name: 1–40 characters');
  const found = await read<StreetDoc>(db, STREETS, streetId);
  const street: StreetDoc = found
    ? { ...found, name: name.trim(), updatedAt: now }
    : { _id: streetId, name: name.trim(), communityIds: [], createdAt: now, updatedAt: now };
  await write(db, STREETS, street);
  return street;
}

export async function addCommunities(db: DbLike, streetId: string, communityIds: string[], now = new Date()): Promise<StreetDoc> {
  const street = await streetOf(db, streetId);
  for (const id of communityIds)
    if (!(await read(db, 'communities', id))) throw new Error(`no community ${id}`);
  const ids = [...new Set([...street.communityIds, ...communityIds])];
  if (ids.length > MAX_STREET_COMMUNITIES) throw new Error(`a street compares at most ${MAX_STREET_COMMUNITIES} communities`);
  const next = { ...street, communityIds: ids, updatedAt: now };
  await write(db, STREETS, next);
  return next;
}

export async function removeCommunities(db: DbLike, streetId: string, communityIds: string[], now = new Date()): Promise<StreetDoc> {
  const street = await streetOf(db, streetId);
  const next = { ...street, communityIds: street.communityIds.filter((id) => !communityIds.includes(id)), updatedAt: now };
  await write(db, STREETS, next);
  return next;
}

/** One street per leader: appointing someone already leading another street moves them. */
export async function appointLeader(db: DbLike, streetId: string, openid: string, name: string, now = new Date()): Promise<StreetLeaderDoc> {
  await streetOf(db, streetId);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(openid)) throw new Error(`openid ${openid}: letters, digits, _ and -`);
  if (!name.trim() || name.length > 20) throw new Error('leader name: 1–20 characters');
  const leader: StreetLeaderDoc = { _id: openid, streetId, name: name.trim(), appointedAt: now };
  await write(db, STREET_LEADERS, leader);
  return leader;
}

/** Ends an appointment: the leader's consoles are refused from their next call (common/router.ts). */
export async function removeLeader(db: DbLike, openid: string): Promise<boolean> {
  if (!(await read(db, STREET_LEADERS, openid))) return false;
  await db.collection(STREET_LEADERS).doc(openid).remove();
  return true;
}

export async function showStreet(db: DbLike, streetId: string): Promise<StreetDoc> {
  return streetOf(db, streetId);
}
