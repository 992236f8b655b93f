// 长辈模式 on the phone (docs/elder-mode.md): the page style and the phone's font size, the switch on
// 我的, a worker's switch on 成员审核, the first-visit prompt on 首页, and messages that wait for a
// tap. Real pages against the real member function on the local cloud.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import { ELDER_RULES, elderNow, elderStyle, isElder, phoneFontScale, setElderNow } from '../../miniprogram/utils/elder';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
beforeEach(() => installPhoneSpies());
afterEach(cleanup);

const modeOf = async (openid: string) =>
  ((await collection('members').doc(`demo:${openid}`).get()).data as { elderMode?: string }[])[0]?.elderMode;

describe('the page style', () => {
  const wxAny = wx as unknown as Record<string, unknown>;
  afterEach(() => delete wxAny.getAppBaseInfo);

  test('off: nothing, unless the phone asks for larger text; on: the rules’ figures', () => {
    expect(elderStyle(false, 1)).toBe('');
    expect(elderStyle(false, 1.3)).toBe('--text-zoom: 1.3;');
    const on = elderStyle(true, 1);
    expect(on).toContain('--text-zoom: 1.25');
    expect(on).toContain(`--text-min: ${ELDER_RULES.minTextPx}px`);
    expect(on).toContain(`--tap-min: ${ELDER_RULES.minTapPx}px`);
    // The phone at the 「关怀模式」 size (23.8 / 17 = 1.4): larger than the mode's own zoom, so it wins.
    expect(elderStyle(true, 1.4)).toContain('--text-zoom: 1.4');
    expect(elderStyle(true, 1.4)).toContain('--text-min: 20px');
  });

  test('the phone’s font size comes from wx.getAppBaseInfo, never below 1 nor above 2', () => {
    wxAny.getAppBaseInfo = () => ({ fontSizeSetting: 23.8, fontSizeScaleFactor: 1.4 });
    expect(phoneFontScale()).toBe(1.4);
    wxAny.getAppBaseInfo = () => ({ fontSizeSetting: 16, fontSizeScaleFactor: 0.94 });
    expect(phoneFontScale()).toBe(1);
    wxAny.getAppBaseInfo = () => ({ fontSizeScaleFactor: 3.2 });
    expect(phoneFontScale()).toBe(2);
  });

  test('isElder reads the answer, or the setting and the tags', () => {
    expect(isElder(null)).toBe(false);
    expect(isElder({ elder: true })).toBe(true);
    expect(isElder({ elderMode: 'auto', tags: ['独居老人'] })).toBe(true);
    expect(isElder({ elderMode: 'off', tags: ['高龄'] })).toBe(false);
  });
});

test('赵秀兰 (高龄): 首页 opens in the mode, says so once, and 关掉 turns it off', async () => {
  // When the prompt shows, the page is already in the mode; she answers 「关掉」.
  let seenOn = false;
  wxSpies.showModal.mockImplementationOnce(async () => {
    seenOn = elderNow();
    return { confirm: false, cancel: true, content: '' };
  });
  const page = await renderPage('pages/home/index', { openid: 'demo-resident-1' });
  expect(seenOn).toBe(true);
  expect(wxSpies.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '已为您打开长辈模式' }));
  await page.show();
  // 「关掉」: her setting is off now, and the page (and the phone) follow at once.
  expect(await modeOf('demo-resident-1')).toBe('off');
  expect(elderNow()).toBe(false);
  expect(page.data.elderOn).toBe(false);
  expect(page.data.elderStyle).toBe('');
  expect(page.exists('#book-0')).toBe(false);
  page.detach();

  // Never asked again on this phone.
  wxSpies.showModal.mockClear();
  await collection('members').doc('demo:demo-resident-1').update({ elderMode: 'auto' });
  const again = await renderPage('pages/home/index', { openid: 'demo-resident-1' });
  expect(again.data.elderOn).toBe(true);
  expect(again.data.elderStyle).toContain('--text-min: 18px');
  // The first service's booking is the screen's one filled button.
  expect(again.exists('#book-0')).toBe(true);
  expect(wxSpies.showModal).not.toHaveBeenCalled();
});

test('我的: the member switches it; in the mode its answer waits for a tap instead of a toast', async () => {
  const page = await renderPage('pages/mine/index', { openid: 'demo-resident-3' });
  expect(page.text('#elder-state')).toContain('长辈模式已关闭');
  await page.tap('#toggle-elder');
  expect(await modeOf('demo-resident-3')).toBe('on');
  expect(page.data.elderOn).toBe(true);
  expect(page.text('#elder-state')).toContain('长辈模式已打开');
  // Success said in a modal with 知道了, not a toast that goes away.
  expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ content: '已打开长辈模式', showCancel: false }));
  await page.tap('#toggle-elder');
  expect(await modeOf('demo-resident-3')).toBe('off');
  expect(page.data.elderOn).toBe(false);
});

test('成员审核: a worker turns it on for a member', async () => {
  setElderNow(false);
  const page = await renderPage('packages/worker/members/index', { openid: 'demo-worker', query: { status: 'active' } });
  const index = (page.data.items as { name: string }[]).findIndex((m) => m.name === '吴强');
  expect(index).toBeGreaterThanOrEqual(0);
  await page.tap('.manage', index);
  await page.tap('.toggle-elder');
  expect(await modeOf('demo-resident-4')).toBe('on');
  // The worker's own phone stays as it was.
  expect(elderNow()).toBe(false);
});
