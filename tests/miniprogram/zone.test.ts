// The page tests run with the phone in another zone than the community's (jest.config.js): the
// pages must show times on the community's clock all the same.
import { shortDateTime } from '../../miniprogram/shared/clock';

test('the page tests run in Vancouver, and the community clock still reads Shanghai time', () => {
  expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(480);
  expect(new Date('2026-07-15T12:00:00Z').getTimezoneOffset()).toBe(420);
  expect(new Date('2026-07-15T12:00:00Z').getHours()).toBe(5);
  expect(shortDateTime('2026-07-15T12:00:00Z', '2026-07-15T12:00:00Z')).toBe('7月15日 20:00');
});
