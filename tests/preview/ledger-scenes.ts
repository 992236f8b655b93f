// The ledger's scenes (玻璃口袋): December 2029's public-income entries, recorded by 李梅 and
// approved by a second worker, the month closed, as a resident reads it in January; a question on
// the lights' entry, answered; a project (3栋楼道粉刷) with spending and a progress note; an
// entry of January waiting for approval; and the workers' pages.
import { collection } from '../../cloudfunctions/common/db';
import { DEMO_ACCOUNTS } from '../../local/seed/ledger';

import type { Scene, SceneContext } from './scene-types';

const SECOND_WORKER = 'demo-volunteer-3';
const ENTRIES = [
  {
    direction: 'in',
    amountFen: 360_000,
    date: '2029-12-05',
    summary: '地面共享车位 12 月租金',
    counterparty: '停车管理公司',
    counterpartyKind: 'org',
  },
  {
    direction: 'in',
    amountFen: 80_000,
    date: '2029-12-10',
    summary: '电梯广告位 12 月收入',
    counterparty: '广告公司',
    counterpartyKind: 'org',
  },
  {
    direction: 'out',
    amountFen: 125_000,
    date: '2029-12-18',
    summary: '3栋楼道声控灯采购安装',
    counterparty: '物业公司',
    counterpartyKind: 'org',
    basis: '议事会决议：3栋楼道加装声控灯',
  },
  {
    direction: 'out',
    amountFen: 30_000,
    date: '2029-12-22',
    summary: '东门休息长椅两张',
    counterparty: '家具店',
    counterpartyKind: 'org',
  },
] as const;

export async function prepareLedger(ctx: SceneContext): Promise<void> {
  // Approval needs a second worker: 陈志强 helps for the day, then is a volunteer again.
  const member = collection('members').where({ _id: `demo:${SECOND_WORKER}` });
  await member.update({ roles: ['resident', 'volunteer', 'worker'] });
  for (const [i, e] of ENTRIES.entries()) {
    const entry = await ctx.invoke<{ _id: string }>(
      'ledger',
      'record',
      { account: DEMO_ACCOUNTS.public, ...e, requestId: `preview-ledger-${i}` },
      'demo-worker',
    );
    await ctx.invoke('ledger', 'approve', { entryId: entry._id }, SECOND_WORKER);
  }
  await ctx.invoke('ledger', 'close', { month: '2029-12' }, 'demo-worker');
  const lights = await ctx.invoke<{ items: { _id: string; summary: string }[] }>(
    'ledger',
    'statement',
    { month: '2029-12' },
    'demo-resident-3',
  );
  ctx.ids.ledgerEntry = lights.items.find((e) => e.summary.includes('声控灯'))!._id;
  const asked = await ctx.invoke<{ _id: string }>(
    'ledger',
    'ask',
    { entryId: ctx.ids.ledgerEntry, question: '一共换了几盏灯？每盏多少钱？' },
    'demo-resident-3',
  );
  await ctx.invoke(
    'ledger',
    'answer',
    { questionId: asked._id, answer: '共 25 盏，每盏 50 元，含安装。发票已附在账目里。' },
    'demo-worker',
  );

  const project = await ctx.invoke<{ _id: string }>(
    'ledger',
    'createProject',
    {
      name: '3栋楼道粉刷',
      budgetFen: 1_500_000,
      plan: '粉刷3栋1—6层楼道墙面和扶手，2030年1月开工，春节前完成。',
      basis: '2029年12月议事会决议',
      requestId: 'preview-project-1',
    },
    'demo-worker',
  );
  ctx.ids.ledgerProject = project._id;
  const paint = await ctx.invoke<{ _id: string }>(
    'ledger',
    'record',
    {
      account: DEMO_ACCOUNTS.repair,
      direction: 'out',
      amountFen: 620_000,
      date: '2030-01-05',
      summary: '3栋楼道粉刷首期款',
      counterparty: '装修公司',
      counterpartyKind: 'org',
      project: project._id,
      requestId: 'preview-ledger-paint',
    },
    'demo-worker',
  );
  await ctx.invoke('ledger', 'approve', { entryId: paint._id }, SECOND_WORKER);
  await ctx.invoke(
    'ledger',
    'progress',
    { projectId: project._id, note: '1—3层墙面已粉刷完成，4—6层下周施工。', requestId: 'preview-progress-1' },
    'demo-worker',
  );
  // Waiting for a second worker: what the desk shows.
  await ctx.invoke(
    'ledger',
    'record',
    {
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 360_000,
      date: '2030-01-05',
      summary: '地面共享车位 1 月租金',
      counterparty: '停车管理公司',
      counterpartyKind: 'org',
      requestId: 'preview-ledger-pending',
    },
    SECOND_WORKER,
  );
  await member.update({ roles: ['resident', 'volunteer'] });
}

export const LEDGER_SCENES: Scene[] = [
  {
    name: 'ledger-statement',
    caption: '账目公开 · 月度收支',
    route: 'packages/ledger/statement/index',
    openid: 'demo-resident-3',
    query: () => ({ month: '2029-12' }),
  },
  { name: 'ledger-home', caption: '玻璃口袋 · 账户与月度账目', route: 'packages/ledger/home/index', openid: 'demo-resident-3' },
  {
    name: 'ledger-entry',
    caption: '账目详情 · 提问与回复',
    route: 'packages/ledger/entry/index',
    openid: 'demo-resident-3',
    query: (ctx) => ({ id: ctx.ids.ledgerEntry }),
  },
  {
    name: 'ledger-projects',
    caption: '项目公开 · 预算与已花',
    route: 'packages/ledger/projects/index',
    openid: 'demo-resident-3',
  },
  {
    name: 'ledger-project',
    caption: '项目详情 · 进度公开',
    route: 'packages/ledger/project/index',
    openid: 'demo-resident-3',
    query: (ctx) => ({ id: ctx.ids.ledgerProject }),
  },
  { name: 'ledger-record', caption: '记一笔账 — 社区工作者', route: 'packages/ledger/record/index', openid: 'demo-worker' },
  { name: 'ledger-desk', caption: '账目工作台 · 待复核', route: 'packages/ledger/desk/index', openid: 'demo-worker' },
  { name: 'ledger-accounts', caption: '账户管理 — 社区工作者', route: 'packages/ledger/accounts/index', openid: 'demo-worker' },
];
