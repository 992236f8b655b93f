// Erasure of a member from the register and the votes (docs/privacy.md): they stop being a verified
// owner, what they opened names the erased token, and the authorisation pictures of proxy ballots
// they cast are deleted with their other uploads. Ballots stay, counted: they never held an openid.
import { cmd, collection, getAll } from '../common/db';
import { CONSULTS } from './consult';
import { BALLOTS, PARTS, VOTES, voterKey, type BallotDoc } from './model-votes';

export async function scrubVotes(openid: string, token: string, communities: string[]): Promise<{ files: string[] }> {
  await collection(PARTS)
    .where({ owners: openid })
    .update({ owners: cmd().pull(openid) });
  await collection(VOTES).where({ authorOpenid: openid }).update({ authorOpenid: token });
  await collection(CONSULTS).where({ authorOpenid: openid }).update({ authorOpenid: token });
  const keys = communities.map((c) => voterKey(c, openid));
  const proxied = await getAll<BallotDoc>(
    collection(BALLOTS)
      .where({ castBy: cmd().in(keys), proxy: true })
      .limit(1000),
  );
  if (proxied.length === 0) return { files: [] };
  await collection(BALLOTS)
    .where({ castBy: cmd().in(keys), proxy: true })
    .update({ authorization: null });
  return { files: proxied.flatMap((b) => (b.authorization ? [b.authorization] : [])) };
}
