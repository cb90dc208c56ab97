import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite keeps no lock of its own: two processes that open one data directory both write to it and
 * rows are lost. This lock file refuses the second opener. It lives in the directory itself, so it
 * travels with the data.
 */
export const LOCK_FILE_NAME = '.sped-pglite.lock';

export interface DataDirLockHolder {
  pid: number;
  hostname: string;
  /** When the holding process took the lock (ISO-8601). */
  startedAt: string;
}

export interface DataDirLockLogger {
  warn(obj: object, msg: string): void;
}

export interface DataDirLock {
  readonly dataDir: string;
  readonly lockFile: string;
  readonly holder: DataDirLockHolder;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly holder: DataDirLockHolder | null,
  ) {
    const who = holder
      ? `process ${holder.pid} on host ${holder.hostname} (since ${holder.startedAt})` +
        (holder.pid === process.pid && holder.hostname === os.hostname() ? ', this very process' : '')
      : 'another process (its lock file cannot be read)';
    super(
      `Embedded database directory ${dataDir} is already in use by ${who}. ` +
        `Two processes writing one PGlite directory lose rows, so this one refuses to open it. ` +
        `Stop the other process or give this one another data directory. ` +
        `If you are sure no process uses it, delete ${lockFile}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function readHolder(file: string): DataDirLockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DataDirLockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(holder: DataDirLockHolder | null): holder is DataDirLockHolder {
  return holder !== null && holder.hostname === os.hostname() && !isAlive(holder.pid);
}

function tryCreate(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function sameHolder(a: DataDirLockHolder | null, b: DataDirLockHolder | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;
}

/**
 * Takes the lock on `dataDir` (created when missing) or throws DataDirLockedError naming the holder.
 * A lock left by a dead process on this host is taken over with a warning; a lock from another host
 * is never taken over (we cannot tell whether that process still runs).
 */
export function acquireDataDirLock(dataDir: string, logger?: DataDirLockLogger): DataDirLock {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, LOCK_FILE_NAME);
  const holder: DataDirLockHolder = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const content = JSON.stringify(holder);

  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockFile, content)) return held(dir, lockFile, holder);
    const current = readHolder(lockFile);
    if (!isStale(current)) {
      if (current === null && !fs.existsSync(lockFile)) continue;
      throw new DataDirLockedError(dir, lockFile, current);
    }
    // Two processes may find the same stale lock; the takeover file lets only one of them replace it.
    const takeover = `${lockFile}.takeover`;
    if (!tryCreate(takeover, content)) {
      if (isStale(readHolder(takeover))) fs.rmSync(takeover, { force: true });
      continue;
    }
    try {
      if (!sameHolder(readHolder(lockFile), current)) continue;
      logger?.warn(
        { dataDir: dir, lockFile, stalePid: current.pid, staleSince: current.startedAt },
        `embedded database: taking over the lock of process ${current.pid}, which no longer runs`,
      );
      fs.rmSync(lockFile, { force: true });
      if (tryCreate(lockFile, content)) return held(dir, lockFile, holder);
    } finally {
      fs.rmSync(takeover, { force: true });
    }
  }
  throw new DataDirLockedError(dir, lockFile, readHolder(lockFile));
}

function held(dataDir: string, lockFile: string, holder: DataDirLockHolder): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (sameHolder(readHolder(lockFile), holder)) fs.rmSync(lockFile, { force: true });
  };
  process.on('exit', release);
  return { dataDir, lockFile, holder, release };
}
