// member.auditLog: the community's audit log for workers, newest first, 20 a page, by person
// (actor), object (target) and day (the community's clock). Every filter combination is one walk
// of an index of `audit` (database.json: community_[actor_][target_]at). A page costs three round
// trips: the page, then the names and the object titles together (docs/audit.md).
import type { AuditDoc } from '../common/audit';
import { cmd, collection, getAll } from '../common/db';
import type { MemberDoc } from '../common/model';
import { readPage } from '../common/paging';
import { action } from '../common/router';
import { DAY_MS, instantOf } from '../../miniprogram/shared/clock';
import { memberSchemas as s } from './api';
import { FAMILY_CAP, FAMILY_LINKS, type FamilyLinkDoc } from '../common/family';
import { auditRow, memberIdsOf, splitTarget, type Lookup } from './audit-view';

type Stored = AuditDoc & { _id: string };

/** Where each kind's title lives, for the targets of a page. */
const TITLES: Record<string, { collection: string; field: string }> = {
  order: { collection: 'orders', field: 'serviceName' },
  service: { collection: 'services', field: 'name' },
  notice: { collection: 'notices', field: 'title' },
  parking_spot: { collection: 'parking_spots', field: 'code' },
  parking_booking: { collection: 'parking_bookings', field: 'spotCode' },
  ledger_entry: { collection: 'ledger_entries', field: 'summary' },
  ledger_project: { collection: 'ledger_projects', field: 'name' },
  ledger_account: { collection: 'ledger_accounts', field: 'name' },
  family: { collection: 'family_links', field: 'relativeName' },
};

async function names(communityId: string, docs: Stored[]): Promise<Map<string, string>> {
  const ids = memberIdsOf(communityId, docs);
  if (ids.length === 0) return new Map();
  const members = await getAll<Pick<MemberDoc, 'openid' | 'name' | 'communityId'>>(
    collection('members')
      .where({ _id: cmd().in(ids) })
      .field({ openid: true, name: true, communityId: true })
      .limit(ids.length),
  );
  const out = new Map(members.filter((m) => m.communityId === communityId).map((m) => [m.openid, m.name]));
  // 亲情代办: a relative is no member; their link names them (李娜（赵秀兰的女儿）).
  const strangers = [...new Set(docs.map((d) => d.actor))].filter((a) => !out.has(a) && !a.includes(':'));
  if (strangers.length === 0) return out;
  const links = await getAll<FamilyLinkDoc>(
    collection(FAMILY_LINKS)
      .where({ communityId, relativeOpenid: cmd().in(strangers) })
      .field({ relativeOpenid: true, relativeName: true, elderName: true, relation: true })
      .limit(strangers.length * FAMILY_CAP),
  );
  for (const l of links) out.set(l.relativeOpenid, `${l.relativeName}（${l.elderName}的${l.relation}）`);
  return out;
}

/** One read per kind on the page (at most five, all at once), each by `_id` and community. */
async function titles(communityId: string, docs: Stored[]): Promise<Map<string, string>> {
  const byKind = new Map<string, Set<string>>();
  for (const d of docs) {
    const [kind, id] = splitTarget(d.target);
    if (!TITLES[kind]) continue;
    byKind.set(kind, (byKind.get(kind) ?? new Set()).add(id));
  }
  const out = new Map<string, string>();
  await Promise.all(
    [...byKind].map(async ([kind, ids]) => {
      const { collection: name, field } = TITLES[kind];
      const found = await getAll<Record<string, unknown>>(
        collection(name)
          .where({ _id: cmd().in([...ids]), communityId })
          .field({ [field]: true })
          .limit(ids.size),
      );
      for (const f of found) if (typeof f[field] === 'string') out.set(`${kind}:${String(f._id)}`, f[field] as string);
    }),
  );
  return out;
}

export const auditActions = {
  auditLog: action({
    schema: s.auditLog,
    roles: ['worker'],
    handler: async ({ actor, target, day, page: pageNo = 1 }, ctx) => {
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (actor) where.actor = actor;
      if (target) where.target = target;
      if (day) {
        const start = instantOf(day);
        where.at = cmd()
          .gte(start)
          .and(cmd().lt(new Date(start.getTime() + DAY_MS)));
      }
      const { docs, hasMore } = await readPage<Stored>(collection('audit').where(where).orderBy('at', 'desc'), pageNo);
      const [people, objects] = await Promise.all([names(ctx.communityId, docs), titles(ctx.communityId, docs)]);
      const lookup: Lookup = { names: people, titles: objects };
      return { items: docs.map((d) => auditRow(d, lookup)), page: pageNo, hasMore };
    },
  }),
};
