// erase: the caller's personal data, everywhere (PIPL 第47条; docs/privacy.md). The caller leaves
// every community (what leave does, obligations included), then every collection is scrubbed
// (scrub.ts), their pictures are deleted from storage, their memberships become anonymous
// tombstones, and each community's audit log records that an erasure happened — with nobody's
// details in it.
//
// Records kept for the statistics carry a random token instead of the openid. The token is
// created once per erasure and kept in `erasures/<openid>` only while the erasure runs, so an
// interrupted erasure resumes with the same token and two erasures at once share one; the
// document is removed at the end, and nothing then links the token back to the person.
import crypto from 'crypto';
import { insertOnce, isDuplicateKey } from '../common/cas';
import { cloudApp, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberDoc } from '../common/model';
import { action } from '../common/router';
import { memberSchemas as s } from './api';
import { assertNotLastWorker, endMembership } from './departure';
import { ERASED_NAME, scrubAll, type Secrets } from './scrub';

const ERASURES = 'erasures';
const FILES_PER_CALL = 50;

interface ErasureDoc {
  _id: string; // the openid, for as long as the erasure runs
  token: string;
  startedAt: Date;
}

async function tokenFor(openid: string, now: Date): Promise<string> {
  const token = `erased-${crypto.randomBytes(12).toString('hex')}`;
  await insertOnce<ErasureDoc>(ERASURES, { _id: openid, token, startedAt: now });
  const doc = (await getAll<ErasureDoc>(collection(ERASURES).where({ _id: openid }).limit(1)))[0];
  if (!doc) throw new AppError('E_CONFLICT', '注销正在进行中，请稍后再试');
  return doc.token;
}

const membershipsOf = (openid: string) => getAll<MemberDoc>(collection('members').where({ openid }).limit(50));

/** Memberships become anonymous tombstones: the community keeps a count of who left. */
async function tombstones(memberships: MemberDoc[], token: string, now: Date): Promise<void> {
  const stones: MemberDoc[] = memberships.map((m) => ({
    _id: `${m.communityId}:${token}`,
    communityId: m.communityId,
    openid: token,
    name: ERASED_NAME,
    building: m.building,
    room: '',
    status: m.status === 'removed' ? 'removed' : 'left',
    roles: m.roles,
    tags: [],
    skills: [],
    onDuty: false,
    gridId: m.gridId,
    joinedAt: m.joinedAt,
    leftAt: m.leftAt ?? now,
    updatedAt: now,
    version: 1,
  }));
  if (stones.length === 0) return;
  try {
    await collection('members').add(stones);
  } catch (err) {
    // Some exist already (an interrupted or concurrent erasure with the same token): the rest one by one.
    if (!isDuplicateKey(err)) throw err;
    for (const stone of stones) await insertOnce('members', stone);
  }
}

async function deleteFiles(fileIds: string[]): Promise<number> {
  const unique = [...new Set(fileIds)];
  let deleted = 0;
  for (let i = 0; i < unique.length; i += FILES_PER_CALL) {
    const res = await cloudApp().deleteFile({ fileList: unique.slice(i, i + FILES_PER_CALL) });
    deleted += (res.fileList ?? []).filter((f) => f.code === 'SUCCESS').length;
  }
  return deleted;
}

export const eraseActions = {
  erase: action({
    schema: s.erase,
    roles: 'identified',
    handler: async (_input, ctx) => {
      const openid = ctx.openid;
      let memberships = await membershipsOf(openid);
      // Refused before anything is written: a community keeps a worker.
      for (const m of memberships) await assertNotLastWorker(m);
      const token = await tokenFor(openid, ctx.now);
      const actor = { openid, name: ERASED_NAME };
      for (const m of memberships) {
        if (m.status !== 'active' && m.status !== 'pending') continue;
        try {
          await endMembership({ ...ctx, member: m }, m, { status: 'left', actor });
        } catch (err) {
          // A concurrent erasure (or leave) ended it first: what matters is that it has ended.
          if (!(err instanceof AppError) || err.code !== 'E_CONFLICT') throw err;
          const now = (await membershipsOf(openid)).find((x) => x._id === m._id);
          if (now && (now.status === 'active' || now.status === 'pending')) throw err;
        }
      }
      memberships = await membershipsOf(openid);
      const communities = [...new Set(memberships.map((m) => m.communityId))];
      const secrets: Secrets = {
        openid,
        token,
        names: memberships.map((m) => m.name),
        phones: memberships.map((m) => m.phone ?? '').filter(Boolean),
        plates: [],
      };
      const report = await scrubAll(secrets, communities, ctx.now);
      const files = await deleteFiles(report.files);
      await tombstones(memberships, token, ctx.now);
      await collection('members').where({ openid }).remove();
      await collection('users').where({ _id: openid }).remove();
      if (communities.length) {
        // Written here rather than with common/audit.ts: the entry must carry the token, never the
        // caller's openid or anything else audit() may take from the caller's membership.
        await collection('audit').add(
          communities.map((communityId) => ({
            communityId,
            actor: token,
            what: 'member.erase',
            target: `member:${communityId}:${token}`,
            after: { erased: true, orders: report.orders, bookings: report.bookings, files },
            at: ctx.now,
          })),
        );
      }
      await collection(ERASURES).where({ _id: openid }).remove();
      return { communities: communities.length, orders: report.orders, bookings: report.bookings, files };
    },
  }),
};
