// The whole path of issue #15 in the pages, against the real affairs and notices functions on the
// local cloud: a resident proposes a topic → the worker lists it → puts it to an owners' vote from
// the topic's page → owners cast on the vote page → the worker closes the vote → 据此形成决议 from
// the result page → the decision is published as a 议事公示 notice and shown on the topic.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { collection, findById } from '../../cloudfunctions/common/db';
import type { TopicDoc } from '../../cloudfunctions/affairs/topics-model';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, settle, wireCloud, wxSpies } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { CLOCK } from '../helpers/clock';

const W = 'demo-worker';
const P = 'demo-resident-2';
const TITLE = '地下车库加装充电桩';
const VOTE_TITLE = '地下车库加装 20 个充电桩';
const OWNERS = ['demo-resident-3', 'demo-resident-4', 'demo-volunteer-1', 'demo-volunteer-2', 'demo-resident-5', W];
const PAGES = {
  propose: 'packages/affairs/topic-new/index',
  topic: 'packages/affairs/topic/index',
  act: 'packages/affairs/topic-act/index',
  open: 'packages/affairs/open/index',
  vote: 'packages/affairs/vote/index',
  result: 'packages/affairs/result/index',
};

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(async () => {
  jest.useRealTimers();
  await closeCloud(cloud);
});
beforeEach(forgetLimits);
afterEach(cleanup);

const urlOf = (spy: jest.Mock): string => (spy.mock.calls.at(-1)![0] as { url: string }).url;
const queryOf = (url: string) => Object.fromEntries(new URLSearchParams(url.split('?')[1]));

test('a proposed topic becomes a published decision through an owners’ vote, all in the pages', async () => {
  // 1. The resident proposes.
  const propose = await renderPage(PAGES.propose, { openid: P });
  await propose.input('#title-input', TITLE);
  await propose.input('#body-input', '电动车越来越多，车库没有充电桩，只能拉线充电，不安全。');
  await propose.tap('#submit');
  const [proposed] = (await collection('topics').where({ title: TITLE }).get()).data as TopicDoc[];
  expect(proposed.status).toBe('proposed');
  const topicId = proposed._id;

  // A proposed topic cannot go to a vote yet; the worker lists it first.
  const before = await renderPage(PAGES.topic, { openid: W, query: { id: topicId } });
  expect(before.exists('#step-accept')).toBe(true);
  expect(before.exists('#put-to-vote')).toBe(false);
  await before.tap('#step-accept');
  expect(urlOf(wxSpies.navigateTo)).toBe(`/${PAGES.act}?id=${topicId}&step=accept`);
  const accept = await renderPage(PAGES.act, { openid: W, query: { id: topicId, step: 'accept' } });
  await accept.tap('#submit');
  expect((await findById<TopicDoc>('topics', topicId))!.status).toBe('listed');

  // 2. From the listed topic's page the worker puts it to a vote; residents see no such button.
  const resident = await renderPage(PAGES.topic, { openid: P, query: { id: topicId } });
  expect(resident.exists('#put-to-vote')).toBe(false);
  const listed = await renderPage(PAGES.topic, { openid: W, query: { id: topicId } });
  expect(listed.text('#put-to-vote')).toBe('交业主表决');
  await listed.tap('#put-to-vote');
  expect(urlOf(wxSpies.navigateTo)).toBe(`/${PAGES.open}?topicId=${topicId}`);

  const form = await renderPage(PAGES.open, { openid: W, query: { topicId } });
  expect(form.text('#topic-for')).toContain(TITLE);
  await form.input('#title-input', VOTE_TITLE);
  await form.input('#body-input', '使用公共收益在地下车库加装 20 个充电桩，约 8 万元。');
  await form.tap('#submit');
  const [vote] = (await collection('votes').where({ title: VOTE_TITLE }).get()).data as {
    _id: string;
    topicId: string;
    closesAt: Date;
  }[];
  expect(vote.topicId).toBe(topicId);
  expect(urlOf(wxSpies.redirectTo)).toBe(`/${PAGES.vote}?id=${vote._id}`);

  // 3. Owners cast: one on the vote page, the others through the function.
  const ballot = await renderPage(PAGES.vote, { openid: P, query: { id: vote._id } });
  await ballot.tap('.cast-yes');
  expect(ballot.text('#my')).toContain('您已投票（同意）');
  for (const o of OWNERS) await invokeData(cloud, 'affairs', 'cast', { voteId: vote._id, choice: 'yes' }, o);

  // An open vote offers no decision yet.
  const early = await renderPage(PAGES.result, { openid: W, query: { id: vote._id } });
  expect(early.exists('#decide-from-vote')).toBe(false);

  // 4. After the deadline the worker closes it.
  jest.useFakeTimers(CLOCK);
  jest.setSystemTime(new Date(vote.closesAt).getTime() + 120_000);
  const manage = await renderPage(PAGES.vote, { openid: W, query: { id: vote._id } });
  await manage.tap('#close-vote');
  await settle();
  expect(manage.text('#verdict')).toContain('表决通过');

  // 5. On the result page the worker (not an owner) gets 据此形成决议.
  const ownerResult = await renderPage(PAGES.result, { openid: P, query: { id: vote._id } });
  expect(ownerResult.text('#verdict')).toBe('通过');
  expect(ownerResult.exists('#decide-from-vote')).toBe(false);
  const result = await renderPage(PAGES.result, { openid: W, query: { id: vote._id } });
  await result.tap('#decide-from-vote');
  const decideUrl = urlOf(wxSpies.navigateTo);
  expect(decideUrl.startsWith(`/${PAGES.act}?`)).toBe(true);
  const query = queryOf(decideUrl);
  expect(query).toEqual({ id: topicId, step: 'decide', voteId: vote._id });

  const decide = await renderPage(PAGES.act, { openid: W, query });
  expect(decide.text('#topic-title')).toBe(`议题：${TITLE}`);
  expect(decide.text('#vote-basis')).toBe(`依据业主表决：${VOTE_TITLE}（通过）`);
  await decide.input('#text-input', '由物业在三个月内加装 20 个充电桩，费用从公共收益列支。');
  await decide.tap('#submit');
  expect(wxSpies.navigateBack).toHaveBeenCalled();

  // 6. The topic is decided by that vote, and its 议事公示 notice says so.
  const decided = (await findById<TopicDoc>('topics', topicId))!;
  expect(decided.status).toBe('decided');
  expect(decided.decision).toMatchObject({ voteId: vote._id });
  const notice = (await findById<{ category: string; title: string; body: string }>('notices', decided.decision!.noticeId))!;
  expect(notice.category).toBe('议事公示');
  expect(notice.body).toContain(VOTE_TITLE);
  const page = await renderPage(PAGES.topic, { openid: P, query: { id: topicId } });
  expect(page.text('#status')).toBe('决议落实中');
  expect(page.text('#decision')).toContain('经业主表决');
  await page.tap('#open-notice');
  expect(urlOf(wxSpies.navigateTo)).toBe(`/pages/notices/detail/index?id=${decided.decision!.noticeId}`);

  // The result page no longer offers the step once the topic is decided.
  const after = await renderPage(PAGES.result, { openid: W, query: { id: vote._id } });
  expect(after.exists('#decide-from-vote')).toBe(false);
  expect(after.text('#verdict')).toBe('通过');
});
