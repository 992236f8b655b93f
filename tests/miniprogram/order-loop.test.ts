// The whole order loop through the real pages only, on the real functions and the local cloud:
// 群众点单 (首页 → form) → 社区派单 (派单工作台 → 派单) → 党员接单 (接单大厅) → 服务 (detail) →
// 评价 (rate) → 组织评单 (评单与回访). After each step every role opens the order and sees the
// state, the light and exactly the buttons it may press. The clock is fixed and moved by hand, so
// the lights are known: a step nearly out of time turns yellow, the next step starts green.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import { memberId, type MemberDoc } from '../../cloudfunctions/common/model';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { caller, data } from '../helpers/call';
import { sampledForFollowUp } from '../../cloudfunctions/orders/rules';
import { CLOCK, minutesAfter } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies, type PageHandle } from '../helpers/miniprogram';

const at = minutesAfter('2030-05-06T09:00:00+08:00');
const KB = 1024;

const PAGES = {
  home: 'pages/home/index',
  tab: 'pages/orders/index',
  create: 'packages/orders/create/index',
  detail: 'packages/orders/detail/index',
  rate: 'packages/orders/rate/index',
  hall: 'packages/orders/hall/index',
  board: 'packages/worker/board/index',
  dispatch: 'packages/worker/dispatch/index',
  review: 'packages/worker/review/index',
};

const RESIDENT = 'demo-resident-1'; // 赵秀兰, 1栋 102
const WORKER = 'demo-worker'; // 李梅
const VOLUNTEER = 'demo-volunteer-1'; // 张建国, 1栋, 水电小修
const OTHER_VOLUNTEER = 'demo-volunteer-2'; // 刘芳, 3栋
const DESCRIPTION = '卫生间水龙头关不紧，一直滴水，上午在家';

let cloud: LocalCloud;
/** One phone per test run: the identity the next cloud call goes out as. */
let wiring: ReturnType<typeof wireCloud>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(0);
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  // 赵秀兰 switches 长辈模式 off (it is on by default for 独居老人): this loop walks the typed order form.
  const version = ((await collection('members').doc(memberId('demo', RESIDENT)).get()).data[0] as MemberDoc).version;
  data(await caller<MemberApi>(cloud, 'member')(RESIDENT, 'setElderMode', { mode: 'off', version }));
  wiring = wireCloud(cloud);
});
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
beforeEach(installPhoneSpies);
afterEach(cleanup);

const lastUrl = (spy: jest.Mock): string => (spy.mock.calls[spy.mock.calls.length - 1][0] as { url: string }).url;

/** `/packages/x/index?id=o_1` → the route and its query, to open the page a tap led to. */
function target(url: string): { route: string; query: Record<string, string> } {
  const [path, search = ''] = url.split('?');
  const query: Record<string, string> = {};
  for (const kv of search.split('&').filter(Boolean)) {
    const [k, v = ''] = kv.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  return { route: path.replace(/^\//, ''), query };
}

/** Opens the page the last navigateTo (or redirectTo) led to, as `openid`. */
async function follow(spy: jest.Mock, openid: string, route: string): Promise<PageHandle> {
  const t = target(lastUrl(spy));
  expect(t.route).toBe(route);
  return renderPage(t.route, { openid, query: t.query });
}

/** The action buttons a detail page shows. */
function buttons(page: PageHandle): string[] {
  return ['accept', 'start', 'open-complete', 'rate', 'dispatch', 'review', 'decline', 'cancel'].filter((id) =>
    page.exists(`#${id}`),
  );
}

interface Expected {
  status: string;
  /** The light text, or null when no step clock runs. */
  light: '正常' | '即将超时' | '已超时' | null;
  resident: string[];
  worker: string[];
  /** The assigned volunteer's buttons; null when the order is not theirs to see yet. */
  volunteer: string[] | null;
  /** Another volunteer's buttons; null when they may not open it (only hall orders are theirs to see). */
  other: string[] | null;
}

/** Every role opens the order's detail page: state, light and exactly their buttons. */
async function expectEveryView(id: string, e: Expected): Promise<void> {
  const roles: [string, string[] | null][] = [
    [RESIDENT, e.resident],
    [WORKER, e.worker],
    [VOLUNTEER, e.volunteer],
    [OTHER_VOLUNTEER, e.other],
  ];
  for (const [openid, expected] of roles) {
    const page = await renderPage(PAGES.detail, { openid, query: { id } });
    if (expected === null) {
      expect([openid, page.text('#message')]).toEqual([openid, '订单不存在，或者您没有查看这个订单的权限']);
    } else {
      expect([openid, page.text('#status')]).toEqual([openid, e.status]);
      expect([openid, page.exists('#light') ? page.text('#light .light__text') : null]).toEqual([openid, e.light]);
      expect([openid, buttons(page)]).toEqual([openid, expected]);
    }
    page.detach();
  }
}

/** The worker's board card of the order (the newest of the community). */
async function boardCard(): Promise<{ text: string; light: string; quick: string[] }> {
  const board = await renderPage(PAGES.board, { openid: WORKER });
  expect(board.texts('.order__desc')[0]).toBe(DESCRIPTION);
  const card = {
    text: board.text('#order-0'),
    light: board.text('#order-0 .order__light-text'),
    quick: ['.quick-dispatch', '.quick-review'].filter((s) => board.exists(`#order-0 ${s}`)),
  };
  board.detach();
  return card;
}

test('点单 → 派单 → 接单 → 开始 → 完成 → 评价 → 评单, each step through its page, each role seeing the right state', async () => {
  // 点单: the resident picks 水电小修 on 首页 and writes what is wrong.
  const home = await renderPage(PAGES.home, { openid: RESIDENT });
  const item = home.texts('.item__name').indexOf('水电小修');
  expect(item).toBeGreaterThanOrEqual(0);
  await home.tap(`#item-${item}`);
  const form = await follow(wxSpies.navigateTo, RESIDENT, PAGES.create);
  expect(form.text('#service-name')).toBe('水电小修');
  await form.input('#description-input', DESCRIPTION);
  await form.tap('#submit');
  const created = await follow(wxSpies.redirectTo, RESIDENT, PAGES.detail);
  const id = created.instance.options.id as string;
  expect(id).toMatch(/^o_/);
  expect(created.text('#status')).toBe('待派单');
  expect(created.text('#description')).toBe(DESCRIPTION);
  created.detach();

  await expectEveryView(id, {
    status: '待派单',
    light: '正常',
    resident: ['cancel'],
    worker: ['dispatch', 'cancel'],
    volunteer: null,
    other: null,
  });
  // The resident's 订单 tab lists it.
  const tab = await renderPage(PAGES.tab, { openid: RESIDENT });
  expect(tab.texts('.order__desc')).toContain(DESCRIPTION);
  tab.detach();

  // 25 of the 30 dispatch minutes gone: the board shows it yellow, with 派单 on the card.
  at(25);
  let card = await boardCard();
  expect(card.text).toContain('待派单');
  expect(card.text).toContain('赵秀兰 · 1栋 102室');
  expect(card.light).toBe('即将超时');
  expect(card.quick).toEqual(['.quick-dispatch']);

  // 派单: from the board to the picker; 张建国 of the same building and with the skill comes first.
  const board = await renderPage(PAGES.board, { openid: WORKER });
  await board.tap('.quick-dispatch', 0);
  const dispatch = await follow(wxSpies.navigateTo, WORKER, PAGES.dispatch);
  expect(dispatch.text('#status')).toBe('待派单');
  expect(dispatch.text('#light')).toContain('即将超时');
  expect(dispatch.texts('.volunteer__name')[0]).toBe('张建国');
  expect(dispatch.text('#volunteer-0')).toContain('同楼栋（1栋）');
  expect(dispatch.text('#volunteer-0')).toContain('擅长水电小修');
  await dispatch.tap('.pick', 0);
  expect(dispatch.text('#status')).toBe('已派单');
  expect(dispatch.text('#volunteer')).toBe('志愿者：张建国');
  dispatch.detach();
  board.detach();

  // The accept clock starts afresh: green again.
  await expectEveryView(id, {
    status: '已派单',
    light: '正常',
    resident: ['cancel'],
    worker: ['cancel'],
    volunteer: ['accept', 'decline'],
    other: null,
  });
  card = await boardCard();
  expect(card.text).toContain('已派单');
  expect(card.text).toContain('志愿者 张建国');
  expect(card.light).toBe('正常');
  expect(card.quick).toEqual([]);

  // 接单 in the hall's 派给我的.
  at(50);
  const hall = await renderPage(PAGES.hall, { openid: VOLUNTEER });
  await hall.tap('#tab-mine');
  const row = hall.texts('#mine-list .order__desc').indexOf(DESCRIPTION);
  expect(row).toBeGreaterThanOrEqual(0);
  expect(hall.text(`#mine-${row}`)).toContain('即将超时'); // 25 of its 30 accept minutes gone
  await hall.tap(`#mine-${row} .accept`);
  expect(hall.text(`#mine-${row}`)).toContain('您已接单');
  // The card opens the detail.
  await hall.tap(`#mine-${row} .order__main`);
  const serving = await follow(wxSpies.navigateTo, VOLUNTEER, PAGES.detail);
  expect(serving.text('#status')).toBe('已接单');
  expect(buttons(serving)).toEqual(['start', 'decline']);
  serving.detach();
  hall.detach();

  await expectEveryView(id, {
    status: '已接单',
    light: '正常',
    resident: [],
    worker: ['cancel'],
    volunteer: ['start', 'decline'],
    other: null,
  });

  // 开始服务, then 完成服务 with a note, on the detail.
  at(90);
  const detail = await renderPage(PAGES.detail, { openid: VOLUNTEER, query: { id } });
  await detail.tap('#start');
  expect(detail.text('#status')).toBe('服务中');
  expect(buttons(detail)).toEqual(['open-complete']);
  detail.detach();
  await expectEveryView(id, {
    status: '服务中',
    light: '正常',
    resident: [],
    worker: [],
    volunteer: ['open-complete'],
    other: null,
  });

  at(150);
  const finishing = await renderPage(PAGES.detail, { openid: VOLUNTEER, query: { id } });
  await finishing.tap('#open-complete');
  await finishing.input('#note-input', '已更换水龙头阀芯，试过不再滴水');
  await finishing.tap('#complete');
  expect(finishing.text('#status')).toBe('待评价');
  finishing.detach();
  await expectEveryView(id, {
    status: '待评价',
    light: null,
    resident: ['rate'],
    worker: [],
    volunteer: [],
    other: null,
  });

  // 评价: the resident goes from the detail to the rate page and back.
  at(200);
  const mine = await renderPage(PAGES.detail, { openid: RESIDENT, query: { id } });
  expect(mine.text('#completion')).toContain('已更换水龙头阀芯，试过不再滴水');
  await mine.tap('#rate');
  const rate = await follow(wxSpies.navigateTo, RESIDENT, PAGES.rate);
  expect(rate.text('#volunteer-name')).toBe('志愿者：张建国');
  await rate.tap('#stars-5');
  await rate.input('#comment-input', '张师傅来得快，修得好');
  await rate.tap('#submit');
  expect(wxSpies.navigateBack).toHaveBeenLastCalledWith({ delta: 1 });
  rate.detach();
  await mine.show();
  expect(mine.text('#status')).toBe('已评价');
  expect(buttons(mine)).toEqual([]);
  mine.detach();

  // The review clock runs now; the worker is offered 评单.
  await expectEveryView(id, {
    status: '已评价',
    light: '正常',
    resident: [],
    worker: ['review'],
    volunteer: [],
    other: null,
  });
  card = await boardCard();
  expect(card.text).toContain('已评价');
  expect(card.quick).toEqual(['.quick-review']);

  // 评单: from the board's card to the review page; pass.
  const board2 = await renderPage(PAGES.board, { openid: WORKER });
  await board2.tap('.quick-review', 0);
  const review = await follow(wxSpies.navigateTo, WORKER, PAGES.review);
  expect(review.text('#status')).toBe('已评价');
  expect(review.text('#stars')).toBe('★★★★★ 5 星');
  expect(review.text('#comment')).toBe('“张师傅来得快，修得好”');
  expect(review.text('#completion')).toContain('已更换水龙头阀芯');
  expect(review.exists('#followup-form')).toBe(sampledForFollowUp(id));
  await review.tap('#pass');
  expect(review.text('#status')).toBe('已办结');
  expect(review.exists('#review-form')).toBe(false);
  review.detach();
  board2.detach();

  // 已办结 for everyone; only a follow-up call may still be owed (a sampled 20 % of good ratings).
  await expectEveryView(id, {
    status: '已办结',
    light: null,
    resident: [],
    worker: sampledForFollowUp(id) ? ['review'] : [],
    volunteer: [],
    other: null,
  });

  // The whole story on the timeline, and the volunteer's record counts the order.
  const last = await renderPage(PAGES.detail, { openid: RESIDENT, query: { id } });
  const titles = (last.data.timeline as { title: string }[]).map((t) => t.title);
  for (const step of ['下单', '派单', '接单', '开始服务', '完成服务', '评价', '评单通过，已办结']) {
    expect([step, titles.some((t) => t.includes(step))]).toEqual([step, true]);
  }
  expect(last.text('#rating')).toContain('张师傅来得快，修得好');
  const record = await renderPage(PAGES.hall, { openid: VOLUNTEER });
  expect(record.text('#record')).toMatch(/已服务 \d+ 单/);
  expect(last.maxSetDataBytes()).toBeLessThan(100 * KB);
  // Thirty-odd page renders and calls: well under 30 s alone, slower on a machine under load.
}, 90_000);

test('released to the hall, grabbed by a volunteer while the worker still picks: the picker says so and shows who has it', async () => {
  at(300);
  // Ordered on the page, released to the hall from the picker.
  const home = await renderPage(PAGES.home, { openid: RESIDENT });
  await home.tap(`#item-${home.texts('.item__name').indexOf('水电小修')}`);
  const form = await follow(wxSpies.navigateTo, RESIDENT, PAGES.create);
  await form.input('#description-input', '厨房灯不亮了');
  await form.tap('#submit');
  const id = target(lastUrl(wxSpies.redirectTo)).query.id;

  const picker = await renderPage(PAGES.dispatch, { openid: WORKER, query: { id } });
  await picker.tap('#release');
  expect(picker.text('#status')).toBe('待接单');
  await expectEveryView(id, {
    status: '待接单',
    light: '正常',
    resident: ['cancel'],
    worker: ['dispatch', 'cancel'],
    volunteer: ['accept'],
    other: ['accept'],
  });

  // 刘芳 grabs it in the hall while the worker still looks at the picker.
  const hall = await renderPage(PAGES.hall, { openid: OTHER_VOLUNTEER });
  const row = hall.texts('#open-list .order__desc').indexOf('厨房灯不亮了');
  expect(row).toBeGreaterThanOrEqual(0);
  await hall.tap(`#open-${row} .grab`);
  expect(hall.text(`#open-${row}`)).toContain('您已接单');

  // Back on the worker's phone: the picker still offers the volunteers.
  wiring.setOpenid(WORKER);
  await picker.tap('.pick', 0);
  expect(picker.toast().message).toContain('已接单');
  expect(picker.text('#status')).toBe('已接单');
  expect(picker.text('#volunteer')).toBe('志愿者：刘芳');
  expect(picker.exists('.pick')).toBe(false);
});
