// The topic pages (packages/affairs: topics, topic-new, topic, topic-act) against the real affairs
// and notices functions on the local cloud: a resident proposes, a neighbour seconds and comments,
// the worker takes the topic through 民主协商五步工作法 from the topic's page, and the decision's
// 议事公示 notice opens from it.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { TopicDetail } from '../../cloudfunctions/affairs/api';
import { collection, findById } from '../../cloudfunctions/common/db';
import type { TopicDoc } from '../../cloudfunctions/affairs/topics-model';
import { dateText } from '../../miniprogram/shared/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies, type PageHandle } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { CLOCK } from '../helpers/clock';
import { requestIdOf, topicIn } from '../helpers/topics';

const KB = 1024;
const W = 'demo-worker';
const P = 'demo-resident-2';
const N = 'demo-resident-3';
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
beforeEach(async () => {
  installPhoneSpies();
  await forgetLimits();
});
afterEach(() => {
  cleanup();
  jest.useRealTimers();
});

const topic = (id: string) => findById<TopicDoc>('topics', id);
const pick = async (page: PageHandle, selector: string, value: string) => {
  page.comp.querySelector(selector)!.dispatchEvent('change', { detail: { value } });
  await page.tap('#step-label'); // lets the change settle like any tap
};

describe('线上议事 list', () => {
  test('tabs by status, 20 a page appended by path, a row opens its topic', async () => {
    for (let i = 0; i < 21; i++) {
      await forgetLimits();
      await invokeData(
        cloud,
        'affairs',
        'propose',
        { title: `页面议题${i}`, body: '内容', requestId: requestIdOf('pg') },
        'demo-resident-4',
      );
    }
    const page = await renderPage('packages/affairs/topics/index', { openid: N });
    expect(page.text('#intro')).toContain('征集议题 → 确定议题 → 协商讨论 → 形成决议 → 公示落实');
    expect(page.count('.card')).toBe(20);
    expect(page.text('.card')).toContain('第 2 步 · 确定议题');
    const first = page.setDataSizes[page.setDataSizes.length - 1];
    await page.reachBottom();
    expect(page.count('.card')).toBeGreaterThan(20);
    expect(page.setDataSizes[page.setDataSizes.length - 1]).toBeLessThan(first);

    await page.tap('#view-declined');
    expect(page.text('#empty')).toBe('没有未采纳的议题');
    await page.tap('#view-collecting');
    expect(page.data.items.every((r: { status: string }) => r.status === 'proposed')).toBe(true);
    await page.tap('.card');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: expect.stringMatching(/^\/packages\/affairs\/topic\/index\?id=t/) });
    await page.tap('#propose');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/affairs/topic-new/index' });
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });
});

describe('提出议题', () => {
  test('says what is missing without calling; then proposes once with its picture and opens the topic', async () => {
    const page = await renderPage('packages/affairs/topic-new/index', { openid: P });
    await page.tap('#submit');
    expect(page.text('#title-error')).toBe('请写一个标题，例如：3栋楼道加装声控灯');
    expect(page.text('#body-error')).toBe('请说一说是什么事、为什么要商量');
    await page.input('#title-input', '小区东门加装雨棚');
    await page.input('#body-input', '下雨天等快递的老人没有地方避雨。');
    await page.tap('#add-photo');
    expect(page.count('.photo')).toBe(1);
    await page.tap('#submit');
    const url = (wxSpies.redirectTo.mock.calls[0][0] as { url: string }).url;
    expect(url).toMatch(/^\/packages\/affairs\/topic\/index\?id=t[0-9a-f]{20}$/);
    const saved = await topic(url.split('id=')[1]);
    expect(saved).toMatchObject({ title: '小区东门加装雨棚', status: 'proposed', proposerOpenid: P });
    expect(saved!.images[0]).toMatch(/\/affairs\/[A-Za-z0-9_-]+\.png$/);
  });
});

describe('议题详情', () => {
  test('a neighbour seconds and comments; the proposer cannot second their own', async () => {
    const t = await topicIn(cloud, 'proposed', { proposer: P });
    const mine = await renderPage('packages/affairs/topic/index', { query: { id: t._id }, openid: P });
    expect(mine.text('#own')).toBe('你提出的议题');
    expect(mine.exists('#second')).toBe(false);
    expect(mine.text('#step-text')).toBe('第 2 步 · 确定议题');
    mine.detach();

    const page = await renderPage('packages/affairs/topic/index', { query: { id: t._id }, openid: N });
    expect(page.text('#title')).toBe(t.title);
    expect(page.text('#status')).toBe('征集中');
    expect(page.text('#byline')).toMatch(/^2栋 .\*+ 提出/);
    expect(page.exists('#actions')).toBe(false);
    await page.tap('#second');
    expect(page.text('#seconds')).toContain('1 人附议');
    expect(page.text('#seconded')).toBe('你已附议');

    await page.tap('#send-comment');
    expect(page.text('#comment-error')).toBe('请先写下你的意见');
    await page.input('#comment-input', '赞成，希望尽快');
    await page.tap('#send-comment');
    expect(page.text('#comment-0')).toContain('赞成，希望尽快');
    expect(page.text('#comment-0')).toContain('（我）');
    expect((await topic(t._id))!.commentCount).toBe(1);
  });

  test('a worker sees the next steps; each opens its form', async () => {
    const t = await topicIn(cloud, 'proposed');
    const page = await renderPage('packages/affairs/topic/index', { query: { id: t._id }, openid: W });
    expect(page.exists('#step-accept')).toBe(true);
    expect(page.exists('#step-decline')).toBe(true);
    expect(page.exists('#step-finish')).toBe(false);
    expect(page.text('#light')).toContain('正常');
    await page.tap('#step-accept');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: `/packages/affairs/topic-act/index?id=${t._id}&step=accept` });
  });

  test('a declined topic says why and takes no more seconds or comments', async () => {
    const t = await topicIn(cloud, 'proposed');
    await invokeData(cloud, 'affairs', 'declineTopic', { topicId: t._id, reason: '不属于社区事务，已转交物业' }, W);
    const page = await renderPage('packages/affairs/topic/index', { query: { id: t._id }, openid: N });
    expect(page.text('#declined')).toContain('不属于社区事务，已转交物业');
    expect(page.exists('#second')).toBe(false);
    expect(page.exists('#comment-input')).toBe(false);
    expect(page.text('#status')).toBe('未采纳');
  });

  test('a missing topic says so', async () => {
    const page = await renderPage('packages/affairs/topic/index', { query: { id: 'no-such-topic' }, openid: N });
    expect(page.text('#message')).toBe('这个议题不存在或已被删除');
  });
});

describe('议题办理 (worker forms)', () => {
  const act = (id: string, step: string) => renderPage('packages/affairs/topic-act/index', { query: { id, step }, openid: W });

  test('列入议事清单, then 安排议事会 with date, time, place and who is invited', async () => {
    const t = await topicIn(cloud, 'proposed');
    const accept = await act(t._id, 'accept');
    expect(accept.text('#topic-title')).toBe(`议题：${t.title}`);
    await accept.tap('#submit');
    expect(wxSpies.navigateBack).toHaveBeenCalled();
    expect((await topic(t._id))!.status).toBe('listed');
    accept.detach();

    const schedule = await act(t._id, 'schedule');
    await schedule.tap('#submit');
    expect(schedule.text('#text-error')).toBe('请填写参会人员');
    await schedule.input('#text-input', '楼组长、物业经理');
    await schedule.tap('#submit');
    expect(schedule.text('#place-error')).toContain('请填写议事会地点');
    await schedule.input('#place-input', '党群服务中心二楼');
    const day = dateText(Date.now() + 3 * 86_400_000);
    await pick(schedule, '#date-picker', day);
    await pick(schedule, '#time-picker', '19:30');
    await schedule.tap('#submit');
    const saved = await topic(t._id);
    expect(saved).toMatchObject({ status: 'scheduled', meeting: { place: '党群服务中心二楼', invited: '楼组长、物业经理' } });
    expect(new Date(saved!.meeting!.at).toISOString()).toBe(new Date(`${day}T19:30:00+08:00`).toISOString());
  });

  test('形成决议 publishes the notice; the topic page shows it and opens it', async () => {
    const t = await topicIn(cloud, 'discussed');
    const decide = await act(t._id, 'decide');
    expect(decide.exists('#due-form')).toBe(true);
    await decide.input('#text-input', '东门空地加装 10 个充电桩');
    await decide.tap('#submit');
    const saved = await topic(t._id);
    expect(saved!.status).toBe('decided');
    expect((await collection('notices').where({ _id: saved!.decision!.noticeId, category: '议事公示' }).count()).total).toBe(1);
    decide.detach();

    const page = await renderPage('packages/affairs/topic/index', { query: { id: t._id }, openid: N });
    expect(page.text('#decision')).toContain('东门空地加装 10 个充电桩');
    expect(page.texts('.five__step--done')).toEqual(['征集议题', '确定议题', '协商讨论', '形成决议']);
    await page.tap('#open-notice');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: `/pages/notices/detail/index?id=${saved!.decision!.noticeId}` });
  });

  test('a step the topic has moved past says so instead of a form', async () => {
    const t: TopicDetail = await topicIn(cloud, 'listed');
    const page = await act(t._id, 'accept');
    expect(page.text('#message')).toBe('这个议题现在不能「列入议事清单」，请回到议题查看最新进展');
    expect(page.exists('#submit')).toBe(false);
  });

  test('after the meeting, the minutes are posted with a picture', async () => {
    jest.useFakeTimers(CLOCK);
    jest.setSystemTime(new Date('2030-09-01T09:00:00+08:00'));
    const t = await topicIn(cloud, 'scheduled', { fakeClock: true });
    jest.setSystemTime(new Date(new Date(t.meeting!.at).getTime() + 3_600_000));
    const page = await act(t._id, 'minutes');
    await page.input('#text-input', '到会 12 人，一致同意。');
    await page.tap('#add-photo');
    await page.tap('#submit');
    const saved = await topic(t._id);
    expect(saved!.status).toBe('discussed');
    expect(saved!.minutes!.images).toHaveLength(1);
  });
});

describe('议事 hub', () => {
  test('the topics tab leads to the list and the form', async () => {
    const page = await renderPage('packages/affairs/index/index', { query: { tab: 'topics' }, openid: N });
    expect(page.text('#topics-entry')).toContain('线上议事');
    await page.tap('#open-topics');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/affairs/topics/index' });
    await page.tap('#propose-topic');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/affairs/topic-new/index' });
  });
});
