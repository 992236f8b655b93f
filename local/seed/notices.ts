// Demo notices: a pinned water-outage notice for 1栋–2栋, a community-wide activity, and a draft.
// Written by fixed `_id`s with put(), so an interrupted seed can run again.
import type { NoticeDoc } from '../../cloudfunctions/notices/model';
import { DEMO_COMMUNITY_ID, put } from './community';

const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');
const DAY = 86400_000;

export const DEMO_NOTICES = { water: 'demo-notice-water', activity: 'demo-notice-activity', draft: 'demo-notice-draft' };

export function demoNotices(now: Date): NoticeDoc[] {
  const base = {
    communityId: DEMO_COMMUNITY_ID,
    images: [],
    readCount: 0,
    remindedAt: null,
    authorOpenid: 'demo-worker',
    authorName: '李梅',
    version: 1,
  };
  const waterAt = new Date(now.getTime() - 2 * 3600_000);
  const waterEnds = new Date(now.getTime() + 3 * DAY);
  const activityAt = new Date(now.getTime() - DAY);
  return [
    {
      ...base,
      _id: DEMO_NOTICES.water,
      title: '1栋、2栋明日停水通知',
      body: '因二次供水设备检修，1栋、2栋明天 9:00–17:00 停水。请提前储水，检修完成后请先放水一分钟再使用。独居老人家中如需送水，请联系社区工作人员或楼栋党员志愿者。',
      category: '停水停电',
      buildings: ['1栋', '2栋'],
      audience: ['1栋', '2栋'],
      pinned: true,
      status: 'published',
      publishAt: waterAt,
      expiresAt: waterEnds,
      visibleUntil: waterEnds,
      createdAt: waterAt,
      updatedAt: waterAt,
    },
    {
      ...base,
      _id: DEMO_NOTICES.activity,
      title: '周六上午社区义诊和理发活动',
      body: '本周六 8:30–11:30 在社区广场举办义诊、量血压和免费理发，欢迎居民参加。行动不便的老人可在小程序里预约上门理发。',
      category: '活动',
      buildings: [],
      audience: ['*'],
      pinned: false,
      status: 'published',
      publishAt: activityAt,
      expiresAt: null,
      visibleUntil: FAR_FUTURE,
      createdAt: activityAt,
      updatedAt: activityAt,
    },
    {
      ...base,
      _id: DEMO_NOTICES.draft,
      title: '关于加装电梯意见征集（草稿）',
      body: '3栋、4栋加装电梯方案征求意见，请各户在月底前反馈。具体方案待定稿后公布。',
      category: '议事公示',
      buildings: ['3栋', '4栋'],
      audience: ['3栋', '4栋'],
      pinned: false,
      status: 'draft',
      publishAt: null,
      expiresAt: null,
      visibleUntil: FAR_FUTURE,
      createdAt: now,
      updatedAt: now,
    },
  ];
}

export async function seedNotices(now: Date): Promise<void> {
  for (const notice of demoNotices(now)) await put('notices', notice);
}
