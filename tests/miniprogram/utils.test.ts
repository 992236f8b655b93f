// Pure helpers of the mini-program: labels, masking, form checks, redirect targets.
import { addressText, dateTimeText, maskPhone, roleText } from '../../miniprogram/utils/format';
import { decodeQueryValue, isTabPage, safeTarget } from '../../miniprogram/utils/nav';
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
  expect(dateTimeText(new Date(2024, 4, 3, 14, 5).toISOString())).toBe('2024年5月3日 14:05');
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
