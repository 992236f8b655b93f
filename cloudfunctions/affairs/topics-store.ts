// Reading topics and the people around them (proposer, seconders, workers), the year's list
// counter, and `tellTopic`: how a step reaches the proposer and every seconder, batched.
import { insertOnce } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberDoc, MessageInput } from '../common/model';
import { notify } from '../common/notify';
import type { MemberCtx } from '../common/router';
import { secondId, TOPIC_LISTS, TOPIC_SECONDS, TOPICS, type SecondDoc, type TopicDoc, type TopicListDoc } from './topics-model';
import { TOPIC_MISSING } from './topic-views';

const BATCH = 1000;
/** Most seconders told of one step (a topic seconded by the whole of a large community). */
const MAX_SECONDERS = 20000;

export async function requireTopic(ctx: MemberCtx, topicId: string): Promise<TopicDoc> {
  const t = await findById<TopicDoc>(TOPICS, topicId);
  if (!t || t.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', TOPIC_MISSING);
  return t;
}

export async function hasSeconded(topicId: string, openid: string): Promise<boolean> {
  return (await findById<SecondDoc>(TOPIC_SECONDS, secondId(topicId, openid))) !== null;
}

/** Everyone who seconded the topic, a thousand a data call. */
export async function seconders(topicId: string): Promise<string[]> {
  const out: string[] = [];
  for (let skip = 0; skip < MAX_SECONDERS; skip += BATCH) {
    const docs = await getAll<Pick<SecondDoc, 'openid'>>(
      collection(TOPIC_SECONDS).where({ topicId }).orderBy('_id', 'asc').field({ openid: true }).skip(skip).limit(BATCH),
    );
    out.push(...docs.map((d) => d.openid));
    if (docs.length < BATCH) break;
  }
  return out;
}

export async function workersOf(communityId: string): Promise<string[]> {
  const docs = await getAll<Pick<MemberDoc, 'openid'>>(
    collection('members').where({ communityId, status: 'active', roles: 'worker' }).field({ openid: true }).limit(50),
  );
  return docs.map((m) => m.openid);
}

/** Active members of the community among `openids` (who may be invited to a meeting). */
export async function activeMembers(communityId: string, openids: string[]): Promise<MemberDoc[]> {
  if (openids.length === 0) return [];
  const ids = openids.map((o) => `${communityId}:${o}`);
  return getAll<MemberDoc>(
    collection('members')
      .where({ _id: cmd().in(ids), status: 'active' })
      .limit(ids.length),
  );
}

/** The next number on the community's list of `year` (议事清单): one data call in the usual case. */
export async function nextListNo(communityId: string, year: number): Promise<number> {
  const _id = `${communityId}:${year}`;
  const first: TopicListDoc = { _id, communityId, year, count: 1 };
  if (await insertOnce(TOPIC_LISTS, first)) return 1;
  const res = await collection(TOPIC_LISTS)
    .where({ _id })
    .updateAndReturn({ count: cmd().inc(1) });
  const count = (res.doc as TopicListDoc | null | undefined)?.count;
  if (typeof count !== 'number') throw new Error('topic list counter did not answer its count');
  return count;
}

export const topicLink = (topicId: string): string => `/packages/affairs/topic/index?id=${topicId}`;

/**
 * Tells the proposer and every seconder (and `extra`), except the caller, that the topic moved:
 * messages keyed by the topic's version, so a repeated step tells nobody twice; notify writes
 * them 200 to a data call.
 */
export async function tellTopic(
  ctx: MemberCtx,
  t: TopicDoc,
  msg: Omit<MessageInput, 'type' | 'link' | 'key'>,
  extra: string[] = [],
): Promise<number> {
  const people = [...new Set([t.proposerOpenid, ...(await seconders(t._id)), ...extra])].filter((o) => o !== ctx.openid);
  if (people.length === 0) return 0;
  return notify(
    ctx.communityId,
    people,
    { type: 'topic.update', ...msg, link: topicLink(t._id), key: `topic:${t._id}:v${t.version}` },
    ctx.now,
  );
}
