// 亲情代办 in the mini-program (docs/family.md), against the real member, orders and messages
// functions on the local cloud: a daughter in another city opens her mother's share card, binds,
// the mother confirms on her big-button page, the daughter orders for her and follows the order
// to rated; a worker confirms and ends links from the member list; either side ends a link.
import fs from 'fs';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies, type CloudCall } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

const BIND = 'packages/family/bind/index';
const HOME = 'packages/family/home/index';
const CREATE = 'packages/family/create/index';
const ORDER = 'packages/family/order/index';
const CONFIRM = 'packages/family/confirm/index';
const MEMBERS = 'packages/worker/members/index';
const MOTHER = 'demo-resident-1'; // 赵秀兰
const DAUGHTER = 'mp-daughter';
const WORKER = 'demo-worker';
const V1 = 'demo-volunteer-1';

let cloud: LocalCloud;
let calls: CloudCall[];

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  calls = wireCloud(cloud).calls;
});
afterAll(() => closeCloud(cloud));
beforeEach(async () => {
  installPhoneSpies();
  await forgetLimits();
});
afterEach(cleanup);

const urlOf = (spy: jest.Mock) => (spy.mock.calls[spy.mock.calls.length - 1][0] as { url: string }).url;
const queryOf = (url: string) => Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? ''));

test('the pages are in app.json, in the family subpackage', () => {
  const app = JSON.parse(fs.readFileSync(path.join(__dirname, '../../miniprogram/app.json'), 'utf8')) as {
    subPackages: { root: string; pages: string[] }[];
  };
  const all = app.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`));
  expect(all).toEqual(expect.arrayContaining([BIND, HOME, CREATE, ORDER, CONFIRM]));
});

test('a daughter in another city orders for her mother and follows it to the end', async () => {
  // The mother makes a code on her page (one big button) and shares it.
  let mother = await renderPage(CONFIRM, { openid: MOTHER });
  expect(mother.text('#empty')).toContain('还没有家人绑定');
  await mother.tap('#code');
  const code = mother.text('#code-value');
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  const share = (mother.instance as unknown as { onShareAppMessage(): { path: string } }).onShareAppMessage();
  expect(share.path).toBe(`/${BIND}?code=${code}`);
  mother.detach();

  // The daughter opens the card: the code is filled in, she gives her name and relation.
  const bind = await renderPage(BIND, { openid: DAUGHTER, query: { code } });
  expect(bind.text('#elder')).toContain('幸福里社区');
  expect(bind.text('#elder')).toContain('赵**');
  await bind.tap('#submit');
  expect(bind.text('#form-error')).toContain('姓名');
  await bind.input('#name-input', '李娜');
  await bind.tap('#relations .chip', 0);
  await bind.tap('#submit');
  expect(bind.text('#result')).toContain('等赵**确认');
  await bind.tap('#go-home');
  expect(urlOf(wxSpies.navigateTo)).toBe(`/${HOME}`);
  bind.detach();

  // Before the mother answers: nothing to order.
  let home = await renderPage(HOME, { openid: DAUGHTER });
  expect(home.text('#waiting')).toContain('等长辈');
  expect(home.exists('#order')).toBe(false);
  home.detach();

  // The mother confirms.
  mother = await renderPage(CONFIRM, { openid: MOTHER });
  expect(mother.text('#link-0')).toContain('李娜（女儿）');
  expect(mother.text('#link-0')).toContain('待确认');
  await mother.tap('.agree');
  expect(mother.toast().message).toBe('已同意李娜（女儿）绑定');
  expect(mother.text('#link-0')).toContain('已绑定');
  expect(mother.exists('.end')).toBe(true);
  mother.detach();

  // The daughter orders for her mother.
  home = await renderPage(HOME, { openid: DAUGHTER });
  expect(home.text('#elder')).toBe('为 赵秀兰 代办');
  await home.tap('#order');
  const createUrl = urlOf(wxSpies.navigateTo);
  home.detach();
  const create = await renderPage(CREATE, { openid: DAUGHTER, query: queryOf(createUrl) });
  // The menu answers for the mother: her 特惠 item (独居老人) is there.
  expect(create.text()).toContain('独居老人上门探访');
  await create.tap('#item-0');
  await create.input('#description', '帮妈妈买降压药，周三上午送到');
  await create.tap('#submit');
  const made = calls.filter((c) => c.action === 'familyCreate' && c.openid === DAUGHTER);
  expect(made).toHaveLength(1);
  const orderId = queryOf(urlOf(wxSpies.redirectTo)).id;
  expect(orderId).toMatch(/^o_/);
  create.detach();

  // She follows it: pending with a green light, then accepted, completed; she rates it.
  let order = await renderPage(ORDER, { openid: DAUGHTER, query: { id: orderId } });
  expect(order.text('#status')).toBe('待派单');
  expect(order.text('#light')).toContain('正常');
  expect(order.exists('#cancel')).toBe(true);
  order.detach();
  await invokeData(cloud, 'orders', 'dispatch', { orderId, volunteerOpenid: V1 }, WORKER);
  await invokeData(cloud, 'orders', 'accept', { orderId }, V1);
  await invokeData(cloud, 'orders', 'start', { orderId }, V1);
  await invokeData(cloud, 'orders', 'complete', { orderId, note: '药已送到，老人已收下' }, V1);

  // The same messages as her mother, in her family inbox, opening this page.
  const inbox = await invokeData(cloud, 'messages', 'list', { family: true }, DAUGHTER);
  expect(inbox.items.map((m) => m.title).join('|')).toContain('请评价');
  expect(inbox.items.find((m) => m.title.includes('请评价'))?.link).toBe(`/${ORDER}?id=${orderId}`);

  home = await renderPage(HOME, { openid: DAUGHTER });
  expect(home.text('#order-0')).toContain('待评价');
  // The newest family messages are on top; one opens the order and is read.
  expect(home.text('#news-0')).toContain('请评价');
  expect(home.exists('#news-0 .news__dot')).toBe(true);
  await home.tap('#news-0');
  expect(urlOf(wxSpies.navigateTo)).toBe(`/${ORDER}?id=${orderId}`);
  expect(home.exists('#news-0 .news__dot')).toBe(false);
  const read = await invokeData(cloud, 'messages', 'list', { family: true }, DAUGHTER);
  expect(read.items[0].read).toBe(true);
  home.detach();

  order = await renderPage(ORDER, { openid: DAUGHTER, query: { id: orderId } });
  expect(order.text('#status')).toBe('待评价');
  expect(order.text('#volunteer')).toContain('张建国');
  expect(order.exists('#cancel')).toBe(false);
  expect(order.texts('.step__text').join('|')).toContain('完成服务');
  await order.tap('#star-5');
  await order.tap('#submit-rate');
  expect(order.toast().message).toBe('感谢评价');
  expect(order.text('#status')).toBe('已评价');
  expect(order.text('#rating')).toContain('★★★★★');
  expect(order.exists('#rate')).toBe(false);
  // The mother's own view says the same.
  expect((await invokeData(cloud, 'orders', 'get', { orderId }, MOTHER)).status).toBe('rated');
});

test('the daughter cancels an order she placed while it waits for dispatch', async () => {
  const home = await renderPage(HOME, { openid: DAUGHTER });
  await home.tap('#order');
  const createUrl = urlOf(wxSpies.navigateTo);
  home.detach();
  const create = await renderPage(CREATE, { openid: DAUGHTER, query: queryOf(createUrl) });
  await create.tap('#item-0');
  await create.input('#description', '买菜');
  await create.tap('#submit');
  const orderId = queryOf(urlOf(wxSpies.redirectTo)).id;
  create.detach();

  const order = await renderPage(ORDER, { openid: DAUGHTER, query: { id: orderId } });
  wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '妈妈说不用了' });
  await order.tap('#cancel');
  expect(order.toast().message).toBe('订单已取消');
  expect(order.text('#status')).toBe('已取消');
  expect(calls.filter((c) => c.action === 'familyCancel').pop()?.payload).toEqual({ orderId, reason: '妈妈说不用了' });
});

test('a worker confirms and ends a link from the member list', async () => {
  const elder = 'demo-resident-2'; // 孙伟
  const { code } = await invokeData(cloud, 'member', 'familyCode', {}, elder);
  await invokeData(cloud, 'member', 'familyRequest', { familyCode: code, name: '孙小雨', relation: '女儿' }, 'mp-son');

  const members = await renderPage(MEMBERS, { openid: WORKER, query: { status: 'active' } });
  const index = members.texts('.member__name').findIndex((t) => t.includes('孙伟'));
  expect(index).toBeGreaterThanOrEqual(0);
  await members.tap('.manage', index);
  await members.tap('.family-links');
  const url = urlOf(wxSpies.navigateTo);
  expect(url).toBe(`/${CONFIRM}?elder=${elder}`);
  members.detach();

  const page = await renderPage(CONFIRM, { openid: WORKER, query: queryOf(url) });
  expect(page.text('#intro')).toContain('为这位长辈');
  expect(page.text('#link-0')).toContain('孙小雨（女儿）');
  await page.tap('.agree');
  expect(page.text('#link-0')).toContain('已绑定');
  wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '' });
  await page.tap('.end');
  expect(page.toast().message).toBe('已解除绑定');
  expect(page.text('#link-0')).toContain('已解除');
  const mine = await invokeData(cloud, 'member', 'familyMine', {}, 'mp-son');
  expect(mine.items[0].status).toBe('ended');
});

test('the daughter ends her link; then her home offers to bind again and her order page shows nothing', async () => {
  const home = await renderPage(HOME, { openid: DAUGHTER });
  wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '' });
  await home.tap('.link__end');
  expect(home.toast().message).toBe('已解除绑定');
  expect(home.text('#none')).toContain('还没有绑定长辈');
  const placed = calls.filter((c) => c.action === 'familyCreate' && c.openid === DAUGHTER)[0];
  const orderId = (placed.result as { data: { _id: string } }).data._id;
  const order = await renderPage(ORDER, { openid: DAUGHTER, query: { id: orderId } });
  expect(order.text('#message')).toContain('订单不存在');
});
