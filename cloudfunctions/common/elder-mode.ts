// 长辈模式 (docs/elder-mode.md): a member's setting and what it comes to. Pure and on the floor
// (common/), so every function may ask whether a member is in the mode (the member views, the
// setElderMode action, others' rules for elders); the mini-program mirrors it (utils/elder.ts).
import type { Tag } from './roles';

/** The member's own setting: on, off, or `auto` (never set: the tags decide). */
export const ELDER_MODES = ['on', 'off', 'auto'] as const;
export type ElderMode = (typeof ELDER_MODES)[number];

/**
 * Tags that turn the mode on while the member has not chosen: 高龄 (the rules' audience), and
 * 独居老人 — an elderly person living alone has nobody at home to read a small screen for them.
 */
export const ELDER_DEFAULT_TAGS: readonly Tag[] = ['高龄', '独居老人'];

/** Whether the mode is on for a member with this setting and these tags. */
export function elderOn(m: { elderMode?: ElderMode; tags: readonly Tag[] }): boolean {
  const mode = m.elderMode ?? 'auto';
  if (mode !== 'auto') return mode === 'on';
  return m.tags.some((t) => ELDER_DEFAULT_TAGS.includes(t));
}
