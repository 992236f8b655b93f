// The register of exclusive parts (专有部分): workers import building, room and registered area in
// bulk and verify which members own each part; a member sees the parts they own. A member may live
// in a room without owning it (a tenant, a relative): only a worker's verification makes an owner.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { buildingsOf, memberId, type MemberDoc } from '../common/model';
import { readPage } from '../common/paging';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { shortList } from '../common/validation';
import { voteSchemas as s, type PartView } from './api-votes';
import { PARTS, partId, type PartDoc } from './model-votes';
import { areaText, parseArea } from './tally';
import { PART_MISSING, requireCommunity } from './vote-store';

const MEMBER_MISSING = '没有找到这位成员，请确认对方已加入本社区';

/** The verified owners of each part with their names: one read of members for them all. */
async function withOwners(parts: PartDoc[]): Promise<PartView[]> {
  const openids = [...new Set(parts.flatMap((p) => p.owners))];
  const ids = openids.map((o) => memberId(parts[0]?.communityId ?? '', o));
  const members = ids.length
    ? await getAll<MemberDoc>(
        collection('members')
          .where({ _id: cmd().in(ids) })
          .limit(ids.length),
      )
    : [];
  const name = (o: string) => members.find((m) => m.openid === o && m.status === 'active')?.name ?? '（已离开社区）';
  return parts.map((p) => ({ ...partView(p), owners: p.owners.map((o) => ({ openid: o, name: name(o) })) }));
}

export const partView = (p: PartDoc): PartView => ({
  _id: p._id,
  building: p.building,
  room: p.room,
  area: areaText(p.area),
  ...(p.holder ? { holder: p.holder } : {}),
  developer: p.developer,
});

async function requirePart(ctx: MemberCtx, id: string): Promise<PartDoc> {
  const part = await findById<PartDoc>(PARTS, id);
  if (!part || part.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', PART_MISSING);
  return part;
}

async function changeOwners(ctx: MemberCtx, input: { partId: string; openid: string }, add: boolean): Promise<PartView> {
  const part = await requirePart(ctx, input.partId);
  const member = await findById<MemberDoc>('members', memberId(ctx.communityId, input.openid));
  if (add && (!member || member.status !== 'active')) throw new AppError('E_NOT_FOUND', MEMBER_MISSING);
  const has = part.owners.includes(input.openid);
  if (add === has) {
    throw new AppError('E_CONFLICT', add ? '这位成员已经是这套房屋的业主了' : '这位成员不是这套房屋已核实的业主');
  }
  const owners = add ? [...part.owners, input.openid] : part.owners.filter((o) => o !== input.openid);
  await compareAndSet(
    PARTS,
    { _id: part._id, version: part.version },
    { owners, updatedAt: ctx.now },
    '登记表刚被修改，请刷新后重试',
  );
  await audit(ctx, {
    target: `part:${part._id}`,
    before: { owners: part.owners.length },
    after: { owners: owners.length, [add ? 'verified' : 'removed']: `member:${ctx.communityId}:${input.openid}` },
  });
  return (await withOwners([{ ...part, owners }]))[0];
}

export const registerActions = {
  importParts: action({
    schema: s.importParts,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ rows }, ctx) => {
      const community = await requireCommunity(ctx);
      const all = buildingsOf(community);
      const unknown = [...new Set(rows.map((r) => r.building))].filter((b) => !all.includes(b));
      if (unknown.length) throw new AppError('E_VALIDATION', `楼栋「${shortList(unknown)}」不在本社区，请先核对登记表`);
      // The last row for a room wins, as a spreadsheet read top to bottom would.
      const byId = new Map<string, Omit<PartDoc, 'owners' | 'version' | 'updatedAt'>>();
      for (const r of rows) {
        const room = r.room.trim();
        const area = parseArea(r.area);
        if (area === 0) throw new AppError('E_VALIDATION', `${r.building} ${room} 的面积不能为 0，请按不动产登记簿填写`);
        const id = partId(ctx.communityId, r.building, room);
        byId.set(id, {
          _id: id,
          communityId: ctx.communityId,
          building: r.building,
          room,
          area,
          developer: r.developer ?? false,
          ...(r.holder ? { holder: r.holder } : {}),
        });
      }
      const ids = [...byId.keys()];
      const existing = await getAll<PartDoc>(
        collection(PARTS)
          .where({ _id: cmd().in(ids) })
          .limit(ids.length),
      );
      const found = new Map(existing.map((p) => [p._id, p]));
      const fresh = [...byId.values()].filter((p) => !found.has(p._id));
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      if (fresh.length) {
        const docs: PartDoc[] = fresh.map((p) => ({ ...p, owners: [], updatedAt: ctx.now, version: 1 }));
        try {
          await collection(PARTS).add(docs.length === 1 ? docs[0] : docs);
        } catch {
          throw new AppError('E_CONFLICT', '登记表正被同时导入，请稍后刷新查看，再导入一次');
        }
        created = docs.length;
      }
      for (const p of existing) {
        const row = byId.get(p._id)!;
        if (row.area === p.area && row.developer === p.developer && (row.holder ?? null) === (p.holder ?? null)) {
          unchanged++;
          continue;
        }
        await compareAndSet(
          PARTS,
          { _id: p._id, version: p.version },
          { area: row.area, developer: row.developer, holder: row.holder ?? null, updatedAt: ctx.now },
          '登记表刚被修改，请刷新后再导入',
        );
        updated++;
      }
      await audit(ctx, { target: `register:${ctx.communityId}`, after: { created, updated, unchanged } });
      return { created, updated, unchanged };
    },
  }),

  listParts: action({
    schema: s.listParts,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const page = input.page ?? 1;
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (input.building) where.building = input.building;
      const { docs, hasMore } = await readPage<PartDoc>(
        collection(PARTS).where(where).orderBy('building', 'asc').orderBy('room', 'asc'),
        page,
      );
      return { items: await withOwners(docs), page, hasMore };
    },
  }),

  verifyOwner: action({
    schema: s.verifyOwner,
    roles: ['worker'],
    handler: (input, ctx) => changeOwners(ctx, input, true),
  }),

  removeOwner: action({
    schema: s.removeOwner,
    roles: ['worker'],
    handler: (input, ctx) => changeOwners(ctx, input, false),
  }),

  myParts: action({
    schema: s.myParts,
    roles: ANY_MEMBER,
    handler: async (_input, ctx) => {
      const docs = await getAll<PartDoc>(
        collection(PARTS).where({ communityId: ctx.communityId, owners: ctx.openid }).limit(100),
      );
      return { items: docs.map(partView) };
    },
  }),
};
