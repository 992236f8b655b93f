// Draws the tab bar's icons (首页, 订单, 通知, 我的) from simple shapes into
// miniprogram/assets/tabbar/<name>.png and <name>-on.png: 81×81 RGBA PNGs (WeChat's size for
// iconPath, under its 40 KB limit), grey for normal and the theme's blue for selected, the colours
// of app.json's tabBar. Filled, bold shapes: elderly users find a tab by its picture.
//
//   node -r ./local/register.js scripts/preview/tabbar-icons.ts
import fs from 'fs';
import path from 'path';
import { encodePng } from '../../local/png';

const SIZE = 81;
/** Samples per pixel side, for smooth edges without a drawing library. */
const SS = 4;
const OUT = path.resolve(__dirname, '../../miniprogram/assets/tabbar');
const NORMAL = [0x4b, 0x4b, 0x4b];
const SELECTED = [0x00, 0x52, 0xd9];

type Shape = (x: number, y: number) => boolean;

const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse =
  (cx: number, cy: number, rx: number, ry: number): Shape =>
  (x, y) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
/** A rectangle with rounded corners of radius r. */
const rounded = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => {
  const inner = rect(x0 + r, y0, x1 - r, y1);
  const side = rect(x0, y0 + r, x1, y1 - r);
  const corners = [circle(x0 + r, y0 + r, r), circle(x1 - r, y0 + r, r), circle(x0 + r, y1 - r, r), circle(x1 - r, y1 - r, r)];
  return (x, y) => inner(x, y) || side(x, y) || corners.some((c) => c(x, y));
};
/** Inside the triangle a, b, c (any winding). */
const triangle = (a: number[], b: number[], c: number[]): Shape => {
  const side = (p: number[], q: number[], x: number, y: number) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return (x, y) => {
    const d = [side(a, b, x, y), side(b, c, x, y), side(c, a, x, y)];
    return d.every((v) => v >= 0) || d.every((v) => v <= 0);
  };
};
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const minus =
  (shape: Shape, ...holes: Shape[]): Shape =>
  (x, y) =>
    shape(x, y) && !holes.some((h) => h(x, y));

/** The four pictures, on an 81×81 grid. */
export const ICONS: Record<string, Shape> = {
  // A house: roof, walls, a door.
  home: minus(union(triangle([40.5, 8], [5, 40], [76, 40]), rect(15, 36, 66, 73)), rect(34, 50, 47, 73)),
  // A clipboard with three lines of writing.
  orders: union(
    minus(rounded(15, 13, 66, 75, 7), rounded(21, 19, 60, 69, 3)),
    rounded(28, 7, 53, 20, 4),
    rect(27, 33, 54, 38),
    rect(27, 45, 54, 50),
    rect(27, 57, 45, 62),
  ),
  // A bell.
  notices: union(
    minus(ellipse(40.5, 36, 22, 24), rect(0, 36, 81, 81)),
    rect(18.5, 35, 62.5, 57),
    rounded(10, 55, 71, 63, 4),
    circle(40.5, 69, 7),
    circle(40.5, 10, 4),
  ),
  // A person: head and shoulders.
  mine: union(circle(40.5, 24, 15), minus(ellipse(40.5, 76, 30, 34), rect(0, 76, 81, 81))),
};

/** An 81×81 RGBA PNG of `shape` in `rgb`, its edges anti-aliased by coverage. */
export function drawPng(shape: Shape, rgb: number[]): Buffer {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const row = y * (SIZE * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) if (shape(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hits++;
      const o = row + 1 + x * 4;
      raw[o] = rgb[0];
      raw[o + 1] = rgb[1];
      raw[o + 2] = rgb[2];
      raw[o + 3] = Math.round((255 * hits) / (SS * SS));
    }
  }
  return encodePng(SIZE, SIZE, 6, raw, 9);
}

if (require.main === module) {
  fs.mkdirSync(OUT, { recursive: true });
  for (const [name, shape] of Object.entries(ICONS)) {
    for (const [suffix, rgb] of [
      ['', NORMAL],
      ['-on', SELECTED],
    ] as const) {
      const file = path.join(OUT, `${name}${suffix}.png`);
      fs.writeFileSync(file, drawPng(shape, rgb));
      console.log(`tabbar: ${path.relative(process.cwd(), file)}  ${fs.statSync(file).size} B`);
    }
  }
}
