// The content check as the functions run it on CloudBase: msgSecCheck through wx-server-sdk, here
// answered by the local cloud's stand-in WeChat, fed every reply the SDK can hand over. A clear
// pass stores, a reject or any unclear answer refuses and stores nothing.
import type { LocalCloud } from '../../local/cloud';
import type { Fault } from '../../local/wechat';
import { seedIfEmpty } from '../../local/seed';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data } from '../helpers/call';

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  orders = caller<OrdersApi>(cloud, 'orders');
});
afterAll(() => cloud.close());

const RESIDENT = 'demo-resident-2';
let n = 0;
const order = (description: string) =>
  orders(RESIDENT, 'create', { serviceId: 'demo:repair', description, requestId: `content-check-${++n}-${Date.now()}` });
const stored = async () => (await collection('orders').where({ forOpenid: RESIDENT }).count()).total;

test('a clear pass stores the order after one text check', async () => {
  const before = { text: cloud.wechat.calls('security.msgSecCheck'), picture: cloud.wechat.calls('security.imgSecCheck') };
  data(await order('厨房水龙头漏水，麻烦来看看'));
  expect(cloud.wechat.calls('security.msgSecCheck') - before.text).toBe(1);
  expect(cloud.wechat.calls('security.imgSecCheck') - before.picture).toBe(0);
});

test('a rejected text names the field to change and stores nothing', async () => {
  const count = await stored();
  const res = await order('帮我办证');
  expect(res).toEqual({ ok: false, error: { code: 'E_CONTENT_REJECTED', message: '「需求描述」含有不当内容，请修改后再提交' } });
  expect(await stored()).toBe(count);
});

test.each<[string, Fault]>([['suggest "review" (no clear verdict)', { suggest: 'review' }]])(
  '%s refuses as content',
  async (_, fault) => {
    const count = await stored();
    cloud.wechat.failNext('security.msgSecCheck', fault);
    const res = await order('需要上门理发');
    expect(res.ok ? 'OK' : res.error.code).toBe('E_CONTENT_REJECTED');
    expect(await stored()).toBe(count);
  },
);

test.each<[string, Fault]>([
  [
    'WeChat errcode 61010 (the user has not opened the mini-program in 2 h)',
    { errcode: 61010, errmsg: 'user in not in the app' },
  ],
  ['WeChat errcode 45009 (daily quota reached)', { errcode: 45009, errmsg: 'reach max api daily quota limit' }],
  ['the 云调用 layer refusing (-604101, no permission)', { errorCode: -604101 }],
  ['a CloudBase error instead of a reply', { tcbError: 'SYS_ERR' }],
  ['a dropped connection', { network: true }],
])('%s: fail closed, try again later, nothing stored', async (_, fault) => {
  const count = await stored();
  cloud.wechat.failNext('security.msgSecCheck', fault);
  const res = await order('需要上门理发');
  expect(res).toEqual({
    ok: false,
    error: { code: 'E_CONTENT_REJECTED', message: '暂时无法完成内容安全检查，内容没有提交，请稍后再试' },
  });
  expect(await stored()).toBe(count);
});
