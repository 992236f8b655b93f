// The topic pages' scenes (线上议事), made through the real affairs function on the preview's
// clock: 孙伟 proposed a topic last month that went through all five steps up to its decision and
// a first progress note; 赵秀兰 proposed one this morning that neighbours seconded and commented on.

import type { Scene, SceneContext } from './scene-types';

const DAY = 24 * 60;

export async function prepareTopics(ctx: SceneContext): Promise<void> {
  const worker = 'demo-worker';
  const call = <T = { _id: string }>(action: string, payload: Record<string, unknown>, openid: string) =>
    ctx.invoke<T>('affairs', action, payload, openid);

  ctx.at(-20 * DAY);
  const lights = await call(
    'propose',
    {
      title: '3栋楼道加装声控灯',
      body: '3栋楼道晚上太黑，老人上下楼容易摔倒。建议每层加装声控灯，费用从公共收益里出。',
      requestId: 'preview-topic-lights',
    },
    'demo-resident-2',
  );
  ctx.ids.topicDecided = lights._id;
  ctx.at(-20 * DAY + 30);
  for (const o of ['demo-resident-3', 'demo-resident-4', 'demo-volunteer-2']) await call('second', { topicId: lights._id }, o);
  ctx.at(-19 * DAY);
  await call('acceptTopic', { topicId: lights._id, note: '居民关注度高，列入今年议事清单' }, worker);
  ctx.at(-18 * DAY);
  await call(
    'scheduleMeeting',
    {
      topicId: lights._id,
      at: new Date(Date.parse('2030-01-07T09:41:00+08:00') - 15 * DAY * 60_000 + 10 * 60 * 60_000).toISOString(),
      place: '3栋楼下议事角',
      invited: '3栋楼组长、物业电工、提议居民和附议居民',
    },
    worker,
  );
  ctx.at(-15 * DAY + 12 * 60);
  await call(
    'postMinutes',
    { topicId: lights._id, minutes: '到会 11 人。大家同意每层加装声控灯，物业负责采购安装，费用从公共收益列支。' },
    worker,
  );
  ctx.at(-14 * DAY);
  await call('decideTopic', { topicId: lights._id, decision: '3栋 1–6 层每层加装 1 盏声控灯，物业负责，1 月底前完成。' }, worker);
  ctx.at(-3 * DAY);
  await call('reportProgress', { topicId: lights._id, note: '灯具已采购，本周末安装。' }, worker);

  ctx.at(-120);
  const bench = await call(
    'propose',
    {
      title: '小区东门加装休息长椅',
      body: '东门等公交的老人多，没地方坐。建议在东门内侧放两张长椅。',
      requestId: 'preview-topic-bench',
    },
    'demo-resident-1',
  );
  ctx.ids.topicNew = bench._id;
  ctx.at(-90);
  await call('second', { topicId: bench._id }, 'demo-resident-2');
  await call('comment', { topicId: bench._id, text: '赞成，最好带靠背。', requestId: 'preview-comment-1' }, 'demo-resident-3');
  ctx.at(-60);
  await call('second', { topicId: bench._id }, 'demo-resident-5');
  ctx.at(0);
}

export const TOPIC_SCENES: Scene[] = [
  { name: 'topics', caption: '线上议事 — 议题列表', route: 'packages/affairs/topics/index', openid: 'demo-resident-3' },
  {
    name: 'topic-new-detail',
    caption: '议题详情 · 征集中',
    route: 'packages/affairs/topic/index',
    openid: 'demo-resident-4',
    query: (ctx) => ({ id: ctx.ids.topicNew }),
  },
  {
    name: 'topic-decided',
    caption: '议题详情 · 决议落实中',
    route: 'packages/affairs/topic/index',
    openid: 'demo-resident-3',
    query: (ctx) => ({ id: ctx.ids.topicDecided }),
  },
  {
    name: 'topic-worker',
    caption: '议题详情 — 社区工作者',
    route: 'packages/affairs/topic/index',
    openid: 'demo-worker',
    query: (ctx) => ({ id: ctx.ids.topicNew }),
  },
  { name: 'topic-propose', caption: '提出议题', route: 'packages/affairs/topic-new/index', openid: 'demo-resident-1' },
  {
    name: 'topic-act',
    caption: '议题办理 · 列入议事清单',
    route: 'packages/affairs/topic-act/index',
    openid: 'demo-worker',
    query: (ctx) => ({ id: ctx.ids.topicNew, step: 'accept' }),
  },
];
