// The skeleton the pages repeat, as one Behavior (`behaviors: [pageBehavior]` in Component({...})):
//
// - pull-down refresh: `reload()` when the page has one (a list: back to page 1), else `load()`,
//   then the spinner stops;
// - `act(run, done, show?)`: one change the person asked for (accept, dispatch, review …). Refused
//   while another runs (`busy` in data for the buttons, `isBusy(this)` for handlers that ask first);
//   on success the toast says `done` and the page shows the answer (`show`) or loads again; a
//   refusal says why, and a conflict or a vanished record (another person acted first) also
//   loads again so the page shows the state as it is now. Answers whether it went through.
//
// - 长辈模式 (utils/elder.ts, docs/elder-mode.md): `elderStyle` for the page's
//   `<page-meta page-style="{{elderStyle}}" />` and `elderOn` for its template, set when the page is
//   attached, again on every show (the phone's font size may have changed), and at once when the
//   mode changes anywhere (the switch on 我的, `member.me` answering another mode).
//
// The page defines `load()` (and `reload()` if it is a list); the Behavior calls them on the
// instance, so each page keeps its own setData payloads.
import { isServiceError } from '../services/core';
import { showError, showSuccess } from '../services/feedback';
import { elderNow, elderStyle, onElderChange } from './elder';
import { privateState } from './state';

interface Loads {
  load?: () => Promise<void> | void;
  reload?: () => Promise<void> | void;
}

const busyState = privateState(() => ({ busy: false }));
const elderState = privateState(() => ({ off: undefined as (() => void) | undefined }));

type Styled = WechatMiniprogram.Component.TrivialInstance & { data: { elderOn?: boolean; elderStyle?: string } };

/** Sets the page's elder data when it differs from what the page shows. */
function applyElder(page: Styled, on: boolean = elderNow()): void {
  const style = elderStyle(on);
  if (page.data.elderOn === on && page.data.elderStyle === style) return;
  page.setData({ elderOn: on, elderStyle: style });
}

/** True while an `act` of this page runs. */
export const isBusy = (host: object): boolean => busyState(host).busy;

export const pageBehavior = Behavior({
  data: { elderOn: false, elderStyle: '' },
  lifetimes: {
    attached() {
      const page = this as unknown as Styled;
      applyElder(page);
      elderState(this).off = onElderChange((on) => applyElder(page, on));
    },
    detached() {
      elderState(this).off?.();
    },
  },
  pageLifetimes: {
    show() {
      applyElder(this as unknown as Styled);
    },
  },
  methods: {
    async onPullDownRefresh() {
      const page = this as unknown as Loads;
      await (page.reload ? page.reload() : page.load?.());
      wx.stopPullDownRefresh();
    },

    async act<T>(run: () => Promise<T>, done: string, show?: (answer: T) => void): Promise<boolean> {
      const s = busyState(this);
      const page = this as unknown as Loads;
      if (s.busy) return false;
      s.busy = true;
      this.setData({ busy: true });
      try {
        const answer = await run();
        if (show) show(answer);
        showSuccess(this, done);
        if (!show) await page.load?.();
        return true;
      } catch (err) {
        showError(this, err);
        if (isServiceError(err) && (err.code === 'E_CONFLICT' || err.code === 'E_NOT_FOUND')) await page.load?.();
        return false;
      } finally {
        s.busy = false;
        this.setData({ busy: false });
      }
    },
  },
});
