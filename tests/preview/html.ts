// Turns a page rendered by miniprogram-simulate into a self-contained HTML page that looks like
// the mini-program on a 375-px-wide phone: the composed DOM (tdesign's templates and wxs applied),
// the page's, app's and every used component's WXSS (scoped as simulate scopes their classes),
// tdesign's light theme, the WeChat navigation bar with the page's title and, on tab pages, the
// tab bar from app.json.
import fs from 'fs';
import path from 'path';
import { MINIPROGRAM_ROOT, TDESIGN_DIST, type PageHandle } from '../helpers/miniprogram';
import { PAGE_SELECTOR, rpxToPx, wxssToCss } from './css';

const TDESIGN_PREFIX = 'tdesign-miniprogram/';

interface AppJson {
  window?: { navigationBarTitleText?: string; navigationBarBackgroundColor?: string; navigationBarTextStyle?: string };
  tabBar?: {
    color: string;
    selectedColor: string;
    backgroundColor: string;
    list: { pagePath: string; text: string; iconPath?: string; selectedIconPath?: string }[];
  };
}
interface ComponentJson {
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: string;
  usingComponents?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
export const appJson = (): AppJson => readJson<AppJson>(path.join(MINIPROGRAM_ROOT, 'app.json'));

/** Where a usingComponents entry of `from` (a component path without extension) points. */
function resolveComponent(from: string, spec: string): string {
  if (spec.startsWith(TDESIGN_PREFIX)) return path.join(TDESIGN_DIST, spec.slice(TDESIGN_PREFIX.length));
  if (spec.startsWith('/')) return path.join(MINIPROGRAM_ROOT, spec);
  return path.resolve(path.dirname(from), spec);
}

/**
 * Every component a page uses, depth first, as [class prefix, component path]. simulate prefixes
 * a component's classes with the tag it is used under (`main` for the page itself).
 */
export function componentStyles(pageFile: string): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  const visit = (file: string, prefix: string) => {
    const key = `${prefix}|${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push([prefix, file]);
    const jsonFile = `${file}.json`;
    if (!fs.existsSync(jsonFile)) return;
    for (const [tag, spec] of Object.entries(readJson<ComponentJson>(jsonFile).usingComponents ?? {})) {
      visit(resolveComponent(file, spec), tag);
    }
  };
  visit(pageFile, 'main');
  return out;
}

/** The built-in elements as the mini-program's base library styles them. */
const BASE_CSS = `
html, body { margin: 0; padding: 0; background: #e9e9e9; }
body {
  font-family: 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif;
  -webkit-font-smoothing: antialiased; -webkit-text-size-adjust: none; text-size-adjust: none;
}
* { -webkit-tap-highlight-color: transparent; }
main, wx-view, wx-scroll-view, wx-swiper, wx-swiper-item, wx-form, wx-picker, wx-picker-view, wx-rich-text,
wx-cover-view, wx-movable-area, wx-navigator, wx-progress, wx-textarea, wx-input, wx-page-container { display: block; }
wx-text, wx-label { display: inline; }
wx-text { white-space: pre-line; }
wx-image { display: inline-block; position: relative; width: 320px; height: 240px; overflow: hidden; }
wx-image > img { display: block; width: 100%; height: 100%; object-fit: fill; }
wx-image[data-wx-mode='aspectFill'] > img { object-fit: cover; }
wx-image[data-wx-mode='aspectFit'] > img { object-fit: contain; }
wx-image[data-wx-mode='widthFix'] { height: auto; }
wx-image[data-wx-mode='widthFix'] > img { height: auto; }
wx-scroll-view { overflow: hidden; }
wx-input { height: 1.4em; line-height: 1.4em; min-height: 1.4em; overflow: hidden; white-space: nowrap; text-overflow: clip; }
wx-textarea { width: 300px; height: 150px; white-space: pre-wrap; overflow: hidden; }
wx-textarea[data-wx-auto-height] { height: auto !important; min-height: 1.5em; }
.wx-placeholder { color: #808080; }
wx-button {
  position: relative; display: block; margin-left: auto; margin-right: auto; padding-left: 14px; padding-right: 14px;
  box-sizing: border-box; font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556;
  border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; border: 0; font-family: inherit;
}
wx-button::after {
  content: ' '; width: 200%; height: 200%; position: absolute; top: 0; left: 0; border: 1px solid rgba(0, 0, 0, 0.2);
  transform: scale(0.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px;
}
[hidden] { display: none !important; }

/* The phone around the page */
.wx-phone { width: 375px; margin: 0; min-height: 667px; display: flex; flex-direction: column; background: #f3f3f3; }
.wx-statusbar { height: 20px; display: flex; align-items: center; justify-content: space-between; padding: 0 8px;
  font: 600 12px/20px -apple-system, 'Noto Sans', sans-serif; }
.wx-statusbar__battery { width: 22px; height: 10px; border: 1px solid currentColor; border-radius: 3px; position: relative; }
.wx-statusbar__battery::after { content: ''; position: absolute; inset: 1px 4px 1px 1px; background: currentColor; border-radius: 1px; }
.wx-top { position: sticky; top: 0; z-index: 100; }
.wx-navbar { height: 44px; position: relative; display: flex; align-items: center; justify-content: center; }
.wx-navbar__title { font-size: 17px; font-weight: 600; max-width: 200px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.wx-navbar__back { position: absolute; left: 6px; top: 0; height: 44px; width: 36px; display: flex; align-items: center; justify-content: center; }
.wx-navbar__back::before { content: ''; width: 11px; height: 11px; border-left: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(45deg); margin-left: 6px; }
.wx-capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box; border-radius: 16px;
  border: 0.5px solid rgba(0, 0, 0, 0.15); background: rgba(255, 255, 255, 0.6); display: flex; align-items: center; }
.wx-capsule__more, .wx-capsule__close { flex: 1; display: flex; align-items: center; justify-content: center; height: 100%; }
.wx-capsule__more::before { content: ''; width: 4px; height: 4px; border-radius: 50%; background: currentColor; box-shadow: -7px 0 0 currentColor, 7px 0 0 currentColor; }
.wx-capsule__sep { width: 0.5px; height: 18px; background: rgba(0, 0, 0, 0.2); }
.wx-capsule__close::before { content: ''; width: 14px; height: 14px; border-radius: 50%; border: 2px solid currentColor; box-sizing: border-box; box-shadow: inset 0 0 0 3px #fff, inset 0 0 0 7px currentColor; }
${PAGE_SELECTOR} { flex: 1 0 auto; min-height: 553px; }
.wx-tabbar { position: sticky; bottom: 0; z-index: 100; height: 50px; display: flex; border-top: 0.5px solid rgba(0, 0, 0, 0.33); }
.wx-tabbar__item { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; font-size: 12px; line-height: 16px; position: relative; }
.wx-tabbar__icon { width: 26px; height: 26px; margin-bottom: 1px; }
.wx-tabbar__badge { position: absolute; top: 2px; left: calc(50% + 10px); min-width: 16px; height: 16px; padding: 0 4px; box-sizing: border-box;
  border-radius: 8px; background: #fa5151; color: #fff; font-size: 11px; line-height: 16px; text-align: center; }
.wx-tabbar__dot { position: absolute; top: 5px; left: calc(50% + 12px); width: 8px; height: 8px; border-radius: 50%; background: #fa5151; }
`;

/** tdesign's icon font is on a CDN; the few icons a page shows get a drawn stand-in. */
const ICON_CSS = `
[class*='t-icon--t-icon-']::before { font-family: 'Noto Sans CJK SC', sans-serif; font-style: normal; }
[class*='t-icon--t-icon-chevron-right']::before { content: '›'; }
[class*='t-icon--t-icon-chevron-left']::before { content: '‹'; }
[class*='t-icon--t-icon-close-circle-filled']::before, [class*='t-icon--t-icon-close']::before { content: '×'; }
[class*='t-icon--t-icon-check-circle']::before, [class*='t-icon--t-icon-check']::before { content: '✓'; }
[class*='t-icon--t-icon-error-circle']::before, [class*='t-icon--t-icon-info-circle']::before { content: '!'; }
[class*='t-icon--t-icon-add']::before { content: '+'; }
[class*='t-icon--t-icon-star-filled']::before { content: '★'; }
`;

/** Attributes of the built-in elements that the preview needs (simulate does not put them on the DOM). */
const KEPT_ATTRS = [
  'placeholder',
  'placeholder-class',
  'placeholder-style',
  'value',
  'src',
  'mode',
  'disabled',
  'plain',
  'type',
  'password',
  'auto-height',
  // <page-meta>: its style goes on the page (pageHtml).
  'page-style',
];

interface ExparserNode {
  $$?: Element;
  id?: string;
  _vt?: { attrs?: { name: string; value: unknown }[] };
  shadowRoot?: ExparserNode;
  childNodes?: ExparserNode[];
}

function firstDom(node: ExparserNode): Element | undefined {
  if (node.$$) return node.$$;
  for (const child of [...(node.shadowRoot?.childNodes ?? []), ...(node.childNodes ?? [])]) {
    const dom = firstDom(child);
    if (dom) return dom;
  }
  return undefined;
}

/**
 * Walks simulate's exparser tree and puts on the DOM what the preview needs: each node's `id`
 * as `data-id` (a virtual-host component's on its first element) and the built-in elements'
 * attributes as `data-wx-<name>`.
 */
function annotate(node: ExparserNode) {
  const dom = firstDom(node);
  if (dom && node.id && !dom.hasAttribute('data-id')) dom.setAttribute('data-id', node.id);
  if (node.$$ && node._vt?.attrs) {
    for (const { name: attr, value } of node._vt.attrs) {
      // simulate keeps the attributes of the built-in elements camel-cased (placeholderClass).
      const name = attr.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      if (!KEPT_ATTRS.includes(name) || value === undefined || value === null || value === false) continue;
      node.$$.setAttribute(`data-wx-${name}`, value === true ? '' : String(value));
    }
  }
  for (const child of node.shadowRoot?.childNodes ?? []) annotate(child);
  for (const child of node.childNodes ?? []) annotate(child);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
};

/** An image source the static page can show: a file of the mini-program as a data URL. */
function imageSrc(src: string): string {
  if (/^(data:|https?:)/.test(src)) return src;
  const file = path.join(MINIPROGRAM_ROOT, src.replace(/^\//, ''));
  const mime = MIME[path.extname(file).toLowerCase()];
  if (!mime || !fs.existsSync(file)) return '';
  return `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`;
}

/**
 * The page's DOM, made static: images as <img>, inputs showing their value or placeholder; and
 * the style its `<page-meta page-style>` gives the page (長辈模式's variables, docs/elder-mode.md).
 */
function pageMarkup(page: PageHandle): { html: string; pageStyle: string } {
  const root = (page.comp as unknown as { _exparserNode: ExparserNode })._exparserNode;
  annotate(root);
  const dom = (page.comp.dom as Element).cloneNode(true) as Element;
  dom.setAttribute('data-route', page.route);
  for (const el of Array.from(dom.querySelectorAll('[style]'))) el.setAttribute('style', rpxToPx(el.getAttribute('style') ?? ''));
  for (const img of Array.from(dom.querySelectorAll('wx-image'))) {
    const src = imageSrc(img.getAttribute('data-wx-src') ?? '');
    if (!src) continue;
    const tag = img.ownerDocument.createElement('img');
    tag.setAttribute('src', src);
    tag.setAttribute('alt', '');
    img.appendChild(tag);
  }
  for (const input of Array.from(dom.querySelectorAll('wx-input, wx-textarea'))) {
    const value = input.getAttribute('data-wx-value') ?? '';
    const placeholder = input.getAttribute('data-wx-placeholder') ?? '';
    const span = input.ownerDocument.createElement('span');
    if (value) span.textContent = input.getAttribute('data-wx-password') !== null ? '•'.repeat(value.length) : value;
    else {
      span.textContent = placeholder;
      // placeholder-class names a class of the component that renders the input (its prefix).
      const prefix = /^([\w-]+?)--/.exec(input.classList[0] ?? '')?.[1];
      const extra = (input.getAttribute('data-wx-placeholder-class') ?? '').split(/\s+/).filter(Boolean);
      span.className = ['wx-placeholder', ...extra.map((c) => (prefix ? `${prefix}--${c}` : c))].join(' ');
      const style = input.getAttribute('data-wx-placeholder-style');
      if (style) span.setAttribute('style', rpxToPx(style));
    }
    input.appendChild(span);
  }
  let pageStyle = '';
  for (const meta of Array.from(dom.querySelectorAll('wx-page-meta'))) {
    pageStyle += rpxToPx(meta.getAttribute('data-wx-page-style') ?? '');
    meta.remove();
  }
  return { html: dom.outerHTML, pageStyle };
}

export interface Chrome {
  /** Navigation bar title (the page json's, or one the page set with wx.setNavigationBarTitle). */
  title?: string;
  /** Tab bar badges by index: a text, or '' for a red dot. */
  badges?: Record<number, string>;
}

/** The whole HTML document of one rendered page. */
export function pageHtml(page: PageHandle, chrome: Chrome = {}): string {
  const app = appJson();
  const pageFile = path.join(MINIPROGRAM_ROOT, page.route);
  const json = readJson<ComponentJson>(`${pageFile}.json`);
  const title = chrome.title ?? json.navigationBarTitleText ?? app.window?.navigationBarTitleText ?? '';
  const navBg = json.navigationBarBackgroundColor ?? app.window?.navigationBarBackgroundColor ?? '#ffffff';
  const navFg = (json.navigationBarTextStyle ?? app.window?.navigationBarTextStyle) === 'white' ? '#ffffff' : '#000000';
  const tabs = app.tabBar;
  const tabIndex = tabs ? tabs.list.findIndex((t) => t.pagePath === page.route) : -1;
  const markup = pageMarkup(page);

  const styles = [
    BASE_CSS,
    wxssToCss(path.join(TDESIGN_DIST, 'common/style/theme/_index.wxss'), null),
    // app.wxss styles the page (its classes under the page's prefix) and `page`.
    wxssToCss(path.join(MINIPROGRAM_ROOT, 'app.wxss'), 'main'),
    ...componentStyles(pageFile)
      .reverse()
      .map(
        ([prefix, file]) =>
          `/* ${path.relative(path.join(MINIPROGRAM_ROOT, '..'), file)} */\n${wxssToCss(`${file}.wxss`, prefix)}`,
      ),
    ICON_CSS,
  ].join('\n');

  const tabBar =
    tabs && tabIndex >= 0
      ? `<div class="wx-tabbar" style="background:${tabs.backgroundColor}">${tabs.list
          .map((t, i) => {
            const badge = chrome.badges?.[i];
            const mark =
              badge === undefined
                ? ''
                : badge === ''
                  ? '<span class="wx-tabbar__dot"></span>'
                  : `<span class="wx-tabbar__badge">${escapeHtml(badge)}</span>`;
            const on = i === tabIndex;
            const iconPath = on ? t.selectedIconPath : t.iconPath;
            const icon = iconPath
              ? `<img class="wx-tabbar__icon" alt="" src="data:image/png;base64,${fs.readFileSync(path.join(MINIPROGRAM_ROOT, iconPath)).toString('base64')}">`
              : '';
            return `<div class="wx-tabbar__item" style="color:${on ? tabs.selectedColor : tabs.color}">${icon}<span>${escapeHtml(t.text)}</span>${mark}</div>`;
          })
          .join('')}</div>`
      : '';

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=375, initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(page.route)}</title>
<style>
${styles}
</style>
</head>
<body>
<div class="wx-phone">
  <div class="wx-top" style="background:${navBg};color:${navFg}">
    <div class="wx-statusbar"><span>9:41</span><span class="wx-statusbar__battery"></span></div>
    <div class="wx-navbar">${tabIndex < 0 ? '<span class="wx-navbar__back"></span>' : ''}<span class="wx-navbar__title">${escapeHtml(title)}</span><span class="wx-capsule"><span class="wx-capsule__more"></span><span class="wx-capsule__sep"></span><span class="wx-capsule__close"></span></span></div>
  </div>
  <div class="${PAGE_SELECTOR.slice(1)}"${markup.pageStyle ? ` style="${escapeHtml(markup.pageStyle)}"` : ''}>${markup.html}</div>
  ${tabBar}
</div>
</body>
</html>
`;
}
