// What a person would notice on a rendered page, measured in the browser: text cut off by its box
// or by a clipping ancestor, text smaller than 12 px, text with too little contrast against what is
// behind it, and whether an element sits fully visible in the first screen. The functions below
// run inside the page (page.evaluate), so they use only DOM APIs and nothing from their module.

export interface TextIssue {
  /** The element's text (shortened). */
  text: string;
  /** Tag and classes, for finding the rule to fix. */
  where: string;
  detail: string;
}

export interface TextReport {
  /** Every text element seen (non-empty text of its own, rendered). */
  count: number;
  clipped: TextIssue[];
  /** Deliberately shortened with an ellipsis or a line clamp (not failures; reported). */
  truncated: TextIssue[];
  small: TextIssue[];
  lowContrast: TextIssue[];
}

/** Runs in the page: inspects every text element under `rootSelector`. */
export function inspectText(args: {
  rootSelector: string;
  minFontPx: number;
  minContrast: number;
  largeContrast: number;
}): TextReport {
  const { rootSelector, minFontPx, minContrast, largeContrast } = args;
  const root = document.querySelector(rootSelector);
  const report: TextReport = { count: 0, clipped: [], truncated: [], small: [], lowContrast: [] };
  if (!root) return report;

  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''}`;
  const short = (s: string) => (s.length > 30 ? `${s.slice(0, 30)}…` : s);

  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba | null => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = (c: Rgba) => {
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  };
  /** The colour behind an element: its and its ancestors' backgrounds, composited. */
  const backgroundOf = (el: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let n: Element | null = el; n; n = n.parentElement) {
      const bg = parse(getComputedStyle(n).backgroundColor);
      if (bg && bg[3] > 0) {
        layers.push(bg);
        if (bg[3] >= 1) break;
      }
    }
    let result: Rgba = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
    return result;
  };

  /** Ancestors that clip their content, up to the page; a scroll-view scrolls, so it does not hide. */
  const clippers = (el: Element): Element[] => {
    const out: Element[] = [];
    for (let n = el.parentElement; n && n !== root.parentElement; n = n.parentElement) {
      if (n.tagName.toLowerCase() === 'wx-scroll-view') return [];
      const cs = getComputedStyle(n);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') out.push(n);
    }
    return out;
  };

  for (const el of Array.from(root.querySelectorAll('*'))) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
    if (!own.length) continue;
    const cs = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (cs.visibility === 'hidden' || cs.display === 'none' || (box.width === 0 && box.height === 0 && cs.display !== 'inline'))
      continue;
    const text = own.map((n) => (n.textContent ?? '').trim()).join(' ');
    report.count++;
    const issue = (detail: string): TextIssue => ({ text: short(text), where: describe(el), detail });

    // Cut off: the element's own box, and every clipping ancestor's, must hold its text.
    const deliberate = cs.textOverflow === 'ellipsis' || (cs.webkitLineClamp !== 'none' && cs.webkitLineClamp !== '');
    if (cs.display !== 'inline') {
      const overflowsX = el.scrollWidth > el.clientWidth + 1;
      const overflowsY = el.scrollHeight > el.clientHeight + 1 && cs.overflowY !== 'visible';
      if (overflowsX || overflowsY) {
        const what = `scroll ${el.scrollWidth}×${el.scrollHeight} > client ${el.clientWidth}×${el.clientHeight}`;
        (deliberate ? report.truncated : report.clipped).push(issue(what));
      }
    }
    const range = document.createRange();
    const lines: DOMRect[] = [];
    for (const node of own) {
      range.selectNodeContents(node);
      lines.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0));
    }
    const inScrollView = !!el.closest('wx-scroll-view');
    for (const clip of clippers(el)) {
      const c = clip.getBoundingClientRect();
      const cut = lines.find((r) => r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1);
      if (cut && !deliberate)
        report.clipped.push(issue(`text at ${Math.round(cut.left)}–${Math.round(cut.right)} cut by ${describe(clip)}`));
    }
    const offScreen = lines.find((r) => r.left < -1 || r.right > document.documentElement.clientWidth + 1);
    if (offScreen && !inScrollView) report.clipped.push(issue(`runs off the screen at x=${Math.round(offScreen.right)}`));

    // Size.
    const size = parseFloat(cs.fontSize);
    if (size < minFontPx) report.small.push(issue(`${size}px`));

    // Contrast against the effective background (WCAG 2: 4.5:1, large text 3:1); inactive controls are exempt.
    if (el.closest('[data-wx-disabled], [class*="--disabled"]')) continue;
    const fg = parse(cs.color);
    if (!fg) continue;
    const bg = backgroundOf(el);
    const shown = over(fg, bg);
    const [hi, lo] = [luminance(shown), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const bold = Number(cs.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? largeContrast : minContrast;
    if (ratio < need)
      report.lowContrast.push(
        issue(`${ratio.toFixed(2)}:1 (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')})) < ${need}:1`),
      );
  }
  return report;
}

export interface Placement {
  found: boolean;
  rect?: { top: number; bottom: number; left: number; right: number };
  /** Fully inside the visible part of the first screen (below the navigation bar, above the tab bar). */
  inFirstScreen: boolean;
  /** The element (or one inside it) is what a tap at its centre hits. */
  onTop: boolean;
  visible: boolean;
  text: string;
}

/** Runs in the page: where `selector` sits on the first screen, between the top bars and the tab bar. */
export function placement(selector: string): Placement {
  const el = document.querySelector(selector);
  if (!el) return { found: false, inFirstScreen: false, onTop: false, visible: false, text: '' };
  const r = el.getBoundingClientRect();
  const top = document.querySelector('.wx-top')?.getBoundingClientRect().bottom ?? 0;
  const tabBar = document.querySelector('.wx-tabbar');
  const bottom = tabBar ? tabBar.getBoundingClientRect().top : window.innerHeight;
  const cs = getComputedStyle(el);
  const visible = r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && Number(cs.opacity) > 0;
  const inFirstScreen = r.top >= top - 0.5 && r.bottom <= bottom + 0.5 && r.left >= -0.5 && r.right <= window.innerWidth + 0.5;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {
    found: true,
    rect: { top: r.top, bottom: r.bottom, left: r.left, right: r.right },
    inFirstScreen,
    onTop: !!hit && (hit === el || el.contains(hit)),
    visible,
    text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
  };
}

export interface TapIssue {
  where: string;
  text: string;
  size: string;
}

/**
 * Runs in the page: every element a person taps — marked `.tap` (the convention; scoped by the
 * preview as `<prefix>--tap`), or a button — whose box is smaller than `minPx` × `minPx`. Hidden
 * elements are skipped; a tap target inside another that is large enough counts as covered only
 * when it is the same control (tdesign renders a button inside its host).
 */
export function smallTapTargets(args: { rootSelector: string; minPx: number }): TapIssue[] {
  const root = document.querySelector(args.rootSelector);
  if (!root) return [];
  const isTap = (el: Element) => Array.from(el.classList).some((c) => c === 'tap' || c.endsWith('--tap'));
  const out: TapIssue[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (!isTap(el) && tag !== 'wx-button') continue;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (cs.display === 'none' || cs.visibility === 'hidden' || (r.width === 0 && r.height === 0)) continue;
    if (el.closest('[hidden]')) continue;
    if (r.width + 0.5 >= args.minPx && r.height + 0.5 >= args.minPx) continue;
    out.push({
      where: `${tag}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''}${el.getAttribute('data-id') ? `#${el.getAttribute('data-id')}` : ''}`,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30),
      size: `${Math.round(r.width)}×${Math.round(r.height)}`,
    });
  }
  return out;
}

/**
 * Runs in the page: the filled primary actions (tdesign `theme="primary"` with the base variant,
 * a native `type="primary"` button, or a drawn control marked `.filled-primary` — 一键求助, the
 * hold-to-speak button) that show, wholly or partly and not under a sheet, in the first screen.
 */
export function filledPrimaries(): string[] {
  const top = document.querySelector('.wx-top')?.getBoundingClientRect().bottom ?? 0;
  const tabBar = document.querySelector('.wx-tabbar');
  const bottom = tabBar ? tabBar.getBoundingClientRect().top : window.innerHeight;
  const candidates = Array.from(
    document.querySelectorAll('.wx-page wx-button, .wx-page [data-wx-type="primary"], .wx-page [class*="filled-primary"]'),
  ).filter((el) => {
    const c = el.getAttribute('class') ?? '';
    return (
      (/t-button--primary\b/.test(c) && /t-button--base\b/.test(c)) ||
      el.getAttribute('data-wx-type') === 'primary' ||
      /(^|\s|--)filled-primary\b/.test(c)
    );
  });
  return candidates
    .filter((el) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || cs.display === 'none') return false;
      // Under a sheet or dialog (something else on top at its centre): not shown.
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const hit = y > 0 && y < window.innerHeight ? document.elementFromPoint(x, y) : null;
      if (hit && !el.contains(hit) && !hit.contains(el)) return false;
      return r.bottom > top + 0.5 && r.top < bottom - 0.5;
    })
    .map((el) => `${el.getAttribute('data-id') ?? ''} “${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 20)}”`);
}
