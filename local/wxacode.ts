// The stand-in WeChat's mini-program code (wxacode.getUnlimited): a PNG that looks like a code and
// differs by scene, drawn here (no image library). Nobody scans it: tests and the console's demo
// "scan" by calling desk.confirmLogin with the scene.
import { createHash } from 'crypto';
import { encodePng } from './png';

const MODULES = 25;
const SCALE = 8;
const QUIET = 2;

/** Whether module (x, y) is dark: three finder squares, the rest from the scene's hash. */
function dark(x: number, y: number, bits: Buffer): boolean {
  for (const [fx, fy] of [
    [0, 0],
    [MODULES - 7, 0],
    [0, MODULES - 7],
  ]) {
    const dx = x - fx;
    const dy = y - fy;
    if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7) {
      const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
      return ring !== 2;
    }
    if (dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7) return false;
  }
  const i = y * MODULES + x;
  return ((bits[(i >> 3) % bits.length] >> (i & 7)) & 1) === 1;
}

export function codePng(scene: string, page: string): Buffer {
  const bits = Buffer.concat([0, 1, 2].map((n) => createHash('sha256').update(`${n}:${page}?${scene}`).digest()));
  const side = (MODULES + 2 * QUIET) * SCALE;
  const rows: Buffer[] = [];
  for (let py = 0; py < side; py++) {
    const row = Buffer.alloc(side + 1, 255);
    row[0] = 0; // filter: none
    const my = Math.floor(py / SCALE) - QUIET;
    for (let px = 0; px < side; px++) {
      const mx = Math.floor(px / SCALE) - QUIET;
      if (mx >= 0 && my >= 0 && mx < MODULES && my < MODULES && dark(mx, my, bits)) row[px + 1] = 0;
    }
    rows.push(row);
  }
  return encodePng(side, side, 0, Buffer.concat(rows));
}

/** getUnlimited's checks on its parameters: scene 1–32 of the allowed characters, a page path. */
export function codeProblem(p: Record<string, unknown>): string | undefined {
  if (typeof p.scene !== 'string' || !/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/.test(p.scene)) return 'invalid scene';
  if (p.page !== undefined && (typeof p.page !== 'string' || p.page.startsWith('/'))) return 'invalid page';
  return undefined;
}
