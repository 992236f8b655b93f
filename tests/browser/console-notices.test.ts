// The console's 通知 and 成员审核 screens in headless Chromium against the local cloud: write a
// notice (a refused title shows under the title field), publish it to one building, residents of
// that building open it through the function, the statistics show the building's rate as the
// function counts it, 导出未读名单 downloads an .xlsx that reads back to the unread households
// (no whole phone number), 一键提醒 once; then two applicants approved in one batch.
// Screenshots: docs/console/notices.png, notice-editor.png, notice-stats.png, members.png.
import fs from 'fs';
import type { Page } from 'playwright-core';
import { readSheet } from 'read-excel-file/node';
import { startConsoleHarness, type ConsoleHarness } from './console-harness';
import type { NoticeList, NoticeStats } from '../../cloudfunctions/notices/api';
import type { BatchReview, MemberView } from '../../cloudfunctions/member/api';
import { maskPhone } from '../../cloudfunctions/common/mask';
import { dateText, instantOf } from '../../miniprogram/shared/clock';
import type { Page as ListPage } from '../../cloudfunctions/common/schema';

let h: ConsoleHarness;
let page: Page;
let errors: string[];

const TITLE = '3栋明日上午停水';
const BODY = '因管道检修，3栋明日 9:00–12:00 停水。\n请提前储水。\n\n如有困难请联系社区：李梅';
const NEWCOMERS = [
  { openid: 'cn-3-a', name: '吴桂英', room: '501', phone: '13911112222' },
  { openid: 'cn-3-b', name: '郑建华', room: '502', phone: '13933334444' },
  { openid: 'cn-3-c', name: '冯丽', room: '503', phone: '13955556666' },
];

beforeAll(async () => {
  h = await startConsoleHarness();
  // Three more households in 3栋 (auto-approved), so the building has reads and unread homes.
  const { inviteCode } = await h.as<{ inviteCode: string }>('member', 'createInvite', { building: '3栋', autoApprove: true });
  for (const n of NEWCOMERS) await h.as('member', 'join', { inviteCode, name: n.name, room: n.room, phone: n.phone }, n.openid);
  ({ page, errors } = await h.signedInPage({ acceptDownloads: true }));
});

/** Screenshots without the passing toasts (TDesign messages last 3 s). */
async function quietShot(name: string) {
  await page.mouse.move(0, 0);
  await page
    .locator('.t-message')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
  await h.shot(page, name);
}

afterAll(async () => {
  await h?.close();
});

test('write, refuse a title by the content check, publish to 3栋; reads, stats, export, remind', async () => {
  await h.openTab(page, '通知');
  await page.locator('.notices .t-table').waitFor();
  await page.locator('.write-notice').click();

  // The editor, with a live preview of what residents see: plain text, line breaks kept.
  await page.locator('.title-input input').fill('这里有赌博广告');
  await page.locator('.body-input textarea').fill(BODY);
  await page.locator('.category-input').getByText('停水停电').click();
  await page.locator('.audience-input').getByText('指定楼栋').click();
  await page.locator('.building-input').getByText('3栋').click();
  await page.locator('.pinned-input').click();
  const preview = page.locator('.preview-body');
  expect(await preview.innerText()).toBe(BODY);
  expect(await page.locator('.preview-title').innerText()).toBe('这里有赌博广告');

  // The content check refuses the title: the function's sentence shows under the title, nothing posted.
  await page.locator('.publish').click();
  await page.locator('.error-title').waitFor();
  expect(await page.locator('.error-title').innerText()).toBe('「标题」含有不当内容，请修改后再提交');
  const sent0 = await h.as<NoticeList>('notices', 'list', { box: 'sent' });
  expect(sent0.items.some((n) => n.title.includes('赌博'))).toBe(false);

  await page.locator('.title-input input').fill(TITLE);
  await page.locator('.preview-title').getByText(TITLE).waitFor();
  await h.shot(page, 'notice-editor');
  await page.locator('.publish').click();

  // Back on 已发布, the notice is there with its read rate.
  const row = page.locator('.notices tr').filter({ hasText: TITLE });
  await row.waitFor({ timeout: 30_000 });
  const sent = await h.as<NoticeList>('notices', 'list', { box: 'sent' });
  const notice = sent.items.find((n) => n.title === TITLE)!;
  expect(notice).toMatchObject({ category: '停水停电', buildings: ['3栋'], pinned: true, state: 'published' });
  const detail = await h.as<{ body: string }>('notices', 'get', { noticeId: notice._id });
  expect(detail.body).toBe(BODY);

  // Residents of 3栋 open it through the function (their read receipts).
  await h.as('notices', 'get', { noticeId: notice._id }, 'demo-resident-3');
  await h.as('notices', 'get', { noticeId: notice._id }, NEWCOMERS[0].openid);
  const stats = await h.as<NoticeStats>('notices', 'stats', { noticeId: notice._id });
  const b3 = stats.buildings.find((b) => b.building === '3栋')!;
  expect(b3.readHouseholds).toBe(2);
  expect(stats.buildings.map((b) => b.building)).toEqual(['3栋']);

  // The list shows the household rate; the stats screen the building's rate, as the function counts.
  await page.locator('.notice-boxes').getByText('草稿').click();
  await page.locator('.notice-boxes').getByText('已发布').click();
  await row.getByText(`${b3.readHouseholds}/${b3.households} 户`).waitFor();
  await quietShot('notices');
  await row.locator('.open-stats').click();
  await page.locator('.building-stats').waitFor();
  const rate = `${Math.round((b3.readHouseholds / b3.households) * 100)}%`;
  expect(await page.locator('.rate-bar[data-building="3栋"]').getAttribute('data-rate')).toBe(rate);
  expect(await page.locator('[data-figure="rate"]').innerText()).toContain(String(Math.round(stats.totals.rate * 100)));

  // The unread households, phones masked on the console (the function masks them for a console).
  const unreadText = await page.locator('.unread-list').innerText();
  for (const u of stats.unread.items) for (const m of u.members) expect(unreadText).toContain(m.name);
  expect(unreadText).toContain('139****4444');
  expect(unreadText).not.toMatch(/1\d{10}/);
  expect(unreadText).not.toContain(NEWCOMERS[0].name);

  // 导出未读名单: an .xlsx of every unread household, read back.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.export-unread').click()]);
  expect(download.suggestedFilename()).toMatch(/^未读名单-.*\.xlsx$/);
  const file = await download.path();
  const rows = (await readSheet(fs.readFileSync(file))) as unknown[][];
  expect(rows[0]).toEqual(['楼栋', '房号', '住户', '手机号（已隐藏）', '备注']);
  const workerView = await h.as<NoticeStats>('notices', 'stats', { noticeId: notice._id }); // a phone's view: whole numbers
  expect(rows.slice(1).map((r) => r.slice(0, 4).map((c) => (c === null ? '' : String(c))))).toEqual(
    workerView.unread.items.map((u) => [
      u.building,
      u.verified ? u.room : `${u.room}（房号待核实）`,
      u.members.map((m) => m.name).join('、'),
      u.members.map((m) => maskPhone(m.phone) ?? '—').join('、'),
    ]),
  );
  expect(rows.slice(1).map((r) => r[2])).toEqual(expect.arrayContaining([NEWCOMERS[1].name, NEWCOMERS[2].name]));
  expect(JSON.stringify(rows)).not.toMatch(/1\d{10}/);
  expect(rows).toHaveLength(1 + workerView.unread.items.length);

  await quietShot('notice-stats');

  // 一键提醒, once.
  await page.locator('.remind').click();
  await page.locator('.confirm-remind').click();
  await page.locator('.remind').filter({ hasText: '已提醒' }).waitFor({ timeout: 30_000 });
  expect(await page.locator('.remind').getAttribute('class')).toContain('t-is-disabled');
  const after = await h.as<NoticeStats>('notices', 'stats', { noticeId: notice._id });
  expect(after.remindedAt).toBeTruthy();
  const unreadPeople = workerView.unread.items.reduce((n, u) => n + u.members.length, 0);
  expect(after.remindedCount).toBe(unreadPeople);
  expect(errors).toEqual([]);
});

test('a draft saved, edited and withdrawn with confirmation', async () => {
  await h.openTab(page, '通知');
  await page
    .locator('.back')
    .click()
    .catch(() => undefined);
  await page.locator('.write-notice').click();
  await page.locator('.title-input input').fill('周末义诊活动');
  await page.locator('.body-input textarea').fill('周六上午社区卫生站义诊。');
  // An expiry typed into the picker is community time (+08:00), whatever the browser's zone.
  const day = dateText(Date.now() + 10 * 86400_000);
  await page.locator('.expiry-input input').fill(`${day} 18:30`);
  await page.locator('.expiry-input input').press('Enter');
  await page.locator('.save-draft').click();
  await page.locator('.notices tr').filter({ hasText: '周末义诊活动' }).waitFor({ timeout: 30_000 });
  await page.locator('.notices tr').filter({ hasText: '周末义诊活动' }).locator('.edit-notice').click();
  await page.locator('.title-input input').fill('周末义诊活动（改期）');
  await page.locator('.save-draft').click();
  const draftRow = page.locator('.notices tr').filter({ hasText: '周末义诊活动（改期）' });
  await draftRow.waitFor({ timeout: 30_000 });
  const drafts = await h.as<NoticeList>('notices', 'list', { box: 'drafts' });
  const mine = drafts.items.filter((n) => n.title.startsWith('周末义诊活动'));
  expect(mine.map((n) => n.title)).toEqual(['周末义诊活动（改期）']);
  expect(mine[0].expiresAt).toBe(instantOf(day, '18:30').toISOString());
  await draftRow.locator('.withdraw-notice').click();
  await page.locator('.withdraw-dialog').getByText('撤回后居民就看不到了', { exact: false }).waitFor();
  await page.locator('.confirm-withdraw').click();
  await draftRow.waitFor({ state: 'detached', timeout: 30_000 });
  const withdrawn = await h.as<NoticeList>('notices', 'list', { box: 'withdrawn' });
  expect(withdrawn.items.map((n) => n.title)).toContain('周末义诊活动（改期）');
});

test('成员审核: two applicants approved in one batch', async () => {
  const { inviteCode } = await h.as<{ inviteCode: string }>('member', 'createInvite', {});
  const applicants = [
    { openid: 'cm-batch-1', name: '钱多多', building: '4栋', room: '1201', phone: '13712345678' },
    { openid: 'cm-batch-2', name: '孙悦', building: '5栋', room: '302' },
  ];
  for (const { openid, ...a } of applicants) await h.as('member', 'join', { inviteCode, ...a }, openid);

  await h.openTab(page, '成员审核');
  const rowOf = (name: string) => page.locator('.members tr').filter({ hasText: name });
  await rowOf('钱多多').waitFor({ timeout: 30_000 });
  expect(await rowOf('钱多多').innerText()).toContain('137****5678');
  for (const a of applicants) await rowOf(a.name).locator('.t-checkbox').click();
  await page.locator('.approve-selected').filter({ hasText: '（2）' }).waitFor();
  await quietShot('members');
  await page.locator('.approve-selected').click();
  await page.getByText('已通过 2 人').waitFor({ timeout: 30_000 });
  await rowOf('钱多多').waitFor({ state: 'detached' });

  const active = await h.as<ListPage<MemberView>>('member', 'list', { status: 'active' });
  for (const a of applicants) expect(active.items.find((m) => m.openid === a.openid)?.status).toBe('active');
  // Decided: a second batch answers each as handled, nothing fails.
  const again = await h.as<BatchReview>('member', 'approveMany', { openids: applicants.map((a) => a.openid) });
  expect(again).toMatchObject({ approved: 0, handled: 2 });
  expect(errors).toEqual([]);
});
