// Households in the mini-program, against the real member and orders functions on the local cloud:
// the 家人确认 page a household message opens (confirm, deny, someone else answered first, a
// member who may not answer), and the order form letting a verified resident order for a
// verified family member.
import fs from 'fs';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies, type CloudCall } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';

const CONFIRM = 'packages/household/confirm/index';
const CREATE = 'packages/orders/create/index';
const R1 = 'demo-resident-1'; // 赵秀兰, 1栋 102, 独居老人
const R2 = 'demo-resident-2'; // 孙伟, 2栋 301

let cloud: LocalCloud;
let calls: CloudCall[];

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  calls = wireCloud(cloud).calls;
});
afterAll(() => closeCloud(cloud));
beforeEach(() => installPhoneSpies());
afterEach(cleanup);

async function join(openid: string, name: string, room = '301', inviteCode: string = DEMO_INVITES.autoApprove) {
  await invokeData(cloud, 'member', 'join', { inviteCode, name, room, phone: '13711112222' }, openid);
}

const household = (openid: string) => invokeData(cloud, 'member', 'household', {}, openid);
const statusOf = async (openid: string) =>
  ((await collection('members').doc(`demo:${openid}`).get()).data[0] as { household?: { status: string } }).household?.status;

describe('家人确认', () => {
  test('the message opens the page on the newcomer; 确认 makes them family', async () => {
    await join('fam-1', '孙小梅');
    const [message] = (await collection('messages').where({ openid: R2, type: 'member.household' }).get()).data as {
      link: string;
    }[];
    expect(message.link).toBe(`/${CONFIRM}?openid=fam-1`);
    // The link is a page of the app.
    const app = JSON.parse(fs.readFileSync(path.join(__dirname, '../../miniprogram/app.json'), 'utf8')) as {
      subPackages: { root: string; pages: string[] }[];
    };
    expect(app.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))).toContain(CONFIRM);

    const page = await renderPage(CONFIRM, { openid: R2, query: { openid: 'fam-1' } });
    expect(page.text('#intro')).toContain('2栋 301室');
    expect(page.text('#claim-0')).toContain('孙小梅 申请加入您家');
    expect(page.text('#claim-0')).toContain('137****2222');
    expect(page.exists('.claim--focus')).toBe(true);
    expect(page.exists('#gone')).toBe(false);

    await page.tap('.confirm');
    expect(page.toast()).toMatchObject({ visible: true, message: '已确认孙小梅是您的家人' });
    expect(page.text('#claim-0')).toContain('已确认是家人');
    expect(page.count('.confirm')).toBe(0);
    expect(await statusOf('fam-1')).toBe('verified');
    expect((await household('fam-1')).items.map((m) => m.name)).toEqual(['孙伟']);
  });

  test('不是我家人 asks first, then marks the claim disputed and tells the workers', async () => {
    await join('fam-2', '陌生人');
    const page = await renderPage(CONFIRM, { openid: R2, query: { openid: 'fam-2' } });
    expect(page.text('#family')).toBe('已核实的家人：孙小梅');

    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
    await page.tap('.deny');
    expect(await statusOf('fam-2')).toBe('claimed');

    await page.tap('.deny');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '陌生人不是您的家人？' }));
    expect(page.text('#claim-0')).toContain('已告诉社区：不是家人');
    expect(await statusOf('fam-2')).toBe('disputed');
    const told = await collection('messages').where({ openid: 'demo-worker', type: 'member.household_disputed' }).get();
    expect(told.data).toHaveLength(1);
  });

  test('a claim another family member answered first: the function says so and the page reloads', async () => {
    await join('fam-3', '表哥');
    const page = await renderPage(CONFIRM, { openid: R2, query: { openid: 'fam-3' } });
    expect(page.count('.confirm')).toBe(1);
    // 孙小梅 (verified now) answers first on her own phone.
    await invokeData(cloud, 'member', 'confirmHousehold', { openid: 'fam-3', confirm: true }, 'fam-1');

    await page.tap('.confirm');
    expect(page.toast().message).toContain('已经处理过了');
    expect(page.count('.claim')).toBe(0);
    expect(page.text('#gone')).toContain('已经处理过了');
    expect(await statusOf('fam-3')).toBe('verified');
  });

  test('a member whose own room is not verified cannot answer; a stranger is sent to join', async () => {
    const page = await renderPage(CONFIRM, { openid: 'fam-2', query: { openid: 'fam-1' } });
    expect(page.text('#unverified')).toContain('还没有核实');
    expect(page.count('.claim')).toBe(0);
    expect(calls.filter((c) => c.action === 'confirmHousehold' && c.openid === 'fam-2')).toHaveLength(0);
    page.detach();

    const stranger = await renderPage(CONFIRM, { openid: 'nobody-here', query: { openid: 'fam-1' } });
    expect(stranger.text('#guest')).toContain('加入社区后');
  });
});

describe('ordering for a family member', () => {
  test('a verified resident picks a verified family member; the 特惠 item follows the person picked', async () => {
    const invite = await invokeData(cloud, 'member', 'createInvite', { building: '1栋', autoApprove: true }, 'demo-worker');
    await join('r1-son', '赵大勇', '102', invite.inviteCode);
    // Claimed: the form offers only oneself.
    let page = await renderPage(CREATE, { openid: 'r1-son', query: { serviceId: 'demo:lonely-visit' } });
    expect(page.exists('#family')).toBe(false);
    page.detach();

    await invokeData(cloud, 'member', 'confirmHousehold', { openid: 'r1-son', confirm: true }, R1);
    page = await renderPage(CREATE, { openid: 'r1-son', query: { serviceId: 'demo:lonely-visit' } });
    expect(page.texts('#family .chip')).toEqual(['我自己', '赵秀兰']);
    expect(page.text('.chip--on')).toBe('我自己');
    // He has no 独居老人 tag himself.
    expect(page.text('#reason')).toContain('特惠服务仅限');

    await page.tap('.family', 0);
    expect(page.text('.chip--on')).toBe('赵秀兰');
    expect(page.exists('#reason')).toBe(false);
    const menu = calls.filter((c) => c.action === 'menu' && c.openid === 'r1-son').pop();
    expect(menu?.payload).toEqual({ forOpenid: R1 });

    await page.input('#description-input', '妈妈一个人在家，请志愿者上门看看');
    await page.tap('#submit');
    const made = calls.filter((c) => c.action === 'create' && c.openid === 'r1-son');
    expect(made).toHaveLength(1);
    expect(made[0].payload).toMatchObject({ forOpenid: R1, serviceId: 'demo:lonely-visit' });
    const id = (wxSpies.redirectTo.mock.calls[0][0] as { url: string }).url.split('id=')[1];
    const order = await invokeData(cloud, 'orders', 'get', { orderId: id }, 'r1-son');
    expect(order).toMatchObject({ forSomeoneElse: true, beneficiary: { openid: R1, name: '赵秀兰' } });

    // Back to 我自己: the reason comes back.
    page.detach();
    page = await renderPage(CREATE, { openid: 'r1-son', query: { serviceId: 'demo:lonely-visit' } });
    await page.tap('.family', 0);
    await page.tap('#for-me');
    expect(page.text('#reason')).toContain('特惠服务仅限');
  });

  test('a disputed claimant and a verified resident living alone order only for themselves', async () => {
    for (const openid of ['fam-2', 'demo-resident-3']) {
      const page = await renderPage(CREATE, { openid, query: { serviceId: 'demo:errand' } });
      expect(page.text('#service-name')).toBe('代买代办');
      expect(page.exists('#family')).toBe(false);
      page.detach();
    }
  });
});
