// The order form after a lost answer (issue #14.3): the first submit made the order but the answer
// never came; the resident edits the text and taps 提交 again. The function refuses the reused
// request id with E_CONFLICT and says what to do; the page then makes a new id, so the next tap is
// a new request — the resident is never stuck resending a refused id.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies, type CloudCall } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let calls: CloudCall[];

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2030-01-07T09:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  calls = wireCloud(cloud).calls;
});
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
beforeEach(async () => {
  installPhoneSpies();
  await forgetLimits();
});
afterEach(cleanup);

const R = 'demo-resident-4';
const requestIdOf = (c: CloudCall) => (c.payload as { requestId: string }).requestId;

/** Makes the answer of the next call of `action` get lost on the way back (the call itself runs). */
function loseNextAnswer(action: string): { lost: () => boolean } {
  const cloudApi = (globalThis as unknown as { wx: { cloud: { callFunction: (o: unknown) => Promise<unknown> } } }).wx.cloud;
  const real = cloudApi.callFunction;
  let lost = false;
  cloudApi.callFunction = async (options: unknown) => {
    const res = await real(options);
    if (!lost && (options as { data?: { action?: string } }).data?.action === action) {
      lost = true; // the call ran; its answer is lost on the way back
      throw { errMsg: 'cloud.callFunction:fail request:fail timeout' };
    }
    return res;
  };
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  return { lost: () => lost };
}

test('a lost answer, an edited text: E_CONFLICT with what to do, then a new request id', async () => {
  const answer = loseNextAnswer('create');

  const page = await renderPage('packages/orders/create/index', { openid: R, query: { serviceId: 'demo:errand' } });
  await page.input('#description-input', '帮我买两斤鸡蛋');
  await page.tap('#submit');
  expect(answer.lost()).toBe(true);
  expect(wxSpies.redirectTo).not.toHaveBeenCalled();

  await page.input('#description-input', '帮我买两斤鸡蛋和一袋米');
  await page.tap('#submit');
  const refused = calls.filter((c) => c.action === 'create').at(-1)!;
  expect(refused.result).toMatchObject({ ok: false, error: { code: 'E_CONFLICT' } });
  expect(page.toast().message).toBe(
    '这个请求编号已用于另一笔内容不同的订单。请先到“我的订单”查看上一笔是否已提交；确需再下一单，请重新提交',
  );
  expect(wxSpies.redirectTo).not.toHaveBeenCalled();

  await page.tap('#submit');
  const made = calls.filter((c) => c.action === 'create');
  expect(made).toHaveLength(3);
  expect(requestIdOf(made[1])).toBe(requestIdOf(made[0]));
  expect(requestIdOf(made[2])).not.toBe(requestIdOf(made[0]));
  expect(made[2].result).toMatchObject({ ok: true });
  expect(wxSpies.redirectTo).toHaveBeenCalledTimes(1);
  const mine = (await invokeData(cloud, 'orders', 'listMine', {}, R)).items.map((o) => o.description);
  expect(mine.filter((d) => d.startsWith('帮我买两斤鸡蛋'))).toEqual(
    expect.arrayContaining(['帮我买两斤鸡蛋', '帮我买两斤鸡蛋和一袋米']),
  );
});

test('the notice form the same way: E_CONFLICT on the form, then a new request id publishes', async () => {
  const answer = loseNextAnswer('post');
  const page = await renderPage('packages/notices/compose/index', { openid: 'demo-worker' });
  await page.input('#title-input', '周六义诊');
  await page.input('#body-input', '周六上午在活动中心义诊。');
  await page.tap('#submit');
  expect(answer.lost()).toBe(true);
  await page.input('#title-input', '周六上午义诊');
  await page.tap('#submit');
  expect(page.text('#form-error')).toContain('这个请求编号已用于另一条内容不同的通知');
  await page.tap('#submit');
  const posts = calls.filter((c) => c.action === 'post');
  expect(posts).toHaveLength(3);
  expect(requestIdOf(posts[1])).toBe(requestIdOf(posts[0]));
  expect(requestIdOf(posts[2])).not.toBe(requestIdOf(posts[0]));
  expect(posts[2].result).toMatchObject({ ok: true, data: { title: '周六上午义诊' } });
  expect(wxSpies.redirectTo).toHaveBeenCalledTimes(1);
});
