// The data set on disk, in the local cloud's own format, so the cloud loads it when it opens.
import fs from 'fs';
import path from 'path';
import type { Collections } from './gen';

/** nedb's on-disk form: one JSON document a line, dates as `{"$$date": ms}` (Date#toJSON is swapped while writing: much faster than a replacer). */
function serializeAll(docs: object[]): string {
  const toJSON = Object.getOwnPropertyDescriptor(Date.prototype, 'toJSON')!;
  Object.defineProperty(Date.prototype, 'toJSON', {
    configurable: true,
    writable: true,
    value(this: Date) {
      return { $$date: this.getTime() };
    },
  });
  try {
    return docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
  } finally {
    Object.defineProperty(Date.prototype, 'toJSON', toJSON);
  }
}

/** Writes every collection as `<dataDir>/<name>.db`; the local cloud loads them and builds its indexes on start. */
export function writeDataFiles(dataDir: string, collections: Collections): number {
  fs.mkdirSync(dataDir, { recursive: true });
  let count = 0;
  for (const [name, docs] of collections) {
    const fd = fs.openSync(path.join(dataDir, `${name}.db`), 'w');
    try {
      const CHUNK = 5000;
      for (let i = 0; i < docs.length; i += CHUNK) {
        fs.writeSync(fd, serializeAll(docs.slice(i, i + CHUNK)));
      }
    } finally {
      fs.closeSync(fd);
    }
    count += docs.length;
  }
  return count;
}
