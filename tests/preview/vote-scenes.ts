// The owners'-vote pages' scenes (业主表决, 意见征询), made through the real affairs function on the
// preview's clock: a major vote on the lifts, opened three days ago and counted an hour ago; an
// ordinary vote on the property company, open now; a consultation on handrails.

import type { Scene, SceneContext } from './scene-types';

const DAY = 24 * 60;
const BASE = new Date('2030-01-07T09:41:00+08:00').getTime();
const iso = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

export async function prepareVotes(ctx: SceneContext): Promise<void> {
  const worker = 'demo-worker';
  const call = <T = { _id: string }>(action: string, payload: Record<string, unknown>, openid: string) =>
    ctx.invoke<T>('affairs', action, payload, openid);

  ctx.at(-3 * DAY);
  const lifts = await call(
    'openVote',
    {
      title: '使用维修资金更换1栋、2栋电梯',
      body: '1栋、2栋电梯已使用 18 年，多次困人。经第三方检测建议更换，预算 86 万元，从专项维修资金中列支，由业委会选定施工单位并公示。',
      matter: 'major',
      closesAt: iso(-2 * 60),
      requestId: 'preview-vote-lifts',
    },
    worker,
  );
  ctx.at(-2 * DAY);
  const ballots: [string, string][] = [
    ['demo-resident-1', 'yes'],
    ['demo-resident-2', 'yes'],
    ['demo-resident-3', 'yes'],
    ['demo-resident-4', 'yes'],
    ['demo-volunteer-1', 'yes'],
    ['demo-volunteer-2', 'yes'],
    ['demo-worker', 'abstain'],
    ['demo-resident-5', 'no'],
  ];
  for (const [who, choice] of ballots) await call('cast', { voteId: lifts._id, choice }, who);
  ctx.at(-60);
  await call('closeVote', { voteId: lifts._id }, worker);
  ctx.ids['preview-vote-lifts'] = lifts._id;

  ctx.at(-30);
  const company = await call(
    'openVote',
    {
      title: '续聘幸福物业服务公司（2030—2032年）',
      body: '现物业服务合同将于 3 月底到期。业委会建议按原标准续聘两年，服务内容和考核办法见附件公示。请业主在截止前投票。',
      matter: 'ordinary',
      closesAt: iso(6 * DAY),
      requestId: 'preview-vote-company',
    },
    worker,
  );
  for (const who of ['demo-resident-3', 'demo-volunteer-1']) await call('cast', { voteId: company._id, choice: 'yes' }, who);
  ctx.ids['preview-vote-company'] = company._id;

  const consult = await call(
    'createConsult',
    {
      title: '各楼道是否加装扶手',
      body: '有老人反映上下楼不便，社区想在各楼道加装扶手，费用由社区微实事项目承担。请每户选一项。',
      options: ['赞成加装', '不需要', '只在1—3层加装'],
      closesAt: iso(5 * DAY),
      requestId: 'preview-consult-handrails',
    },
    worker,
  );
  for (const [who, option] of [
    ['demo-resident-3', 0],
    ['demo-volunteer-2', 2],
    ['demo-resident-4', 0],
  ] as const)
    await call('answerConsult', { consultId: consult._id, option }, who);
  ctx.ids['preview-consult-handrails'] = consult._id;
}

export const VOTE_SCENES: Scene[] = [
  {
    name: 'votes',
    caption: '议事与表决 · 业主表决',
    route: 'packages/affairs/index/index',
    openid: 'demo-worker',
    query: () => ({ tab: 'votes' }),
    interact: async (page) => {
      await page.tap('#tab-votes');
    },
  },
  {
    name: 'vote-open',
    caption: '业主表决 · 投票',
    route: 'packages/affairs/vote/index',
    openid: 'demo-resident-2',
    query: (ctx) => ({ id: ctx.ids['preview-vote-company'] }),
  },
  {
    name: 'vote-worker',
    caption: '业主表决 — 社区工作者',
    route: 'packages/affairs/vote/index',
    openid: 'demo-worker',
    query: (ctx) => ({ id: ctx.ids['preview-vote-company'] }),
  },
  {
    name: 'vote-result',
    caption: '表决结果与回执',
    route: 'packages/affairs/result/index',
    openid: 'demo-resident-2',
    query: (ctx) => ({ id: ctx.ids['preview-vote-lifts'] }),
  },
  { name: 'vote-form', caption: '发起业主表决', route: 'packages/affairs/open/index', openid: 'demo-worker' },
  { name: 'consult-form', caption: '发起意见征询', route: 'packages/affairs/consult-new/index', openid: 'demo-worker' },
  { name: 'parts-register', caption: '专有部分登记', route: 'packages/affairs/register/index', openid: 'demo-worker' },
  {
    name: 'consult',
    caption: '意见征询',
    route: 'packages/affairs/consult/index',
    openid: 'demo-resident-2',
    query: (ctx) => ({ id: ctx.ids['preview-consult-handrails'] }),
  },
];
