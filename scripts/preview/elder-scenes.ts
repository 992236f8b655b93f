// 长辈模式 scenes of the preview (docs/elder-mode.md), shared by the renderer, the browser check and
// the screenshots.
/**
 * Every scene is rendered twice: as it is, and as `<name>-elder` with 长辈模式 on for its person
 * (docs/elder-mode.md); tests/browser/pages.test.ts checks the second against the rules' figures.
 */
export const ELDER_SUFFIX = '-elder';

/** Elder scenes whose screenshots the README shows (docs/screenshots/<name>-elder.png). */
export const ELDER_SHOWCASE = ['home', 'order-create', 'order-in-service', 'notices', 'mine', 'parking-find'];
