// One process per data dir: `<dataDir>/.lock` holds the owner's pid. It is created atomically
// (written under a temporary name, then hard-linked to `.lock`, which fails if it exists), so a
// lock file is never seen half written. A lock whose pid is no longer running (the process was
// killed, or crashed) is stale and taken over; close() removes it.
import fs from 'fs';
import path from 'path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data dir ${dataDir} is in use by another local cloud (pid ${pid}); stop that process or choose another DATA_DIR`);
  }
}

/** Data dirs this process holds (a second cloud in the same process is refused too). */
const held = new Set<string>();

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes `<dataDir>/.lock` for this process or throws DataDirLockedError. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, '.lock');
  if (held.has(file)) throw new DataDirLockedError(dataDir, process.pid);
  const temp = path.join(dataDir, `.lock.${process.pid}.${Date.now()}`);
  fs.writeFileSync(temp, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(temp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = ownerOf(file);
      // Another process of ours is running on it. (An unreadable lock is left to its writer
      // unless it stays that way: the link makes it complete, so that means it was damaged.)
      if (owner !== undefined && owner !== process.pid && alive(owner)) throw new DataDirLockedError(dataDir, owner);
      if (attempt >= 3) throw new DataDirLockedError(dataDir, owner ?? 0);
      // Stale: its process is gone (or it is this pid's, left by a cloud that never closed).
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
  held.add(file);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      // Only our own lock: never remove one another process took over meanwhile.
      if (ownerOf(file) === process.pid) fs.rmSync(file, { force: true });
    },
  };
}
