// `npm run preview`: renders each page of the mini-program as the demo community's people reach
// it (miniprogram-simulate against the real functions on a fresh, seeded local cloud, inside jest:
// tests/preview/render.preview.ts) into self-contained HTML under .preview/html/, then takes a
// full-page screenshot of each in headless Chromium into docs/screenshots/<name>.png; a full run
// also rewrites the README's screenshot grid (scripts/preview/readme.ts).
//
//   npm run preview                    every scene (tests/preview/scenes.ts)
//   npm run preview -- home,notices    only these
//
// Needs Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk).
import fs from 'fs';
import path from 'path';
import { launchChromium, phoneContext } from './preview/browser';
import { writeScreenshotGrid } from './preview/readme';
import { HTML_DIR, ROOT, fullPageShot, renderHtml, shrinkPng } from './preview/render';
import { ELDER_SHOWCASE, ELDER_SUFFIX } from './preview/elder-scenes';

/** Every plain scene is photographed; of the 长辈模式 ones only the key pages the README shows. */
const photographed = (name: string) =>
  !name.endsWith(ELDER_SUFFIX) || ELDER_SHOWCASE.includes(name.slice(0, -ELDER_SUFFIX.length));

const SHOTS_DIR = path.join(ROOT, 'docs/screenshots');

async function main() {
  const scenes = (process.argv[2] ?? '').split(',').filter(Boolean);
  const manifest = renderHtml(scenes);
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await (await phoneContext(browser)).newPage();
    for (const entry of manifest.pages.filter((p) => photographed(p.name))) {
      await page.goto(`file://${path.join(HTML_DIR, entry.file)}`);
      await page.evaluate('document.fonts.ready.then(() => true)');
      const png = path.join(SHOTS_DIR, `${entry.name}.png`);
      await fullPageShot(page, png);
      shrinkPng(png);
      const kb = Math.round(fs.statSync(png).size / 1024);
      console.log(`preview: ${path.relative(ROOT, png)}  ${entry.route}  ${kb} KB`);
    }
  } finally {
    await browser.close();
  }
  // A full run rewrites the README's grid: every scene, in the scenes' order, with its caption.
  if (!scenes.length) {
    writeScreenshotGrid(manifest.pages.filter((p) => photographed(p.name)));
    console.log('preview: README.md screenshot grid updated');
  }
  if (manifest.missing.length) console.log(`preview: not in the mini-program yet: ${[...new Set(manifest.missing)].join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
