// WXSS → CSS for the preview: inlines @import, turns rpx into px for a 375-px-wide phone
// (750rpx = 375px), maps the mini-program's tags to the custom elements miniprogram-simulate
// renders (view → wx-view, page → the page wrapper), and scopes class selectors the way simulate
// scopes the classes of a component's template (`.name` → `.<tag>--name`).
import fs from 'fs';
import path from 'path';

/** px per rpx on a 375-px-wide screen. */
export const RPX = 0.5;

/** The element that stands for the mini-program's `page`. */
export const PAGE_SELECTOR = '.wx-page';

const WX_TAGS = new Set([
  'view',
  'text',
  'image',
  'button',
  'input',
  'textarea',
  'scroll-view',
  'picker',
  'picker-view',
  'navigator',
  'icon',
  'label',
  'swiper',
  'swiper-item',
  'rich-text',
  'switch',
  'slider',
  'checkbox',
  'radio',
  'form',
  'block',
  'movable-area',
  'movable-view',
  'cover-view',
  'progress',
]);

/** `12rpx` → `6px` everywhere in a text (declarations, inline styles). */
export function rpxToPx(text: string): string {
  return text.replace(/(-?(?:\d+\.?\d*|\.\d+))rpx\b/g, (_, n: string) => `${+(Number(n) * RPX).toFixed(3)}px`);
}

/** Scopes one selector list: classes get the component's prefix, tags become simulate's elements. */
export function scopeSelector(selector: string, prefix: string | null): string {
  const token = /(\[[^\]]*\])|(\.-?[A-Za-z_][\w-]*)|(::?[\w-]+)(\((?:[^()]|\([^()]*\))*\))?|(#[\w-]+)|(-?[A-Za-z_][\w-]*)|(\*)/g;
  return selector.replace(
    token,
    (whole, attr?: string, cls?: string, pseudo?: string, args?: string, id?: string, tag?: string) => {
      if (attr || id) return whole;
      if (cls) return prefix ? `.${prefix}--${cls.slice(1)}` : cls;
      if (pseudo) {
        if (!args) return pseudo;
        const inner = args.slice(1, -1);
        return /^:(not|is|where|has)$/.test(pseudo) ? `${pseudo}(${scopeSelector(inner, prefix)})` : `${pseudo}${args}`;
      }
      if (tag) {
        if (tag === 'page') return PAGE_SELECTOR;
        if (WX_TAGS.has(tag)) return `wx-${tag}`;
        return tag;
      }
      return whole;
    },
  );
}

function stripComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Index of the `}` that closes the block opened at `open` (a `{`), strings respected. */
function matchingBrace(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      const end = css.indexOf(c, i + 1);
      i = end < 0 ? css.length : end;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return css.length;
}

/** Scopes every rule of a stylesheet (recursing into @media and @supports). */
export function scopeRules(css: string, prefix: string | null): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const brace = css.indexOf('{', i);
    const semi = css.indexOf(';', i);
    if (brace < 0) break;
    if (semi >= 0 && semi < brace && css.slice(i, semi).trim().startsWith('@')) {
      // A statement at-rule (@charset, a remaining @import): dropped.
      i = semi + 1;
      continue;
    }
    const prelude = css.slice(i, brace).trim();
    const close = matchingBrace(css, brace);
    const body = css.slice(brace + 1, close);
    if (prelude.startsWith('@media') || prelude.startsWith('@supports')) {
      out += `${prelude}{${scopeRules(body, prefix)}}\n`;
    } else if (prelude.startsWith('@font-face')) {
      // Remote fonts (tdesign's icon font on a CDN) cannot load here; local faces are kept.
      if (!/url\(\s*['"]?https?:/.test(body)) out += `${prelude}{${body}}\n`;
    } else if (prelude.startsWith('@')) {
      out += `${prelude}{${body}}\n`;
    } else if (prelude) {
      out += `${scopeSelector(prelude, prefix)}{${body}}\n`;
    }
    i = close + 1;
  }
  return out;
}

/** Reads a WXSS file with its @imports inlined (each file once per stylesheet). */
export function readWxss(file: string, seen = new Set<string>()): string {
  const resolved = path.resolve(file);
  if (seen.has(resolved) || !fs.existsSync(resolved)) return '';
  seen.add(resolved);
  const css = stripComments(fs.readFileSync(resolved, 'utf8'));
  return css.replace(/@import\s+(?:url\()?\s*['"]([^'"]+)['"]\s*\)?\s*;/g, (_, spec: string) => {
    const target = path.resolve(path.dirname(resolved), spec.endsWith('.wxss') ? spec : `${spec}.wxss`);
    return readWxss(target, seen);
  });
}

/** A component's (or the app's) WXSS as CSS for the preview page. */
export function wxssToCss(file: string, prefix: string | null): string {
  return rpxToPx(scopeRules(readWxss(file), prefix));
}
