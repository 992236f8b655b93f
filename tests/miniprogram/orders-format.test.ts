// The plain-word formatting the order pages share (miniprogram/utils/orders.ts).
import { deadlineText, excerpt, newRequestId, priceText, rowOf, starsText, withId } from '../../miniprogram/utils/orders';
import { shortDateTime } from '../../miniprogram/utils/format';
import type { OrderSummary } from '../../miniprogram/services/orders';

test('prices: 0 is 免费, fen become yuan', () => {
  expect(priceText(0)).toBe('免费');
  expect(priceText(8000)).toBe('80元');
  expect(priceText(250)).toBe('2.50元');
  expect(priceText(1)).toBe('0.01元');
});

test('times are on the community clock (+08:00), with the year only when it is another year', () => {
  const now = new Date('2030-01-07T09:00:00+08:00');
  expect(shortDateTime('2030-01-07T01:30:00.000Z', now)).toBe('1月7日 09:30');
  expect(shortDateTime('2029-12-31T16:05:00.000Z', now)).toBe('1月1日 00:05');
  expect(shortDateTime('2029-12-31T15:05:00.000Z', now)).toBe('2029年12月31日 23:05');
  expect(shortDateTime(undefined, now)).toBe('');
  expect(shortDateTime('not a time', now)).toBe('');
});

test('the deadline names the running step; no clock, no deadline', () => {
  expect(deadlineText({ step: 'serve', light: 'yellow', redAt: '2030-01-07T05:00:00.000Z' })).toMatch(/^服务时限：/);
  expect(deadlineText({ step: null, light: null, redAt: undefined })).toBe('');
});

test('stars, excerpts, ids and paths', () => {
  expect(starsText(4)).toBe('★★★★☆ 满意');
  expect(starsText(1)).toBe('★☆☆☆☆ 很不满意');
  expect(excerpt('一二三四五', 3)).toBe('一二三…');
  expect(excerpt('一二三', 3)).toBe('一二三');
  const a = newRequestId();
  expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  expect(newRequestId()).not.toBe(a);
  expect(withId('/packages/orders/detail/index', 'o_1&x')).toBe('/packages/orders/detail/index?id=o_1%26x');
});

test('a card row: the light, who is served, and 去评价 only for a party of a completed order', () => {
  const order = {
    _id: 'o_1',
    serviceName: '水电小修',
    status: 'completed',
    statusLabel: '待评价',
    light: null,
    description: '厨房水龙头漏水',
    beneficiary: { openid: 'r', name: '孙伟', building: '2栋', room: '3**' },
    volunteer: { openid: 'v', name: '张建国' },
    createdAt: '2030-01-07T01:00:00.000Z',
    price: 0,
  } as unknown as OrderSummary;
  expect(rowOf(order, true)).toMatchObject({
    who: '孙伟 · 2栋 3**',
    volunteer: '张建国',
    canRate: true,
    light: '',
    lightText: '',
  });
  expect(rowOf(order, false).canRate).toBe(false);
  expect(rowOf({ ...order, status: 'pending', light: 'red' }, true)).toMatchObject({
    canRate: false,
    light: 'red',
    lightText: '已超时',
  });
});
