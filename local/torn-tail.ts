// Recovery of a data file after a kill: the last line nedb was appending when the process died.
import fs from 'fs';

/**
 * Cuts a data file back to its last complete line and answers how many bytes it dropped.
 * nedb appends one line per written document and the store answers only after the append
 * finished, so an unterminated last line is a write the process was killed in the middle of, one
 * nobody was told succeeded. nedb would count it as a corrupt line and refuse to load a small
 * collection (more than 10% corrupt lines); it would also glue the next append onto it.
 */
export function dropTornTail(filename: string): number {
  let fd: number;
  try {
    fd = fs.openSync(filename, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 64 * 1024));
    let end = size;
    while (end > 0) {
      const len = Math.min(buf.length, end);
      fs.readSync(fd, buf, 0, len, end - len);
      if (end === size && buf[len - 1] === 0x0a) return 0;
      const newline = buf.subarray(0, len).lastIndexOf(0x0a);
      if (newline >= 0) {
        end = end - len + newline + 1;
        break;
      }
      end -= len;
    }
    fs.ftruncateSync(fd, end);
    return size - end;
  } finally {
    fs.closeSync(fd);
  }
}
