// The stand-in WeChat's mini-program code (wxacode.getUnlimited): a PNG that looks like a code and
// differs by scene, drawn here (no image library). Nobody scans it: tests and the console's demo
// "scan" by calling desk.confirmLogin with the scene.
import { createHash } from 'crypto';
import { deflateSync } from 'zlib';

const MODULES = 25;
const SCALE = 8;
const QUIET = 2;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

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
  const bits = Buffer.concat(
    [0, 1, 2].map((n) => createHash('sha256').update(`${n}:${page}?${scene}`).digest()),
  );
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
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** getUnlimited's checks on its parameters: scene 1–32 of the allowed characters, a page path. */
export function codeProblem(p: Record<string, unknown>): string | undefined {
  if (typeof p.scene !== 'string' || !/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/.test(p.scene)) return 'invalid scene';
  if (p.page !== undefined && (typeof p.page !== 'string' || p.page.startsWith('/'))) return 'invalid page';
  return undefined;
}
