// Pure helpers of the mini-program: labels, masking, form checks, redirect targets.
import { addressText, dateTimeText, maskPhone, relativeTimeText, roleText } from '../../miniprogram/utils/format';
import { decodeQueryValue, isTabPage, safeTarget } from '../../miniprogram/utils/nav';
import { splitRange } from '../../miniprogram/packages/parking/utils';
import { hasErrors, inviteCodeError, joinFormErrors, normalizeCode } from '../../miniprogram/utils/validate';

test('roles read in Chinese, in a fixed order', () => {
  expect(roleText(['worker', 'resident'])).toBe('居民、社区工作者');
  expect(roleText(['volunteer', 'resident'])).toBe('居民、党员志愿者');
  expect(roleText([])).toBe('居民');
});

test('address and phone formatting', () => {
  expect(addressText('3栋', '402')).toBe('3栋 402室');
  expect(addressText('3栋', '底商东侧')).toBe('3栋 底商东侧');
  expect(maskPhone('13812345678')).toBe('138****5678');
  expect(maskPhone('138****5678')).toBe('138****5678');
  expect(maskPhone(undefined)).toBe('');
  expect(dateTimeText('not a date')).toBe('');
  // On the community's clock, not the machine's (Vancouver here): the same instant, two spellings.
  expect(dateTimeText('2024-05-03T14:05:00+08:00')).toBe('2024年5月3日 14:05');
  expect(dateTimeText('2024-05-03T06:05:00.000Z')).toBe('2024年5月3日 14:05');
});

test('list-row times count days on the community clock, whatever the machine zone', () => {
  const now = '2030-01-07T00:30:00+08:00'; // still 1月6日 in Vancouver
  expect(relativeTimeText('2030-01-07T00:10:00+08:00', now)).toBe('今天 00:10');
  expect(relativeTimeText('2030-01-06T23:50:00+08:00', now)).toBe('昨天 23:50');
  expect(relativeTimeText('2030-01-08T09:00:00+08:00', now)).toBe('明天 09:00');
  expect(relativeTimeText('2030-01-03T09:00:00+08:00', now)).toBe('1月3日 09:00');
  expect(relativeTimeText('2029-12-03T09:00:00+08:00', now)).toBe('2029年12月3日');
  expect(relativeTimeText(undefined, now)).toBe('');
  expect(relativeTimeText('not a time', now)).toBe('');
});

test('invite codes are normalised and checked', () => {
  expect(normalizeCode(' ab12 cd34 ')).toBe('AB12CD34');
  expect(inviteCodeError('')).toBe('请输入邀请码');
  expect(inviteCodeError('AB1')).toMatch(/6 到 12 位/);
  expect(inviteCodeError('AB12CD34')).toBe('');
});

test('join form: each field says what to fix; phone is optional', () => {
  const empty = joinFormErrors({ name: ' ', building: '', room: '', phone: '' }, true);
  expect(empty).toEqual({ name: '请填写姓名', building: '请选择您住的楼栋', room: '请填写房号，例如 302', phone: '' });
  const badPhone = joinFormErrors({ name: '王阿姨', building: '1栋', room: '302', phone: '12345' }, true);
  expect(badPhone.phone).toMatch(/11 位/);
  expect(hasErrors(badPhone)).toBe(true);
  const good = joinFormErrors({ name: '王阿姨', building: '1栋', room: '302', phone: '138 1234 5678' }, true);
  expect(hasErrors(good)).toBe(false);
  expect(joinFormErrors({ name: '王'.repeat(21), building: '1栋', room: '1', phone: '' }, true).name).toMatch(/20/);
});

test('redirect targets stay inside the mini-program', () => {
  expect(safeTarget(encodeURIComponent('/packages/orders/detail/index?id=abc'))).toBe('/packages/orders/detail/index?id=abc');
  expect(safeTarget('pages/notices/index')).toBe('/pages/notices/index');
  expect(safeTarget('https://evil.example.com/x')).toBeUndefined();
  expect(safeTarget('/pages/../../etc/passwd')).toBeUndefined();
  expect(safeTarget('')).toBeUndefined();
  expect(decodeQueryValue('%E4%B8%80')).toBe('一');
  expect(decodeQueryValue('%E4%B8')).toBe('%E4%B8');
  expect(isTabPage('/pages/mine/index?x=1')).toBe(true);
  expect(isTabPage('/pages/join/index')).toBe(false);
});

describe('time ranges kept on one line (packages/parking/utils splitRange)', () => {
  test('the range is split off whole; the words before it may wrap', () => {
    expect(splitRange('1月7日 周一 10:00–12:00')).toEqual({ head: '1月7日 周一 ', range: '10:00–12:00' });
    expect(splitRange('每周日 22:00–次日 06:00')).toEqual({ head: '每周日 ', range: '22:00–次日 06:00' });
    expect(splitRange('1月7日 周一 22:00–24:00')).toEqual({ head: '1月7日 周一 ', range: '22:00–24:00' });
    expect(splitRange('每周六 全天')).toEqual({ head: '每周六 全天', range: '' });
    expect(splitRange('')).toEqual({ head: '', range: '' });
  });
});
