// Erasure (member.erase, docs/privacy.md) in the ledger: the person's openid becomes the erasure's
// token and their name `erasedName` wherever the ledger keeps them — questions asked and answered,
// ratings (their `_id` carries the openid, so each moves to a token id), entries recorded or
// approved, projects created, progress notes written, periods closed. The money and the texts
// stay: the book is the community's record. One update per collection and kind of reference;
// ratings one move each; a project with their progress notes one update each.
import { insertOnce } from '../common/cas';
import { collection, getAll } from '../common/db';
import { ENTRIES, PERIODS, PROJECTS, QUESTIONS, RATINGS, ratingId, type ProjectDoc, type RatingDoc } from './model';

export async function scrubLedger(openid: string, token: string, erasedName: string): Promise<void> {
  await collection(QUESTIONS).where({ askedBy: openid }).update({ askedBy: token });
  await collection(QUESTIONS).where({ answeredBy: openid }).update({ answeredBy: token, answeredByName: erasedName });
  await collection(ENTRIES).where({ recordedBy: openid }).update({ recordedBy: token, recordedByName: erasedName });
  await collection(ENTRIES).where({ approvedBy: openid }).update({ approvedBy: token, approvedByName: erasedName });
  await collection(PROJECTS).where({ createdBy: openid }).update({ createdBy: token, createdByName: erasedName });
  await collection(PERIODS).where({ closedBy: openid }).update({ closedBy: token });
  const noted = await getAll<ProjectDoc>(collection(PROJECTS).where({ 'progress.by': openid }).limit(1000));
  for (const p of noted) {
    const progress = p.progress.map((n) => (n.by === openid ? { ...n, by: token, byName: erasedName } : n));
    await collection(PROJECTS).where({ _id: p._id }).update({ progress });
  }
  const ratings = await getAll<RatingDoc>(collection(RATINGS).where({ openid }).limit(1000));
  for (const r of ratings) {
    await insertOnce<RatingDoc>(RATINGS, { ...r, _id: ratingId(r.communityId, r.month, token), openid: token });
    await collection(RATINGS).where({ _id: r._id }).remove();
  }
}
