// 长辈模式 on the phone (docs/elder-mode.md): whether it is on, the page style it gives, and the
// phone's own font size. Imports nothing: pages, the page behavior and the services' callers use it.
//
// The mode comes from `member.me` (`elder`: the member's setting, or the default of the tags 高龄 and
// 独居老人) and is kept in storage, so the first screen of the next launch is already right. Every
// page (pageBehavior) styles itself with `elderStyle` and hears when the mode changes.

/** What `isElder` needs of a membership: `me`, or a member as a worker sees them. */
export interface ElderLike {
  elder?: boolean;
  elderMode?: 'on' | 'off' | 'auto';
  tags?: readonly string[];
}

/** Tags that turn the mode on while the member has not chosen (cloudfunctions/common/elder-mode.ts). */
export const ELDER_DEFAULT_TAGS: readonly string[] = ['高龄', '独居老人'];

/** The rules' figures (工信部《移动互联网应用（APP）适老化通用设计规范》; docs/elder-mode.md). */
export const ELDER_RULES = {
  /** 1.1: main text in the elder interface at least 18 dp/pt (CSS px on the phone). */
  minTextPx: 18,
  /** 2.1: main controls' tap area at least 60 × 60 dp/pt. */
  minTapPx: 60,
  /** 1.3: contrast at least 4.5:1 (3:1 for text over 18 dp/pt). */
  minContrast: 4.5,
  /** 1.2: line spacing at least 1.3. */
  lineHeight: 1.3,
} as const;

/** How much larger every `--text-zoom` size is in the mode (34rpx body text → 21 px on a 375-px phone). */
export const ELDER_ZOOM = 1.25;

/** Whether the mode is on for this membership (none: off). */
export function isElder(me: ElderLike | null | undefined): boolean {
  if (!me) return false;
  if (typeof me.elder === 'boolean') return me.elder;
  const mode = me.elderMode ?? 'auto';
  if (mode !== 'auto') return mode === 'on';
  return (me.tags ?? []).some((t) => ELDER_DEFAULT_TAGS.includes(t));
}

const STORAGE_KEY = 'elderMode';
/** Asked on the home page once per member whose mode the tags turned on (`elderPrompted:<openid>`). */
const PROMPTED_KEY = 'elderPrompted';

type Listener = (on: boolean) => void;
/**
 * Listeners live on the app (one per launch), not in this module: every subpackage may hold its
 * own copy of a utils module, and they must all hear a change.
 */
function listeners(): Set<Listener> {
  const holder = (typeof getApp === 'function' ? getApp<IAppOption>() : undefined) as
    { elderListeners?: Set<Listener> } | undefined;
  const target = holder ?? fallback;
  target.elderListeners ??= new Set();
  return target.elderListeners;
}
const fallback: { elderListeners?: Set<Listener> } = {};

function read(key: string): unknown {
  try {
    return wx.getStorageSync(key);
  } catch {
    return '';
  }
}

/** Whether the mode is on on this phone now (as the last `me` said). */
export function elderNow(): boolean {
  return read(STORAGE_KEY) === 'on';
}

/** Turns the mode on or off on this phone; every open page restyles itself. */
export function setElderNow(on: boolean): void {
  if (elderNow() === on) return;
  try {
    wx.setStorageSync(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage full or refused: the pages still hear the change below.
  }
  for (const listener of [...listeners()]) listener(on);
}

/**
 * After `member.me` (or a change of one's own setting): the phone follows the member's mode. No
 * membership (a newcomer on the join page) says nothing about the person: the phone keeps its mode.
 */
export function syncElder(me: ElderLike | null | undefined): void {
  if (me) setElderNow(isElder(me));
}

/** Calls `listener` on every change of the mode; answers the unsubscribe. */
export function onElderChange(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

/**
 * The phone's font size as WeChat reports it (fontSizeScaleFactor: 1 standard, up to ~1.4 at the
 * 「关怀模式」 size), never below 1 (the pages' sizes are already large) nor above 2.
 */
export function phoneFontScale(): number {
  try {
    const info = (typeof wx.getAppBaseInfo === 'function' ? wx.getAppBaseInfo() : wx.getSystemInfoSync()) as {
      fontSizeScaleFactor?: number;
    };
    const f = Number(info?.fontSizeScaleFactor);
    return Number.isFinite(f) && f > 0 ? Math.min(2, Math.max(1, f)) : 1;
  } catch {
    return 1;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The page style (`<page-meta page-style="{{elderStyle}}">`): `--text-zoom` multiplies every size
 * written `calc(<n>rpx * var(--text-zoom, 1))`, `--text-min` is the floor of `max(var(--text-min), …)`;
 * the phone's font size always counts. In the mode also the rules' tap size (`--tap-min` for `.tap`),
 * tdesign's sizes and a darker palette (app.wxss has the rest).
 */
export function elderStyle(on: boolean, scale = phoneFontScale()): string {
  if (!on) return scale === 1 ? '' : `--text-zoom: ${round(scale)};`;
  const zoom = round(Math.max(ELDER_ZOOM, scale));
  const min = Math.round(ELDER_RULES.minTextPx * Math.max(1, scale / ELDER_ZOOM));
  const font = (rpx: number) => `max(${min}px, calc(${rpx}rpx * ${zoom}))`;
  return [
    `--text-zoom: ${zoom}`,
    `--text-min: ${min}px`,
    `--tap-min: ${ELDER_RULES.minTapPx}px`,
    `--elder: 1`,
    // `.main-action` (app.wxss): a long form's submit stays at the bottom of the screen.
    `--main-action-position: sticky`,
    // Rows kept on one line for the first screen (the week's days) may wrap: 60-px targets.
    `--elder-wrap: wrap`,
    `--elder-white-space: normal`,
    `--main-action-bg: #f3f3f3`,
    `--main-action-pad: 16rpx 0 24rpx`,
    // tdesign reads these inside its components; the inline style outranks app.wxss.
    `--td-font-size-base: ${font(34)}`,
    `--td-font-size-m: ${font(34)}`,
    `--td-font-size-s: ${font(30)}`,
    `--td-font-size: ${font(30)}`,
    `--td-font-size-body-medium: ${font(34)}`,
    `--td-font-size-body-small: ${font(30)}`,
    `--td-font-size-body-large: ${font(36)}`,
    `--td-font-size-title-medium: ${font(36)}`,
    `--td-button-small-height: ${ELDER_RULES.minTapPx}px`,
    `--td-button-small-font-size: ${font(32)}`,
    `--td-button-medium-height: ${ELDER_RULES.minTapPx}px`,
    `--td-button-medium-font-size: ${font(34)}`,
    `--td-button-large-height: 64px`,
    `--td-button-large-font-size: ${font(38)}`,
    `--td-cell-height: ${ELDER_RULES.minTapPx}px`,
    `--td-cell-title-font-size: ${font(34)}`,
    `--td-cell-description-font-size: ${font(30)}`,
    `--td-cell-note-font-size: ${font(34)}`,
    `--td-tag-medium-font-size: ${font(30)}`,
    `--td-tag-large-font-size: ${font(30)}`,
    `--td-tag-small-font-size: ${font(30)}`,
    // High contrast: near-black text, secondary text as dark as the rules allow and then some.
    `--td-text-color-primary: #000000`,
    `--td-text-color-secondary: #333333`,
    `--td-text-color-placeholder: #555555`,
    `--td-brand-color: #003cab`,
    `--td-primary-color-7: #003cab`,
    `--elder-text: #000000`,
    `--elder-muted: #333333`,
  ].join('; ');
}

/** Whether the home page should ask this member once about the mode the tags turned on. */
export function shouldPromptElder(me: ElderLike & { openid?: string }): boolean {
  if (!me || me.elderMode !== 'auto' || !isElder(me) || !me.openid) return false;
  return read(`${PROMPTED_KEY}:${me.openid}`) !== 1;
}

/** The prompt was shown (whatever the answer): never again for this member on this phone. */
export function markElderPrompted(openid: string): void {
  try {
    wx.setStorageSync(`${PROMPTED_KEY}:${openid}`, 1);
  } catch {
    // Not remembered: asked again next time, which is harmless.
  }
}

/**
 * A short hint: a toast outside 长辈模式; in the mode a modal that waits for 「知道了」, since
 * nothing may disappear on a timer (docs/elder-mode.md).
 */
export function showHint(title: string, duration = 3000): void {
  if (elderNow()) {
    void wx.showModal({ title: '提示', content: title, showCancel: false, confirmText: '知道了' });
    return;
  }
  wx.showToast({ title, icon: 'none', duration });
}
