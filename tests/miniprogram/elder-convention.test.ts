// The 长辈模式 convention (docs/elder-mode.md, docs/conventions.md), read from the source of every
// page in app.json, so a page added later that forgets it fails here before the browser check:
// the page-meta with `elderStyle`, pageBehavior, font sizes through --text-zoom / --text-min, and
// class `tap` on everything a person taps.
import fs from 'fs';
import path from 'path';
import { MINIPROGRAM_ROOT } from '../helpers/miniprogram';

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
}
const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as AppJson;
const ROUTES = [...app.pages, ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

/** Every start tag of a template, `{{ }}` and quotes respected. */
function startTags(wxml: string): string[] {
  const out: string[] = [];
  const text = wxml.replace(/<!--[\s\S]*?-->/g, '');
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (text[i + 1] === '/') continue;
    let depth = 0;
    let quote = '';
    let k = i + 1;
    for (; k < text.length; k++) {
      if (text.startsWith('{{', k)) {
        depth++;
        k++;
      } else if (text.startsWith('}}', k) && depth) {
        depth--;
        k++;
      } else if (!depth && quote) {
        if (text[k] === quote) quote = '';
      } else if (!depth && (text[k] === '"' || text[k] === "'")) quote = text[k];
      else if (!depth && text[k] === '>') break;
    }
    out.push(text.slice(i, k + 1));
    i = k;
  }
  return out;
}

describe.each(ROUTES.map((r) => [r]))('%s', (route) => {
  const base = path.join(MINIPROGRAM_ROOT, route);
  const wxml = read(`${base}.wxml`);

  test('begins with <page-meta page-style="{{elderStyle}}" /> and uses pageBehavior', () => {
    expect(wxml.trimStart().startsWith('<page-meta page-style="{{elderStyle}}"')).toBe(true);
    expect(read(`${base}.ts`)).toMatch(/behaviors:\s*\[[^\]]*pageBehavior/);
  });

  test('every font size follows --text-zoom and --text-min', () => {
    const sizes = [...read(`${base}.wxss`).matchAll(/font-size:\s*([^;]+);/g)].map((m) => m[1].trim());
    const bare = sizes.filter(
      (s) => !/^max\(var\(--text-min, 0px\), calc\([\d.]+rpx \* var\(--text-zoom, 1\)\)\)$/.test(s) && s !== 'inherit',
    );
    expect(bare).toEqual([]);
  });

  test('everything a person taps has class tap', () => {
    const tappable = startTags(wxml).filter((t) => /\s(bindtap|bind:tap|catchtap|catch:tap)=|^<picker\b|open-type=/.test(t));
    const missing = tappable.filter((t) => !/\sclass="(?:[^"]*\s)?tap(?:\s[^"]*)?"/.test(t));
    expect(missing).toEqual([]);
  });
});
