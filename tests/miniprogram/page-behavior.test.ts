// miniprogram-simulate runs `behaviors` in Component definitions: pageBehavior's pull-down
// refresh and act() reach the page's own load()/reload() and setData, as on the phone.
import simulate from 'miniprogram-simulate';
import { ServiceError } from '../../miniprogram/services/core';
import { isBusy, pageBehavior } from '../../miniprogram/utils/page-behavior';

function render(methods: Record<string, (...args: never[]) => unknown>) {
  const id = simulate.load({
    template: '<view class="n">{{n}}</view>',
    behaviors: [pageBehavior],
    data: { n: 0, busy: false },
    methods,
  });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  // No <t-toast> in this bare page: feedback falls back to wx.showToast, which records what was said.
  (comp.instance as unknown as { selectComponent: () => null }).selectComponent = () => null;
  return comp;
}

beforeEach(() => {
  (wx as unknown as { stopPullDownRefresh: jest.Mock }).stopPullDownRefresh = jest.fn();
  (wx as unknown as { showToast: jest.Mock }).showToast = jest.fn();
});

test('pull-down refresh runs reload() on a list page, else load(), then stops the spinner', async () => {
  const load = jest.fn();
  const reload = jest.fn();
  await render({ load, reload }).instance.onPullDownRefresh();
  expect(reload).toHaveBeenCalledTimes(1);
  expect(load).not.toHaveBeenCalled();
  await render({ load }).instance.onPullDownRefresh();
  expect(load).toHaveBeenCalledTimes(1);
  expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(2);
});

test('act: busy while it runs, shows the answer or loads again; a conflict loads again; one at a time', async () => {
  const load = jest.fn();
  const comp = render({ load });
  const page = comp.instance as unknown as {
    act<T>(run: () => Promise<T>, done: string, show?: (a: T) => void): Promise<boolean>;
  };
  let release!: (n: number) => void;
  const shown: number[] = [];
  const first = page.act(
    () => new Promise<number>((r) => (release = r)),
    '好了',
    (n) => shown.push(n),
  );
  expect(comp.data.busy).toBe(true);
  expect(isBusy(comp.instance)).toBe(true);
  expect(await page.act(async () => 1, '又一次')).toBe(false);
  release(7);
  expect(await first).toBe(true);
  expect(shown).toEqual([7]);
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '好了', icon: 'success' }));
  expect(load).not.toHaveBeenCalled();
  expect(comp.data.busy).toBe(false);
  expect(await page.act(async () => 1, '好了')).toBe(true);
  expect(load).toHaveBeenCalledTimes(1);
  expect(await page.act(() => Promise.reject(new ServiceError('E_CONFLICT')), '好了')).toBe(false);
  expect(load).toHaveBeenCalledTimes(2);
  expect(await page.act(() => Promise.reject(new ServiceError('E_VALIDATION')), '好了')).toBe(false);
  expect(load).toHaveBeenCalledTimes(2);
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '填写的内容有误，请检查后重试', icon: 'none' }));
  expect(isBusy(comp.instance)).toBe(false);
});
