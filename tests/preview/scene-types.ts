// The shapes of a preview scene and of what its preparation gets, shared by scenes.ts and the
// scene files it lists (which cannot import scenes.ts without a cycle).
import type { LocalCloud } from '../../local/cloud';
import type { PageHandle } from '../helpers/miniprogram';

export interface SceneContext {
  cloud: LocalCloud;
  /** Calls a function as `openid`; throws on `{ ok: false }`. */
  invoke<T = Record<string, unknown>>(fn: string, action: string, payload: unknown, openid: string): Promise<T>;
  /** Sets the clock (fake Date) to PREVIEW_NOW plus `minutes` (negative: earlier). */
  at(minutes: number): void;
  /** Ids the preparation made, by name (orders). */
  ids: Record<string, string>;
}

export interface Scene {
  /** docs/screenshots/<name>.png */
  name: string;
  /** What the screenshot shows (README caption). */
  caption: string;
  route: string;
  openid: string;
  query?: (ctx: SceneContext) => Record<string, string>;
  /** Done after the page loaded, as a person would (tap a tab, pick a day). */
  interact?: (page: PageHandle) => Promise<void>;
}

/**
 * Every scene is rendered twice: as it is, and as `<name>-elder` with 长辈模式 on for its person
 * (docs/elder-mode.md); tests/browser/pages.test.ts checks the second against the rules' figures.
 */
export const ELDER_SUFFIX = '-elder';

/** Elder scenes whose screenshots the README shows (docs/screenshots/<name>-elder.png). */
export const ELDER_SHOWCASE = ['home', 'order-create', 'order-in-service', 'notices', 'mine', 'parking-find'];
