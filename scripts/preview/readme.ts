// The README's Screenshots grid, written from the scenes (tests/preview/scenes.ts) by
// `npm run preview` between two markers, so every page's picture and caption stay listed.
import fs from 'fs';
import path from 'path';

export const README = path.resolve(__dirname, '../../README.md');
const START = '<!-- screenshots:start (npm run preview writes this grid) -->';
const END = '<!-- screenshots:end -->';
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
export function writeScreenshotGrid(scenes: { name: string; caption: string }[]): void {
  const text = fs.readFileSync(README, 'utf8');
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
