// Erasure (member.erase, docs/privacy.md) in the property domain: the person's openid becomes the
// erasure's token wherever it is kept, and their household ratings lose the room and the comment
// (the scores stay: they are the month's counts). Talks keep the text: it is the community's record.
import { cmd, collection, getAll } from '../common/db';
import { COMPANIES, GRADES, RATINGS, WARNINGS, type WarningDoc } from './model';

export async function scrubProperty(openid: string, token: string, erasedName: string): Promise<void> {
  await collection(RATINGS).where({ openid }).update({ openid: token, room: '', comment: cmd().remove() });
  await collection(COMPANIES).where({ updatedBy: openid }).update({ updatedBy: token });
  await collection(GRADES).where({ publishedBy: openid }).update({ publishedBy: token });
  const warnings = await getAll<WarningDoc>(collection(WARNINGS).where({ 'talks.by': openid }).limit(1000));
  for (const w of warnings) {
    const talks = w.talks.map((t) => (t.by === openid ? { ...t, by: token, byName: erasedName } : t));
    await collection(WARNINGS)
      .where({ _id: w._id })
      .update({ talks: cmd().set(talks) });
  }
}
