// The ledger's scene (玻璃口袋): December 2029's public-income entries, recorded by 李梅 and
// approved by a second worker, the month closed, as a resident reads it in January.
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
];
