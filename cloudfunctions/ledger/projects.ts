// Projects (方案): a plan with a budget that entries are charged to (`record {project}`), and
// progress notes with pictures — 方案公开、资金公开、进度公开. Spent is computed from the approved
// entries charged to it (out minus in, so a reversal or a refund nets), never stored.
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { readPage } from '../common/paging';
import { assertSameDigest, requestDigest, type RequestBody } from '../common/request';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { ledgerSchemas as s, type ProjectView } from './api';
import {
  ACCOUNTS,
  ENTRIES,
  noteIdFor,
  PROGRESS_MAX,
  PROJECTS,
  projectIdFor,
  type AccountDoc,
  type EntryDoc,
  type ProjectDoc,
} from './model';
import { BATCH, isWorker } from './store';
import { toEntryView } from './views';

const OTHER_PROJECT = '这个请求编号已用于另一个内容不同的项目。请先在项目列表里查看是否已创建；确需再建，请重新提交';

export async function requireProject(ctx: MemberCtx, projectId: string): Promise<ProjectDoc> {
  const p = await findById<ProjectDoc>(PROJECTS, projectId);
  if (!p || p.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', '项目不存在，请刷新后重新选择');
  return p;
}

const charged = (communityId: string, projectId: string) =>
  collection(ENTRIES).where({ communityId, projectId, status: 'approved' }).orderBy('date', 'asc').orderBy('createdAt', 'asc');

async function spentOn(p: ProjectDoc): Promise<number> {
  let spent = 0;
  for (let offset = 0; ; offset += BATCH) {
    const batch = await getAll<EntryDoc>(charged(p.communityId, p._id).skip(offset).limit(BATCH));
    for (const e of batch) spent += e.direction === 'out' ? e.amountFen : -e.amountFen;
    if (batch.length < BATCH) return spent;
  }
}

async function toProjectView(p: ProjectDoc): Promise<ProjectView> {
  const spentFen = await spentOn(p);
  return {
    _id: p._id,
    name: p.name,
    ...(p.plan ? { plan: p.plan } : {}),
    ...(p.basis ? { basis: p.basis } : {}),
    budgetFen: p.budgetFen,
    spentFen,
    percent: Math.round((spentFen / p.budgetFen) * 100),
    createdByName: p.createdByName,
    createdAt: new Date(p.createdAt).toISOString(),
    progress: p.progress.map((n) => ({
      id: n.id,
      note: n.note,
      pictures: n.pictures,
      byName: n.byName,
      at: new Date(n.at).toISOString(),
    })),
  };
}

export const projectActions = {
  createProject: action({
    schema: s.createProject,
    roles: ['worker'],
    limit: 'ledger',
    handler: async (input, ctx) => {
      const _id = projectIdFor(ctx.communityId, input.requestId);
      const asked: RequestBody = { name: input.name, budgetFen: input.budgetFen, plan: input.plan, basis: input.basis };
      const doc: ProjectDoc = {
        _id,
        communityId: ctx.communityId,
        name: input.name,
        ...(input.plan ? { plan: input.plan } : {}),
        ...(input.basis ? { basis: input.basis } : {}),
        budgetFen: input.budgetFen,
        createdBy: ctx.openid,
        createdByName: ctx.member.name,
        createdAt: ctx.now,
        progress: [],
        requestDigest: requestDigest(asked),
        version: 1,
      };
      if (!(await insertOnce(PROJECTS, doc))) {
        const first = await requireProject(ctx, _id);
        assertSameDigest(first.requestDigest, asked, OTHER_PROJECT);
        return toProjectView(first);
      }
      await audit(ctx, { target: `ledger_project:${_id}`, after: { name: doc.name, budgetFen: doc.budgetFen } });
      return toProjectView(doc);
    },
  }),

  projects: action({
    schema: s.projects,
    roles: ANY_MEMBER,
    handler: async ({ page = 1 }, ctx) => {
      const { docs, hasMore } = await readPage<ProjectDoc>(
        collection(PROJECTS).where({ communityId: ctx.communityId }).orderBy('createdAt', 'desc'),
        page,
      );
      return { items: await Promise.all(docs.map(toProjectView)), page, hasMore };
    },
  }),

  project: action({
    schema: s.project,
    roles: ANY_MEMBER,
    handler: async ({ projectId, page = 1 }, ctx) => {
      const p = await requireProject(ctx, projectId);
      const { docs, hasMore } = await readPage<EntryDoc>(charged(ctx.communityId, projectId), page);
      const names = new Map<string, string>();
      for (const id of new Set(docs.map((d) => d.accountId)))
        names.set(id, (await findById<AccountDoc>(ACCOUNTS, id))?.name ?? '');
      return {
        ...(await toProjectView(p)),
        items: docs.map((e) => toEntryView(e, names.get(e.accountId) ?? '', isWorker(ctx))),
        page,
        hasMore,
      };
    },
  }),

  progress: action({
    schema: s.progress,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ projectId, note, pictures, requestId }, ctx) => {
      const p = await requireProject(ctx, projectId);
      const id = noteIdFor(requestId);
      const list = [...new Set(pictures ?? [])];
      const again = p.progress.find((n) => n.id === id);
      if (again) {
        if (again.note !== note || again.pictures.join('\n') !== list.join('\n'))
          throw new AppError('E_CONFLICT', '这个请求编号已用于另一条进度说明，请重新提交');
        return toProjectView(p);
      }
      if (p.progress.length >= PROGRESS_MAX) throw new AppError('E_CONFLICT', `一个项目最多记录 ${PROGRESS_MAX} 条进度`);
      await checkAttachments(list, ctx.openid);
      const entry = { id, note, pictures: list, by: ctx.openid, byName: ctx.member.name, at: ctx.now };
      // Appended by compare-and-set on the version: two notes at once both land, one after a retry.
      const res = await collection(PROJECTS)
        .where({ _id: projectId, version: p.version })
        .update({ progress: [...p.progress, entry], version: p.version + 1 });
      if (res.updated !== 1) throw new AppError('E_CONFLICT', '项目刚有更新，请刷新后重试');
      await audit(ctx, { target: `ledger_project:${projectId}`, after: { progress: p.progress.length + 1 }, note });
      return toProjectView({ ...p, progress: [...p.progress, entry], version: p.version + 1 });
    },
  }),
};
