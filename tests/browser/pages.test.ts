// Every page of the mini-program, as the preview renders them (real pages, real functions, demo
// community), opened in headless Chromium on a 375×667 phone and checked the way a person would
// look at them: the expected Chinese text is there and not cut off, the page's main action is in
// the first screen, no text is smaller than 12 px, and text has at least 4.5:1 contrast. Every
// scene is also rendered as `<scene>-elder`, with 长辈模式 on, and measured against the figures of
// 工信部《移动互联网应用（APP）适老化通用设计规范》 (docs/elder-mode.md): main text at least 18 px,
// every tap target at least 60 × 60 px, contrast at least 4.5:1, exactly one filled primary action
// in the first screen.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phoneContext } from '../../scripts/preview/browser';
import { renderHtml, type Manifest } from '../../scripts/preview/render';
import { SCENES } from '../preview/scenes';
import { ELDER_SUFFIX } from '../preview/scene-types';
import { filledPrimaries, inspectText, placement, smallTapTargets, type TextReport } from './inspect';

interface KeyPage {
  scene: string;
  /** Text a person expects to read on it. */
  texts: string[];
  /** The page's main action (static HTML selector: `data-id` carries the wxml id). */
  primary: string;
  /**
   * In 长辈模式, when it differs: the one filled primary action of the first screen; or, for a
   * screen whose only actions must not be pushed (a destructive one, answers to a question that
   * must not be weighted) or that is for reading, `none` with the reason — then nothing is filled.
   */
  elderPrimary?: string | { none: string };
}

/**
 * Every scene of the preview (tests/preview/scenes.ts), so every page in app.json. For a long form
 * whose submit button sits below the fold (join, compose), the main action is its first field:
 * the person sees at once what to fill in.
 */
const KEY_PAGES: KeyPage[] = [
  // 赵秀兰 is an elder (独居老人): 一键求助 is her first action.
  {
    scene: 'home',
    texts: ['赵秀兰，您好', '一键求助', '说话点单', '基础服务', '代买代办'],
    primary: '[data-id="help"]',
    elderPrimary: '[data-id="help"]',
  },
  { scene: 'home-help', texts: ['确定要求助吗？', '确定求助', '不用了'], primary: '[data-id="help-yes"]' },
  { scene: 'order-voice', texts: ['点一下要办的事', '代买代办', '要办：代买代办', '按住 说话'], primary: '[data-id="record"]' },
  {
    scene: 'order-voice-detail',
    texts: ['代买代办', '已接单', '播放语音 14″', '吴强'],
    primary: '[data-id="start"]',
  },
  { scene: 'order-create', texts: ['上门理发', '需要帮什么忙', '照片（选填）', '提交'], primary: '[data-id="submit"]' },
  {
    scene: 'order-pending',
    texts: ['陪同就医', '待派单', '即将超时', '还没有安排志愿者'],
    primary: '[data-id="cancel"]',
    elderPrimary: { none: '待派单时居民唯一能做的是取消订单（破坏性操作，不做成实心主按钮）' },
  },
  {
    scene: 'order-accepted',
    texts: ['代买代办', '已接单', '刘芳', '打电话'],
    primary: '[data-id="call-volunteer"]',
    elderPrimary: '[data-id="call-volunteer-main"]',
  },
  {
    scene: 'order-in-service',
    texts: ['水电小修', '服务中', '卫生间灯泡坏了', '张建国', '进度', '开始服务'],
    primary: '[data-id="call-volunteer"]',
    elderPrimary: '[data-id="call-volunteer-main"]',
  },
  {
    scene: 'order-completed',
    texts: ['上门理发', '已评价', '服务结果', '非常满意'],
    primary: '[data-id="call-volunteer"]',
    elderPrimary: '[data-id="call-volunteer-main"]',
  },
  {
    scene: 'orders',
    texts: ['我的订单', '待评价', '去评价', '陪同就医'],
    primary: '[data-id="order-0"]',
    elderPrimary: '[data-id="elder-go-home"]',
  },
  {
    scene: 'orders-served',
    texts: ['我服务的', '您还没有服务过的订单', '去接单大厅'],
    primary: '[data-id="go-hall"]',
    elderPrimary: '[data-id="elder-go-hall"]',
  },
  { scene: 'hall', texts: ['在岗中', '待接单', '上门理发', '我服务过的订单'], primary: '[data-id="open-0"] wx-button' },
  {
    scene: 'board',
    texts: ['即将超时', '待派单', '亮灯', '水电小修'],
    primary: '[data-id="order-0"] wx-button',
    elderPrimary: '[data-id="elder-dispatch"]',
  },
  {
    scene: 'parking-find',
    texts: ['哪一天', '今天', '开始', '结束', '10:00–12:00', '这段时间空闲的车位', '预约这个车位'],
    primary: '.main--spot wx-button',
    elderPrimary: '[data-id="elder-book"]',
  },
  { scene: 'parking-bookings', texts: ['未结束', 'B2-218', '粤B12345', '取消预约'], primary: '[data-id="find"]' },
  {
    scene: 'notices',
    texts: ['1栋、2栋明日停水通知', '置顶', '未读', '周六上午社区义诊和理发活动'],
    primary: '.main--row',
    elderPrimary: '[data-id="open-first"]',
  },
  {
    scene: 'notice-detail',
    texts: ['1栋、2栋明日停水通知', '李梅', '停水', '转发到楼栋群'],
    primary: '[data-id="body"]',
    elderPrimary: { none: '读通知的页面：要做的事就是读正文' },
  },
  { scene: 'notice-stats', texts: ['户已读', '各楼栋阅读率', '一键提醒未读住户', '还没看的住户'], primary: '[data-id="remind"]' },
  { scene: 'mine', texts: ['赵秀兰', '幸福里社区', '我的消息', '1栋 102室', '138****0021'], primary: '[data-id="open-inbox"]' },
  { scene: 'mine-worker', texts: ['李梅', '社区工作台', '成员审核', '邀请居民加入'], primary: '.main--actions wx-button' },
  { scene: 'inbox', texts: ['条未读', '全部标为已读', '服务已完成，请评价'], primary: '[data-id="read-all"]' },
  { scene: 'join', texts: ['加入幸福里社区', '姓名', '楼栋', '房号', '提交'], primary: '[data-id="name-input"]' },
  {
    scene: 'household-confirm',
    texts: ['孙小雨 申请加入您家', '2栋 301室', '确认是家人', '不是我家人'],
    primary: '[data-id="claim-0"] wx-button',
  },
  {
    scene: 'desk-login',
    texts: ['电脑端请求登录社区工作台', '幸福里社区', '203.0.113.9', '确认登录', '不是我，取消'],
    primary: '[data-id="confirm"]',
  },
  {
    scene: 'desk-sessions',
    texts: ['正在登录的电脑', '203.0.113.7', '自动结束', '结束登录'],
    primary: '[data-id="end-0"]',
    elderPrimary: { none: '这一页只有结束登录（破坏性操作，不做成实心主按钮）' },
  },
  { scene: 'order-rate', texts: ['高龄助餐', '这次服务您满意吗', '点星星打分', '提交评价'], primary: '[data-id="submit"]' },
  {
    scene: 'dispatch',
    texts: ['陪同就医', '选择志愿者', '最合适', '派给刘芳'],
    primary: '[data-id="volunteer-0"] wx-button',
    elderPrimary: '[data-id="elder-pick"]',
  },
  { scene: 'review', texts: ['上门理发', '评单', '通过，办结', '返工', '居民评价'], primary: '[data-id="pass"]' },
  {
    scene: 'members',
    texts: ['待审核', '王秀英', '3栋 502室', '房号待核实', '不通过'],
    primary: '[data-id="member-0"] wx-button',
  },
  { scene: 'invite', texts: ['邀请哪栋楼的居民', '全部楼栋', '需要我审核（推荐）', '生成邀请'], primary: '[data-id="create"]' },
  { scene: 'services', texts: ['新增服务项目', '基础服务', '代买代办', '服务时限', '停用'], primary: '[data-id="add"]' },
  {
    scene: 'audit',
    texts: ['按日期查看', '申请加入', '王秀英', '开始服务'],
    primary: '[data-id="entry-0"]',
    elderPrimary: { none: '操作记录只供查阅' },
  },
  {
    scene: 'limits',
    texts: ['操作次数超过上限', '近 30 天没有人被拦下'],
    primary: '[data-id="empty"]',
    elderPrimary: { none: '近 30 天没有人被拦下，没有要做的事' },
  },
  { scene: 'notice-compose', texts: ['标题', '内容', '分类', '发给谁', '发布方式'], primary: '[data-id="title-input"]' },
  { scene: 'notice-manage', texts: ['发布新通知', '已发布', '草稿', '人已读'], primary: '[data-id="compose"]' },
  { scene: 'notice-groups', texts: ['1栋', '还没有绑定群', '分享绑定卡片'], primary: '.main--share' },
  {
    scene: 'parking-spots',
    texts: ['把闲着的车位借给邻居', 'B2-218', '已核实，可共享', '登记新车位'],
    primary: '[data-id="spot-0"] wx-button',
  },
  { scene: 'parking-spot', texts: ['B2-218', '开放时段', '每周哪几天', '发布', '一周安排'], primary: '[data-id="publish"]' },
  { scene: 'parking-verify', texts: ['B1-009', '等待社区核实', '郑丽', '核实通过'], primary: '[data-id="spot-0"] wx-button' },
  { scene: 'votes', texts: ['业主表决', '发起业主表决', '专有部分登记', '投票中'], primary: '[data-id="row-0"]' },
  {
    scene: 'vote-open',
    texts: ['续聘幸福物业服务公司（2030—2032年）', '投票中', '同意', '反对', '弃权'],
    primary: '[data-id="choices"]',
  },
  { scene: 'vote-worker', texts: ['投票中', '计票（仅工作人员可见）', '结束计票并公布'], primary: '[data-id="choices"]' },
  {
    scene: 'vote-result',
    texts: ['使用维修资金更换1栋、2栋电梯', '通过', '已投票房屋（9）', '选票回执（8）'],
    primary: '[data-id="mine"]',
    elderPrimary: { none: '表决结果只供查阅' },
  },
  { scene: 'vote-form', texts: ['事项类型', '一般事项', '重大事项', '发起表决'], primary: '[data-id="title-input"]' },
  {
    scene: 'consult-form',
    texts: ['选项（2—6 个，每户选一个）', '全体居民', '截止时间', '发起征询'],
    primary: '[data-id="title-input"]',
  },
  { scene: 'parts-register', texts: ['导入登记表', '1栋 101', '89.56 平方米', '核实业主'], primary: '[data-id="rows-input"]' },
  {
    scene: 'consult',
    texts: ['各楼道是否加装扶手', '3 户已回答', '赞成加装', '只在1—3层加装'],
    primary: '[data-id="options"]',
    elderPrimary: { none: '征询的各个答案同等对待，不能把其中一个做成实心按钮' },
  },
  { scene: 'topics', texts: ['议事清单', '提出议题', '小区东门加装休息长椅', '征集中'], primary: '[data-id="propose"]' },
  { scene: 'topic-new-detail', texts: ['小区东门加装休息长椅', '征集中', '2 人附议', '附议'], primary: '[data-id="second"]' },
  {
    scene: 'topic-decided',
    texts: ['3栋楼道加装声控灯', '决议落实中', '议事会', '会议纪要'],
    primary: '[data-id="five"]',
    elderPrimary: '[data-id="elder-open-notice"]',
  },
  { scene: 'topic-worker', texts: ['工作人员操作', '列入议事清单', '不予采纳'], primary: '[data-id="step-accept"]' },
  { scene: 'topic-propose', texts: ['标题', '想商量什么', '提交议题'], primary: '[data-id="title-input"]' },
  { scene: 'topic-act', texts: ['列入议事清单', '小区东门加装休息长椅', '确认列入议事清单'], primary: '[data-id="submit"]' },
  {
    scene: 'ledger-statement',
    texts: ['2029年12月', '期初余额', '本月收入', '本月支出', '期末余额'],
    primary: '[data-id="totals"]',
    elderPrimary: { none: '月度账目只供查阅' },
  },
  { scene: 'ledger-home', texts: ['各账户余额合计', '公共收益', '维修资金', '月度账目'], primary: '[data-id="open-month"]' },
  { scene: 'ledger-entry', texts: ['3栋楼道声控灯采购安装', '议事会决议', '提问与回复', '共 25 盏'], primary: '[data-id="ask"]' },
  {
    scene: 'ledger-projects',
    texts: ['3栋楼道粉刷', '已花 ¥6,200.00（41%）', '预算 ¥15,000.00'],
    primary: '[data-id="project-0"]',
    elderPrimary: { none: '居民看项目列表：只供查阅' },
  },
  {
    scene: 'ledger-project',
    texts: ['3栋楼道粉刷', '已花', '进度', '1—3层墙面已粉刷完成'],
    primary: '[data-id="budget"]',
    elderPrimary: { none: '居民看一个项目的进度：只供查阅' },
  },
  { scene: 'ledger-record', texts: ['账户', '收入', '支出', '金额（元）'], primary: '[data-id="accounts"]' },
  {
    scene: 'ledger-desk',
    texts: ['待复核', '待回复提问', '结账公示', '地面共享车位 1 月租金'],
    primary: '[data-id="pending-0"]',
    elderPrimary: '[data-id="elder-approve"]',
  },
  { scene: 'ledger-accounts', texts: ['添加账户', '公共收益', '停用', '上移'], primary: '[data-id="new-name-input"]' },
  {
    scene: 'property-grade',
    texts: ['幸福物业服务有限公司', '2029年11月评级', '亮红灯', '环境卫生', '投诉率', '信用档案'],
    primary: '[data-id="rate"]',
  },
  {
    scene: 'property-rate',
    texts: ['1月物业服务怎么样', '秩序维护', '收费透明', '提交评价'],
    primary: '[data-id="dim-hygiene"]',
    elderPrimary: '[data-id="submit"]',
  },
  {
    scene: 'property-worker',
    texts: ['2029年12月评级', '公示本月评级', '预警与约谈', '待约谈', '记录约谈'],
    primary: '[data-id="publish"]',
  },
  {
    scene: 'family-home',
    texts: ['为 赵秀兰 代办', '为TA下单', '代买代办', '已接单', '我绑定的长辈'],
    primary: '[data-id="order"]',
  },
  {
    scene: 'family-order',
    texts: ['代买代办', '已接单', '服务对象：赵秀兰', '进度', '亲情代办'],
    primary: '[data-id="service"]',
    elderPrimary: { none: '订单进行中，家属只能查看进度（取消是破坏性操作，不做成实心主按钮）' },
  },
  {
    scene: 'family-create',
    texts: ['选一项服务', '代买代办', '需要帮什么忙', '提交'],
    primary: '[data-id="item-0"]',
    elderPrimary: '[data-id="submit"]',
  },
  { scene: 'family-bind', texts: ['绑定长辈', '亲情码', '下一步'], primary: '[data-id="code-submit"]' },
  {
    scene: 'family-confirm',
    texts: ['邀请家人绑定', '赵大勇（儿子）', '待确认', '同意', '李娜（女儿）'],
    primary: '[data-id="code"]',
    elderPrimary: '[data-id^="agree-"]',
  },
];

const MIN_FONT_PX = 12;
const MIN_CONTRAST = 4.5;
const LARGE_CONTRAST = 3;

/**
 * 长辈模式's figures (docs/elder-mode.md), from 工信部《移动互联网应用（APP）适老化通用设计规范》:
 * 1.1 main text ≥ 18 dp/pt, 2.1 main controls ≥ 60 × 60 dp/pt, 1.3 contrast ≥ 4.5:1 (the rules
 * allow 3:1 above 18 dp/pt; the mode keeps 4.5:1 for all text). A dp/pt is a CSS px on the phone.
 */
const ELDER = { minFontPx: 18, minTapPx: 60, minContrast: 4.5 };

let outDir: string;
let manifest: Manifest;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-html-'));
  manifest = renderHtml([], outDir, true);
  browser = await launchChromium();
  page = await (await phoneContext(browser)).newPage();
});

afterAll(async () => {
  await browser?.close();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

async function open(scene: string): Promise<void> {
  const entry = manifest.pages.find((p) => p.name === scene);
  if (!entry) throw new Error(`${scene} was not rendered (missing: ${manifest.missing.join(', ')})`);
  await page.goto(`file://${path.join(outDir, entry.file)}`);
  await page.evaluate('document.fonts.ready.then(() => true)');
}

const list = (issues: TextReport['clipped']) => issues.map((i) => `${i.where} “${i.text}”: ${i.detail}`);

test('every scene (so every page in app.json) is checked here, as it is and in 长辈模式', () => {
  expect(KEY_PAGES.map((k) => k.scene).sort()).toEqual(SCENES.map((s) => s.name).sort());
  expect(manifest.pages.map((p) => p.name).sort()).toEqual(SCENES.flatMap((s) => [s.name, `${s.name}${ELDER_SUFFIX}`]).sort());
});

describe.each(KEY_PAGES.map((k) => [k.scene, k] as const))('%s', (scene, key) => {
  let report: TextReport;

  beforeAll(async () => {
    await open(scene);
    report = await page.evaluate(inspectText, {
      rootSelector: '.wx-page',
      minFontPx: MIN_FONT_PX,
      minContrast: MIN_CONTRAST,
      largeContrast: LARGE_CONTRAST,
    });
  });

  test('shows the expected Chinese text, rendered in a CJK font', async () => {
    const shown = await page.locator('.wx-page').innerText();
    for (const text of key.texts) expect([text, shown.includes(text)]).toEqual([text, true]);
    // Each expected text is laid out visibly (not a zero-size or hidden box).
    for (const text of key.texts) {
      const box = await page.getByText(text, { exact: false }).first().boundingBox();
      expect([text, (box?.width ?? 0) > 0 && (box?.height ?? 0) > 0]).toEqual([text, true]);
    }
    expect(report.count).toBeGreaterThanOrEqual(key.texts.length);
  });

  test('no text is cut off', () => {
    expect(list(report.clipped)).toEqual([]);
  });

  test('a time range kept on one line (.nowrap) is not broken', async () => {
    const broken = await page.evaluate(`Array.from(document.querySelectorAll('.wx-page [class*="nowrap"]')).filter((el) => {
      const lines = new Set(Array.from(el.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      return lines.size > 1;
    }).map((el) => el.textContent)`);
    expect(broken).toEqual([]);
  });

  test(`no text is smaller than ${MIN_FONT_PX} px`, () => {
    expect(list(report.small)).toEqual([]);
  });

  test(`text contrast is at least ${MIN_CONTRAST}:1 (${LARGE_CONTRAST}:1 for large text)`, () => {
    expect(list(report.lowContrast)).toEqual([]);
  });

  test('the main action is fully visible in the first screen, not covered', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    // The page is laid out for the 375-px-wide phone (its meta viewport), not a zoomed-out desktop.
    expect(await page.evaluate('[window.innerWidth, window.innerHeight]')).toEqual([375, 667]);
    const where = await page.evaluate(placement, key.primary);
    expect(where).toEqual(expect.objectContaining({ found: true, visible: true, inFirstScreen: true, onTop: true }));
    expect(where.text).not.toBe('');
  });
});

describe.each(KEY_PAGES.map((k) => [`${k.scene}${ELDER_SUFFIX}`, k] as const))('%s (长辈模式)', (scene, key) => {
  let report: TextReport;

  beforeAll(async () => {
    await open(scene);
    report = await page.evaluate(inspectText, {
      rootSelector: '.wx-page',
      minFontPx: ELDER.minFontPx,
      minContrast: ELDER.minContrast,
      largeContrast: ELDER.minContrast,
    });
  });

  test('the mode is on: the page carries its variables', async () => {
    const zoom = await page.evaluate(
      `getComputedStyle(document.querySelector('.wx-page')).getPropertyValue('--text-zoom').trim()`,
    );
    expect(Number(zoom)).toBeGreaterThanOrEqual(1.25);
  });

  test('shows the expected Chinese text, none of it cut off', async () => {
    const shown = await page.locator('.wx-page').innerText();
    for (const text of key.texts) expect([text, shown.includes(text)]).toEqual([text, true]);
    expect(list(report.clipped)).toEqual([]);
  });

  test(`text is at least ${ELDER.minFontPx} px (规范 1.1)`, () => {
    expect(list(report.small)).toEqual([]);
  });

  test(`text contrast is at least ${ELDER.minContrast}:1 (规范 1.3)`, () => {
    expect(list(report.lowContrast)).toEqual([]);
  });

  test(`every tap target is at least ${ELDER.minTapPx} × ${ELDER.minTapPx} px (规范 2.1)`, async () => {
    const small = await page.evaluate(smallTapTargets, { rootSelector: '.wx-page', minPx: ELDER.minTapPx });
    expect(small.map((t) => `${t.where} “${t.text}”: ${t.size}`)).toEqual([]);
  });

  test('exactly one filled primary action in the first screen, fully visible', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const filled = await page.evaluate(filledPrimaries);
    const main = key.elderPrimary ?? key.primary;
    if (typeof main !== 'string') {
      expect([main.none, filled]).toEqual([main.none, []]);
      return;
    }
    expect(filled).toHaveLength(1);
    const where = await page.evaluate(placement, main);
    expect(where).toEqual(expect.objectContaining({ found: true, visible: true, inFirstScreen: true, onTop: true }));
  });
});
