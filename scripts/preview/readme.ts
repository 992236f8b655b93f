// The README's Screenshots grid, written from the scenes (tests/preview/scenes.ts) by
// `npm run preview` between two markers, so every page's picture and caption stay listed.
import fs from 'fs';
import path from 'path';
import { ELDER_SUFFIX } from './elder-scenes';

export const README = path.resolve(__dirname, '../../README.md');
const START = '<!-- screenshots:start (npm run preview writes this grid) -->';
const END = '<!-- screenshots:end -->';
/** The 长辈模式 grid (docs/elder-mode.md): the key pages' `-elder` scenes. */
const ELDER_START = '<!-- elder-screenshots:start (npm run preview writes this grid) -->';
const ELDER_END = '<!-- elder-screenshots:end -->';

const COLUMNS = 3;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function screenshotGrid(scenes: { name: string; caption: string }[]): string {
  const cells = scenes.map(
    (s) =>
      `<td align="center" valign="top"><img src="docs/screenshots/${s.name}.png" width="240" alt="${escapeHtml(s.caption)}"><br>${escapeHtml(s.caption)}</td>`,
  );
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += COLUMNS) rows.push(`<tr>${cells.slice(i, i + COLUMNS).join('')}</tr>`);
  return ['<table>', ...rows, '</table>'].join('\n');
}

/** Replaces the grid between the markers (or the first <table> of the Screenshots section). */
export function writeScreenshotGrid(all: { name: string; caption: string }[]): void {
  const scenes = all.filter((s) => !s.name.endsWith(ELDER_SUFFIX));
  const elder = all.filter((s) => s.name.endsWith(ELDER_SUFFIX)).map((s) => ({ ...s, caption: `${s.caption}（长辈模式）` }));
  let text = fs.readFileSync(README, 'utf8');
  if (elder.length && text.includes(ELDER_START)) {
    text =
      text.slice(0, text.indexOf(ELDER_START)) +
      `${ELDER_START}\n${screenshotGrid(elder)}\n${ELDER_END}` +
      text.slice(text.indexOf(ELDER_END) + ELDER_END.length);
  }
  const grid = `${START}\n${screenshotGrid(scenes)}\n${END}`;
  let next: string;
  if (text.includes(START)) {
    next = text.slice(0, text.indexOf(START)) + grid + text.slice(text.indexOf(END) + END.length);
  } else {
    const section = text.indexOf('## Screenshots');
    const from = text.indexOf('<table>', section);
    const to = text.indexOf('</table>', from) + '</table>'.length;
    next = text.slice(0, from) + grid + text.slice(to);
  }
  fs.writeFileSync(README, next);
}
