// The two halves of the preview: rendering the scenes to HTML (jest with jsdom, since the harness
// runs miniprogram-simulate: tests/preview/render.preview.ts) and photographing a page.
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { VIEWPORT } from './browser';

export const ROOT = path.resolve(__dirname, '../..');
export const HTML_DIR = path.join(ROOT, '.preview/html');

export interface ManifestPage {
  name: string;
  caption: string;
  route: string;
  openid: string;
  /** The HTML file, relative to the manifest's folder. */
  file: string;
}
export interface Manifest {
  now: string;
  pages: ManifestPage[];
  /** Routes of scenes whose page is not in the mini-program (yet). */
  missing: string[];
}

/**
 * Renders the named scenes (all when empty) into `outDir` as HTML pages and manifest.json, in a
 * jest child process; answers the manifest. Throws when a page fails to render.
 */
export function renderHtml(scenes: string[] = [], outDir = HTML_DIR, quiet = false): Manifest {
  fs.rmSync(outDir, { recursive: true, force: true });
  const jest = require.resolve('jest/bin/jest');
  const run = spawnSync(process.execPath, [jest, '-c', path.join(ROOT, 'scripts/preview/jest.config.js')], {
    cwd: ROOT,
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, PREVIEW_OUT: outDir, PREVIEW_SCENES: scenes.join(',') },
  });
  if (run.status !== 0) {
    throw new Error(`rendering the pages failed (jest exit ${run.status})${quiet ? `\n${run.stdout}\n${run.stderr}` : ''}`);
  }
  return JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest;
}

/**
 * A full-page screenshot with the phone's viewport grown to the page's height first, so that the
 * sticky navigation bar stays on top and the tab bar lands at the bottom of the picture.
 */
export async function fullPageShot(page: Page, file: string): Promise<void> {
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  await page.setViewportSize({ ...VIEWPORT, height: Math.max(VIEWPORT.height, height) });
  await page.screenshot({ path: file });
  await page.setViewportSize(VIEWPORT);
}

/** Palette-quantizes a PNG in place when pngquant is installed, so screenshots stay small in git. */
export function shrinkPng(file: string): void {
  // Without pngquant (spawn error) the PNG stays as Chromium wrote it.
  spawnSync('pngquant', ['--quality=80-98', '--speed=1', '--strip', '--skip-if-larger', '--force', '--output', file, file]);
}
