// Erasure of a member from topics (docs/privacy.md, docs/affairs.md 线上议事): the topics they
// proposed stay on the community's record under their title, but their words and pictures go and
// their name is replaced; their seconds keep counting under the erased token; their comments say
// that they were erased; steps they took as a worker name nobody. One conditional update per kind
// of reference, plus one compare-free write per topic whose timeline names them.
import { cmd, collection, getAll } from '../common/db';
import { TOPIC_COMMENTS, TOPIC_SECONDS, TOPICS, type TopicDoc } from './topics-model';

const PAGE = 1000;

export async function scrubTopics(
  openid: string,
  token: string,
  erasedName: string,
  erasedText: string,
): Promise<{ files: string[] }> {
  const files: string[] = [];
  const proposed = await getAll<TopicDoc>(collection(TOPICS).where({ proposerOpenid: openid }).limit(PAGE));
  for (const t of proposed) files.push(...t.images);
  if (proposed.length) {
    await collection(TOPICS)
      .where({ proposerOpenid: openid })
      .update({ proposerOpenid: token, proposerName: erasedName, body: erasedText, images: [] });
  }
  // Timelines name whoever took a step (the proposal, a worker's steps): rewrite those entries.
  const named = await getAll<TopicDoc>(collection(TOPICS).where({ 'timeline.actor': openid }).limit(PAGE));
  for (const t of named) {
    const own = new Set(t.timeline.filter((e) => e.actor === openid).map((e) => e.actorName));
    const timeline = t.timeline.map((e) => (e.actor === openid ? { ...e, actor: token, actorName: erasedName } : e));
    const patch: Record<string, unknown> = { timeline: cmd().set(timeline) };
    if (t.minutes && own.has(t.minutes.byName)) patch['minutes.byName'] = erasedName;
    if (t.decision && own.has(t.decision.byName)) patch['decision.byName'] = erasedName;
    await collection(TOPICS).doc(t._id).update(patch);
  }
  await collection(TOPIC_SECONDS).where({ openid }).update({ openid: token });
  await collection(TOPIC_COMMENTS).where({ openid }).update({ openid: token, name: erasedName, text: erasedText });
  return { files };
}
