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

export { ELDER_SHOWCASE, ELDER_SUFFIX } from '../../scripts/preview/elder-scenes';
