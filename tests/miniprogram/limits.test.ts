// The worker's 操作过频记录 page against the real functions on the local cloud: a resident who
// ordered past the hour's limit shows up by name, with what was limited and how often.
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { LIMITS } from '../../cloudfunctions/common/limits';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';
import { ordersService } from '../../miniprogram/services/orders';
import { ServiceError } from '../../miniprogram/services/core';
import { CLOCK, at } from '../helpers/clock';

const KB = 1024;
const ROUTE = 'packages/worker/limits/index';
let cloud: LocalCloud;

beforeAll(async () => {
  // A fixed clock: the hour's window cannot end in the middle of a test.
  jest.useFakeTimers(CLOCK);
  at('2030-01-07T10:05:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(async () => {
  jest.useRealTimers();
  await closeCloud(cloud);
});
afterEach(cleanup);

test('nobody limited: the page says so', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  expect(page.text('#empty')).toBe('近 30 天没有人被拦下');
});

test('a resident who ordered past the limit is listed by name, with the limit and the refusals', async () => {
  const join = await cloud.invoke(
    'member',
    { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '孙快手', room: '909' } },
    'script-user',
  );
  expect(join.ok).toBe(true);
  const answers = [];
  for (let i = 0; i < LIMITS.order.max + 2; i++) {
    answers.push(
      await cloud.invoke(
        'orders',
        { action: 'create', payload: { serviceId: 'demo:errand', description: '买菜', requestId: `script-order-${i}` } },
        'script-user',
      ),
    );
  }
  expect(answers.filter((a) => !a.ok).map((a) => !a.ok && a.error.code)).toEqual(['E_RATE_LIMITED', 'E_RATE_LIMITED']);

  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  expect(page.texts('.limit__name')).toEqual(['孙快手']);
  expect(page.text('#limit-0')).toContain(`下单（每小时最多 ${LIMITS.order.max} 次）`);
  expect(page.text('#limit-0')).toContain('被拦下 2 次');
  expect(page.text('#limit-0')).toContain('首次拦下：');
  expect(page.text('#limit-0')).toContain('恢复时间：');
  expect(page.text('#end')).toBe('已经到底了');
  expect(page.maxSetDataBytes()).toBeLessThan(20 * KB);
});

test('the limited resident’s service call carries the wait: code, message and retryAfterSeconds', async () => {
  wireCloud(cloud, 'script-user');
  const err = await ordersService
    .create({ serviceId: 'demo:errand', description: '买菜', requestId: 'script-order-late' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ServiceError);
  expect(err).toMatchObject({ code: 'E_RATE_LIMITED', message: expect.stringMatching(/^操作太频繁：下单.*后再试$/) });
  expect((err as ServiceError).retryAfterSeconds).toBe(55 * 60); // 10:05 → the window ends at 11:00
  wireCloud(cloud);
});

test('a resident cannot open it: the refusal is shown', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-resident-1' });
  expect(page.text('#load-error')).toBe('您没有权限进行此操作');
});

test('the worker console on 我的 links to it', async () => {
  const mine = await renderPage('pages/mine/index', { openid: 'demo-worker' });
  await mine.tap('#open-limits');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/limits/index' });
  const resident = await renderPage('pages/mine/index', { openid: 'demo-resident-1' });
  expect(resident.count('#open-limits')).toBe(0);
});
