// What the console's 通知 screen relies on (docs/console.md): the sent box carries each notice's
// household read counts (equal to stats' totals), and a console session's stats mask phones while
// a worker's phone sees whole numbers.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { NoticesApi, NoticeStats } from '../../cloudfunctions/notices/api';
import type { DeskApi } from '../../cloudfunctions/desk/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { startTestCloud } from '../helpers/local';
import { caller, data } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { WebClient } from '../helpers/web';

let cloud: LocalCloud;
let notices: ReturnType<typeof caller<NoticesApi>>;
let member: ReturnType<typeof caller<MemberApi>>;
const WORKER = 'demo-worker';
const ORIGIN = 'http://127.0.0.1:3998';

beforeAll(async () => {
  cloud = await startTestCloud({ allowedOrigins: [ORIGIN] });
  await seedIfEmpty(cloud);
  notices = caller<NoticesApi>(cloud, 'notices');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);

/** A console signed in as the demo worker (the desk's scan login). */
async function consoleClient(): Promise<WebClient> {
  const browser = new WebClient(cloud, ORIGIN);
  await browser.signInAnonymously();
  const { sessionId } = data(await browser.call('desk', 'startLogin', {})) as { sessionId: string };
  data(await caller<DeskApi>(cloud, 'desk')(WORKER, 'confirmLogin', { sessionId }));
  const poll = data(await browser.call('desk', 'pollLogin', { sessionId })) as { ticket: string };
  const signed = new WebClient(cloud, ORIGIN);
  await signed.signInWithTicket(poll.ticket);
  return signed;
}

it('the sent box carries household read counts equal to stats; notices without a tally carry none', async () => {
  const invite = data(await member(WORKER, 'createInvite', { building: '4栋', autoApprove: true }));
  for (const [i, room] of ['701', '702', '703'].entries())
    data(await member(`nc-4-${i}`, 'join', { inviteCode: invite.inviteCode, name: `住户${i}`, room, phone: `1370000000${i}` }));
  const n = data(
    await notices(WORKER, 'post', { title: '4栋电梯检修', body: '周三检修。', category: '通知', buildings: ['4栋'] }),
  );
  data(await notices('nc-4-0', 'get', { noticeId: n._id }));
  const stats = data(await notices(WORKER, 'stats', { noticeId: n._id }));
  const sent = data(await notices(WORKER, 'list', { box: 'sent' })).items;
  const row = sent.find((s) => s._id === n._id)!;
  expect({ households: row.households, readHouseholds: row.readHouseholds }).toEqual({
    households: stats.totals.households,
    readHouseholds: stats.totals.readHouseholds,
  });
  expect(row.readHouseholds).toBe(1);
  // The seeded notices were published before tallies: no household counts, their readCount only.
  const seeded = sent.find((s) => s._id === 'demo-notice-activity')!;
  expect(seeded.households).toBeUndefined();
  // Residents' feed rows never carry them.
  const feed = data(await notices('nc-4-1', 'list', {})).items;
  expect(feed.find((s) => s._id === n._id)).not.toHaveProperty('households');

  // withdrawn keeps them
  data(await notices(WORKER, 'withdraw', { noticeId: n._id }));
  const withdrawn = data(await notices(WORKER, 'list', { box: 'withdrawn' })).items.find((s) => s._id === n._id)!;
  expect(withdrawn.readHouseholds).toBe(1);
});

it("a console's stats mask the unread members' phones; the worker's phone sees them whole", async () => {
  const n = data(
    await notices(WORKER, 'post', { title: '4栋消防演练', body: '周五演练。', category: '安全提示', buildings: ['4栋'] }),
  );
  const phoneView = data(await notices(WORKER, 'stats', { noticeId: n._id }));
  const desk = await consoleClient();
  const res = await desk.call('notices', 'stats', { noticeId: n._id });
  const consoleView = data(res) as NoticeStats;
  const phones = (s: NoticeStats) => s.unread.items.flatMap((h) => h.members.map((m) => m.phone)).filter(Boolean);
  expect(phones(phoneView)).toContain('13700000001');
  expect(phones(consoleView)).toContain('137****0001');
  expect(JSON.stringify(consoleView)).not.toMatch(/1\d{10}/);
  expect(consoleView.totals).toEqual(phoneView.totals);
});
